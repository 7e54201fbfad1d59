"""Reading and decoding text files, and CSV/JSONL records (one place for every stage that reads text).

The extractors (:mod:`discourse.extract`) and the manifest reader
(:mod:`discourse.sources`) read files through this module, so they agree on
what a file's text is. It imports nothing from ``discourse`` but errors, types
and chars.

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

:func:`decode_html` is the same, except that a legacy (non-Unicode) guess
yields to the page's ``<meta charset>`` declaration.

Binary content is refused (:class:`~discourse.errors.ExtractError`
``binary content, not text (...)``): a known file signature (PDF, ZIP/DOCX, PNG,
JPEG, GIF, OLE/.doc, gzip, ...), NUL bytes in a file that is not UTF-16, or more
than 5% control characters (other than tab, newline, carriage return, form feed,
vertical tab) in the decoded text.

CSV: :func:`csv_reader` sniffs the delimiter (the most frequent of ``,`` ``;``
``TAB`` in the header line, ``,`` when none); :func:`csv_header` finds the
header row and :func:`csv_records` yields the records below it with their line
numbers. JSONL: :func:`jsonl_records` yields one record per non-blank line.
"""

from __future__ import annotations

import codecs
import csv
import datetime as _dt
import io
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import ExtractError

if TYPE_CHECKING:
    from _csv import Reader as CsvReader

__all__ = [
    "CsvRecord",
    "JsonlRecord",
    "csv_header",
    "csv_reader",
    "csv_records",
    "decode_bytes",
    "decode_html",
    "jsonable",
    "jsonl_records",
    "normalise_newlines",
    "read_bytes",
    "read_nonempty",
    "sniff_delimiter",
]

# --- reading -----------------------------------------------------------------


def read_bytes(path: str) -> bytes:
    """Read a whole file; OS errors become :class:`ExtractError` with the OS reason."""
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as exc:
        raise ExtractError(f"cannot read file: {exc.strerror or exc}") from None


def read_nonempty(path: str) -> bytes:
    """:func:`read_bytes`, and an empty file is an :class:`ExtractError` too."""
    data = read_bytes(path)
    if not data:
        raise ExtractError("empty file (0 bytes)")
    return data


MAX_CONFIG_BYTES = 10 * 1024 * 1024  # a lexicon, frames or codebook file


