"""The validation loop's library: allocation, sampling, sample files, stored labels and the scores.

Most tests fill the store directly (documents, mentions and the mention runs that
tell ``ensure_mentions`` there is nothing left to match), so no spaCy pipeline is
loaded. The slow test at the end ingests real paragraphs, edits the lexicon and
re-matches.
"""

from __future__ import annotations

import csv
import re
import shutil

import pytest

from discourse.annotate import mention_key
from discourse.errors import DiscourseError, UsageError
from discourse.lexicon import DEFAULT_LEXICON, load_lexicon
from discourse.store import MentionRow, Store
from discourse.store.labels import LabelRow, labels_joined, mention_id, parse_mention_id, upsert_labels
from discourse.validate import (
    VALIDATE_COLUMNS,
    allocate,
    draw_sample,
    read_sample,
    validate_sample,
    write_sample,
)

from .conftest import FIX, run_cli

MEANING = FIX / "meaning"


def _text(n: int, film: int = 0) -> str:
    parts = [f"Sentence {i} says co-production matters [{i}]." for i in range(n)]
    parts += [f"The film co-production {i} premiered." for i in range(film)]
    return " ".join(parts)


def fill_store(path, lexicon, docs):
    """docs: (doc_id, source_type, year, text); every "co-production" is a mention, "film co-production" excluded."""
    key = mention_key(lexicon)
    with Store.open(path) as s, s.transaction():
        runs = []
        for doc_id, st, year, text in docs:
            s.insert_document(
                {
                    "doc_id": doc_id,
                    "path": f"/c/{doc_id}.txt",
                    "title": f"Title [{doc_id}]",
                    "date": str(year),
                    "year": year,
                    "date_source": "cli",
                    "source_type": st,
                    "metadata": {"series": f"s-{st}"},
                    "extractor": "text",
                    "extractor_version": "1",
                    "pages": 1,
                    "words": len(text.split()),
                    "ws_words": len(text.split()),
                    "chars": len(text),
                    "ingested_at": "2024-01-01T00:00:00Z",
                },
                text,
                [0],
                "nlp",
                len(text.split()),
                b"",
            )
            rows = []
            for m in re.finditer("co-production", text):
                film = text[max(0, m.start() - 5) : m.start()] == "film "
                rows.append(
                    MentionRow(
                        doc_id, "co-production", m.group(), m.start(), m.end(), 0, 1, 1, 0, len(text), film, None
                    )
                )
            s.insert_mentions(key, rows)
            runs.append((doc_id, len(rows)))
        s.record_mention_runs(key, runs)
    return path


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


@pytest.fixture
def db(tmp_path, lexicon):
    return fill_store(
        tmp_path / "c.db",
        lexicon,
        [("d1", "lay", 2012, _text(40)), ("d2", "lay", 2019, _text(20, film=3)), ("d3", "gov", 2014, _text(4))],
    )


# -- allocation -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sizes, n, expected",
    [
        ([50, 30, 20], 10, [5, 3, 2]),  # proportional
        ([60, 25, 15], 10, [6, 3, 1]),  # largest remainder: 6.0, 2.5, 1.5 -> the tie goes to the larger
        ([100, 1], 10, [9, 1]),  # at least one from every non-empty stratum
        ([100, 0, 1], 10, [9, 0, 1]),  # an empty stratum gets none
        ([5, 3, 1], 2, [1, 1, 0]),  # fewer units than strata: the largest strata first
        ([2, 100], 50, [1, 49]),  # 0.98 rounds to the minimum 1
        ([3, 2], 10, [3, 2]),  # more asked than there are: everything
        ([4, 4], 0, [0, 0]),
    ],
)
def test_allocate_worked_examples(sizes, n, expected):
    assert allocate(sizes, n) == expected


def test_allocate_iriss_years():
    # co-production mentions per year in the IRISS podcasts (2012 ... 2022), n = 100
    sizes = [14, 50, 13, 7, 56, 30, 5, 1, 1]
    alloc = allocate(sizes, 100)
    assert alloc == [8, 28, 7, 4, 31, 17, 3, 1, 1]
    assert sum(alloc) == 100 and all(1 <= a <= s for a, s in zip(alloc, sizes, strict=True))


