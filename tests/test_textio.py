"""Reading, decoding and CSV/JSONL records (discourse.textio)."""

from __future__ import annotations

import codecs
import csv

import pytest

from discourse.errors import ExtractError
from discourse.textio import (
    CsvRecord,
    JsonlRecord,
    YamlLimitError,
    check_yaml,
    csv_header,
    csv_reader,
    csv_records,
    decode_bytes,
    decode_html,
    json_depth,
    jsonable,
    jsonl_records,
    normalise_newlines,
    read_bytes,
    read_config_text,
    read_nonempty,
    safe_yaml,
    sniff_delimiter,
)

TEXT = "Café owners’ fees rose by €20 – a “modest” rise"


def test_latin1_file_is_decoded(tmp_path):
    p = tmp_path / "latin1.txt"
    p.write_bytes("Café, naïve façade; £5 à la carte".encode("latin-1"))
    text, encoding = decode_bytes(read_bytes(str(p)))
    assert text == "Café, naïve façade; £5 à la carte"
    assert encoding == "cp1252"  # latin-1 letters are the same bytes in cp1252


def test_cp1252_punctuation_is_not_read_as_latin1():
    text, encoding = decode_bytes(TEXT.encode("cp1252"))
    assert (text, encoding) == (TEXT, "cp1252")


def test_utf8_bom_is_dropped():
    assert decode_bytes(codecs.BOM_UTF8 + TEXT.encode("utf-8")) == (TEXT, "utf-8-sig")


def test_utf8_bom_with_a_bad_byte_is_still_utf8():
    text, encoding = decode_bytes(codecs.BOM_UTF8 + b"caf\xe9 au lait")
    assert (text, encoding) == ("caf\ufffd au lait", "utf-8-sig")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32(codec):
    text, encoding = decode_bytes(TEXT.encode(codec))
    assert text == TEXT
    assert encoding.startswith(codec[:6])


def test_plain_utf8():
    assert decode_bytes(TEXT.encode("utf-8")) == (TEXT, "utf-8")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"%PDF-1.7\n...", "looks like a PDF file"),
        (b"\x89PNG\r\n\x1a\n....", "looks like a PNG image"),
        (b"abc\x00def", "contains NUL bytes"),
        (b"\x01\x02\x03\x04abc", "57% control characters"),
    ],
)
def test_binary_content_is_refused(data, reason):
    with pytest.raises(ExtractError) as exc:
        decode_bytes(data)
    assert exc.value.message == f"binary content, not text ({reason})"


def test_html_meta_charset_wins_over_a_legacy_guess():
    word = "Привет"
    data = b'<html><head><meta charset="koi8-r"></head><body><p>' + word.encode("koi8-r") + b"</p></body></html>"
    text, encoding = decode_html(data)
    assert word in text
    assert encoding == "koi8-r"
    # UTF-8 is never second-guessed by a wrong declaration
    data = '<meta charset="iso-8859-1"><p>Привет</p>'.encode()
    assert decode_html(data) == (data.decode("utf-8"), "utf-8")


def test_read_errors(tmp_path):
    with pytest.raises(ExtractError, match="cannot read file: No such file or directory"):
        read_bytes(str(tmp_path / "missing.txt"))
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert read_bytes(str(empty)) == b""
    with pytest.raises(ExtractError, match=r"empty file \(0 bytes\)"):
        read_nonempty(str(empty))


def test_normalise_newlines():
    assert normalise_newlines("a\r\nb\rc\n") == "a\nb\nc\n"


def test_jsonable():
    import datetime as dt

    value = {1: dt.date(2011, 9, 14), "f": float("nan"), "s": {"x"}, "b": b"\xff", "o": object}
    out = jsonable(value)
    assert out["1"] == "2011-09-14"
    assert out["f"] is None
    assert out["s"] == ["x"]
    assert out["b"] == "\ufffd"
    assert out["o"] == str(object)


def test_sniff_delimiter():
    assert sniff_delimiter("a;b;c") == ";"
    assert sniff_delimiter('"a;b",c') == ","
    assert sniff_delimiter("a\tb") == "\t"


