"""``discourse check``: is the store sound?

One :class:`Finding` per check, each ``ok``, ``warn`` or ``FAIL`` with a count:

* **integrity**: SQLite's ``PRAGMA integrity_check`` of the file.
* **schema**: the store's version against this discourse's (older: a warning, since any command
  upgrades it in place; newer: a failure).
* **orphans**: rows of a table that belongs to documents (texts, tokens, mention runs, mentions,
  ... see :data:`discourse.store.check.DOC_REFERENCES`) whose document is gone.
* **missing**: documents without their text or tokens.
* **ledger**: every document has a current ledger row and a ledger event naming it; no current
  ledger row names a document that is gone.
* **index**: the postings (word -> positions) are as current as the token index; stale ones (an
  interrupted ingest) are a warning, since the next command that reads the index rebuilds them.
* **labels**: labels whose mention no longer exists. A warning, not a failure: labels outlive
  re-matching and lexicon edits on purpose, and join a mention again if it comes back.

The check reads only: it opens the store without migrating it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from .store import Store
from .store import check as q
from .store.lock import snapshot
from .store.schema import SCHEMA_VERSION

OK, WARN, FAIL, SKIP = "ok", "warn", "FAIL", "skip"
COLUMNS = ["check", "status", "count", "detail"]


@dataclass(frozen=True)
class Finding:
    """One line of the report."""

    check: str
    status: str  # ok | warn | FAIL | skip
    count: int | None
    detail: str

    def row(self) -> dict[str, object]:
        return {"check": self.check, "status": self.status, "count": self.count, "detail": self.detail}


@dataclass(frozen=True)
class CheckReport:
    path: str
    findings: list[Finding]

    @property
    def failures(self) -> list[Finding]:
        return [f for f in self.findings if f.status == FAIL]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.status == WARN]

    def summary(self) -> str:
        """One line: ``<path>: N checks, F failed, W warnings``."""
        return (
            f"{self.path}: {len(self.findings)} checks, {len(self.failures)} failed, "
            f"{len(self.warnings)} warning{'s' * (len(self.warnings) != 1)}"
        )


def check_store(path: str) -> CheckReport:
    """Run every check on the store at ``path`` (opened as it is, read only)."""
    store = q.open_for_check(path)
    try:
        try:
            with snapshot(store):  # one consistent view, even while an ingest writes
                return CheckReport(path, _run(store))
        except sqlite3.DatabaseError as exc:  # not a database: BEGIN/COMMIT may fail too
            return CheckReport(path, [Finding("integrity", FAIL, None, f"{exc}")])
    finally:
        store.close()


def _run(store: Store) -> list[Finding]:
    try:
        problems = q.integrity(store)
    except sqlite3.DatabaseError as exc:  # not a database at all: nothing else can be read
        return [Finding("integrity", FAIL, None, f"{exc}")]
    out = [
        Finding("integrity", OK, 0, "PRAGMA integrity_check: ok")
        if problems == ["ok"]
        else Finding("integrity", FAIL, len(problems), "; ".join(problems[:3]))
    ]
    out.append(_guard("schema", lambda: _schema(store)))
    have = _guard_tables(store)
    if "documents" not in have:
        out.append(Finding("documents", FAIL, None, "no documents table: not a discourse store"))
        return out
    out.append(
        _guard(
            "documents", lambda: Finding("documents", OK, q.count_rows(store, "documents"), "documents in the store")
        )
    )
    for table, column in q.DOC_REFERENCES:
        out.append(_when(have, table, f"orphans: {table}", partial(_orphans, store, table, column)))
    for table in q.DOC_REQUIRED:
        out.append(_when(have, table, f"missing: {table}", partial(_missing, store, table)))
    out.append(_when(have, "ledger", "ledger: documents", lambda: _ledger_rows(store)))
    out.append(_when(have, "ledger", "ledger: gone documents", lambda: _ledger_gone(store)))
    out.append(_when(have, "ledger_events", "ledger: history", lambda: _ledger_events(store)))
    out.append(_when(have, "index_meta", "index: postings", lambda: _postings(store)))
    out.append(_when(have, "labels", "labels", lambda: _labels(store)))
    return out


def _guard(name: str, fn: Callable[[], Finding]) -> Finding:
    """``fn()``, or a failure naming the SQLite error that stopped it (a damaged file)."""
    try:
        return fn()
    except sqlite3.DatabaseError as exc:
        return Finding(name, FAIL, None, f"cannot read: {exc}")


def _guard_tables(store: Store) -> set[str]:
    try:
        return q.tables(store)
    except sqlite3.DatabaseError:
        return set()


def _when(have: set[str], table: str, name: str, fn: Callable[[], Finding]) -> Finding:
    if table not in have:
        return Finding(name, SKIP, None, f"no {table} table in this schema")
    return _guard(name, fn)


def _count(name: str, n: int, bad: str, good: str, status: str = FAIL) -> Finding:
    return Finding(name, OK if n == 0 else status, n, good if n == 0 else bad)


def _schema(store: Store) -> Finding:
    v = store.schema_version
    if v == SCHEMA_VERSION:
        return Finding("schema", OK, v, f"version {v}, as this discourse expects")
    if v < SCHEMA_VERSION:
        return Finding(
            "schema", WARN, v, f"version {v}, older than this discourse's {SCHEMA_VERSION}: any command upgrades it"
        )
    return Finding("schema", FAIL, v, f"version {v}, newer than this discourse's {SCHEMA_VERSION}: upgrade discourse")


def _orphans(store: Store, table: str, column: str) -> Finding:
    n = q.orphan_rows(store, table, column)
    return _count(
        f"orphans: {table}", n, f"{n} {table} rows whose document is gone", f"every {table} row has its document"
    )


def _missing(store: Store, table: str) -> Finding:
    n = q.documents_without(store, table)
    return _count(f"missing: {table}", n, f"{n} documents have no {table} row", f"every document has its {table} row")


def _ledger_rows(store: Store) -> Finding:
    n = q.documents_without_ledger_row(store)
    return _count("ledger: documents", n, f"{n} documents have no ledger row", "every document has its ledger row")


def _ledger_gone(store: Store) -> Finding:
    n = q.ledger_rows_to_gone_documents(store)
    return _count(
        "ledger: gone documents",
        n,
        f"{n} ledger rows name a document that is gone",
        "no ledger row names a gone document",
    )


def _ledger_events(store: Store) -> Finding:
    n = q.documents_without_ledger_event(store)
    return _count("ledger: history", n, f"{n} documents have no ledger event", "every document has a ledger event")


def _postings(store: Store) -> Finding:
    if store.index.postings_stale() and q.count_rows(store, "token_index"):
        return Finding(
            "index: postings",
            WARN,
            None,
            "the postings predate the token index (an ingest was interrupted?): the next command that reads "
            "the index rebuilds them",
        )
    return Finding("index: postings", OK, None, "the postings cover every indexed document")


def _labels(store: Store) -> Finding:
    n = q.labels_without_mention(store)
    total = q.count_rows(store, "labels")
    return _count(
        "labels",
        n,
        f"{n} labels whose mention no longer exists (kept on purpose: they join it again if it comes back)",
        f"each of the {total} labels joins a mention" if total else "no labels stored",
        status=WARN,
    )