# -- mention ids ----------------------------------------------------------------------------------


def test_mention_id_round_trip():
    assert mention_id("ab12", 3, 16) == "ab12:3-16"
    assert parse_mention_id("ab12:3-16") == ("ab12", 3, 16)
    for bad in ("ab12:3", "ab12:16-3", "ab12", ":3-4", "a b:1-2"):
        assert parse_mention_id(bad) is None


# -- sampling -------------------------------------------------------------------------------------


def test_sample_is_stratified_and_reproducible(db, lexicon):
    with Store.open(db) as s:
        a = draw_sample(s, lexicon, ["co-production"], 13, by=["source_type"], seed=7)
        b = draw_sample(s, lexicon, ["co-production"], 13, by=["source_type"], seed=7)
        c = draw_sample(s, lexicon, ["co-production"], 13, by=["source_type"], seed=8)
    assert a.rows == b.rows and a.rows != c.rows
    assert a.columns == [
        "mention_id",
        "concept",
        "doc_id",
        "title",
        "date",
        "year",
        "source_type",
        "page",
        "left",
        "match",
        "right",
        "excluded",
        "label",
    ]
    # 64 kept mentions: gov 4, lay 60 -> 13 * 4/64 = 0.81 -> 1 (the minimum); lay 12
    groups = [r["source_type"] for r in a.rows]
    assert groups.count("gov") == 1 and groups.count("lay") == 12
    assert a.notes == ["co-production by source_type: gov: 1 of 4; lay: 12 of 60"]
    assert len({r["mention_id"] for r in a.rows}) == 13
    for r in a.rows:
        doc_id, start, end = parse_mention_id(r["mention_id"])
        assert doc_id == r["doc_id"] and end - start == len("co-production")
        assert r["match"] == "co-production" and r["label"] is None and r["excluded"] is False


def test_sample_where_excluded_and_metadata_by(db, lexicon):
    with Store.open(db) as s:
        kept = draw_sample(s, lexicon, ["co-production"], 100, where=["year=2019"])
        every = draw_sample(s, lexicon, ["co-production"], 100, where=["year=2019"], include_excluded=True)
        by_meta = draw_sample(s, lexicon, ["co-production"], 5, by=["series"])
        with pytest.raises(UsageError, match="--by nope"):
            draw_sample(s, lexicon, ["co-production"], 5, by=["nope"])
        with pytest.raises(DiscourseError, match="unknown concept"):
            draw_sample(s, lexicon, ["co-prod"], 5)
    assert len(kept.rows) == 20 and kept.notes == ["co-production: only 20 mention(s), all taken"]
    assert len(every.rows) == 23 and sum(r["excluded"] for r in every.rows) == 3
    assert "series" in by_meta.columns and {r["series"] for r in by_meta.rows} == {"s-lay", "s-gov"}


def test_sample_file_is_written_atomically_and_never_overwritten(db, lexicon, tmp_path):
    out = tmp_path / "s.csv"
    with Store.open(db) as s:
        drawn = draw_sample(s, lexicon, ["co-production"], 5, window=3)
    assert write_sample(out, drawn) == 5
    first = out.read_text()
    with pytest.raises(DiscourseError, match="already exists"):
        write_sample(out, drawn)
    assert out.read_text() == first
    write_sample(out, drawn, force=True)
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # no temporary file left
    rows = list(csv.DictReader(out.open()))
    assert [r["label"] for r in rows] == [""] * 5 and rows[0]["excluded"] == "false"
    assert len(rows[0]["left"].split()) == 3 and len(rows[0]["right"].split()) == 3
    with pytest.raises(DiscourseError, match="no such folder"):
        write_sample(tmp_path / "missing" / "s.csv", drawn)


# -- validation -----------------------------------------------------------------------------------


