"""Plain-text and markdown files: encoding detection, binary sniffing, YAML front matter.

Encoding detection (:func:`decode_bytes`), in this order:

1. a UTF-32, UTF-8 or UTF-16 byte-order mark;
2. UTF-16 without a BOM, recognised by NUL bytes in every other position;
3. strict UTF-8;
4. cp1252 (the Windows "ANSI" encoding of Word and Excel exports; it differs from
   latin-1 in 0x80-0x9F, where cp1252 has smart quotes, dashes and the euro sign).
   charset-normalizer is asked only when cp1252 cannot be right: a byte cp1252
   leaves undefined (0x81 0x8D 0x8F 0x90 0x9D), or most letters would come out
   non-ASCII (Cyrillic, Greek, ... in a one-byte code page). Last resort: latin-1,
   which decodes any byte.

Binary content is refused (:class:`~discourse.errors.ExtractError`
``binary content, not text (...)``): a known file signature (PDF, ZIP/DOCX, PNG,
JPEG, GIF, OLE/.doc, gzip, ...), NUL bytes in a file that is not UTF-16, or more
than 5% control characters (other than tab, newline, carriage return, form feed)
in the decoded text.

YAML front matter: a block at the very top of the file that opens with a line
``---`` and closes with ``---`` (or ``...``), whose first content line looks like
``key: value`` (a key without spaces). It is metadata, never text: it is parsed with ``yaml.safe_load``
into ``Extracted.front_matter`` (dates become ISO strings, lists stay lists) and
removed from the body. If the block is not valid YAML, or not a mapping, it is
still kept out of the text, and ``front_matter`` holds only
``{"_warnings": ["front matter is not valid YAML (...); ignored"]}``;
:func:`discourse.sources.resolve_metadata` turns those into warnings naming the file.
A leading ``---`` block that does not look like ``key: value`` (a markdown rule
above a paragraph) is left in the text.

Markdown and reStructuredText are kept as written (markup characters do not hurt
word matching; the words themselves are left intact). A markdown file that is
really HTML (``<html>``, ``<!doctype html>``, or a document that starts with a
block tag such as ``<h1>`` and closes block tags on at least a fifth of its
lines, see :func:`looks_like_html`) is passed to the HTML extractor;
the extractor name is then ``text+trafilatura`` or ``text+lxml``.

Line endings are normalised to ``\\n``.
"""

from __future__ import annotations

import codecs
import datetime as _dt
import math
import re
from typing import Any

import yaml

from .. import __version__
from ..errors import ExtractError
from ..types import Extracted

EXTRACTOR = "text"
EXTRACTOR_VERSION = __version__

