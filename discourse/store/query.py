"""Document filters shared by every command that selects documents."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ..errors import UsageError

# Document columns a filter can name directly; anything else is a metadata key.
DOC_FILTER_COLUMNS = {
    "doc_id",
    "path",
    "title",
    "date",
    "year",
    "date_source",
    "source_type",
    "extractor",
    "pages",
    "words",
    "ws_words",
}
_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")


_OP = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_.\-]*)\s*(!=|~|=)(.*)$", re.S)


def parse_where(items: Iterable[str] | None) -> list[tuple[str, str, str]]:
    """``KEY=VALUE``, ``KEY!=VALUE`` or ``KEY~TEXT`` strings -> ``(key, op, value)``; else a usage error."""
    out = []
    for item in items or []:
        m = _OP.match(item)
        if not m:
            raise UsageError(
                f"--where {item!r}: expected KEY=VALUE, KEY!=VALUE or KEY~TEXT",
                hint="e.g. --where source_type=lay or --where title~budget",
            )
        out.append((m.group(1), m.group(2), m.group(3)))
    return out


def doc_where(
    where: Iterable[str] | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    alias: str = "documents",
) -> tuple[str, list[Any]]:
    """SQL condition and parameters selecting documents.

    ``--where`` names a document column or, for any other key, a field of the
    document's metadata (manifest or front-matter columns):

    - ``KEY=VALUE``: equal (as text); ``KEY~TEXT``: contains TEXT, ignoring case;
    - ``KEY!=VALUE``: not equal; a document without the key counts as not equal.

    For one key, the ``=`` and ``~`` conditions are OR-ed and each ``!=``
    is AND-ed; conditions on different keys are AND-ed.
    """
    groups: dict[str, list[tuple[str, str]]] = {}
    for key, op, value in parse_where(where):
        groups.setdefault(key, []).append((op, value))
    conds: list[str] = []
    params: list[Any] = []
    for key, items in groups.items():
        ors: list[str] = []
        or_params: list[Any] = []
        for op, v in items:
            cond, ps = _condition(key, op, v, alias)
            if op == "!=":
                conds.append(cond)
                params.extend(ps)
            else:
                ors.append(cond)
                or_params.extend(ps)
        if ors:
            conds.append("(" + " OR ".join(ors) + ")")
            params.extend(or_params)
    if year_from is not None:
        conds.append(f"{alias}.year >= ?")
        params.append(year_from)
    if year_to is not None:
        conds.append(f"{alias}.year <= ?")
        params.append(year_to)
    return (" AND ".join(conds) or "1=1"), params


def _condition(key: str, op: str, value: str, alias: str) -> tuple[str, list[Any]]:
    if key in DOC_FILTER_COLUMNS:
        col, ps = f"CAST({alias}.{key} AS TEXT)", []
    else:
        col, ps = f"CAST(json_extract({alias}.metadata, ?) AS TEXT)", [f'$."{key}"']
    if op == "=":
        return f"{col} = ?", [*ps, value]
    if op == "~":
        return f"instr(lower({col}), lower(?)) > 0", [*ps, value]
    return f"({col} IS NULL OR {col} != ?)", [*ps, *ps, value]


def check_where(store: Any, where: Iterable[str] | None) -> list[str]:
    """Validate ``--where`` against the store: an unknown key is a usage error; return notes.

    The error lists the valid keys (document columns and metadata keys) with a
    "did you mean" for a case or spelling slip. A value that matches no
    document gets a note listing the values that exist (the first 12), again
    with a "did you mean".
    """
    import difflib

    triples = parse_where(where)
    if not triples:
        return []
    keys = set(DOC_FILTER_COLUMNS) | store.metadata_keys()
    notes: list[str] = []
    for key, op, value in triples:
        if key not in keys:
            close = difflib.get_close_matches(key.lower(), sorted(keys), n=1, cutoff=0.6)
            hint = (f"did you mean {close[0]}? " if close else "") + "keys: " + ", ".join(sorted(keys))
            raise UsageError(f"--where {key}={value}: {key!r} is not a document column or metadata key", hint=hint)
        values = store.distinct_values(key, DOC_FILTER_COLUMNS)
        if op == "~" and not any(value.lower() in v.lower() for v in values):
            notes.append(f"--where {key}~{value} matches no document (no value of {key} contains it)")
        if op == "=" and value not in values:
            close = (
                difflib.get_close_matches(value, values, n=1, cutoff=0.6)
                or [v for v in values if v.lower() == value.lower()][:1]
            )
            shown = ", ".join(values[:12]) + (", ..." if len(values) > 12 else "")
            notes.append(
                f"--where {key}={value} matches no document"
                + (f" (did you mean {close[0]!r}?)" if close else "")
                + f"; values of {key}: {shown or 'none'}"
            )
    return notes


def doc_ref_where(ref: str) -> tuple[str, list[Any]]:
    """SQL condition (on ``documents``) for the documents ``ref`` may name.

    ``ref`` is a doc_id, a prefix of one, the stored path, or a ledger key
    (an input path whose text is that document).
    """
    prefix = ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return (
        "(doc_id = ? OR doc_id LIKE ? ESCAPE '\\' OR path = ? "
        "OR doc_id IN (SELECT doc_id FROM ledger WHERE key = ? AND doc_id IS NOT NULL))",
        [ref, prefix, ref, ref],
    )