def _labelled(tmp_path, db, lexicon, labels, column="label", n=30, name="s.csv"):
    out = tmp_path / name
    with Store.open(db) as s:
        drawn = draw_sample(s, lexicon, ["co-production"], n, include_excluded=True, seed=1)
    write_sample(out, drawn)
    sf = read_sample(out)
    if column not in sf.columns:
        sf.columns.append(column)
    for row, lab in zip(sf.rows, labels, strict=False):
        row[column] = lab
    sf.save()
    return out


def test_precision_with_wilson_interval_and_unsure_apart(db, lexicon, tmp_path):
    # 30 mentions drawn from 67 (3 excluded); label 20 kept ones yes/no/unsure
    out = _labelled(tmp_path, db, lexicon, [])
    sf = read_sample(out)
    kept = [r for r in sf.rows if r["excluded"] == "false"]
    labels = ["y"] * 16 + ["n"] * 2 + ["u"] * 2  # y/n/u are read as yes/no/unsure
    for r, lab in zip(kept, labels, strict=False):
        r["label"] = lab
    sf.save()
    with Store.open(db) as s:
        v = validate_sample(s, lexicon, out)
    assert v.stored == 20
    (row,) = v.rows
    assert list(row) == VALIDATE_COLUMNS
    assert (row["measure"], row["mentions"], row["n"], row["yes"], row["no"], row["unsure"]) == (
        "precision",
        "kept",
        18,
        16,
        2,
        2,
    )
    assert row["value"] == pytest.approx(16 / 18)
    assert row["ci_low"] == pytest.approx(0.672, abs=1e-3) and row["ci_high"] == pytest.approx(0.969, abs=1e-3)
    assert "label: 10 of 30 row(s) not labelled yet" in v.notes


def test_excluded_mentions_get_their_own_row_and_groups_need_20(db, lexicon, tmp_path):
    out = _labelled(tmp_path, db, lexicon, ["yes"] * 60, n=60)
    with Store.open(db) as s:
        v = validate_sample(s, lexicon, out, by=["source_type"])
    rows = {(r["mentions"], r["by"], r["group"]): r for r in v.rows}
    assert rows[("kept", "", "")]["n"] == 57 and rows[("excluded", "", "")]["n"] == 3
    assert rows[("kept", "source_type", "lay")]["n"] == 53  # gov has 4 (< 20): no row, a note
    assert ("kept", "source_type", "gov") not in rows
    assert any("fewer than 20" in n and "gov" in n for n in v.notes)


def test_two_coders_agreement_and_disagreements(db, lexicon, tmp_path):
    out = _labelled(tmp_path, db, lexicon, ["yes"] * 8 + ["no"] * 2, n=10)
    sf = read_sample(out)
    sf.columns.append("label_b")
    for row, lab in zip(sf.rows, ["yes"] * 7 + ["no"] * 3, strict=True):
        row["label_b"] = lab
    sf.save()
    with Store.open(db) as s:
        v = validate_sample(s, lexicon, out, coders=["label", "label_b"])
        assert s.conn.execute("SELECT count(*) FROM labels").fetchone()[0] == 20
    agree = {r["measure"]: r for r in v.rows if r["measure"] != "precision"}
    # table yes/yes 7, yes/no 1, no/no 2: p_o 0.9, p_e 0.8*0.7 + 0.2*0.3 = 0.62, kappa = 0.28/0.38
    assert agree["percent_agreement"]["value"] == pytest.approx(0.9)
    assert agree["cohen_kappa"]["value"] == pytest.approx(0.28 / 0.38)
    assert agree["krippendorff_alpha"]["value"] == pytest.approx(1 - 19 * 2 / (15 * 5 * 2))
    assert agree["cohen_kappa"]["n"] == 10 and agree["cohen_kappa"]["coder"] == "label,label_b"
    (d,) = v.disagreements
    assert (d["label_a"], d["label_b"], d["match"]) == ("yes", "no", "co-production")
    assert {r["coder"] for r in v.rows if r["measure"] == "precision"} == {"label", "label_b"}
    with Store.open(db) as s, pytest.raises(UsageError, match="one or two"):
        validate_sample(s, lexicon, out, coders=["a", "b", "c"])