# Known binary signatures (prefix -> what it looks like).
_SIGNATURES: list[tuple[bytes, str]] = [
    (b"%PDF-", "looks like a PDF file"),
    (b"PK\x03\x04", "looks like a ZIP archive, e.g. .docx/.xlsx/.zip"),
    (b"PK\x05\x06", "looks like an empty ZIP archive"),
    (b"\x89PNG\r\n\x1a\n", "looks like a PNG image"),
    (b"\xff\xd8\xff", "looks like a JPEG image"),
    (b"GIF87a", "looks like a GIF image"),
    (b"GIF89a", "looks like a GIF image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "looks like an old Office file, e.g. .doc/.xls"),
    (b"\x1f\x8b", "looks like a gzip archive"),
    (b"BZh", "looks like a bzip2 archive"),
    (b"\xfd7zXZ\x00", "looks like an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "looks like a 7-zip archive"),
    (b"Rar!\x1a\x07", "looks like a RAR archive"),
    (b"SQLite format 3\x00", "looks like an SQLite database"),
    (b"\x7fELF", "looks like an executable"),
    (b"{\\rtf", "looks like an RTF document"),
]
_HINTS = {
    "looks like a PDF file": "rename it to .pdf",
    "looks like a ZIP archive, e.g. .docx/.xlsx/.zip": "if it is a Word document, rename it to .docx",
    "looks like an RTF document": "save it as .docx or .txt",
}

_SNIFF = 64 * 1024  # bytes examined by the binary / UTF-16 sniffers


def _is_utf16_pattern(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' if NULs sit in every other byte, else None."""
    sample = data[: _SNIFF - (_SNIFF % 2)]
    if len(sample) < 4:
        return None
    if len(sample) % 2:
        sample = sample[:-1]
    even, odd = sample[0::2], sample[1::2]
    n = len(even)
    nul_even, nul_odd = even.count(0), odd.count(0)
    # Mostly-Latin text in UTF-16: the high byte of nearly every unit is 0.
    if nul_odd >= 0.3 * n and nul_even <= 0.05 * n:
        return "utf-16-le"
    if nul_even >= 0.3 * n and nul_odd <= 0.05 * n:
        return "utf-16-be"
    return None


def _signature(data: bytes) -> str | None:
    for sig, what in _SIGNATURES:
        if data.startswith(sig):
            return what
    return None


def _binary(reason: str) -> ExtractError:
    return ExtractError(f"binary content, not text ({reason})", hint=_HINTS.get(reason))


def _control_share(text: str) -> float:
    sample = text[:_SNIFF]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f\v") or ch == "\x7f")
    return bad / len(sample)


# cp1252 as browsers decode it (WHATWG "windows-1252"): the five bytes cp1252
# leaves undefined (0x81 0x8D 0x8F 0x90 0x9D) map to U+0081... instead of failing.
_CP1252_UNDEFINED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}
_CP1252 = {i: bytes([i]).decode("cp1252") for i in range(0x80, 0xA0) if i not in _CP1252_UNDEFINED}


def _legacy_decode(data: bytes) -> tuple[str, str]:
    """Decode bytes that are not UTF-8: cp1252, unless it clearly cannot be right."""
    text = data.decode("latin-1").translate(_CP1252)
    undefined = any(b in _CP1252_UNDEFINED for b in data)
    letters = [ch for ch in text[:_SNIFF] if ch.isalpha()]
    non_ascii = sum(1 for ch in letters if ord(ch) > 127)
    if not undefined and (not letters or non_ascii <= 0.3 * len(letters)):
        return text, "cp1252"
    # Tie-breaker: cp1252 impossible or implausible (e.g. Cyrillic in cp1251).
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
    except Exception:  # pragma: no cover - defensive; never lose a file to the guesser
        best = None
    if best is not None and best.encoding:
        try:
            enc = codecs.lookup(best.encoding).name
            if not enc.startswith(("utf-16", "utf-32")):  # already sniffed; a guess here is noise
                return data.decode(enc), enc
        except (UnicodeDecodeError, LookupError):  # pragma: no cover - defensive
            pass
    return text, "cp1252"


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode file bytes to text; return ``(text, encoding)``.

    Raises :class:`ExtractError` ("binary content, not text (...)") for binary data.
    The BOM, if any, is not part of the text. See the module docstring for the order.
    """
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        try:
            return data.decode("utf-32"), "utf-32"
        except UnicodeDecodeError:
            pass  # FF FE 00 00 may also be UTF-16-LE BOM + NUL; fall through
    if data.startswith(codecs.BOM_UTF8):
        body = data[len(codecs.BOM_UTF8):]
        try:
            text, enc = body.decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            text, enc = body.decode("utf-8", errors="replace"), "utf-8-sig"
        return _check_text(text), enc
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _check_text(data.decode("utf-16")), "utf-16"
        except UnicodeDecodeError as exc:
            raise ExtractError(f"cannot decode UTF-16 text ({exc.reason} at byte {exc.start})") from None
    sig = _signature(data)
    if sig:
        raise _binary(sig)
    utf16 = _is_utf16_pattern(data)
    if utf16:
        try:
            return _check_text(data.decode(utf16)), utf16
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:_SNIFF]:
        raise _binary("contains NUL bytes")
    try:
        text, enc = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, enc = _legacy_decode(data)
    return _check_text(text), enc


def _check_text(text: str) -> str:
    share = _control_share(text)
    if share > 0.05:
        raise _binary(f"{share:.0%} control characters")
    if "\x00" in text:
        raise _binary("contains NUL characters")
    return text


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_bytes(path: str) -> bytes:
    """Read a whole file; OS errors become :class:`ExtractError` with the OS reason."""
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as exc:
        raise ExtractError(f"cannot read file: {exc.strerror or exc}") from None


# --- front matter -----------------------------------------------------------

_FM_OPEN = re.compile(r"\A---[ \t]*\n")
_FM_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)
# "key: value" (a key without spaces, optionally quoted): what front matter starts with
_KEY_LINE = re.compile(r"""^(?:[A-Za-z_][\w.-]*|"[^"]+"|'[^']+')[ \t]*:(?:\s|$)""")


def jsonable(value: Any) -> Any:
    """A JSON-serialisable copy of a YAML/JSON value (dates -> ISO strings)."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Split YAML front matter off the top of ``text`` (newlines already ``\\n``).

    Returns ``(front_matter, body)``. ``body`` is everything after the closing
    ``---`` line. Never raises: bad YAML gives ``{"_warnings": [...]}``.
    """
    m = _FM_OPEN.match(text)
    if not m:
        return {}, text
    close = _FM_CLOSE.search(text, m.end())
    if not close:
        return {}, text
    block = text[m.end():close.start()]
    first = next((ln for ln in block.split("\n") if ln.strip() and not ln.lstrip().startswith("#")), None)
    if first is None:
        return {}, _after(text, close.end())  # empty (or comments-only) front matter
    if not _KEY_LINE.match(first):
        return {}, text  # a markdown rule above prose, not front matter
    body = _after(text, close.end())
    try:
        data = yaml.safe_load(block)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 2}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).split("\n")[0]
        return {"_warnings": [f"front matter is not valid YAML ({where}{problem}); ignored"]}, body
    if data is None:
        return {}, body
    if not isinstance(data, dict):
        return {"_warnings": [f"front matter is a YAML {type(data).__name__}, not key: value pairs; ignored"]}, body
    return jsonable(data), body