def test_csv_record_read(tmp_path):
    p = tmp_path / "guides.csv"
    p.write_bytes(
        codecs.BOM_UTF8 + b'slug;title;text\n\nbenefit-cap;"Benefit cap";"A limit; on benefit"\nshort;row\n'
        b"a;b;c;too many\n"
    )
    text, encoding = decode_bytes(read_bytes(str(p)))
    assert encoding == "utf-8-sig"
    reader = csv_reader(text)
    header = csv_header(reader)
    assert header == ["slug", "title", "text"]
    records = list(csv_records(reader, len(header)))
    assert records == [
        CsvRecord(3, ("benefit-cap", "Benefit cap", "A limit; on benefit")),
        CsvRecord(4, ("short", "row", "")),
        CsvRecord(5, too_many_fields="row has 4 fields but the header has 3"),
    ]


def test_csv_header_skips_blank_rows_and_strips():
    reader = csv_reader("\n , \n file , title\nx,y\n")
    assert csv_header(reader) == ["file", "title"]
    assert reader.line_num == 3
    assert csv_header(csv_reader("\n\n")) is None


def test_csv_unreadable_record_is_yielded_in_place():
    # csv_reader's own input never splits a line at a bare "\r", so feed lines by hand
    reader = csv.reader(["text\n", "a\rb\n", "ok\n"])
    header = csv_header(reader)
    assert header == ["text"]
    bad, ok = csv_records(reader, 1)
    assert (bad.line, bad.cells) == (2, ())
    assert bad.csv_error is not None and bad.csv_error.startswith("new-line character seen in unquoted field")
    assert ok == CsvRecord(3, ("ok",))


def test_jsonl_records():
    text = '{"text": "a"}\n\n[1]\nnot json\n{"text": "b", "n": 2}\n'
    assert list(jsonl_records(text)) == [
        JsonlRecord(1, {"text": "a"}),
        JsonlRecord(3, error="a JSON list, not an object"),
        JsonlRecord(4, error="invalid JSON (Expecting value, column 1)"),
        JsonlRecord(5, {"text": "b", "n": 2}),
    ]


# --- nesting limits and small config files --------------------------------------


def test_json_depth_counts_brackets_outside_strings():
    assert json_depth('{"a": "[[[{", "b": [[1], {"c": "\\"]"}]}') == 3
    assert json_depth("[]") == 1 and json_depth('"no"') == 0


def test_check_yaml_counts_what_aliases_expand_to():
    check_yaml("a: &a [x, x, x]\nb: [*a, *a, *a]")  # 1 + 2 x 4 + ... nodes: fine
    with pytest.raises(YamlLimitError, match="expands to more than 40"):
        check_yaml("a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]", max_nodes=40)
    with pytest.raises(YamlLimitError, match="nested more than 5"):
        check_yaml("a: [[[[[[1]]]]]]", max_depth=5)
    check_yaml("a: [unclosed")  # a syntax error is the loader's to report, with its line


def test_safe_yaml_keeps_dates_as_text_unless_asked():
    assert safe_yaml("d: 2011-02-30\ne: 2012-01-01") == {"d": "2011-02-30", "e": "2012-01-01"}
    assert str(safe_yaml("e: 2012-01-01", dates=True)["e"]) == "2012-01-01"


def test_read_config_text_refuses_fifos_devices_and_big_files(tmp_path):
    import os

    os.mkfifo(tmp_path / "pipe.yaml")
    with pytest.raises(ExtractError, match="not a regular file"):
        read_config_text(str(tmp_path / "pipe.yaml"), "lexicon")  # returns at once: never opened for a writer
    with pytest.raises(ExtractError, match="not a regular file"):
        read_config_text("/dev/zero", "lexicon")
    (tmp_path / "big.yaml").write_text("x" * 2048)
    with pytest.raises(ExtractError, match="larger than"):
        read_config_text(str(tmp_path / "big.yaml"), "lexicon", limit=1024)
    (tmp_path / "ok.yaml").write_bytes(b"\xef\xbb\xbfname: x\n")
    assert read_config_text(str(tmp_path / "ok.yaml"), "lexicon") == "name: x\n"
