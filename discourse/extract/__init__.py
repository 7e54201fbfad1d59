"""Extract text from one file, by suffix (case-insensitive).

``extract(path)`` returns an :class:`~discourse.types.Extracted` or raises:

* :class:`~discourse.errors.UnsupportedError` (ledger ``skipped``) for a suffix
  not in :data:`SUPPORTED`, and for table files (:data:`TABLE_SUFFIXES`), which
  are read row by row with :func:`discourse.extract.table.read_table` instead,
  and ``.xml`` (:data:`RECORD_SUFFIXES`), read speech by speech by
  :class:`discourse.extract.parl.ParlReader`;
* :class:`~discourse.errors.ExtractError` (ledger ``failed``) for an unreadable
  or empty file, binary content in a text file, or a broken document.

Each extractor is imported only when a file of its kind is met. Reading and
decoding are shared with the rest of discourse through :mod:`discourse.textio`.
"""

from __future__ import annotations

import os
import stat

from ..errors import ExtractError, UnsupportedError
from ..types import Extracted

SUPPORTED = {".pdf", ".txt", ".md", ".mkd", ".mdown", ".markdown", ".rst", ".html", ".htm", ".docx"}
TABLE_SUFFIXES = {".csv", ".jsonl"}
#: Files that hold many documents, recognised by content: parliamentary XML (ParlaMint TEI,
#: ParlParse), read by ingest through :class:`discourse.extract.parl.ParlReader`.
RECORD_SUFFIXES = {".xml"}
HTML_SUFFIXES = {".html", ".htm"}

_HINTS = {
    ".doc": "save it as .docx",
    ".rtf": "save it as .docx",
    ".odt": "save it as .docx",
    ".pages": "export it as .docx or .pdf",
    ".xlsx": "save it as .csv and pass --text-column",
    ".xls": "save it as .csv and pass --text-column",
    ".tsv": "save it as .csv (or rename it to .csv) and pass --text-column",
    ".json": "write one JSON object per line as .jsonl and pass --text-column",
    ".epub": "convert it to .html or .txt",
}

__all__ = ["RECORD_SUFFIXES", "SUPPORTED", "TABLE_SUFFIXES", "extract", "suffix_of"]


def suffix_of(path: str) -> str:
    """The file name suffix, lower-case, with its dot (``""`` when none)."""
    return os.path.splitext(path)[1].lower()


def extract(path: str) -> Extracted:
    """Extract the text of one file; see the module docstring for errors."""
    suffix = suffix_of(path)
    if suffix in TABLE_SUFFIXES:
        raise UnsupportedError("table file: pass --text-column to read its rows as documents")
    if suffix in RECORD_SUFFIXES:
        raise UnsupportedError("XML file: ingest reads ParlaMint and ParlParse XML as one document per speech")
    if suffix not in SUPPORTED:
        what = f"'{suffix}'" if suffix else "(no file name suffix)"
        raise UnsupportedError(f"unsupported file type {what}", hint=_HINTS.get(suffix))
    try:
        st = os.stat(path)
    except OSError as exc:
        raise ExtractError(f"cannot read file: {exc.strerror or exc}") from None
    if stat.S_ISDIR(st.st_mode):
        raise ExtractError("cannot read file: is a directory")
    if st.st_size == 0 and stat.S_ISREG(st.st_mode):
        raise ExtractError("empty file (0 bytes)")
    if suffix == ".pdf":
        from .pdf import extract_pdf

        return extract_pdf(path)
    if suffix in HTML_SUFFIXES:
        from .html import extract_html

        return extract_html(path)
    if suffix == ".docx":
        from .docx import extract_docx

        return extract_docx(path)
    from .text import extract_text

    return extract_text(path)