def _after(text: str, end: int) -> str:
    # drop the newline that ends the closing fence line
    return text[end + 1:] if text[end:end + 1] == "\n" else text[end:]


# --- HTML sniffing ----------------------------------------------------------

_HTML_START = re.compile(
    r"\A(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
    r"<(?:!doctype\s+html|html|head|body|h[1-6]|p|div|table|ul|ol|section|article|main|header|title|meta)[\s>/]",
    re.I | re.S,
)
_CLOSING = re.compile(r"</(?:p|h[1-6]|div|li|td|table|body|html|section|article)\s*>", re.I)


def looks_like_html(text: str) -> bool:
    """True if a .txt/.md file is really an HTML document: it starts with
    ``<html>``/``<!doctype html>``, or with a block tag and closes block tags on
    at least a fifth of its lines. Inline HTML inside markdown does not count."""
    head = text.lstrip()[:4096]
    if not _HTML_START.match(head):
        return False
    if re.match(r"(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]", head, re.I | re.S):
        return True
    sample = text[:200_000]
    closing = len(_CLOSING.findall(sample))
    lines = sum(1 for ln in sample.split("\n") if ln.strip())
    # an HTML fragment closes a block on most lines (0.87 in the 2010 Lib Dem
    # manifesto); a README that opens with <p align="center"> does not
    return closing >= 2 and closing >= 0.2 * lines


# --- the extractor ----------------------------------------------------------


def extract_text(path: str):
    """Extract a .txt/.md/.mkd/.mdown/.markdown/.rst file (one page)."""
    data = read_bytes(path)
    if not data:
        raise ExtractError("empty file (0 bytes)")
    text, encoding = decode_bytes(data)
    text = normalise_newlines(text)
    front_matter, body = split_front_matter(text)
    if looks_like_html(body):
        from .html import html_to_text

        page, extractor, version, embedded = html_to_text(body)
        return Extracted(
            pages=[page],
            extractor=f"text+{extractor}",
            extractor_version=version,
            front_matter=front_matter,
            embedded=embedded,
            encoding=encoding,
        )
    return Extracted(
        pages=[body],
        extractor=EXTRACTOR,
        extractor_version=EXTRACTOR_VERSION,
        front_matter=front_matter,
        encoding=encoding,
    )
