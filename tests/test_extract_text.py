"""Text extraction: encodings, binary sniffing, front matter, HTML-in-markdown, dispatch."""

from __future__ import annotations

import codecs
import os
import random
from pathlib import Path

import pytest

from discourse.errors import ExtractError, UnsupportedError
from discourse.extract import SUPPORTED, TABLE_SUFFIXES, extract
from discourse.extract.text import looks_like_html, split_front_matter
from discourse.textio import decode_bytes

FIX = Path(__file__).parent / "fixtures" / "text"
UTF8 = FIX / "govuk_benefit_cap_utf8.md"


def reference_text() -> str:
    return UTF8.read_text(encoding="utf-8")


# --- encodings ---------------------------------------------------------------


def test_utf8():
    e = extract(str(UTF8))
    assert e.encoding == "utf-8"
    assert e.extractor == "text" and e.extractor_version
    assert len(e.pages) == 1
    assert "Jobseeker’s Allowance" in e.pages[0]
    assert "£0" in e.pages[0]


def test_utf8_bom_is_not_text():
    e = extract(str(FIX / "govuk_benefit_cap_bom.txt"))
    assert e.encoding == "utf-8-sig"
    assert e.pages[0] == reference_text()
    assert not e.pages[0].startswith("\ufeff")


def test_utf16_with_bom():
    e = extract(str(FIX / "govuk_benefit_cap_utf16.txt"))
    assert e.encoding == "utf-16"
    assert e.pages[0] == reference_text()


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_sniffed(tmp_path, codec):
    p = tmp_path / "nobom.txt"
    p.write_bytes(reference_text().encode(codec))
    e = extract(str(p))
    assert e.encoding == codec
    assert e.pages[0] == reference_text()


def test_cp1252_smart_quotes_and_pound():
    raw = (FIX / "govuk_benefit_cap_cp1252.txt").read_bytes()
    assert b"\x92" in raw and b"\xa3" in raw  # cp1252 right quote and pound sign
    e = extract(str(FIX / "govuk_benefit_cap_cp1252.txt"))
    assert e.encoding == "cp1252"
    assert e.pages[0] == reference_text()
    assert "you’re" in e.pages[0] and "£0" in e.pages[0] and "‘limited" in e.pages[0]


def test_cp1252_short_line_with_euro_and_dash():
    text, enc = decode_bytes("Fees rose by €20 – a ‘modest’ rise, said the council's £1m report".encode("cp1252"))
    assert enc == "cp1252"
    assert "€20 – a ‘modest’" in text


def test_crlf_normalised(tmp_path):
    p = tmp_path / "crlf.txt"
    p.write_bytes(reference_text().replace("\n", "\r\n").encode("utf-8"))
    assert extract(str(p)).pages[0] == reference_text()


# --- failures ----------------------------------------------------------------


def test_png_named_txt_fails_with_reason():
    with pytest.raises(ExtractError) as err:
        extract(str(FIX / "image_named.txt"))
    assert type(err.value) is ExtractError
    assert str(err.value) == "binary content, not text (looks like a PNG image)"


def test_random_bytes_fail(tmp_path):
    p = tmp_path / "noise.txt"
    p.write_bytes(random.Random(7).randbytes(4096))
    with pytest.raises(ExtractError, match=r"^binary content, not text \("):
        extract(str(p))


def test_control_characters_fail(tmp_path):
    p = tmp_path / "ctrl.md"
    p.write_bytes(bytes(range(1, 9)) * 50 + b"some words")
    with pytest.raises(ExtractError, match="control characters"):
        extract(str(p))


def test_pdf_named_txt_gets_hint(tmp_path):
    p = tmp_path / "report.txt"
    p.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    with pytest.raises(ExtractError) as err:
        extract(str(p))
    assert "PDF" in str(err.value) and err.value.hint == "rename it to .pdf"


def test_zero_byte_file_fails(tmp_path):
    p = tmp_path / "empty.md"
    p.write_bytes(b"")
    with pytest.raises(ExtractError) as err:
        extract(str(p))
    assert str(err.value) == "empty file (0 bytes)"
    assert err.value.status == "failed"


