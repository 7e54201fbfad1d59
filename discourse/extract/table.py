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
without the text column, a text value that is a list or object, a CSV record
the csv module cannot read, and a CSV row with more fields than the header (its
columns no longer line up). A CSV row with fewer fields is fine: the missing
cells are empty.

Files are read and decoded, and records split, by :mod:`discourse.textio`:
encoding as for text files (BOM, UTF-16, UTF-8, cp1252); the CSV delimiter is
the most frequent of ``,`` ``;`` ``TAB`` in the header line (``,`` when none).
The text column is matched exactly, else case-insensitively.
"""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Iterator
from typing import Any

from ..errors import ExtractError
from ..textio import (
    csv_header,
    csv_reader,
    csv_records,
    decode_bytes,
    jsonl_records,
    normalise_newlines,
    read_nonempty,
)
from . import TABLE_SUFFIXES, suffix_of

__all__ = ["Row", "read_table"]

Row = tuple[int, "str | ExtractError", dict[str, Any]]


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
        columns = csv_header(reader)
    except csv.Error as exc:
        raise ExtractError(f"{name}:1: cannot read CSV header ({exc})") from None
    if columns is None:
        raise ExtractError(f"{name}: no header row")
    col = _match_column(text_column, columns)
    if col is None:
        raise _missing_column(path, text_column, columns)
    idx = columns.index(col)
    rows: list[Row] = []
    for n, rec in enumerate(csv_records(reader, len(columns)), start=1):
        if rec.csv_error is not None:
            rows.append((n, ExtractError(f"{name}:{rec.line}: bad CSV row ({rec.csv_error})"), {}))
        elif rec.too_many_fields is not None:
            rows.append((n, ExtractError(f"{name}:{rec.line}: {rec.too_many_fields}"), {}))
        else:
            meta = {
                c: v for i, (c, v) in enumerate(zip(columns, rec.cells, strict=True)) if i != idx and v.strip() != ""
            }
            rows.append((n, rec.cells[idx], meta))
    return rows


def _row_of(name: str, col: str, line: int, obj: dict[str, Any]) -> tuple[str | ExtractError, dict[str, Any]]:
    """The text and metadata of one JSONL object, or the error that stands for them."""
    if col not in obj:
        return ExtractError(f"{name}:{line}: no {col!r} field"), {}
    value = _text_value(obj[col])
    if value is None:
        return ExtractError(f"{name}:{line}: {col!r} holds a JSON {type(obj[col]).__name__}, not text"), {}
    return value, {k: v for k, v in obj.items() if k != col and v is not None}


def _read_jsonl(path: str, text: str, text_column: str) -> list[Row]:
    name = os.path.basename(path)
    records = list(jsonl_records(text))
    keys: list[str] = []
    for rec in records:
        for k in rec.object or ():
            if k not in keys:
                keys.append(k)
    col = _match_column(text_column, keys)
    if col is None:
        if records and all(rec.object is None for rec in records):
            raise ExtractError(f"{name}: no line is a JSON object ({name}:{records[0].line}: {records[0].error})")
        raise _missing_column(path, text_column, keys)
    rows: list[Row] = []
    for n, rec in enumerate(records, start=1):
        if rec.object is None:
            rows.append((n, ExtractError(f"{name}:{rec.line}: {rec.error}"), {}))
        else:
            rows.append((n, *_row_of(name, col, rec.line, rec.object)))
    return rows


def read_table(path: str, text_column: str) -> Iterator[Row]:
    """Rows of a .csv or .jsonl file as ``(row, text, metadata)``; see the module docstring.

    Raises :class:`ExtractError` at call time for whole-file problems.
    """
    suffix = suffix_of(path)
    if suffix not in TABLE_SUFFIXES:
        raise ExtractError(f"not a table file: {suffix or '(no suffix)'} (expected .csv or .jsonl)")
    text, _encoding = decode_bytes(read_nonempty(path))
    if suffix == ".csv":
        rows = _read_csv(path, text, text_column)
    else:
        rows = _read_jsonl(path, normalise_newlines(text), text_column)
    return iter(rows)
