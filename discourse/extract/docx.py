"""Word .docx files: body paragraphs and table cells in document order.

python-docx opens the package; the text is read from the body XML so that text
inside hyperlinks, content controls (``w:sdt``), tracked insertions and text
boxes is kept. Each paragraph (including each paragraph of a table cell) becomes
one line; ``w:tab`` becomes a tab and ``w:br``/``w:cr`` a line break. Deleted
text (tracked deletions), field codes and the fallback copy of text boxes
(``mc:Fallback``) are left out. Headers, footers, footnotes and comments are not
read: they are not the document's running text.

``embedded`` gets the core properties ``title`` and ``created`` (as ``date``,
ISO 8601): they rank lowest in metadata precedence.
"""

from __future__ import annotations

import io
from typing import Any

from ..chars import HYPHEN_MINUS
from ..errors import ExtractError
from ..textio import read_nonempty
from ..types import Extracted

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_P, _T, _TAB, _BR, _CR, _NBH = (_W + n for n in ("p", "t", "tab", "br", "cr", "noBreakHyphen"))


def _paragraph_text(p) -> str:
    buf: list[str] = []
    for el in p.iter(_T, _TAB, _BR, _CR, _NBH):
        owner = next(el.iterancestors(_P), None)
        if owner is not p:
            continue  # belongs to a nested paragraph (a text box): read on its own
        if el.tag == _T:
            buf.append(el.text or "")
            for ref in el:  # an entity reference the parser left unresolved (a DTD in a hostile file):
                buf.append("\ufffd" + (ref.tail or ""))  # the text after it stays; U+FFFD marks the gap
        elif el.tag == _TAB:
            if el.getparent() is not None and el.getparent().tag == _W + "r":
                buf.append("\t")  # (w:tab inside w:tabs is a tab-stop definition)
        elif el.tag == _NBH:
            buf.append(HYPHEN_MINUS)  # normalisation would fold U+2011 to "-" anyway
        else:
            buf.append("\n")
    return "".join(buf)


def _in_fallback(el) -> bool:
    return any(a.tag == _MC_FALLBACK for a in el.iterancestors())


def body_text(document) -> str:
    """Text of a python-docx ``Document``'s body, one line per paragraph."""
    lines = [_paragraph_text(p) for p in document.element.body.iter(_P) if not _in_fallback(p)]
    return "\n".join(lines)


def _embedded(document) -> dict[str, Any]:
    out: dict[str, Any] = {}
    try:
        props = document.core_properties
        title = (props.title or "").strip()
        created = props.created
    except Exception:  # malformed core.xml: metadata is optional
        return out
    if title:
        out["title"] = title
    if created is not None:
        out["date"] = created.isoformat()
    return out


#: Limits on the ZIP package, checked before python-docx inflates anything: a DOCX "zip bomb"
#: (a document.xml that inflates to gigabytes) reached 3.3 GB of memory before lxml stopped it.
MAX_PART_BYTES = 256 * 1024 * 1024  # one inflated part
MAX_PACKAGE_BYTES = 512 * 1024 * 1024  # all parts


def check_package(data: bytes) -> None:
    """Refuse a ZIP package whose parts would inflate past the limits above.

    Python's zipfile never inflates a part past the size it declares (it fails the CRC check
    instead), so the declared sizes bound memory; the main document part is also inflated in a
    stream that stops one megabyte past :data:`MAX_PART_BYTES`, as a second guard."""
    import zipfile

    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
        total = 0
        for info in infos:
            total += info.file_size
            if info.file_size > MAX_PART_BYTES:
                raise ExtractError(f"refused: {info.filename} would inflate to {info.file_size:,} bytes (a zip bomb?)")
        if total > MAX_PACKAGE_BYTES:
            raise ExtractError(f"refused: the package would inflate to {total:,} bytes (a zip bomb?)")
        if "word/document.xml" in zf.namelist():
            with zf.open("word/document.xml") as fh:
                n = 0
                while chunk := fh.read(1024 * 1024):
                    n += len(chunk)
                    if n > MAX_PART_BYTES:
                        raise ExtractError(
                            f"refused: word/document.xml inflates past {MAX_PART_BYTES:,} bytes (a zip bomb?)"
                        )
    except ExtractError:
        raise
    except Exception as exc:  # BadZipFile, zlib.error, NotImplementedError (compression), ...
        raise ExtractError(f"cannot read .docx ({type(exc).__name__}: {exc})") from None


def extract_docx(path: str) -> Extracted:
    """Extract a .docx file (one page)."""
    import docx

    data = read_nonempty(path)
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise ExtractError(
            "not a .docx file (an old Word .doc, or a password-protected document)",
            hint="open it in Word and save it as .docx without a password",
        )
    if not data.startswith(b"PK"):
        raise ExtractError("not a .docx file (not a ZIP package)")
    check_package(data)
    try:
        document = docx.Document(io.BytesIO(data))
        text = body_text(document)
    except Exception as exc:
        raise ExtractError(f"cannot read .docx ({type(exc).__name__}: {exc})") from None
    return Extracted(
        pages=[text],
        extractor="python-docx",
        extractor_version=getattr(docx, "__version__", ""),
        embedded=_embedded(document),
    )