def test_missing_file_fails_with_os_reason(tmp_path):
    with pytest.raises(ExtractError, match="No such file or directory"):
        extract(str(tmp_path / "gone.txt"))


def test_directory_fails(tmp_path):
    d = tmp_path / "folder.txt"
    d.mkdir()
    with pytest.raises(ExtractError, match="directory"):
        extract(str(d))


def test_unsupported_suffix_is_skipped(tmp_path):
    p = tmp_path / "notes.XYZ"
    p.write_text("hello")
    with pytest.raises(UnsupportedError) as err:
        extract(str(p))
    assert str(err.value) == "unsupported file type '.xyz'"
    assert err.value.status == "skipped"


def test_doc_gets_hint(tmp_path):
    p = tmp_path / "old.doc"
    p.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(UnsupportedError) as err:
        extract(str(p))
    assert err.value.hint == "save it as .docx"


@pytest.mark.parametrize("suffix", sorted(TABLE_SUFFIXES))
def test_table_file_needs_text_column(tmp_path, suffix):
    p = tmp_path / f"rows{suffix.upper()}"
    p.write_text("a\n1\n")
    with pytest.raises(UnsupportedError, match="pass --text-column"):
        extract(str(p))


def test_suffix_case_insensitive(tmp_path):
    p = tmp_path / "SHOUT.TXT"
    p.write_bytes(UTF8.read_bytes())
    assert extract(str(p)).pages[0] == reference_text()


def test_supported_set():
    assert {".pdf", ".txt", ".md", ".mkd", ".mdown", ".markdown", ".rst", ".html", ".htm", ".docx"} == SUPPORTED


# --- front matter ------------------------------------------------------------


def test_front_matter_parsed_and_not_in_text():
    e = extract(str(FIX / "iriss_independent_living.md"))
    fm = e.front_matter
    assert fm["title"] == "A new model of support for independent living"
    assert fm["date"] == "2022-02-20T12:00:00+00:00"
    assert fm["draft"] is False
    assert fm["speakers"] == ["Kiana Kalantar-Hormozi"]
    body = e.pages[0]
    assert "iriss_episode_libsyn_url" not in body and "---" not in body
    assert "subtitle" not in body
    assert body.lstrip().startswith("**Kiana**: My name is Kiana")
    # body word count as in the IRISS manifest's body_words (text below the front matter)
    raw = (FIX / "iriss_independent_living.md").read_text(encoding="utf-8")
    assert len(body.split()) == len(raw.split("\n---\n", 1)[1].split())


def test_front_matter_unquoted_datetime_stays_as_written():
    # YAML timestamps are read as text (textio.safe_yaml): an impossible date such as 2011-02-30 is
    # then a warning about one value, not a constructor error that failed the whole document.
    e = extract(str(FIX / "iriss_recruitment_campaign.md"))
    assert e.front_matter["date"] == "2020-03-10T08:40:20Z"
    assert isinstance(e.front_matter["date"], str)
    assert e.pages[0].startswith("MD - Michelle Drumm")


def test_front_matter_yaml_date_object():
    fm, body = split_front_matter("---\ntitle: Benefit cap\ndate: 2012-09-24\ntags: [a, b]\n---\nThe benefit cap\n")
    assert fm == {"title": "Benefit cap", "date": "2012-09-24", "tags": ["a", "b"]}
    assert body == "The benefit cap\n"


def test_bad_yaml_front_matter_kept_out_with_warning():
    text = '---\ntitle: "A bed for the night?\ndate: 2013-03-27\n---\nBody text here.\n'
    fm, body = split_front_matter(text)
    assert body == "Body text here.\n"
    assert list(fm) == ["_warnings"]
    assert "not valid YAML" in fm["_warnings"][0]


def test_non_mapping_front_matter_warns():
    fm, body = split_front_matter("---\n- a: 1\n---\nBody\n")
    # a list item line does not look like "key: value": not front matter
    assert fm == {} and body.startswith("---")
    fm, body = split_front_matter("---\ntitle: x\n  - broken: [\n---\nBody\n")
    assert "_warnings" in fm and body == "Body\n"


