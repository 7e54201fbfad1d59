"""The SQL of ``discourse check``: read-only questions about a store's consistency.

Each function answers one question with a count (or the rows of ``PRAGMA
integrity_check``); :mod:`discourse.check` turns the answers into a report.
:func:`open_for_check` opens a store *without* migrating it, so the check sees
the schema version as it is on disk and writes nothing.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import StoreError
from .labels import _MENTION_ID_SQL

if TYPE_CHECKING:
    from . import Store

#: Every table whose rows belong to a document, and the column naming it. A row whose document is
#: gone is an orphan; a new table that refers to documents is one line here.
DOC_REFERENCES: list[tuple[str, str]] = [
    ("texts", "doc_id"),
    ("tokens", "doc_id"),
    ("mention_runs", "doc_id"),
    ("mentions", "doc_id"),
    ("token_index", "doc_id"),
]
#: Tables every document must have a row in (written in the same transaction as the document).
DOC_REQUIRED: list[str] = ["texts", "tokens"]


def open_for_check(path: str) -> Store:
    """Open an existing store as it is: no migration, no pragma that writes."""
    from . import Store

    if not Path(path).is_file():
        raise StoreError(f"{path}: no corpus store here", hint="pass --db, or run `discourse ingest PATH...` first")
    try:
        conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: cannot open corpus store: {exc}") from exc
    conn.row_factory = sqlite3.Row
    return Store(conn, path)


def integrity(store: Store, limit: int = 20) -> list[str]:
    """The rows of ``PRAGMA integrity_check`` (``["ok"]`` for a sound file), at most ``limit``."""
    return [r[0] for r in store.conn.execute(f"PRAGMA integrity_check({int(limit)})")]


def tables(store: Store) -> set[str]:
    """The names of the store's tables."""
    return {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def orphan_rows(store: Store, table: str, column: str) -> int:
    """Rows of ``table`` whose ``column`` names no document (``table``, ``column`` from :data:`DOC_REFERENCES`)."""
    sql = f'SELECT count(*) FROM "{table}" t WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.doc_id = t."{column}")'
    return store.conn.execute(sql).fetchone()[0]


def documents_without(store: Store, table: str) -> int:
    """Documents with no row in ``table`` (one of :data:`DOC_REQUIRED`)."""
    sql = f'SELECT count(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM "{table}" t WHERE t.doc_id = d.doc_id)'
    return store.conn.execute(sql).fetchone()[0]


def documents_without_ledger_row(store: Store) -> int:
    """Documents whose kept source (``documents.path``) has no ledger row naming the document."""
    return store.conn.execute(
        "SELECT count(*) FROM documents d WHERE NOT EXISTS "
        "(SELECT 1 FROM ledger l WHERE l.key = d.path AND l.doc_id = d.doc_id)"
    ).fetchone()[0]


def documents_without_ledger_event(store: Store) -> int:
    """Documents that no event of the ledger history names."""
    return store.conn.execute(
        "SELECT count(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM ledger_events e WHERE e.doc_id = d.doc_id)"
    ).fetchone()[0]


def ledger_rows_to_gone_documents(store: Store) -> int:
    """Current ledger rows that name a document the store no longer has."""
    return store.conn.execute(
        "SELECT count(*) FROM ledger l WHERE l.doc_id IS NOT NULL AND NOT EXISTS "
        "(SELECT 1 FROM documents d WHERE d.doc_id = l.doc_id)"
    ).fetchone()[0]


def labels_without_mention(store: Store) -> int:
    """Labels whose mention (document, span and concept) no current mention has, under any mention key."""
    sql = (
        "WITH l AS (SELECT mention_id, concept, substr(mention_id, 1, instr(mention_id, ':') - 1) AS doc FROM labels), "
        f"cur AS (SELECT DISTINCT {_MENTION_ID_SQL} AS mention_id, m.concept FROM mentions m "
        "WHERE m.doc_id IN (SELECT doc FROM l)) "
        "SELECT count(*) FROM l WHERE NOT EXISTS "
        "(SELECT 1 FROM cur WHERE cur.mention_id = l.mention_id AND cur.concept = l.concept)"
    )
    return store.conn.execute(sql).fetchone()[0]


def count_rows(store: Store, table: str) -> int:
    """Rows in ``table``."""
    return store.conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
