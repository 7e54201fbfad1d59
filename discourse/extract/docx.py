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
