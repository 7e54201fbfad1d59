"""One ingest at a time per store: an advisory lock on a file beside it.

SQLite keeps each transaction whole whatever runs at once; this lock keeps two
ingests into one store from doing the same work twice and writing each
document's history twice. The second ingest waits for the first and then
finds its finished files ``unchanged``. The lock is ``flock`` on
``<store>.ingest-lock``, so the kernel releases it when its holder exits, even by
``kill -9``: a lock is never left stale. Where ``flock`` or the lock file is not
available the ingest runs unlocked (SQLite still keeps the store sound).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from . import Store

LOCK_SUFFIX = ".ingest-lock"


def lock_path(db_path: str) -> str | None:
    """The lock file of the store at ``db_path`` (``None`` for an in-memory or URI store)."""
    if db_path in ("", ":memory:") or db_path.startswith("file:"):
        return None
    return db_path + LOCK_SUFFIX


@contextmanager
def ingest_lock(db_path: str, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the store's ingest lock; if another process holds it, call ``on_wait(message)`` and wait."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    path = lock_path(db_path)
    fd = None
    if path is not None:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            fd = None
    if fd is None:
        yield
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait(f"{db_path}: another ingest{_holder(fd)} is writing to this store; waiting for it to finish")
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def _holder(fd: int) -> str:
    """`` (pid N)`` from the lock file, or nothing."""
    try:
        pid = os.pread(fd, 32, 0).decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return f" (pid {pid})" if pid.isdigit() else ""


@contextmanager
def snapshot(store: Store) -> Iterator[None]:
    """Read inside one transaction: every query sees the store as it was at the first, whatever
    an ingest commits meanwhile (WAL readers never wait for the writer). Read only: no write inside."""
    store.conn.execute("BEGIN DEFERRED")
    try:
        yield
    finally:
        store.conn.execute("COMMIT")
