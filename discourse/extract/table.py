"""Table files (.csv, .jsonl) read as one document per row (``--text-column``).

:func:`read_table` yields ``(row, text, metadata)``:

* ``row`` counts data records from 1 (the CSV header is not a row; blank lines
  are skipped and not counted), so the ledger key ``path#row=N`` stays stable;
* ``text`` is the text column's value (``""`` for an empty cell or JSON ``null``;
  numbers become strings);
* ``metadata`` is every other column. CSV values are strings with empty cells
  dropped; JSONL values keep their JSON types, ``null`` dropped.

Whole-file problems raise :class:`~discourse.errors.ExtractError` when
:func:`read_table` is called, before any row is yielded: unreadable or empty
file, binary content, a CSV without a header, or a text column that no row has
(the message names the columns available).

A bad row does not stop the others. It is yielded in place, with an
:class:`~discourse.errors.ExtractError` instead of the text and empty metadata,
so the caller can record ``path#row=N`` as failed and go on::

    for row, text, meta in read_table(path, "body"):
        if isinstance(text, ExtractError):
            ...  # ledger: failed, str(text) names file:line and the reason

Bad rows: a JSONL line that is not valid JSON or not an object, a JSONL object
without the text column, a text value that is a list or object, and a CSV row
with more fields than the header (its columns no longer line up). A CSV row
with fewer fields is fine: the missing cells are empty.

CSV encoding is detected as for text files (BOM, UTF-16, UTF-8, cp1252); the
delimiter is the most frequent of ``,`` ``;`` ``TAB`` in the header line
(``,`` when none). The text column is matched exactly, else case-insensitively.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
from typing import Any, Iterator

from ..errors import ExtractError
from .text import decode_bytes, normalise_newlines, read_bytes

__all__ = ["read_table", "sniff_delimiter", "csv_reader"]

Row = tuple[int, "str | ExtractError", dict[str, Any]]


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


def csv_reader(text: str):
    """A ``csv.reader`` over decoded text, with the delimiter sniffed and no field limit."""
    csv.field_size_limit(2**31 - 1)  # whole documents in one cell are normal here
    first = text.split("\n", 1)[0]
    return csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(first))


def _match_column(wanted: str, columns: list[str]) -> str | None:
    if wanted in columns:
        return wanted
    folded = [c for c in columns if c.strip().lower() == wanted.strip().lower()]
    return folded[0] if len(folded) == 1 else None


def _text_value(value: Any) -> str | None:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return str(value) if not (isinstance(value, float) and not math.isfinite(value)) else ""
    return None


def _missing_column(path: str, wanted: str, columns: list[str]) -> ExtractError:
    shown = ", ".join(repr(c) for c in columns) if columns else "none"
    return ExtractError(
        f"{os.path.basename(path)}: no column {wanted!r} (columns: {shown})",
        hint="pass one of these names to --text-column",
    )


def _read_csv(path: str, text: str, text_column: str) -> list[Row]:
    reader = csv_reader(text)
    name = os.path.basename(path)
    try:
        header = next(reader, None)
        while header is not None and not any(c.strip() for c in header):
            header = next(reader, None)
    except csv.Error as exc:
        raise ExtractError(f"{name}:1: cannot read CSV header ({exc})") from None
    if header is None:
        raise ExtractError(f"{name}: no header row")
    columns = [c.strip() for c in header]
    col = _match_column(text_column, columns)
    if col is None:
        raise _missing_column(path, text_column, columns)
    idx = columns.index(col)
    rows: list[Row] = []
    n = 0
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            n += 1
            rows.append((n, ExtractError(f"{name}:{line}: bad CSV row ({exc})"), {}))
            continue
        if not cells or not any(c.strip() for c in cells):
            continue
        n += 1
        if len(cells) > len(columns):
            rows.append((n, ExtractError(
                f"{name}:{line}: row has {len(cells)} fields but the header has {len(columns)}"), {}))
            continue
        cells = cells + [""] * (len(columns) - len(cells))
        meta = {c: v for i, (c, v) in enumerate(zip(columns, cells)) if i != idx and v.strip() != ""}
        rows.append((n, cells[idx], meta))
    return rows


def _read_jsonl(path: str, text: str, text_column: str) -> list[Row]:
    name = os.path.basename(path)
    parsed: list[tuple[int, int, Any]] = []  # (row, line, object or error message)
    n = 0
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        n += 1
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            parsed.append((n, lineno, ExtractError(f"{name}:{lineno}: invalid JSON ({exc.msg}, column {exc.colno})")))
            continue
        if not isinstance(obj, dict):
            parsed.append((n, lineno, ExtractError(f"{name}:{lineno}: a JSON {type(obj).__name__}, not an object")))
            continue
        parsed.append((n, lineno, obj))
    objects = [o for _, _, o in parsed if isinstance(o, dict)]
    keys: list[str] = []
    for o in objects:
        for k in o:
            if k not in keys:
                keys.append(k)
    col = _match_column(text_column, keys)
    if col is None:
        if not objects and parsed:
            raise ExtractError(f"{name}: no line is a JSON object ({parsed[0][2]})")
        raise _missing_column(path, text_column, keys)
    rows: list[Row] = []
    for row, lineno, obj in parsed:
        if isinstance(obj, ExtractError):
            rows.append((row, obj, {}))
            continue
        if col not in obj:
            rows.append((row, ExtractError(f"{name}:{lineno}: no {col!r} field"), {}))
            continue
        value = _text_value(obj[col])
        if value is None:
            rows.append((row, ExtractError(
                f"{name}:{lineno}: {col!r} holds a JSON {type(obj[col]).__name__}, not text"), {}))
            continue
        meta = {k: v for k, v in obj.items() if k != col and v is not None}
        rows.append((row, value, meta))
    return rows


def read_table(path: str, text_column: str) -> Iterator[Row]:
    """Rows of a .csv or .jsonl file as ``(row, text, metadata)``; see the module docstring.

    Raises :class:`ExtractError` at call time for whole-file problems.
    """
    suffix = os.path.splitext(path)[1].lower()
    if suffix not in (".csv", ".jsonl"):
        raise ExtractError(f"not a table file: {suffix or '(no suffix)'} (expected .csv or .jsonl)")
    data = read_bytes(path)
    if not data:
        raise ExtractError("empty file (0 bytes)")
    text, _encoding = decode_bytes(data)
    if suffix == ".csv":
        rows = _read_csv(path, text, text_column)
    else:
        rows = _read_jsonl(path, normalise_newlines(text), text_column)
    return iter(rows)
