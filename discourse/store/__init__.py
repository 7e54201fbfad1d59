"""The SQLite corpus store: one file, WAL mode, one writer process.

Workers never write: they return results, and the process that opened the
store writes each document (document row, text, tokens and ledger rows) in a
single transaction, so Ctrl-C or ``kill -9`` leaves either the whole document
or none of it.

All SQL lives in this package (here, :mod:`.schema`, :mod:`.query`): the rest of
discourse reads and writes through the named methods of :class:`Store`.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import StoreError
from ..textio import utf8_safe as db_text
from .index import IndexSQL
from .schema import MIGRATIONS, SCHEMA_VERSION

DEFAULT_DB = "discourse.db"

#: The ledger's statuses (the CHECK constraint of the ledger table).
LEDGER_STATUSES = ("ingested", "unchanged", "duplicate", "no-text", "skipped", "failed")
#: The ledger history's statuses: the ledger's, and ``unmatched`` (a manifest row that matched no input).
EVENT_STATUSES = (*LEDGER_STATUSES, "unmatched")

DOC_COLUMNS = [
    "doc_id",
    "path",
    "title",
    "date",
    "year",
    "date_source",
    "source_type",
    "pages",
    "words",
    "ws_words",
    "chars",
    "extractor",
    "extractor_version",
    "ingested_at",
]


def default_db_path() -> str:
    """``$DISCOURSE_DB`` or ``./discourse.db`` (read when called, not at import)."""
    return os.environ.get("DISCOURSE_DB") or DEFAULT_DB


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


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


@dataclass(frozen=True)
class MentionRow:
    """One row of the ``mentions`` table, less its mention key (see :meth:`Store.insert_mentions`)."""

    doc_id: str
    concept: str
    variant: str  # the matched text as written
    start_char: int
    end_char: int
    start_token: int
    end_token: int
    page: int
    sent_start: int  # character offsets of the (capped) sentence
    sent_end: int
    excluded: bool
    exclude_reason: str | None


MENTION_COLUMNS = [f.name for f in dataclasses.fields(MentionRow)]


@dataclass(frozen=True)
class CorpusStats:
    """Corpus totals: ``rows`` by source_type and year, overall totals and ledger status counts."""

    rows: list[dict[str, Any]]
    documents: int
    pages: int
    words: int
    ledger: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        """One line: ``total: N documents, P pages, W words; ledger: n status, ...``."""
        return f"total: {self.documents} documents, {self.pages} pages, {self.words} words; ledger: " + ", ".join(
            f"{v} {k}" for k, v in sorted(self.ledger.items())
        )


class Store:
    """A corpus store. Use :meth:`open`; close with :meth:`close` or ``with``."""

    def __init__(self, conn: sqlite3.Connection, path: str):
        self.conn = conn
        self.path = path

    # -- opening -----------------------------------------------------------
    @classmethod
    def open(cls, path: str | os.PathLike | None = None, *, create: bool = True) -> Store:
        p = str(path or default_db_path())
        if not create and not Path(p).exists():
            raise StoreError(f"{p}: no corpus store here", hint="run `discourse ingest PATH...` first, or pass --db")
        try:
            conn = sqlite3.connect(p, timeout=30, isolation_level=None)
            conn.row_factory = sqlite3.Row
            _enable_wal(conn)
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
                # Re-read under the write lock: another process may have applied this migration since
                # (two first ingests into a new store raced here: "table documents already exists").
                if self.conn.execute("PRAGMA user_version").fetchone()[0] > v:
                    continue
                for stmt in _split_sql(MIGRATIONS[v]):
                    self.conn.execute(stmt)
                self.conn.execute(f"PRAGMA user_version={v + 1}")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def transaction(self):
        return _Tx(self.conn)

    @property
    def index(self) -> IndexSQL:
        """The positional index tables (:mod:`discourse.store.index`)."""
        got = self.__dict__.get("_index")
        if got is None:
            got = self.__dict__["_index"] = IndexSQL(self)
        return got

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    # -- ledger ------------------------------------------------------------
    def ledger_get(self, key: str) -> LedgerRow | None:
        r = self.conn.execute("SELECT * FROM ledger WHERE key=?", (db_text(key),)).fetchone()
        return LedgerRow(**dict(r)) if r else None

    def ledger_rows(self, status: str | None = None) -> Iterator[LedgerRow]:
        """Every ledger row (or those with ``status``), ordered by key."""
        where = "" if status is None else " WHERE status=?"
        params = () if status is None else (status,)
        for r in self.conn.execute(f"SELECT * FROM ledger{where} ORDER BY key", params):
            yield LedgerRow(**dict(r))

    def ledger_put(
        self,
        key: str,
        path: str,
        status: str,
        reason: str | None = None,
        doc_id: str | None = None,
        sha256: str | None = None,
        size: int | None = None,
        extractor_version: str | None = None,
    ) -> None:
        """Set an input's current ledger row, and append the change to its history (``ledger_events``)."""
        values = (
            db_text(key),
            db_text(path),
            status,
            reason and db_text(reason),
            doc_id,
            sha256,
            size,
            extractor_version,
            now_iso(),
        )
        self.conn.execute(
            "INSERT INTO ledger(key,path,status,reason,doc_id,sha256,size,extractor_version,updated_at) "
            "VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT(key) DO UPDATE SET path=excluded.path, "
            "status=excluded.status, reason=excluded.reason, doc_id=excluded.doc_id, sha256=excluded.sha256, "
            "size=excluded.size, extractor_version=excluded.extractor_version, updated_at=excluded.updated_at",
            values,
        )
        self.conn.execute(
            "INSERT INTO ledger_events(key,path,status,reason,doc_id,sha256,size,extractor_version,at) "
            "VALUES (?,?,?,?,?,?,?,?,?)",
            values,
        )

    def ledger_event(self, key: str, path: str, status: str, reason: str | None = None) -> None:
        """Append an event to the ledger history only (``unmatched``: a manifest row that matched no input)."""
        self.conn.execute(
            "INSERT INTO ledger_events(key,path,status,reason,at) VALUES (?,?,?,?,?)",
            (db_text(key), db_text(path), status, reason and db_text(reason), now_iso()),
        )

    def ledger_history(self, status: str | None = None) -> Iterator[dict[str, Any]]:
        """Every ledger event, oldest first (per input, in the order they happened)."""
        where = "" if status is None else " WHERE status=?"
        params = () if status is None else (status,)
        sql = f"SELECT key, path, status, reason, doc_id, sha256, size, at FROM ledger_events{where} ORDER BY event_id"
        for r in self.conn.execute(sql, params):
            yield dict(r)

    def ledger_keys_for_doc(self, doc_id: str, exclude_key: str) -> list[str]:
        """Ledger keys that yield ``doc_id``, other than ``exclude_key``, ordered by key."""
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT key FROM ledger WHERE doc_id=? AND key<>? ORDER BY key", (doc_id, exclude_key)
            )
        ]

    def ledger_status_counts(self) -> dict[str, int]:
        """Ledger rows per status."""
        return {r[0]: r[1] for r in self.conn.execute("SELECT status, count(*) FROM ledger GROUP BY status")}

    # -- documents -----------------------------------------------------------
    def doc_path(self, doc_id: str) -> str | None:
        r = self.conn.execute("SELECT path FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
        return r[0] if r else None

    def insert_document(
        self, row: dict[str, Any], text: str, page_starts: list[int], nlp: str, n_tokens: int, docbin: bytes
    ) -> None:
        cols = list(row)
        self.conn.execute(
            f"INSERT INTO documents({','.join(cols)}) VALUES ({','.join('?' * len(cols))})",
            [_db_value(row[c]) for c in cols],
        )
        self.conn.execute(
            "INSERT INTO texts(doc_id,text,page_starts) VALUES (?,?,?)", (row["doc_id"], text, json.dumps(page_starts))
        )
        self.conn.execute(
            "INSERT INTO tokens(doc_id,nlp,n_tokens,docbin) VALUES (?,?,?,?)", (row["doc_id"], nlp, n_tokens, docbin)
        )

    def update_document(self, doc_id: str, fields: dict[str, Any]) -> None:
        if not fields:
            return
        sets = ",".join(f"{k}=?" for k in fields)
        self.conn.execute(
            f"UPDATE documents SET {sets} WHERE doc_id=?", [_db_value(v) for v in fields.values()] + [doc_id]
        )

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

    def distinct_values(self, key: str, columns: set[str]) -> list[str]:
        """The distinct non-empty values of a document column (``key`` in ``columns``) or metadata key, sorted."""
        if key in columns:
            sql = f"SELECT DISTINCT CAST({key} AS TEXT) FROM documents WHERE {key} IS NOT NULL"
            rows = self.conn.execute(sql)
        else:
            rows = self.conn.execute(
                "SELECT DISTINCT CAST(json_extract(metadata, ?) AS TEXT) FROM documents "
                "WHERE json_extract(metadata, ?) IS NOT NULL",
                (f'$."{key}"', f'$."{key}"'),
            )
        return sorted(r[0] for r in rows if r[0] not in (None, ""))

    def metadata_keys(self) -> set[str]:
        """Every key used in any document's metadata (manifest or front-matter columns)."""
        return {
            r[0] for r in self.conn.execute("SELECT DISTINCT j.key FROM documents, json_each(documents.metadata) AS j")
        }

    def corpus_stats(self) -> CorpusStats:
        """Documents, pages and words by source_type and year, the totals and the ledger counts."""
        rows = [
            dict(r)
            for r in self.conn.execute(
                "SELECT source_type, year, count(*) AS docs, sum(pages) AS pages, sum(words) AS words, "
                "sum(ws_words) AS ws_words FROM documents GROUP BY source_type, year "
                "ORDER BY source_type IS NULL, source_type, year IS NULL, year"
            )
        ]
        tot = self.conn.execute(
            "SELECT count(*), coalesce(sum(pages),0), coalesce(sum(words),0) FROM documents"
        ).fetchone()
        return CorpusStats(rows, tot[0], tot[1], tot[2], self.ledger_status_counts())

    # -- mentions ------------------------------------------------------------
    # A mention key is a lexicon content hash, or a hash of it and a spaCy
    # model (discourse.annotate.mention_key). Writers call these inside
    # their own transaction().
    def register_lexicon(self, key: str, name: str | None, version: str | None, path: str | None, content: str) -> None:
        """Record what ``key`` stands for (kept from the first registration)."""
        self.conn.execute(
            "INSERT OR IGNORE INTO lexicons(mention_key,name,version,path,content,created_at) VALUES (?,?,?,?,?,?)",
            (key, name, version, path, content, now_iso()),
        )

    def unmatched_documents(self, key: str) -> list[str]:
        """doc_ids with no mention run under ``key``, in doc_id order."""
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT doc_id FROM documents WHERE doc_id NOT IN "
                "(SELECT doc_id FROM mention_runs WHERE mention_key=?) ORDER BY doc_id",
                (key,),
            )
        ]

    def insert_mentions(self, key: str, rows: Iterable[MentionRow]) -> None:
        cols = ",".join(MENTION_COLUMNS)
        values = ",".join(f":{c}" for c in MENTION_COLUMNS)
        self.conn.executemany(
            f"INSERT INTO mentions(mention_key,{cols}) VALUES (:key,{values})",
            ({"key": key, **{c: getattr(r, c) for c in MENTION_COLUMNS}, "excluded": int(r.excluded)} for r in rows),
        )

    def record_mention_runs(self, key: str, counts: Iterable[tuple[str, int]]) -> None:
        """Mark each (doc_id, number of mentions) as matched under ``key``."""
        self.conn.executemany(
            "INSERT OR REPLACE INTO mention_runs(mention_key,doc_id,n) VALUES (?,?,?)",
            ((key, doc_id, n) for doc_id, n in counts),
        )

    def mention_counts(self, key: str) -> Iterator[tuple[str, str, int]]:
        """(doc_id, concept, n) of kept (not excluded) mentions under ``key``."""
        for r in self.conn.execute(
            "SELECT doc_id, concept, count(*) FROM mentions WHERE mention_key=? AND excluded=0 "
            "GROUP BY doc_id, concept ORDER BY doc_id, concept",
            (key,),
        ):
            yield r[0], r[1], r[2]

    def kept_mentions(self, key: str) -> Iterator[tuple[str, str, int, int, str, int, int]]:
        """Kept mentions under ``key`` as (doc_id, concept, start_token, end_token, variant,
        start_char, end_char), ordered by doc_id and start_char."""
        for r in self.conn.execute(
            "SELECT doc_id, concept, start_token, end_token, variant, start_char, end_char FROM mentions "
            "WHERE mention_key=? AND excluded=0 ORDER BY doc_id, start_char",
            (key,),
        ):
            yield r[0], r[1], r[2], r[3], r[4], r[5], r[6]

    def attested_variants(self, key: str) -> Iterator[tuple[str, str, bool, str]]:
        """Every mention under ``key`` as (concept, variant as written, excluded, doc_id)."""
        for r in self.conn.execute(
            "SELECT concept, variant, excluded, doc_id FROM mentions WHERE mention_key=?", (key,)
        ):
            yield r[0], r[1], bool(r[2]), r[3]

    def kwic_rows(
        self, key: str, concept: str, cond: str = "1=1", params: Iterable[Any] = (), include_excluded: bool = False
    ) -> list[dict[str, Any]]:
        """Mentions of ``concept`` under ``key`` in the documents selected by ``cond`` (SQL on the
        documents table, aliased ``d``; see :func:`discourse.store.query.doc_where`), each with
        its document's title, date, year, source_type and path, ordered by path and offset."""
        sql = (
            "SELECT m.doc_id, m.concept, m.variant, m.start_char, m.end_char, m.page, m.excluded, "
            "m.exclude_reason, d.title, d.date, d.year, d.source_type, d.path FROM mentions m "
            "JOIN documents d ON d.doc_id = m.doc_id WHERE m.mention_key=? AND m.concept=? "
            + ("" if include_excluded else "AND m.excluded=0 ")
            + f"AND {cond} ORDER BY d.path, m.start_char"
        )
        return [dict(r) for r in self.conn.execute(sql, [key, concept, *params])]

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
    if isinstance(v, str):
        return db_text(v)
    return v


def _split_sql(script: str) -> list[str]:
    """Split a migration script into statements (comments dropped; no ';' in literals)."""
    import re

    script = re.sub(r"--[^\n]*", "", script)
    return [s.strip() for s in script.split(";") if s.strip()]


def _enable_wal(conn: sqlite3.Connection, wait: float = 30.0) -> None:
    """``PRAGMA journal_mode=WAL``, retried while another process holds the lock.

    Switching a new file to WAL upgrades a shared lock to an exclusive one, and
    SQLite returns SQLITE_BUSY at once, without calling the busy handler, when
    another connection is mid-upgrade too (its deadlock rule). Three processes
    creating one store under load hit this; retrying after the lock is dropped
    is the documented remedy.
    """
    deadline = time.monotonic() + wait
    delay = 0.01
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if ("locked" not in str(exc) and "busy" not in str(exc)) or time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.5)


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
