"""discourse.report.export: every format, empty results, nulls and formula neutralisation."""

from __future__ import annotations

import io
import json

import pytest

from discourse.report.export import FORMATS, cell, default_format, json_value, safe_text, write_rows

COLS = ["name", "n", "x", "ok", "note"]
ROWS = [
    {"name": "alpha", "n": 3, "x": 0.5, "ok": True, "note": None},
    {"name": "beta, gamma", "n": -2, "x": 1 / 3, "ok": False, "note": 'say "hi"'},
]


def write(fmt, rows=ROWS, cols=COLS, **kw):
    buf = io.StringIO()
    n = write_rows(cols, rows, fmt, buf, **kw)
    return n, buf.getvalue()


def test_csv():
    n, out = write("csv")
    assert n == 2
    assert out == ('name,n,x,ok,note\nalpha,3,0.5,true,\n"beta, gamma",-2,0.333333,false,"say ""hi"""\n')


def test_tsv():
    n, out = write("tsv")
    assert n == 2
    # TSV's own convention: no CSV quoting
    assert out == ('name\tn\tx\tok\tnote\nalpha\t3\t0.5\ttrue\t\nbeta, gamma\t-2\t0.333333\tfalse\tsay "hi"\n')
    # a tab, newline, carriage return or backslash inside a cell is escaped, so every row is one line
    _, out = write("tsv", rows=[{"name": "a\tb\nc\rd\\e"}])
    assert out.splitlines()[1] == "a\\tb\\nc\\rd\\\\e\t\t\t\t"


def test_json():
    n, out = write("json")
    assert n == 2
    assert out.endswith("]\n")
    assert json.loads(out) == [
        {"name": "alpha", "n": 3, "x": 0.5, "ok": True, "note": None},
        {"name": "beta, gamma", "n": -2, "x": 0.333333, "ok": False, "note": 'say "hi"'},
    ]
    assert list(json.loads(out)[0]) == COLS  # column order kept


def test_jsonl():
    n, out = write("jsonl")
    assert n == 2
    lines = out.splitlines()
    assert out.endswith("\n") and len(lines) == 2
    assert json.loads(lines[0]) == {"name": "alpha", "n": 3, "x": 0.5, "ok": True, "note": None}
    assert list(json.loads(lines[1])) == COLS


def test_table():
    n, out = write("table", title="things")
    assert n == 2
    assert "things" in out
    for text in ["name", "note", "alpha", "beta, gamma", "-2", "0.333333", "true", "false"]:
        assert text in out


@pytest.mark.parametrize(
    "fmt,expected",
    [
        ("csv", "name,n,x,ok,note\n"),
        ("tsv", "name\tn\tx\tok\tnote\n"),
        ("json", "[]\n"),
        ("jsonl", ""),
    ],
)
def test_header_with_no_rows(fmt, expected):
    assert write(fmt, rows=[]) == (0, expected)


def test_table_with_no_rows_still_has_its_header():
    n, out = write("table", rows=iter([]))
    assert n == 0
    assert all(c in out for c in COLS)


def test_rows_may_be_sequences_in_column_order():
    assert write("csv", rows=[("a", 1, None, None, "z")])[1] == "name,n,x,ok,note\na,1,,,z\n"
    assert write("csv", rows=(r for r in [["b", 2, 2.0, True, ""]]))[1] == "name,n,x,ok,note\nb,2,2,true,\n"


def test_null_missing_and_non_finite_are_empty_fields():
    rows = [{"name": None, "n": None, "x": float("nan"), "ok": None}, {"x": float("inf")}]
    assert write("csv", rows=rows)[1] == "name,n,x,ok,note\n,,,,\n,,,,\n"
    assert json.loads(write("json", rows=rows)[1]) == [dict.fromkeys(COLS)] * 2


@pytest.mark.parametrize("text", ["=SUM(A1:A2)", "+1", "-1", "@cmd", "\tx", "\rx", "-", "=1+1"])
def test_text_that_starts_a_formula_is_neutralised(text):
    assert safe_text(text) == "'" + text
    assert cell(text) == "'" + text
    first = write("csv", rows=[{"name": text}])[1].split("\n", 1)[1]
    assert first.startswith(("'" + text, "\"'" + text))  # quoted when the text holds the delimiter
    first = write("tsv", rows=[{"name": text}])[1].split("\n", 1)[1]
    assert first.startswith("'" + text.replace("\t", "\\t").replace("\r", "\\r"))


