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


# --- hostile packages (issue 16) ------------------------------------------------


def _rewrite(tmp_path, name: str, edit) -> Path:
    """A copy of the real fixture with word/document.xml passed through ``edit``."""
    out = tmp_path / name
    with zipfile.ZipFile(DOCX) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info, edit(data) if info.filename == "word/document.xml" else data)
    return out


def test_docx_text_after_an_entity_reference_is_kept(tmp_path):
    def add_entity(xml: bytes) -> bytes:
        xml = xml.replace(b"<w:document", b'<!DOCTYPE w:document [<!ENTITY co "co-production">]>\n<w:document', 1)
        return xml.replace(b"Benefit cap", b"Benefit &co; cap", 1)

    text = extract(str(_rewrite(tmp_path, "entity.docx", add_entity))).pages[0]
    assert "Benefit \ufffd cap" in text  # the gap is marked, the words after it stay


def test_docx_external_entity_is_not_read_and_billion_laughs_fails_alone(tmp_path):
    def external(xml: bytes) -> bytes:
        dtd = b'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        return xml.replace(b"<w:document", dtd + b"<w:document", 1).replace(b"Benefit cap", b"Benefit &x; cap", 1)

    text = extract(str(_rewrite(tmp_path, "xxe.docx", external))).pages[0]
    assert "root:" not in text and "Benefit \ufffd cap" in text

    lol = b"".join(b'<!ENTITY l%d "%s">' % (i, b"&l%d;" % (i - 1) * 10) for i in range(1, 10))

    def bomb(xml: bytes) -> bytes:
        dtd = b'<!DOCTYPE w:document [<!ENTITY l0 "lol">' + lol + b"]>\n"
        return xml.replace(b"<w:document", dtd + b"<w:document", 1).replace(b"Benefit cap", b"Benefit &l9; cap", 1)

    with pytest.raises(ExtractError, match=r"cannot read \.docx .*amplification"):  # libxml2's own guard
        extract(str(_rewrite(tmp_path, "lol.docx", bomb)))


def test_docx_zip_bomb_is_refused_before_it_inflates(tmp_path, monkeypatch):
    from discourse.extract import docx as docx_mod

    monkeypatch.setattr(docx_mod, "MAX_PART_BYTES", 1024 * 1024)  # the real check, at a small limit
    bomb = _rewrite(tmp_path, "zipbomb.docx", lambda xml: xml.replace(b"</w:body>", b" " * 2_000_000 + b"</w:body>"))
    assert bomb.stat().st_size < 100_000
    with pytest.raises(ExtractError, match=r"would inflate to 2,0.* bytes \(a zip bomb\?\)"):
        extract(str(bomb))