def test_bad_files_name_the_file_and_line(db, lexicon, tmp_path):
    out = _labelled(tmp_path, db, lexicon, ["yes", "maybe"], n=3)
    with Store.open(db) as s:
        with pytest.raises(DiscourseError, match=rf"{re.escape(str(out))}:3: label 'maybe' is not yes"):
            validate_sample(s, lexicon, out)
        with pytest.raises(DiscourseError, match="no column nope"):
            validate_sample(s, lexicon, out, coders=["nope"])
        with pytest.raises(DiscourseError, match="no such file"):
            validate_sample(s, lexicon, tmp_path / "none.csv")
        dup = tmp_path / "dup.csv"
        dup.write_text("mention_id,concept,label\nd1:0-4,co-production,yes\nd1:0-4,co-production,no\n")
        with pytest.raises(DiscourseError, match=r"dup.csv:3: mention d1:0-4 \(co-production\) is also on line 2"):
            validate_sample(s, lexicon, dup)
        bad = tmp_path / "bad.csv"
        bad.write_text("mention_id,concept,label\nd1-0-4,co-production,yes\n")
        with pytest.raises(DiscourseError, match=r"bad\.csv:2: mention_id 'd1-0-4' is not DOC:START-END"):
            validate_sample(s, lexicon, bad)


def test_labels_upsert_and_outlive_the_mentions_they_were_made_on(db, lexicon, tmp_path):
    with Store.open(db) as s:
        with s.transaction():
            upsert_labels(s, [LabelRow("d1:16-29", "co-production", "label", "no", "a.csv")], "t1")
            upsert_labels(s, [LabelRow("d1:16-29", "co-production", "label", "yes", "b.csv")], "t2")
            upsert_labels(s, [LabelRow("gone:1-2", "co-production", "label", "no", "b.csv")], "t2")
        key = mention_key(lexicon)
        rows = labels_joined(s, key, ["d1:16-29", "gone:1-2"], ["label"])
        assert [(r["mention_id"], r["label"], r["source"], r["current"]) for r in rows] == [
            ("d1:16-29", "yes", "b.csv", "kept"),
            ("gone:1-2", "no", "b.csv", None),
        ]
        # the mentions are matched again under another key (a new lexicon): the label joins by span
        with s.transaction():
            s.conn.execute("UPDATE mentions SET mention_key='another'")
        assert labels_joined(s, "another", ["d1:16-29"], ["label"])[0]["current"] == "kept"
        assert labels_joined(s, key, ["d1:16-29"], ["label"])[0]["current"] is None
        with pytest.raises(DiscourseError, match="is not yes, no or unsure"), s.transaction():
            upsert_labels(s, [LabelRow("d1:16-29", "co-production", "label", "y", "c.csv")], "t3")


def test_orphaned_labels_are_counted_not_scored(db, lexicon, tmp_path):
    out = _labelled(tmp_path, db, lexicon, ["yes"] * 5, n=5)
    text = out.read_text().replace("\nd", "\nx", 1)  # the first row's document is not in the store
    out.write_text(text)
    with Store.open(db) as s:
        v = validate_sample(s, lexicon, out)
    assert v.rows[0]["n"] == 4
    assert any(n.startswith("1 labelled mention(s) no longer match their concept") for n in v.notes)


# -- the labels survive a lexicon edit and a re-match (real ingest and matching) -----------------------


