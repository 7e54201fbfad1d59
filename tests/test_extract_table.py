"""Table files read row by row (fixtures: GOV.UK guide summaries, OGL v3)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from discourse.errors import ExtractError
from discourse.extract.table import read_table
from discourse.textio import sniff_delimiter

FIX = Path(__file__).parent / "fixtures" / "text"


def test_csv_rows_with_bom_and_crlf():
    rows = list(read_table(str(FIX / "govuk_guides.csv"), "text"))
    assert [r[0] for r in rows] == [1, 2, 3, 4]
    _, text, meta = rows[1]
    assert text.startswith("There is a limit on the total amount of benefit")
    assert meta == {"slug": "benefit-cap", "title": "Benefit cap", "date": "2012-09-24"}
    assert "\ufeffslug" not in rows[0][2]  # BOM not in the first header name
    # an empty text cell is yielded as "" (the caller records no-text); empty cells dropped from metadata
    assert rows[3] == (4, "", {"slug": "no-text-yet", "title": "Empty text cell"})


def test_csv_missing_column_names_available():
    with pytest.raises(ExtractError) as err:
        read_table(str(FIX / "govuk_guides.csv"), "body")
    msg = str(err.value)
    assert "no column 'body'" in msg and "'slug', 'title', 'date', 'text'" in msg


def test_column_match_is_case_insensitive():
    rows = list(read_table(str(FIX / "govuk_guides.csv"), "TEXT"))
    assert len(rows) == 4


def test_jsonl_bad_rows_do_not_stop_the_others():
    rows = list(read_table(str(FIX / "govuk_guides.jsonl"), "text"))
    assert [r[0] for r in rows] == [1, 2, 3, 4]  # the blank line is not a row
    assert isinstance(rows[0][1], str) and rows[0][2]["slug"] == "career-skills-and-training"
    assert isinstance(rows[1][1], ExtractError) and "govuk_guides.jsonl:2: invalid JSON" in str(rows[1][1])
    assert isinstance(rows[2][1], ExtractError) and "govuk_guides.jsonl:3: no 'text' field" in str(rows[2][1])
    assert rows[3][1].startswith("Child Benefit") and rows[3][2]["date"] == "2012-01-26"


def test_jsonl_types_kept(tmp_path):
    p = tmp_path / "t.jsonl"
    p.write_text(
        json.dumps({"text": "Co-production", "n": 3, "tags": ["a"], "none": None})
        + "\n"
        + json.dumps({"text": 42})
        + "\n"
        + json.dumps({"text": ["not", "text"]})
        + "\n"
        + "[1, 2]\n",
        encoding="utf-8",
    )
    rows = list(read_table(str(p), "text"))
    assert rows[0] == (1, "Co-production", {"n": 3, "tags": ["a"]})
    assert rows[1] == (2, "42", {})
    assert isinstance(rows[2][1], ExtractError) and "holds a JSON list" in str(rows[2][1])
    assert isinstance(rows[3][1], ExtractError) and "not an object" in str(rows[3][1])


def test_jsonl_column_in_no_row(tmp_path):
    p = tmp_path / "t.jsonl"
    p.write_text('{"body": "x", "id": 1}\n', encoding="utf-8")
    with pytest.raises(ExtractError, match=r"no column 'text' \(columns: 'body', 'id'\)"):
        read_table(str(p), "text")


def test_csv_cp1252_semicolon_and_long_cell(tmp_path):
    p = tmp_path / "excel.csv"
    long_text = "Jobseeker’s Allowance costs £73.10 a week. " * 5000  # > csv's default field limit
    p.write_bytes(f'id;text\n1;"{long_text}"\n2;Child Benefit – rates\n'.encode("cp1252"))
    rows = list(read_table(str(p), "text"))
    assert rows[0][1] == long_text and rows[0][2] == {"id": "1"}
    assert rows[1] == (2, "Child Benefit – rates", {"id": "2"})


def test_csv_row_with_too_many_fields_is_a_bad_row(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("id,text\n1,fine\n2,too,many\n3\n", encoding="utf-8")
    rows = list(read_table(str(p), "text"))
    assert rows[0] == (1, "fine", {"id": "1"})
    assert isinstance(rows[1][1], ExtractError) and "t.csv:3: row has 3 fields" in str(rows[1][1])
    assert rows[2] == (3, "", {"id": "3"})  # short row: missing cells are empty


def test_multiline_cell_line_numbers(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text('id,text\n1,"two\nlines"\n2,a,b\n', encoding="utf-8")
    rows = list(read_table(str(p), "text"))
    assert rows[0][1] == "two\nlines"
    assert "t.csv:4:" in str(rows[1][1])


def test_empty_and_headerless(tmp_path):
    p = tmp_path / "e.csv"
    p.write_bytes(b"")
    with pytest.raises(ExtractError, match="empty file"):
        read_table(str(p), "text")
    p.write_text("\n\n", encoding="utf-8")
    with pytest.raises(ExtractError, match="no header"):
        read_table(str(p), "text")


def test_sniff_delimiter():
    assert sniff_delimiter("a,b,c") == ","
    assert sniff_delimiter("a;b;c") == ";"
    assert sniff_delimiter("a\tb\tc") == "\t"
    assert sniff_delimiter('"a;b",c') == ","
    assert sniff_delimiter("text") == ","
