"""Word .docx extraction (fixture: GOV.UK 'Benefit cap' guide, OGL v3)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from discourse.errors import ExtractError
from discourse.extract import extract

FIX = Path(__file__).parent / "fixtures" / "text"
DOCX = FIX / "govuk_benefit_cap.docx"


def test_docx_paragraphs_and_cells_in_order():
    e = extract(str(DOCX))
    assert e.extractor == "python-docx" and e.extractor_version
    lines = [ln for ln in e.pages[0].split("\n") if ln.strip()]
    assert lines[0] == "Benefit cap"
    assert lines[1].startswith("There is a limit on the total amount of benefit")
    assert lines[2] == "Benefit cap outside Greater London"
    # table cells, row by row, between the paragraphs around the table
    assert lines[3:6] == ["Per week", "Per month", "If you’re in a couple"]
    assert "£1,229.42" in lines
    assert lines[-1].startswith("You might not be affected by the benefit cap")


def test_docx_core_properties():
    e = extract(str(DOCX))
    assert e.embedded["title"] == "Benefit cap"
    assert e.embedded["date"].startswith("2012-09-24")


def test_docx_not_a_zip(tmp_path):
    p = tmp_path / "fake.docx"
    p.write_text("just text", encoding="utf-8")
    with pytest.raises(ExtractError, match=r"not a \.docx file"):
        extract(str(p))


def test_docx_old_doc_renamed(tmp_path):
    p = tmp_path / "old.docx"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    with pytest.raises(ExtractError) as err:
        extract(str(p))
    assert "old Word .doc" in str(err.value) and err.value.hint


def test_docx_zip_without_document(tmp_path):
    p = tmp_path / "broken.docx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(ExtractError, match=r"cannot read \.docx"):
        extract(str(p))
