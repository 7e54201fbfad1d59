"""Write rows as a Rich table, CSV, TSV, JSON or JSON Lines.

Conventions (see README "Output"): a fixed column order with a header even when
there are no rows; UTF-8 with ``\\n`` line endings; a null is an empty field;
text cells never start a spreadsheet formula (a leading ``= + - @``, tab or
carriage return in a *text* value is prefixed with ``'``); numbers stay numbers.

Floats are written with up to 6 decimals (so floating-point noise such as
2.2e-16 prints as 0). The probabilities (:data:`FULL_PRECISION`: p- and
q-values) are written at full (round-trip) precision, e.g.
``9.485737571073843e-15``, so a tiny p is never printed as 0.
"""

from __future__ import annotations

import csv
import json
import math
import sys
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

FORMATS = ("table", "csv", "tsv", "json", "jsonl")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Columns written at full float precision: probabilities that may be tiny.
FULL_PRECISION = frozenset({"p_value", "q_value", "mk_p", "min_p"})


def pick_columns(columns: Sequence[str], spec: str | None, available: Sequence[str] | None = None) -> list[str]:
    """The columns ``--columns`` asks for, in its order.

    ``spec`` is comma-separated names or ``all`` (every column in
    ``available``, which defaults to ``columns``); ``None`` or empty keeps
    ``columns``. An unknown name is a usage error (exit 2) listing the valid ones.
    """
    from ..errors import UsageError

    avail = list(available if available is not None else columns)
    if not spec or not spec.strip():
        return list(columns)
    if spec.strip().lower() == "all":
        return avail
    picked = [c.strip() for c in spec.split(",") if c.strip()]
    unknown = [c for c in picked if c not in avail]
    if unknown or not picked:
        import difflib

        close = difflib.get_close_matches(unknown[0], avail, n=1, cutoff=0.6) if unknown else []
        raise UsageError(
            f"--columns: {', '.join(repr(c) for c in unknown) or 'no column named'} "
            + ("is not a column" if len(unknown) == 1 else "are not columns")
            + " of this output",
            hint=(f"did you mean {close[0]}? " if close else "") + "columns: " + ", ".join(avail) + " (or all)",
        )
    return list(dict.fromkeys(picked))


def select_columns(
    columns: Sequence[str], rows: Iterable[dict[str, Any] | Sequence[Any]], picked: Sequence[str]
) -> Iterable[dict[str, Any]]:
    """``rows`` (dicts, or sequences in ``columns`` order) as dicts holding the ``picked`` columns."""
    index = {c: i for i, c in enumerate(columns)}
    for r in rows:
        if isinstance(r, dict):
            yield {c: r.get(c) for c in picked}
        else:
            seq = list(r)
            yield {c: (seq[index[c]] if c in index and index[c] < len(seq) else None) for c in picked}


def default_format(stream: TextIO | None = None) -> str:
    """``table`` when writing to a terminal, ``csv`` when piped or to a file."""
    stream = stream or sys.stdout
    try:
        return "table" if stream.isatty() else "csv"
    except (AttributeError, ValueError):
        return "csv"


def safe_text(value: str) -> str:
    """Neutralise a text cell that a spreadsheet would read as a formula."""
    if value and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def cell(value: Any, *, neutralise: bool = True, full: bool = False) -> str:
    """One value as a CSV/TSV/table field (``full``: a float at full precision)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return ""
        return repr(value) if full else _fmt_float(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, dict)):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    s = str(value)
    return safe_text(s) if neutralise else s


def _fmt_float(x: float) -> str:
    # Stable and short: up to 6 decimals.
    s = f"{x:.6f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def json_value(value: Any, *, full: bool = False) -> Any:
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, float):
        return value if full else float(_fmt_float(value))
    return value


def write_rows(
    columns: Sequence[str],
    rows: Iterable[dict[str, Any] | Sequence[Any]],
    fmt: str | None = None,
    out: TextIO | None = None,
    *,
    title: str | None = None,
) -> int:
    """Write ``rows`` (dicts or sequences in column order) and return the row count."""
    out = out or sys.stdout
    fmt = fmt or default_format(out)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    n = 0

    def as_list(r):
        if isinstance(r, dict):
            return [r.get(c) for c in columns]
        return list(r)

    full = [c in FULL_PRECISION for c in columns]
    if fmt == "tsv":
        # TSV's own convention (IANA text/tab-separated-values, as R and pandas read it with quoting off):
        # no quotes; a backslash, tab, newline or carriage return in a cell is escaped as \\, \t, \n, \r.
        out.write("\t".join(_tsv(c) for c in columns) + "\n")
        for r in rows:
            out.write("\t".join(_tsv(cell(v, full=f)) for v, f in zip(as_list(r), full, strict=False)) + "\n")
            n += 1
    elif fmt == "csv":
        w = csv.writer(out, delimiter=",", lineterminator="\n")
        w.writerow(columns)
        for r in rows:
            w.writerow([cell(v, full=f) for v, f in zip(as_list(r), full, strict=False)])
            n += 1
    elif fmt == "jsonl":
        for r in rows:
            out.write(json.dumps(_record(columns, as_list(r), full), ensure_ascii=False) + "\n")
            n += 1
    elif fmt == "json":
        items = [_record(columns, as_list(r), full) for r in rows]
        n = len(items)
        out.write(json.dumps(items, ensure_ascii=False, indent=1) + "\n")
    else:
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        # Cells are Text objects, never markup: "[if ...]" or "[full report](url)" in corpus text stays intact.
        # Numbers never wrap mid-digit: a column is folded only when its values are text.
        materialised = [as_list(r) for r in rows]
        table = Table(title=Text(title) if title else None, show_lines=False)
        for i, c in enumerate(columns):
            numeric = all(isinstance(r[i], (int, float)) or r[i] is None for r in materialised if i < len(r))
            table.add_column(Text(c), overflow="fold", no_wrap=numeric, justify="right" if numeric else "left")
        for r in materialised:
            table.add_row(*[Text(cell(v, neutralise=False, full=f)) for v, f in zip(r, full, strict=False)])
            n += 1
        console = Console(file=out, width=None if out.isatty() else 200)
        # Never shrink below the table's minimum (whole numbers, longest word): wider than the
        # terminal is better than a cut cell.
        need = table.__rich_measure__(console, console.options).minimum
        if need > console.width:
            console = Console(file=out, width=need, force_terminal=out.isatty())
        console.print(table)
    out.flush()
    return n


def _record(columns: Sequence[str], values: list[Any], full: list[bool]) -> dict[str, Any]:
    return {c: json_value(v, full=f) for c, v, f in zip(columns, values, full, strict=False)}


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _tsv(value: str) -> str:
    """A TSV field: no quoting; backslash, tab, newline and carriage return escaped."""
    return value.translate(_TSV_ESCAPES)