def read_config_text(path: str, what: str, limit: int = MAX_CONFIG_BYTES) -> str:
    """The UTF-8 text of a small configuration file (lexicon, frames), refusing what could hang or
    exhaust memory: a FIFO, socket or device (``/dev/zero``) is refused without reading, and a file
    over ``limit`` bytes is refused after reading ``limit + 1``. Errors are :class:`ExtractError`
    with a one-line reason (the caller names the file)."""
    import os
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise ExtractError(f"cannot read {what}: {exc.strerror or exc}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = "a directory" if stat.S_ISDIR(mode) else "not a regular file (FIFO, socket or device)"
            raise ExtractError(f"cannot read {what}: {kind}")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise ExtractError(f"cannot read {what}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise ExtractError(f"{what} is larger than {limit // (1024 * 1024)} MB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExtractError(f"{what} is not UTF-8 (byte {exc.start})") from None


def normalise_newlines(text: str) -> str:
    """``\\r\\n`` and ``\\r`` become ``\\n``."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- decoding ----------------------------------------------------------------

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


def _check_text(text: str) -> str:
    share = _control_share(text)
    if share > 0.05:
        raise _binary(f"{share:.0%} control characters")
    if "\x00" in text:
        raise _binary("contains NUL characters")
    return text


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


def _decode_bom(data: bytes) -> tuple[str, str] | None:
    """Decode data that starts with a byte-order mark; None when it does not."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        try:
            return data.decode("utf-32"), "utf-32"
        except UnicodeDecodeError:
            pass  # FF FE 00 00 may also be UTF-16-LE BOM + NUL; fall through
    if data.startswith(codecs.BOM_UTF8):
        body = data[len(codecs.BOM_UTF8) :]
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            text = body.decode("utf-8", errors="replace")
        return _check_text(text), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _check_text(data.decode("utf-16")), "utf-16"
        except UnicodeDecodeError as exc:
            raise ExtractError(f"cannot decode UTF-16 text ({exc.reason} at byte {exc.start})") from None
    return None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode file bytes to text; return ``(text, encoding)``.

    Raises :class:`ExtractError` ("binary content, not text (...)") for binary data.
    The BOM, if any, is not part of the text. See the module docstring for the order.
    """
    decoded = _decode_bom(data)
    if decoded is not None:
        return decoded
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


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def decode_html(data: bytes) -> tuple[str, str]:
    """:func:`decode_bytes`, except that a legacy (non-Unicode) guess yields to a
    ``<meta charset>`` declaration in the first 4 KiB."""
    text, encoding = decode_bytes(data)
    if not encoding.startswith("utf"):
        m = _META_CHARSET.search(data[:4096])
        if m:
            try:
                declared = codecs.lookup(m.group(1).decode("ascii")).name
                return data.decode(declared), declared
            except (LookupError, UnicodeDecodeError):
                pass
    return text, encoding


# --- values ------------------------------------------------------------------


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


# --- CSV records -------------------------------------------------------------


def sniff_delimiter(header_line: str) -> str:
    """The most frequent of ``,`` ``;`` ``\\t`` outside quotes in a header line."""
    counts = {",": 0, ";": 0, "\t": 0}
    quoted = False
    for ch in header_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def csv_reader(text: str) -> CsvReader:
    """A ``csv.reader`` over decoded text, with the delimiter sniffed and no field limit."""
    csv.field_size_limit(2**31 - 1)  # whole documents in one cell are normal here
    first = text.split("\n", 1)[0]
    return csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(first))


def csv_header(reader: CsvReader) -> list[str] | None:
    """The first record of ``reader`` that is not blank, its cells stripped; ``None``
    when there is none. A :class:`csv.Error` is left to the caller, who knows
    ``reader.line_num``."""
    for cells in reader:
        if any(c.strip() for c in cells):
            return [c.strip() for c in cells]
    return None


@dataclass(frozen=True)
class CsvRecord:
    """One non-blank CSV record below the header.

    ``line`` is the line the record starts on. A usable record has ``cells``,
    padded with ``""`` to the header's width (a row with fewer fields is fine).
    Otherwise ``cells`` is empty and one of the errors is set: ``csv_error``
    (the csv module cannot read the record, e.g. a stray quote) or
    ``too_many_fields`` (``"row has N fields but the header has M"``: its
    columns no longer line up).
    """

    line: int
    cells: tuple[str, ...] = ()
    csv_error: str | None = None
    too_many_fields: str | None = None


def csv_records(reader: CsvReader, width: int) -> Iterator[CsvRecord]:
    """The records left in ``reader`` (after :func:`csv_header`), blank ones skipped."""
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield CsvRecord(line, csv_error=str(exc))
            continue
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > width:
            yield CsvRecord(line, too_many_fields=f"row has {len(cells)} fields but the header has {width}")
            continue
        yield CsvRecord(line, tuple(cells) + ("",) * (width - len(cells)))


# --- Nesting limits (JSON, YAML) ----------------------------------------------

MAX_NESTING = 100  # levels of nested lists/objects in any JSON or YAML input
MAX_YAML_NODES = 1_000_000  # nodes of a YAML document after expanding its aliases


def json_depth(text: str) -> int:
    """The deepest nesting of ``[``/``{`` in a JSON text, outside strings (a linear scan).

    Checked before ``json.loads``, whose decoder recurses: 1,000 levels raised RecursionError.
    """
    depth = deepest = 0
    in_str = escaped = False
    for ch in text:
        if in_str:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


class YamlLimitError(ValueError):
    """A YAML text deeper than :data:`MAX_NESTING` or larger than :data:`MAX_YAML_NODES` once its
    aliases are expanded (a "billion laughs" alias bomb)."""


def check_yaml(text: str, *, max_depth: int = MAX_NESTING, max_nodes: int = MAX_YAML_NODES) -> None:
    """Refuse a YAML text whose nesting or alias expansion is out of bounds, before it is built.

    Walks PyYAML's event stream (its parser is iterative, unlike its composer, which recursed out
    on a lexicon nested 2,000 levels deep) and counts the nodes each anchor stands for, so an
    alias adds the size of what it names: ``a: &a [x, x, x]``, ``b: &b [*a, *a, *a]`` is 1 + 3
    nodes for ``a`` and 1 + 3 x 4 for ``b``. Nine levels of nine aliases are 9^9 nodes, refused
    after reading a few hundred bytes. Raises :class:`YamlLimitError`; syntax errors are left to
    the loader, which reports them with a line number.
    """
    import yaml

    sizes: dict[str, int] = {}
    stack: list[list] = [[0, None]]  # [expanded size so far, anchor] per open collection
    total = 0
    try:
        for ev in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(ev, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                stack.append([1, ev.anchor])
                if len(stack) - 1 > max_depth:
                    raise YamlLimitError(f"YAML nested more than {max_depth} levels deep")
                n = 1
            elif isinstance(ev, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                size, anchor = stack.pop()
                if anchor:
                    sizes[anchor] = size
                stack[-1][0] += size
                continue
            elif isinstance(ev, yaml.ScalarEvent):
                n = 1
                if ev.anchor:
                    sizes[ev.anchor] = 1
                stack[-1][0] += 1
            elif isinstance(ev, yaml.AliasEvent):
                n = sizes.get(ev.anchor or "", 1)
                stack[-1][0] += n
            else:
                continue
            total += n
            if total > max_nodes:
                raise YamlLimitError(f"YAML expands to more than {max_nodes:,} nodes (aliases of aliases?)")
    except yaml.YAMLError:
        return


class _PlainLoader:
    """Built lazily: PyYAML's SafeLoader without implicit timestamps (see :func:`safe_yaml`)."""

    cls: Any = None


def safe_yaml(text: str, *, dates: bool = False) -> Any:
    """``yaml.safe_load`` after :func:`check_yaml`. With ``dates=False`` an unquoted date stays a
    string, so an impossible one (``2011-02-30``) is a value to warn about, not a ValueError that
    fails the whole document. Raises ``yaml.YAMLError`` or :class:`YamlLimitError`.
    """
    check_yaml(text)
    try:
        return _load_yaml(text, dates)
    except (ValueError, OverflowError) as exc:  # a 5,000-digit integer (int_max_str_digits), a bad timestamp
        if isinstance(exc, YamlLimitError):
            raise
        raise YamlLimitError(f"a value YAML cannot hold ({str(exc).split(';')[0]})") from None


def _load_yaml(text: str, dates: bool) -> Any:
    import yaml

    if dates:
        return yaml.safe_load(text)
    if _PlainLoader.cls is None:

        class Plain(yaml.SafeLoader):
            pass

        Plain.yaml_implicit_resolvers = {
            k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
            for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
        }
        _PlainLoader.cls = Plain
    return yaml.load(text, Loader=_PlainLoader.cls)  # a SafeLoader subclass: safe


# --- JSONL records -----------------------------------------------------------


@dataclass(frozen=True)
class JsonlRecord:
    """One non-blank line of a JSONL text: a JSON ``object``, or an ``error``
    (``"invalid JSON (...)"``, ``"a JSON list, not an object"``)."""

    line: int
    object: dict[str, Any] | None = None
    error: str | None = None


def jsonl_records(text: str) -> Iterator[JsonlRecord]:
    """The records of a JSONL text (newlines already ``\\n``), blank lines skipped."""
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        depth = json_depth(line) if line.count("[") + line.count("{") > MAX_NESTING else 0
        if depth > MAX_NESTING:
            yield JsonlRecord(lineno, error=f"JSON nested {depth} levels deep (limit {MAX_NESTING})")
            continue
        try:
            # NaN and Infinity are not JSON: kept as the strings they are, not floats no store can write
            obj = json.loads(line, parse_constant=str)
        except json.JSONDecodeError as exc:
            yield JsonlRecord(lineno, error=f"invalid JSON ({exc.msg}, column {exc.colno})")
            continue
        except (ValueError, RecursionError) as exc:  # a number over Python's 4,300-digit limit
            yield JsonlRecord(lineno, error=f"invalid JSON ({str(exc).split(';')[0]})")
            continue
        if not isinstance(obj, dict):
            yield JsonlRecord(lineno, error=f"a JSON {type(obj).__name__}, not an object")
            continue
        yield JsonlRecord(lineno, obj)


def utf8_safe(s: str) -> str:
    """``s`` as valid UTF-8: a file name that is not UTF-8 (surrogate escapes) gets ``\\xNN`` escapes.

    Used for every key and path the store records, so a file named with bytes
    ``\\xff\\xfe`` is kept (and opened) under its real name but recorded as ``...\\xff\\xfe...``.
    """
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        return s.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
