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
