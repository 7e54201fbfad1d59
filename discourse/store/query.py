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


def parse_where(items: Iterable[str] | None) -> list[tuple[str, str]]:
    """``KEY=VALUE`` strings -> pairs; a malformed item is a usage error."""
    out = []
    for item in items or []:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not _KEY.match(key):
            raise UsageError(f"--where {item!r}: expected KEY=VALUE", hint="e.g. --where source_type=lay")
        out.append((key, value))
    return out


def doc_where(
    where: Iterable[str] | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    alias: str = "documents",
) -> tuple[str, list[Any]]:
    """SQL condition and parameters selecting documents.

    ``--where KEY=VALUE`` matches a document column or, for any other key, a
    field of the document's metadata (manifest or front-matter columns).
    Several ``--where`` for the same key are OR-ed; different keys are AND-ed.
    """
    groups: dict[str, list[str]] = {}
    for key, value in parse_where(where):
        groups.setdefault(key, []).append(value)
    conds: list[str] = []
    params: list[Any] = []
    for key, values in groups.items():
        if key in DOC_FILTER_COLUMNS:
            col = f"CAST({alias}.{key} AS TEXT)"
        else:
            col = f"CAST(json_extract({alias}.metadata, ?) AS TEXT)"
        ors = []
        for v in values:
            if key not in DOC_FILTER_COLUMNS:
                params.append(f'$."{key}"')
            ors.append(f"{col} = ?")
            params.append(v)
        conds.append("(" + " OR ".join(ors) + ")")
    if year_from is not None:
        conds.append(f"{alias}.year >= ?")
        params.append(year_from)
    if year_to is not None:
        conds.append(f"{alias}.year <= ?")
        params.append(year_to)
    return (" AND ".join(conds) or "1=1"), params


def check_where(store: Any, where: Iterable[str] | None) -> list[str]:
    """Validate ``--where`` against the store: an unknown key is a usage error; return notes.

    The error lists the valid keys (document columns and metadata keys) with a
    "did you mean" for a case or spelling slip. A value that matches no
    document gets a note listing the values that exist (the first 12), again
    with a "did you mean".
    """
    import difflib

    pairs = parse_where(where)
    if not pairs:
        return []
    keys = set(DOC_FILTER_COLUMNS) | store.metadata_keys()
    notes: list[str] = []
    for key, value in pairs:
        if key not in keys:
            close = difflib.get_close_matches(key.lower(), sorted(keys), n=1, cutoff=0.6)
            hint = (f"did you mean {close[0]}? " if close else "") + "keys: " + ", ".join(sorted(keys))
            raise UsageError(f"--where {key}={value}: {key!r} is not a document column or metadata key", hint=hint)
        values = store.distinct_values(key, DOC_FILTER_COLUMNS)
        if value not in values:
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
