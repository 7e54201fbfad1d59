"""Queries for the HTML report and the exports (QDPX, tables): label tallies, mentions, metadata updates.

All the SQL those features need lives here (SQL lives only in ``discourse/store``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import Store


def label_counts(store: Store) -> dict[str, dict[str, int]]:
    """concept -> {yes, no, unsure: n} over every stored label (all coders)."""
    out: dict[str, dict[str, int]] = {}
    for concept, label, n in store.conn.execute(
        "SELECT concept, label, count(*) FROM labels GROUP BY concept, label ORDER BY concept, label"
    ):
        out.setdefault(concept, {"yes": 0, "no": 0, "unsure": 0})[label] = n
    return out


def all_mentions(store: Store, key: str, doc_ids: list[str] | None = None) -> Iterator[dict[str, Any]]:
    """Every mention stored under ``key`` (kept and excluded), in document and text order."""
    sql = (
        "SELECT doc_id, concept, variant, start_char, end_char, start_token, end_token, page, "
        "sent_start, sent_end, excluded, exclude_reason FROM mentions WHERE mention_key = ?"
    )
    params: list[Any] = [key]
    if doc_ids is not None:
        sql += " AND doc_id IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(sorted(doc_ids)))
    for r in store.conn.execute(sql + " ORDER BY doc_id, start_char, end_char, concept", params):
        d = dict(r)
        d["excluded"] = bool(d["excluded"])
        yield d


def set_metadata_values(store: Store, column: str, values: dict[str, str | None]) -> int:
    """Set metadata ``column`` of each document in ``values`` (doc_id -> value; None removes it).

    One transaction; other metadata keys are left as they are. Returns the documents changed.
    """
    n = 0
    with store.transaction():
        for doc_id, value in values.items():
            row = store.conn.execute("SELECT metadata FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
            if row is None:
                continue
            meta = json.loads(row[0] or "{}")
            if value is None:
                if column not in meta:
                    continue
                meta.pop(column)
            elif meta.get(column) == value:
                continue
            else:
                meta[column] = value
            store.conn.execute(
                "UPDATE documents SET metadata = ? WHERE doc_id = ?",
                (json.dumps(meta, ensure_ascii=False, sort_keys=True), doc_id),
            )
            n += 1
    return n
