"""Tests for discourse.extract.pdf on pages cut from the policy_pdfs corpus
(tests/fixtures/pdf/README.md names source files, pages and licences)."""

from __future__ import annotations

import json
from pathlib import Path

import pdfminer
import pytest
from pdfminer.high_level import extract_text

from discourse.errors import ExtractError, NoTextError
from discourse.extract.pdf import (
    EXTRACTOR,
    _decode_pdf_string,
    extract_pdf,
    parse_pdf_date,
    pdf_page_count,
    require_text_layer,
)
from discourse.normalise import normalise_pages

FIX = Path(__file__).parent / "fixtures" / "pdf"
BLOOD = str(FIX / "blood_response_8p.pdf")
BLOOD_SENTENCE = "These recommendations are accepted in principle by the UK Government"


@pytest.fixture(scope="module")
def blood():
    return extract_pdf(BLOOD)


def test_extract_blood_response_pages(blood):
    assert blood.extractor == EXTRACTOR == "pdfminer.six"
    assert blood.extractor_version == pdfminer.__version__
    assert len(blood.pages) == 8
    for page in blood.pages:
        assert BLOOD_SENTENCE in " ".join(page.split())
    # Same text as the fixture the normalise tests use (cut from the whole PDF).
    stored = json.loads((FIX / "blood_response_8p.json").read_text(encoding="utf-8"))["text"]
    assert blood.pages == stored
    assert blood.embedded == {"title": "20241216- Government Response to Recommendations- FINAL (Standard Print)"}
    assert blood.front_matter == {} and blood.encoding is None


def test_extract_equals_bare_pdfminer(blood):
    # The skip-textless-content shortcuts must not change a character.
    for path, pages in ((BLOOD, blood.pages), (str(FIX / "hmrc_risk_triggers_p4.pdf"), None)):
        pages = pages if pages is not None else extract_pdf(path).pages
        assert "".join(p + "\f" for p in pages) == extract_text(path)


def test_page_count_and_page_numbers(blood):
    assert pdf_page_count(BLOOD) == 8
    part = extract_pdf(BLOOD, page_numbers=[5, 1, 5])
    assert part.pages == [blood.pages[1], blood.pages[5]]
    assert part.embedded == blood.embedded
    with pytest.raises(ExtractError, match=r"page number 8 out of range \(the PDF has 8 pages\)"):
        extract_pdf(BLOOD, page_numbers=[0, 8])
    with pytest.raises(ExtractError, match=r"page number -1 out of range"):
        extract_pdf(BLOOD, page_numbers=[-1])
    assert extract_pdf(BLOOD, page_numbers=[]).pages == []


def test_extract_then_normalise_keeps_sentence_and_drops_page_numbers(blood):
    norm = normalise_pages(blood.pages)
    assert norm.quality["running_lines_removed"] == 8
    ends = [*norm.page_starts[1:], len(norm.text)]
    for a, b in zip(norm.page_starts, ends, strict=True):
        assert BLOOD_SENTENCE in " ".join(norm.text[a:b].split())


def test_ligatures_pua_and_u2010_survive_extraction_then_normalise():
    lig = extract_pdf(str(FIX / "behaviour_change_report_p10_ligatures.pdf"))
    assert "ﬂ" in lig.pages[0] and "ﬁ" in lig.pages[0]
    assert lig.embedded == {"title": "Committee Report 4.3", "date": "2011-07-12"}
    text = normalise_pages(lig.pages).text
    assert "leaflets" in text and "traffic" in text and "ﬁ" not in text

    hmrc = extract_pdf(str(FIX / "hmrc_risk_triggers_p4.pdf"))
    raw = hmrc.pages[0]
    assert raw.count("\uf0b7") == 5 and "\u2010" in raw and "\xa0" in raw
    assert hmrc.embedded == {"title": "Microsoft Word - RiskTriggersReport361", "date": "2015-06-25"}
    norm = normalise_pages(hmrc.pages)
    assert norm.quality["pua_removed"] == 5
    assert "\uf0b7" not in norm.text and "\u2010" not in norm.text and "\xa0" not in norm.text
    assert "income tax Self-Assessment (SA) customers" in norm.text


def test_embedded_date_without_title():
    ex = extract_pdf(str(FIX / "behaviour_change_response_p1-2.pdf"))
    assert ex.embedded == {"date": "2011-09-14"}
    assert len(ex.pages) == 2


# --------------------------------------------------------------------------- #
# Errors
# --------------------------------------------------------------------------- #


def _one_line(exc: Exception) -> str:
    msg = str(exc)
    assert "\n" not in msg and len(msg) < 160
    return msg


def test_truncated_pdf():
    path = str(FIX / "truncated_behaviour_change_response.pdf")
    for fn in (extract_pdf, pdf_page_count):
        with pytest.raises(ExtractError) as ei:
            fn(path)
        assert not isinstance(ei.value, NoTextError)
        assert ei.value.status == "failed"
        assert _one_line(ei.value) == "not a readable PDF: unexpected end of file (truncated?)"


def test_empty_and_non_pdf_files(tmp_path):
    with pytest.raises(ExtractError, match=r"^not a readable PDF: empty file$"):
        extract_pdf(str(FIX / "empty.pdf"))
    fake = tmp_path / "page.pdf"
    fake.write_text("<html><body>Government response</body></html>", encoding="utf-8")
    with pytest.raises(ExtractError, match=r"^not a readable PDF: no %PDF header$"):
        extract_pdf(str(fake))
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    with pytest.raises(ExtractError) as ei:
        extract_pdf(str(junk))
    assert _one_line(ei.value).startswith("not a readable PDF: ")
    with pytest.raises(ExtractError, match=r"^cannot read file: No such file or directory$"):
        extract_pdf(str(tmp_path / "missing.pdf"))


