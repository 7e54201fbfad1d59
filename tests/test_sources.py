"""Inputs, manifests, dates and metadata precedence.

The manifest rows below copy the shapes of the real manifests in the shared
corpora (GOV.UK guides, NHS/Leeds, policy PDFs, immigration news with every
field quoted, the 1945-2019 manifestos with a year and no date).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from pathlib import Path

import pytest

from discourse.errors import ManifestError
from discourse.sources import (
    Resolved,
    abs_path,
    date_from_filename,
    discover,
    parse_date,
    read_manifest,
    resolve_metadata,
)
from discourse.types import Source

# --- parse_date ----------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2025 (printed 2026-01-30)", ("2025", 2025)),
        ("2011-09 (PDF created 2011-09-14)", ("2011-09", 2011)),
        ("2014-04-11", ("2014-04-11", 2014)),
        ("2013-09-23T10:00:00Z", ("2013-09-23", 2013)),
        ("2022-02-20T12:00:00+00:00", ("2022-02-20", 2022)),
        ("  2025-07 ", ("2025-07", 2025)),
        ("2013-9-3", ("2013-09-03", 2013)),
        ("20140411", ("2014-04-11", 2014)),
        ("D:20110914103000+01'00'", ("2011-09-14", 2011)),
        ("D:2011", ("2011", 2011)),
        (2013, ("2013", 2013)),
        (2013.0, ("2013", 2013)),
        ("1945", ("1945", 1945)),
        (dt.date(2014, 4, 11), ("2014-04-11", 2014)),
        (dt.datetime(2013, 9, 23, 10, 0), ("2013-09-23", 2013)),
    ],
)
def test_parse_date_accepts(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "2011-13",
        "2011-02-30",
        "2011-00",
        "23 September 2013",
        "c. 2010",
        "May 2010",
        "",
        "   ",
        "12345",
        "20141399",
        "2014-04-111",
        "2023-2030",
        "2011-133",
        None,
        True,
        13,
        2013.5,
        float("nan"),
        "xyz",
        ["2013"],
    ],
)
def test_parse_date_rejects(value):
    assert parse_date(value) is None


# --- date_from_filename --------------------------------------------------------------


@pytest.mark.parametrize(
    "name, expected",
    [
        # real names from the shared corpora
        ("2014-04-11_express_3198.txt", "2014-04-11"),
        ("UK_1945_Con.txt", "1945"),
        ("2010_labour_raw.txt", "2010"),
        ("Conservative-Manifesto-GE2024.pdf", "2024"),
        ("LTHT-Annual-Report-2024-25-FINAL.md", "2024"),  # financial year, not December
        ("LCH-Trust-Board-Meeting-Public-Papers-4-09-2025-AMENDED__1_.md", "2025"),
        ("leeds_health_wellbeing_strategy_2023-2030.md", "2023"),
        ("Leeds_Community_Annual_Report_2324.md", None),
        ("UK-Covid-19-Inquiry-Module-1-Recomm.pdf", None),
        ("HMRC-RiskTriggersReport361.pdf", None),
        ("Healthy-Leeds-Plan-Executive-Summary_plain_text_DRAFT-v4.1.md", None),
        # other shapes
        ("minutes_2013_09_23.txt", "2013-09-23"),
        ("scan20130923.pdf", "2013-09-23"),
        ("report_2011-12.pdf", "2011"),
        ("2013-02-30_note.txt", "2013"),  # invalid day: falls back to the year
        ("2013-09_23.txt", "2013"),  # mixed separators are not a date
        ("/data/2019/UK_1945_Con.txt", "1945"),  # only the base name counts
        ("id_123456.txt", None),
        ("1850_report.txt", None),
    ],
)
def test_date_from_filename(name, expected):
    assert date_from_filename(name) == expected


# --- read_manifest -----------------------------------------------------------------


def write(p: Path, text: str, encoding: str = "utf-8") -> Path:
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(text.encode(encoding))
    return p


def test_manifest_file_column_relative_paths_and_empties(tmp_path):
    m = write(
        tmp_path / "corpus" / "MANIFEST.csv",
        "file,title,year,date,source_type,origin,licence,note\n"
        'texts/10-year-health-plan.md,"DHSC – Fit for the Future: 10 Year Health Plan, Executive Summary",2025,2025-07,government,al26152/Langchain@e34b448,OGL v3,\n'
        "texts/Assessment_of_priority_skills_to_2030_GOV_UK.md,DfE – Assessment of priority skills to 2030,2024,2024,government,x,OGL v3,converted web/PDF\n",
    )
    rows = read_manifest(str(m))
    base = abs_path(str(tmp_path / "corpus"))
    key = f"{base}/texts/10-year-health-plan.md"
    assert list(rows) == [key, f"{base}/texts/Assessment_of_priority_skills_to_2030_GOV_UK.md"]
    assert rows[key] == {
        "title": "DHSC – Fit for the Future: 10 Year Health Plan, Executive Summary",
        "year": "2025",
        "date": "2025-07",
        "source_type": "government",
        "origin": "al26152/Langchain@e34b448",
        "licence": "OGL v3",
    }  # no 'file', empty 'note' dropped
    assert os.path.isabs(key)


def test_manifest_path_column_bom_all_quoted_case_insensitive(tmp_path):
    m = write(
        tmp_path / "m.csv",
        '\ufeff"Path","Title","date","year","source_type","paper"\n'
        '"texts/2014-04-11_express_3198.txt","express article id 3198","2014-04-11",2014,"press","express"\n',
    )
    rows = read_manifest(str(m))
    ((key, row),) = rows.items()
    assert key == abs_path(str(tmp_path / "texts" / "2014-04-11_express_3198.txt"))
    assert row == {
        "Title": "express article id 3198",
        "date": "2014-04-11",
        "year": "2014",
        "source_type": "press",
        "paper": "express",
    }


def test_manifest_cp1252_semicolons_and_backslashes(tmp_path):
    m = write(
        tmp_path / "m.csv",
        "file;title;year\ntexts\\UK_1945_Con.txt;Conservative Party – 1945 manifesto;1945\n",
        encoding="cp1252",
    )
    rows = read_manifest(str(m))
    ((key, row),) = rows.items()
    assert key.endswith("/texts/UK_1945_Con.txt")
    assert row == {"title": "Conservative Party – 1945 manifesto", "year": "1945"}


def test_manifest_without_file_column(tmp_path):
    m = write(tmp_path / "m.csv", "name,title,year\na.txt,A,2001\n")
    with pytest.raises(ManifestError) as err:
        read_manifest(str(m))
    assert str(err.value) == f"{m}:1: no 'file' or 'path' column (columns: 'name', 'title', 'year')"
    assert err.value.hint


def test_manifest_duplicate_names_file_and_line(tmp_path):
    m = write(tmp_path / "m.csv", "file,title\na.txt,A\nb.txt,B\n./a.txt,A again\n")
    with pytest.raises(ManifestError, match=r"m\.csv:4: '\./a\.txt' is listed twice \(first on line 2\)"):
        read_manifest(str(m))


def test_manifest_bad_rows(tmp_path):
    m = write(tmp_path / "m.csv", "file,title\na.txt,A\n,No file\n")
    with pytest.raises(ManifestError, match=r"m\.csv:3: empty 'file' value"):
        read_manifest(str(m))
    m = write(tmp_path / "m.csv", "file,title\na.txt,A, Tale of Two Cities\n")
    with pytest.raises(ManifestError, match=r"m\.csv:2: row has 3 fields but the header has 2"):
        read_manifest(str(m))


def test_manifest_blank_rows_and_missing_files_kept(tmp_path):
    m = write(tmp_path / "m.csv", "file,title\n\n,\nnot-there.txt,Ghost\n")
    rows = read_manifest(str(m))
    assert list(rows.values()) == [{"title": "Ghost"}]


def test_manifest_unreadable(tmp_path):
    with pytest.raises(ManifestError, match="cannot read manifest"):
        read_manifest(str(tmp_path / "none.csv"))
    m = write(tmp_path / "empty.csv", "")
    with pytest.raises(ManifestError, match="empty manifest"):
        read_manifest(str(m))


# --- discover --------------------------------------------------------------------------


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "corpus"
    for rel in [
        "texts/b.md",
        "texts/a.txt",
        "texts/sub/c.pdf",
        "texts/.hidden.txt",
        ".git/config",
        "texts/.cache/x.txt",
        "notes.docx",
    ]:
        write(root / rel, "x")
    write(root / "MANIFEST.csv", "file,title,year\ntexts/a.txt,A,2001\ntexts/gone.txt,Gone,2002\n")
    return root


def test_discover_folder_recursive_hidden_and_manifest_skipped(tree):
    sources, missing = discover([str(tree)], manifest=str(tree / "MANIFEST.csv"))
    base = abs_path(str(tree))
    assert [s.key for s in sources] == [
        f"{base}/notes.docx",
        f"{base}/texts/a.txt",
        f"{base}/texts/b.md",
        f"{base}/texts/sub/c.pdf",
    ]
    assert missing == []
    by_key = {s.key: s for s in sources}
    assert by_key[f"{base}/texts/a.txt"].manifest == {"title": "A", "year": "2001"}
    assert by_key[f"{base}/texts/b.md"].manifest == {}
    assert all(isinstance(s, Source) and s.path == s.key and s.row is None for s in sources)


def test_discover_manifest_skipped_even_when_named(tree):
    sources, _ = discover(
        [str(tree / "MANIFEST.csv"), str(tree / "texts" / "a.txt")], manifest=str(tree / "MANIFEST.csv")
    )
    assert [os.path.basename(s.key) for s in sources] == ["a.txt"]


def test_discover_stdin_dedupe_and_missing(tree, monkeypatch):
    monkeypatch.chdir(tree)
    lines = ["texts/a.txt\n", "\n", "texts/sub\r\n", str(tree / "texts" / "a.txt") + "\n", "nope.txt\n"]
    sources, missing = discover(["-", "texts/b.md", "texts/a.txt"], stdin_lines=iter(lines))
    assert [os.path.relpath(s.key, abs_path(str(tree))) for s in sources] == [
        "texts/a.txt",
        "texts/b.md",
        os.path.join("texts", "sub", "c.pdf"),
    ]
    assert missing == [("nope.txt", "no such file or directory")]


def test_discover_explicit_hidden_file_is_taken(tree):
    sources, _ = discover([str(tree / "texts" / ".hidden.txt")])
    assert len(sources) == 1


def test_discover_manifest_only(tree):
    sources, missing = discover([], manifest=str(tree / "MANIFEST.csv"))
    assert [os.path.basename(s.key) for s in sources] == ["a.txt"]
    assert [os.path.basename(p) for p, _ in missing] == ["gone.txt"]


def test_discover_symlinked_folder_matches_manifest(tree, tmp_path):
    link = tmp_path / "link"
    link.symlink_to(tree, target_is_directory=True)
    sources, _ = discover([str(link / "texts" / "a.txt")], manifest=str(tree / "MANIFEST.csv"))
    assert sources[0].manifest == {"title": "A", "year": "2001"}


# --- resolve_metadata ----------------------------------------------------------------


def resolve(path="/c/texts/UK_1945_Con.txt", manifest=None, front_matter=None, cli=None, embedded=None) -> Resolved:
    return resolve_metadata(
        path=path, manifest=manifest or {}, front_matter=front_matter or {}, cli=cli or {}, embedded=embedded or {}
    )


def test_precedence_manifest_first():
    r = resolve(
        manifest={"title": "Conservative Party 1945 manifesto", "year": "1945", "source_type": "party", "party": "Con"},
        front_matter={
            "title": "FM title",
            "date": "1950-01-01",
            "source_type": "lay",
            "party": "Lab",
            "speakers": ["A"],
        },
        cli={"title": "CLI", "date": "1960", "source_type": "press"},
        embedded={"title": "PDF", "date": "1970"},
    )
    assert (r.title, r.date, r.year, r.date_source, r.source_type) == (
        "Conservative Party 1945 manifesto",
        "1945",
        1945,
        "manifest",
        "party",
    )
    assert r.metadata == {"party": "Con", "speakers": ["A"]}  # manifest wins a clash
    assert r.warnings == []


def test_precedence_front_matter_then_cli_then_filename_then_embedded():
    iriss = {
        "title": "Adult social care recruitment campaign",
        "date": "2020-03-10T08:40:20+00:00",
        "draft": False,
        "categories": ["Adult social care"],
    }
    r = resolve(
        path="/c/a.md", front_matter=iriss, cli={"date": "2001", "source_type": "lay"}, embedded={"date": "1999"}
    )
    assert (r.title, r.date, r.date_source, r.source_type) == (
        "Adult social care recruitment campaign",
        "2020-03-10",
        "front-matter",
        "lay",
    )
    assert r.metadata == {"draft": False, "categories": ["Adult social care"]}

    r = resolve(path="/c/UK_1945_Con.txt", cli={"date": "2001-05"}, embedded={"date": "1999"})
    assert (r.date, r.year, r.date_source) == ("2001-05", 2001, "cli")

    r = resolve(path="/c/UK_1945_Con.txt", embedded={"date": "1999", "title": "Untitled PDF"})
    assert (r.date, r.date_source, r.title) == ("1945", "filename", "Untitled PDF")

    r = resolve(path="/c/report.pdf", embedded={"date": "2011-09-14T10:30:00+01:00"})
    assert (r.date, r.year, r.date_source) == ("2011-09-14", 2011, "pdf-metadata")

    r = resolve(path="/c/report.docx", embedded={"date": "2012-09-24T00:00:00+00:00"})
    assert r.date_source == "docx-metadata"

    r = resolve(path="/c/report.pdf")
    assert (r.date, r.year, r.date_source, r.title, r.source_type) == (None, None, "none", "report", None)


def test_manifest_year_only_and_dates_with_notes():
    assert resolve(manifest={"year": "1945"}).date == "1945"
    r = resolve(path="/c/x.pdf", manifest={"year": "2025", "date": "2025 (printed 2026-01-30)"})
    assert (r.date, r.year, r.warnings) == ("2025", 2025, [])
    r = resolve(path="/c/x.pdf", manifest={"year": "2011", "date": "2011-09 (PDF created 2011-09-14)"})
    assert (r.date, r.year) == ("2011-09", 2011)


def test_unparseable_date_falls_back_to_year_of_same_layer():
    r = resolve(path="/c/x.txt", manifest={"date": "23/09/2013", "year": "2013"}, front_matter={"date": "2020-01-01"})
    assert (r.date, r.date_source) == ("2013", "manifest")
    assert r.warnings == ["/c/x.txt: cannot parse date '23/09/2013' from manifest; using its year 2013"]


def test_unparseable_date_without_year_goes_to_next_layer():
    r = resolve(path="/c/x.txt", manifest={"date": "xyz"}, front_matter={"date": "2011-13"}, cli={"date": "2012"})
    assert (r.date, r.date_source) == ("2012", "cli")
    assert r.warnings == [
        "/c/x.txt: cannot parse date 'xyz' from manifest; ignored",
        "/c/x.txt: cannot parse date '2011-13' from front matter; ignored",
    ]


def test_date_and_year_disagree_warns():
    r = resolve(path="/c/x.txt", manifest={"date": "2014-01-01", "year": "2013"})
    assert r.date == "2014-01-01"
    assert "disagree" in r.warnings[0]


def test_front_matter_warnings_passed_on_and_metadata_jsonable():
    r = resolve(
        path="/c/x.md",
        front_matter={"_warnings": ["front matter is not valid YAML (line 2: x); ignored"]},
        manifest={"Title": "T", "Source_Type": "lay", "when": dt.date(2001, 1, 2), "n": "3"},
    )
    assert r.warnings == ["/c/x.md: front matter is not valid YAML (line 2: x); ignored"]
    assert (r.title, r.source_type) == ("T", "lay")  # reserved keys matched case-insensitively
    assert r.metadata == {"when": "2001-01-02", "n": "3"}
    json.dumps(r.metadata)


def test_title_default_and_table_rows():
    assert resolve(path="/c/texts/2010_labour_raw.txt").title == "2010_labour_raw"
    assert resolve(path="/c/rows.csv#row=3").title == "rows#row=3"
    assert resolve(path="/c/rows.csv#row=3").date_source == "none"


def test_resolved_is_frozen():
    r = resolve()
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.title = "x"  # type: ignore[misc]