def test_markdown_rule_at_top_is_not_front_matter():
    text = "---\nThe Coalition: our programme for government.\n---\nMore text\n"
    fm, body = split_front_matter(text)
    assert fm == {} and body == text


def test_unclosed_front_matter_left_alone():
    text = "---\ntitle: x\nno closing fence\n"
    assert split_front_matter(text) == ({}, text)


def test_markdown_table_rule_not_front_matter():
    # GOV.UK guides have '---|---|---' table rules mid-file
    text = "## Benefit cap outside Greater London\n\n| Per week | Per month\n---|---|---\nIf you’re in a couple | £423.46 | £1,835\n"
    assert split_front_matter(text) == ({}, text)


def test_markdown_kept_as_is():
    e = extract(str(UTF8))
    assert e.pages[0].startswith("# Benefit cap\n")
    assert "[State Pension age](/state-pension-age)" in e.pages[0]


# --- HTML inside markdown ---------------------------------------------------------

# A few lines in the shape of the 2010 Liberal Democrat manifesto file in
# uk_manifestos_2005_2010 (a .mkd that is an HTML fragment with no <html>).
LIBDEM_LINES = """<h1 id="change_that_works_for_you">Change that Works for You</h1>

<h2 id="building_a_fairer_britain">Building a Fairer Britain</h2>

<h2 id="personal_message_from_nick_clegg">Personal message from Nick Clegg</h2>

<p>Dear friend,</p>

<p>Elections that can really make a difference don’t come along very often. But this is one of them. </p>
"""


def test_html_in_mkd_is_sniffed_no_tags():
    e = extract(str(FIX / "govuk_benefit_cap_html.mkd"))
    assert e.extractor.startswith("text+")
    text = e.pages[0]
    assert "<" not in text and ">" not in text
    assert "Benefits affected by the cap" in text  # a heading is kept
    assert "have not reached State Pension age." in text  # link text kept
    assert e.embedded == {"title": "Benefit cap"}
    lines = [ln for ln in text.split("\n") if ln]
    assert lines[0] == "Benefit cap"  # the <h1>; the <title> is not repeated
    assert lines[1].startswith("There is a limit on the total amount of benefit")


def test_html_fragment_in_mkd_is_sniffed(tmp_path):
    p = tmp_path / "2010_libdem_markdown.mkd"
    p.write_text(LIBDEM_LINES, encoding="utf-8")
    e = extract(str(p))
    assert e.extractor.startswith("text+")
    assert e.pages[0].split("\n")[0] == "Change that Works for You"
    assert "<" not in e.pages[0]
    assert "Dear friend," in e.pages[0]


def test_markdown_with_inline_html_stays_markdown():
    md = '<p align="center"><img src="logo.png"></p>\n\n# Title\n\n' + "Some words.\n\n" * 30
    assert not looks_like_html(md)
    assert looks_like_html(LIBDEM_LINES)
    assert looks_like_html("<!DOCTYPE html>\n<html><body>x</body></html>")
    assert not looks_like_html(reference_text())


def test_front_matter_then_html(tmp_path):
    p = tmp_path / "page.md"
    p.write_text("---\ntitle: Lib Dem\n---\n" + LIBDEM_LINES, encoding="utf-8")
    e = extract(str(p))
    assert e.front_matter == {"title": "Lib Dem"}
    assert e.extractor.startswith("text+") and "<h1" not in e.pages[0]


def test_utf32_and_bom_helpers():
    s = "Co-production – £5"
    assert decode_bytes(codecs.BOM_UTF8 + s.encode()) == (s, "utf-8-sig")
    assert decode_bytes(s.encode("utf-32")) == (s, "utf-32")
    assert decode_bytes(s.encode("utf-8")) == (s, "utf-8")


def test_fixture_files_exist_and_small():
    for p in FIX.iterdir():
        assert os.path.getsize(p) < 64 * 1024, p