def test_encrypted_pdf():
    with pytest.raises(ExtractError) as ei:
        extract_pdf(str(FIX / "encrypted_password.pdf"))
    assert str(ei.value) == "encrypted PDF (needs a password)"
    assert not isinstance(ei.value, NoTextError)
    with pytest.raises(ExtractError, match=r"^encrypted PDF \(needs a password\)$"):
        pdf_page_count(str(FIX / "encrypted_password.pdf"))
    # An empty user password opens like an unencrypted file.
    plain = extract_pdf(str(FIX / "behaviour_change_response_p1-2.pdf"))
    enc = extract_pdf(str(FIX / "encrypted_empty_user_password.pdf"))
    assert enc.pages == plain.pages and enc.embedded == plain.embedded


def test_no_text_layer():
    path = str(FIX / "po_horizon_response_p1_notext.pdf")
    with pytest.raises(NoTextError) as ei:
        extract_pdf(path)
    assert ei.value.status == "no-text"
    assert _one_line(ei.value) == "no text layer (scanned or printed page?): needs OCR"
    assert ei.value.hint and "OCR" in ei.value.hint
    # A split extraction returns the (empty) pages; the caller checks the merged pages.
    part = extract_pdf(path, page_numbers=[0])
    assert part.pages == [""]
    assert part.embedded["title"].startswith("Government response to the Post Office")
    with pytest.raises(NoTextError):
        require_text_layer(part.pages)


def test_require_text_layer_threshold():
    # A real picture page and a page with only its number (Conservative 2024 p2, p14)
    # next to a text page: the document has text.
    require_text_layer(["", " 12 \n", "x" * 58])
    with pytest.raises(NoTextError):
        require_text_layer(["", " 12 \n", "x" * 57])
    with pytest.raises(NoTextError):
        require_text_layer([])


# --------------------------------------------------------------------------- #
# Info-dictionary decoding
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize(
    "raw, iso",
    [
        (b"D:20110914092618", "2011-09-14"),  # Behaviour-Change-Response.pdf
        (b"D:20110712164454+01'00'", "2011-07-12"),  # Behaviour-Change-Report-Recomm.pdf
        (b"D:20250115111702Z00'00'", "2025-01-15"),  # UK-Covid-19_Inquiry_Module_1_Response.pdf
        (b"D:20251111111018Z", "2025-11-11"),  # TheSpaceEconomyRecomm.pdf
        ("D:201109", "2011-09"),
        (b"D:2011", "2011"),
        (b"20110914", "2011-09-14"),
        (b"D:20111341000000", None),
        (b"", None),
        (None, None),
        (b"yesterday", None),
    ],
)
def test_parse_pdf_date(raw, iso):
    assert parse_pdf_date(raw) == iso


def test_decode_pdf_string():
    # WASPI-Recomm.pdf Title: PDFDocEncoding 0x90 is U+2019
    raw = b"Government\x90s new decision: Women\x90s State Pension age communications"
    assert _decode_pdf_string(raw) == "Government’s new decision: Women’s State Pension age communications"
    assert _decode_pdf_string("\ufeffThe Space Economy".encode("utf-16-be")) == "The Space Economy"
    assert _decode_pdf_string(b"\xfe\xff" + "Covid-19 Inquiry".encode("utf-16-be")) == "Covid-19 Inquiry"
    assert _decode_pdf_string(b"\xef\xbb\xbfInfected Blood Inquiry") == "Infected Blood Inquiry"
    assert _decode_pdf_string(b"The Space Economy: Act Now or Lose Out ") == "The Space Economy: Act Now or Lose Out"
    assert _decode_pdf_string(b"") is None and _decode_pdf_string(b"  ") is None


# --- glyphs without a Unicode map (issue 16) ---------------------------------

UNMAPPED = str(FIX / "unmapped_font.pdf")


def test_unmapped_font_is_read_by_pdftotext_and_says_so():
    import shutil

    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is needed: run `make tools`")
    assert "(cid:67)(cid:111)" in extract_text(UNMAPPED)  # what pdfminer alone gives
    ext = extract_pdf(UNMAPPED)
    assert ext.pages[0].startswith("Co-production means people who use services")
    assert ext.quality["glyphs_lost_pdfminer"] > 150 and ext.quality["pages_from_pdftotext"] == [1]
    norm = normalise_pages(ext.pages)
    assert norm.quality["replacement_chars"] == 0 and norm.quality["unmapped_glyphs"] == 0


def test_without_pdftotext_lost_glyphs_are_counted_and_warned(monkeypatch):
    from discourse.normalise import glyph_loss_warning

    monkeypatch.setenv("PATH", "/nonexistent")  # the real extractor, with no second one to ask
    ext = extract_pdf(UNMAPPED)
    assert "pages_from_pdftotext" not in ext.quality and "(cid:" in ext.pages[0]
    norm = normalise_pages(ext.pages)
    assert "(cid:" not in norm.text and norm.quality["unmapped_glyphs"] == ext.quality["glyphs_lost_pdfminer"]
    assert norm.quality["replacement_chars"] == norm.quality["unmapped_glyphs"]
    warning = glyph_loss_warning({**norm.quality, **ext.quality}, len(norm.text))
    assert warning and warning.startswith(f"{norm.quality['replacement_chars']} glyphs without a Unicode mapping")


def test_ordinary_pdfs_lose_no_glyphs(blood):
    assert blood.quality == {"glyphs_lost_pdfminer": 0}