def test_negative_numbers_stay_numbers():
    rows = [{"name": "x", "n": -5, "x": -0.25}]
    assert write("csv", rows=rows)[1] == "name,n,x,ok,note\nx,-5,-0.25,,\n"
    assert write("tsv", rows=rows)[1] == "name\tn\tx\tok\tnote\nx\t-5\t-0.25\t\t\n"
    assert json.loads(write("json", rows=rows)[1])[0]["n"] == -5
    assert cell(-5) == "-5" and cell(-0.25) == "-0.25"


def test_safe_text_leaves_ordinary_text_alone():
    for text in ["", "co-production", "a = b", "e-mail", "'quoted", "3-5"]:
        assert safe_text(text) == text


def test_json_and_tables_are_not_neutralised():
    rows = [{"name": "=cmd", "note": "-x"}]
    assert json.loads(write("json", rows=rows)[1])[0]["name"] == "=cmd"
    assert json.loads(write("jsonl", rows=rows)[1])["note"] == "-x"
    assert "'=cmd" not in write("table", rows=rows)[1]
    assert cell("=cmd", neutralise=False) == "=cmd"


def test_cells():
    assert cell(None) == ""
    assert cell(True) == "true" and cell(False) == "false"
    assert cell(7) == "7"
    assert cell(2.0) == "2" and cell(-0.0) == "0" and cell(1e-9) == "0" and cell(1234.5678901) == "1234.56789"
    assert cell({"b": 1, "a": "é"}) == '{"a": "é", "b": 1}'
    assert cell(["=x"]) == '["=x"]'
    assert json_value(0.1234567) == 0.123457 and json_value(float("nan")) is None and json_value("s") == "s"


def test_unicode_is_written_as_is():
    out = write("csv", rows=[{"name": "café – naïve"}])[1]
    assert "café – naïve" in out
    assert "café" in write("json", rows=[{"name": "café"}])[1]


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown format"):
        write("xml")
    assert set(FORMATS) == {"table", "csv", "tsv", "json", "jsonl"}


class _Tty(io.StringIO):
    def isatty(self):
        return True


def test_default_format_is_table_at_a_terminal_else_csv():
    assert default_format(_Tty()) == "table"
    assert default_format(io.StringIO()) == "csv"
    assert default_format(object()) == "csv"  # no isatty

    n, out = write(None)
    assert n == 2 and out.startswith("name,n,x,ok,note\n")


def test_tiny_p_values_are_never_zero():
    import io

    from discourse.report.export import write_rows

    rows = [{"p_value": 3.2e-15, "log_ratio": 2.5e-9, "per_10k": 0.0, "q_value": 0.0123456789}]
    cols = ["p_value", "log_ratio", "per_10k", "q_value"]
    buf = io.StringIO()
    write_rows(cols, rows, "csv", buf)
    assert buf.getvalue().splitlines()[1] == "3.2e-15,0,0,0.0123456789"
    buf = io.StringIO()
    write_rows(cols, rows, "jsonl", buf)
    import json

    rec = json.loads(buf.getvalue())
    assert rec["p_value"] == 3.2e-15 and rec["log_ratio"] == 0 and rec["q_value"] == 0.0123456789


def test_table_view_keeps_bracketed_text_and_whole_numbers():
    import io

    from discourse.report.export import write_rows

    rows = [
        {
            "concept": "partnership",
            "rule": "[if MATCH {0,2} (with|between)]",
            "left": "see [full report](http://x.org/a)",
            "count": 1234567890,
            "per_10k": 12345.678901,
        },
    ]
    buf = io.StringIO()
    write_rows(["concept", "rule", "left", "count", "per_10k"], rows, "table", buf, title="[bold]t[/bold]")
    out = buf.getvalue()
    flat = "".join(ch for ch in out if ch not in "│┃ \n")
    assert "[ifMATCH{0,2}(with|between)]" in flat
    assert "[fullreport](http://x.org/a)" in flat
    assert "1234567890" in out and "12345.678901" in out  # digits on one line
    assert "[bold]t[/bold]" in out


def test_narrow_terminal_never_cuts_numbers(monkeypatch):
    import io

    from discourse.report.export import write_rows

    class Tty(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setenv("COLUMNS", "100")
    cols = ["concept"] + [f"c{i}" for i in range(14)]
    rows = [{"concept": "self-directed-support", **{f"c{i}": 123456.654321 for i in range(14)}}]
    buf = Tty()
    write_rows(cols, rows, "table", buf)
    assert buf.getvalue().count("123456.654321") == 14
    assert "self-directed-support" in buf.getvalue()