@pytest.mark.slow
def test_labels_survive_a_lexicon_edit_and_rematch(tmp_path):
    db = tmp_path / "m.db"
    run_cli("ingest", MEANING, "--manifest", MEANING / "MANIFEST.csv", "-j", "1", db=db, check=0)
    out = tmp_path / "sample.csv"
    p = run_cli("sample", "co-production", "-n", "12", "--by", "source_type", "--include-excluded", "-o", out, db=db)
    assert p.returncode == 0, p.stderr
    sf = read_sample(out)
    for r in sf.rows:  # the arts listings are excluded by the lexicon and are not public-service co-production
        r["label"] = "no" if r["excluded"] == "true" else "yes"
    sf.save()
    first = run_cli("validate", out, "-f", "csv", db=db, check=0)
    assert "no longer match" not in first.stderr

    edited = tmp_path / "edited.yaml"  # an unrelated concept changes: a new lexicon hash, so a re-match
    shutil.copy(DEFAULT_LEXICON, edited)
    if (DEFAULT_LEXICON.parent / "filters").is_dir():  # filter paths are relative to the lexicon file
        shutil.copytree(DEFAULT_LEXICON.parent / "filters", edited.parent / "filters", dirs_exist_ok=True)
    text = edited.read_text()
    edited.write_text(
        text.replace("      - lemma: equal partner\n", "      - lemma: equal partner\n      - joint working\n")
    )
    assert load_lexicon(edited).content_hash != load_lexicon().content_hash
    again = run_cli("validate", out, "--lexicon", edited, "-f", "csv", db=db, check=0)
    assert again.stdout == first.stdout  # every label joins its mention under the new lexicon
    assert "no longer match" not in again.stderr
    with Store.open(db) as s:
        keys = s.conn.execute("SELECT count(DISTINCT mention_key) FROM mentions").fetchone()[0]
        assert keys == 2  # matched twice, labels stored once per (mention, coder)
        assert s.conn.execute("SELECT count(*) FROM labels").fetchone()[0] == len(sf.rows)

    narrowed = tmp_path / "narrowed.yaml"  # co-production itself narrows: its verb forms drop out
    narrowed.write_text(text.replace("      - co-produc*  ", "      - co-production  "))
    gone = run_cli("validate", out, "--lexicon", narrowed, "-f", "csv", db=db, check=0)
    verbs = sum(not r["match"].lower().replace(" ", "-").startswith("co-production") for r in sf.rows)
    assert verbs > 0 and f"{verbs} labelled mention(s) no longer match" in gone.stderr


def test_commands_sample_and_validate_with_two_coders(db, tmp_path):
    out = tmp_path / "s.csv"
    p = run_cli("sample", "co-production", "-n", "4", "--seed", "2", "-o", out, db=db, check=0)
    assert "4 mention(s) written to" in p.stderr and "(seed 2)" in p.stderr
    p = run_cli("sample", "co-production", "-n", "4", "-o", out, db=db, check=1)
    assert p.stderr.splitlines() == [f"Error: {out}: already exists", "Hint: pass --force to overwrite it"]
    run_cli("sample", "co-production", "-n", "4", "--seed", "2", "-o", out, "--force", db=db, check=0)
    sf = read_sample(out)
    sf.columns.append("label_b")
    for row, a, b in zip(sf.rows, "yynu", "ynnu", strict=True):
        row["label"], row["label_b"] = a, b
    sf.save()
    p = run_cli("validate", out, "--coders", "label,label_b", "-f", "csv", db=db, check=0)
    rows = list(csv.DictReader(p.stdout.splitlines()))
    assert [r["measure"] for r in rows] == [
        "precision",
        "precision",
        "percent_agreement",
        "cohen_kappa",
        "krippendorff_alpha",
    ]
    assert float(rows[2]["value"]) == pytest.approx(0.75)
    (line,) = [x for x in p.stderr.splitlines() if x.startswith("disagreement ")]
    assert "label=yes label_b=no: " in line and "[co-production]" in line
    dis = tmp_path / "d.csv"
    p = run_cli("validate", out, "--coders", "label,label_b", "--disagreements", dis, "-f", "csv", db=db, check=0)
    assert "1 disagreement(s) written to" in p.stderr and not any(
        x.startswith("disagreement ") for x in p.stderr.splitlines()
    )
    (d,) = list(csv.DictReader(dis.open()))
    assert (d["coder_a"], d["label_a"], d["coder_b"], d["label_b"]) == ("label", "yes", "label_b", "no")
