"""The SQLite corpus store: one file, WAL mode, one writer process.

Workers never write: they return results, and the process that opened the
store writes each document (document row, text, tokens and ledger rows) in a
single transaction, so Ctrl-C or ``kill -9`` leaves either the whole document
or none of it.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..errors import StoreError
from .schema import MIGRATIONS, SCHEMA_VERSION

DEFAULT_DB = "discourse.db"

DOC_COLUMNS = [
    "doc_id", "path", "title", "date", "year", "date_source", "source_type",
    "pages", "words", "ws_words", "chars", "extractor", "extractor_version", "ingested_at",
]


def default_db_path() -> str:
    """``$DISCOURSE_DB`` or ``./discourse.db`` (read when called, not at import)."""
    return os.environ.get("DISCOURSE_DB") or DEFAULT_DB


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class LedgerRow:
    key: str
    path: str
    status: str
    reason: str | None
    doc_id: str | None
    sha256: str | None
    size: int | None
    extractor_version: str | None
    updated_at: str


class Store:
    """A corpus store. Use :meth:`open`; close with :meth:`close` or ``with``."""

    def __init__(self, conn: sqlite3.Connection, path: str):
        self.conn = conn
        self.path = path

    # -- opening -----------------------------------------------------------
    @classmethod
    def open(cls, path: str | os.PathLike | None = None, *, create: bool = True) -> "Store":
        p = str(path or default_db_path())
        if not create and not Path(p).exists():
            raise StoreError(f"{p}: no corpus store here", hint="run `discourse ingest PATH...` first, or pass --db")
        try:
            conn = sqlite3.connect(p, timeout=30, isolation_level=None)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            store = cls(conn, p)
            store._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{p}: cannot open corpus store: {exc}") from exc
        return store

    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: store schema version {version} is newer than this discourse ({SCHEMA_VERSION})",
                hint="upgrade discourse",
            )
        for v in range(version, SCHEMA_VERSION):
            with self.transaction():
                for stmt in _split_sql(MIGRATIONS[v]):
                    self.conn.execute(stmt)
                self.conn.execute(f"PRAGMA user_version={v + 1}")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def transaction(self):
        return _Tx(self.conn)

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    # -- ledger ------------------------------------------------------------
    def ledger_get(self, key: str) -> LedgerRow | None:
        r = self.conn.execute("SELECT * FROM ledger WHERE key=?", (key,)).fetchone()
        return LedgerRow(**dict(r)) if r else None

    def ledger_rows(self) -> Iterator[LedgerRow]:
        for r in self.conn.execute("SELECT * FROM ledger ORDER BY key"):
            yield LedgerRow(**dict(r))

    def ledger_put(self, key: str, path: str, status: str, reason: str | None = None,
                   doc_id: str | None = None, sha256: str | None = None, size: int | None = None,
                   extractor_version: str | None = None) -> None:
        self.conn.execute(
            "INSERT INTO ledger(key,path,status,reason,doc_id,sha256,size,extractor_version,updated_at) "
            "VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT(key) DO UPDATE SET path=excluded.path, "
            "status=excluded.status, reason=excluded.reason, doc_id=excluded.doc_id, sha256=excluded.sha256, "
            "size=excluded.size, extractor_version=excluded.extractor_version, updated_at=excluded.updated_at",
            (key, path, status, reason, doc_id, sha256, size, extractor_version, now_iso()),
        )

    # -- documents -----------------------------------------------------------
    def doc_path(self, doc_id: str) -> str | None:
        r = self.conn.execute("SELECT path FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
        return r[0] if r else None

    def insert_document(self, row: dict[str, Any], text: str, page_starts: list[int],
                        nlp: str, n_tokens: int, docbin: bytes) -> None:
        cols = list(row)
        self.conn.execute(
            f"INSERT INTO documents({','.join(cols)}) VALUES ({','.join('?' * len(cols))})",
            [_db_value(row[c]) for c in cols],
        )
        self.conn.execute("INSERT INTO texts(doc_id,text,page_starts) VALUES (?,?,?)",
                          (row["doc_id"], text, json.dumps(page_starts)))
        self.conn.execute("INSERT INTO tokens(doc_id,nlp,n_tokens,docbin) VALUES (?,?,?,?)",
                          (row["doc_id"], nlp, n_tokens, docbin))

    def update_document(self, doc_id: str, fields: dict[str, Any]) -> None:
        if not fields:
            return
        sets = ",".join(f"{k}=?" for k in fields)
        self.conn.execute(f"UPDATE documents SET {sets} WHERE doc_id=?",
                          [_db_value(v) for v in fields.values()] + [doc_id])

    def delete_document(self, doc_id: str) -> None:
        self.conn.execute("DELETE FROM documents WHERE doc_id=?", (doc_id,))

    def document(self, doc_id: str) -> dict[str, Any] | None:
        r = self.conn.execute("SELECT * FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
        return _doc_dict(r) if r else None

    def documents(self, where: str = "", params: Iterable[Any] = ()) -> Iterator[dict[str, Any]]:
        sql = "SELECT * FROM documents" + (f" WHERE {where}" if where else "") + " ORDER BY path, doc_id"
        for r in self.conn.execute(sql, tuple(params)):
            yield _doc_dict(r)

    def count_documents(self) -> int:
        return self.conn.execute("SELECT count(*) FROM documents").fetchone()[0]

    def text(self, doc_id: str) -> tuple[str, list[int]]:
        r = self.conn.execute("SELECT text, page_starts FROM texts WHERE doc_id=?", (doc_id,)).fetchone()
        if r is None:
            raise StoreError(f"{self.path}: no text for document {doc_id}")
        return r[0], json.loads(r[1])

    def docbin(self, doc_id: str) -> bytes:
        r = self.conn.execute("SELECT docbin FROM tokens WHERE doc_id=?", (doc_id,)).fetchone()
        if r is None:
            raise StoreError(f"{self.path}: no tokens for document {doc_id}")
        return r[0]

    def fingerprint(self) -> str:
        """A hash of the sorted doc_ids and their metadata: which corpus a report used."""
        import hashlib

        h = hashlib.sha256()
        for r in self.conn.execute(
            "SELECT doc_id, title, date, year, source_type, metadata FROM documents ORDER BY doc_id"
        ):
            h.update(json.dumps(list(r), ensure_ascii=False).encode("utf-8"))
            h.update(b"\n")
        return h.hexdigest()[:16]


def page_of(page_starts: list[int], offset: int) -> int:
    """1-based page number of a character offset, given each page's start offset."""
    import bisect

    return max(1, bisect.bisect_right(page_starts, offset))


def _doc_dict(r: sqlite3.Row) -> dict[str, Any]:
    d = dict(r)
    for k in ("metadata", "raw_meta", "quality"):
        if k in d and isinstance(d[k], str):
            d[k] = json.loads(d[k])
    return d


def _db_value(v: Any) -> Any:
    if isinstance(v, (dict, list)):
        return json.dumps(v, ensure_ascii=False, sort_keys=True)
    return v


def _split_sql(script: str) -> list[str]:
    """Split a migration script into statements (comments dropped; no ';' in literals)."""
    import re

    script = re.sub(r"--[^\n]*", "", script)
    return [s.strip() for s in script.split(";") if s.strip()]


class _Tx:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` (or ``ROLLBACK`` on error)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self):
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.conn.execute("COMMIT")
        else:
            self.conn.execute("ROLLBACK")
        return False
