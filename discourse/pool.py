"""A supervised process pool: every task has a deadline, and a worker that overruns it, runs out of
memory or dies is replaced while the batch goes on.

``concurrent.futures.ProcessPoolExecutor`` cannot stop one task: a file that hangs pdfminer (a
self-referencing page tree, a 5,000-page PDF) held the whole ingest, and a worker killed by the
kernel broke the pool for every file behind it. Here each worker is a plain process with its own
pipe, and the parent (the single writer of the store) waits on the pipes and the process sentinels
with a timeout:

* a result arrives: it is handed back with its ticket;
* a deadline passes: the worker is SIGKILLed, its task comes back as :class:`Lost` (``timeout``),
  and a fresh worker takes its place;
* a worker exits (killed by the kernel, a segfault in a C extension): its task comes back as
  :class:`Lost` (``died``), and a fresh worker takes its place.

Each worker caps its own address space (``RLIMIT_AS``, :attr:`Limits.worker_memory_mb`), so an
allocation past the cap raises ``MemoryError`` inside the task (reported by the task's own guard),
instead of the machine swapping. Workers die with their parent (the initializer's job: see
``ingest._init_worker``).
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

#: Defaults, documented in the README ("Limits"). A 50 MB text ingests under them.
FILE_TIMEOUT_S = 600.0
MAX_FILE_MB = 256.0
WORKER_MEMORY_MB = 6144


@dataclass(frozen=True)
class Limits:
    """Per-file limits of ingest. ``None`` (or 0) switches one off."""

    file_timeout: float | None = FILE_TIMEOUT_S  # seconds one task may run
    max_file_mb: float | None = MAX_FILE_MB  # inputs larger than this are not read
    worker_memory_mb: int | None = WORKER_MEMORY_MB  # address-space cap of each worker

    def too_big(self, size: int) -> str | None:
        """The failure reason for a file of ``size`` bytes, or None."""
        if self.max_file_mb and size > self.max_file_mb * 1024 * 1024:
            return f"file is {size / 1048576:,.1f} MB, over the limit of {self.max_file_mb:g} MB (--max-file-mb)"
        return None


@dataclass(frozen=True)
class Lost:
    """A task whose worker did not answer: ``kind`` is ``timeout`` or ``died``; ``reason`` is one line."""

    kind: str
    reason: str


def _cap_memory(mb: int | None) -> None:  # pragma: no cover - runs in child processes
    if not mb:
        return
    try:
        import resource

        limit = int(mb) * 1024 * 1024
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):
        pass


def _worker_main(
    conn: Connection, memory_mb: int | None, init: Callable | None, initargs: tuple, err_path: str
) -> None:  # pragma: no cover - runs in child processes
    # The worker's own stderr goes to a file: what a dying interpreter prints ("Fatal Python error:
    # ... MemoryErrors") becomes the reason of its file's failure, not a stray line in the CLI's output.
    fd = os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 2)
    os.close(fd)
    _cap_memory(memory_mb)
    if init is not None:
        init(*initargs)
    conn.send(_READY)  # the first task's deadline starts now, not while spaCy loads
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        ticket, fn, args = msg
        try:
            result = fn(*args)
        except MemoryError:
            result = Lost("died", "out of memory")
        except BaseException as exc:  # the task's own guard should have caught it
            result = Lost("died", f"{type(exc).__name__}: {exc}".splitlines()[0][:300])
        try:
            conn.send((ticket, result))
        except MemoryError:
            conn.send((ticket, Lost("died", "out of memory sending the result")))


_READY = "ready"
#: A worker that has not finished its initializer (loading spaCy) after this long is replaced.
INIT_TIMEOUT_S = 300.0


class _Worker:
    def __init__(self, ctx: Any, memory_mb: int | None, init: Callable | None, initargs: tuple) -> None:
        import tempfile

        self.conn, child = ctx.Pipe(duplex=True)
        fd, self.err_path = tempfile.mkstemp(prefix="discourse-worker-", suffix=".err")
        os.close(fd)
        args = (child, memory_mb, init, initargs, self.err_path)
        self.proc = ctx.Process(target=_worker_main, args=args, daemon=True)
        self.proc.start()
        child.close()
        self.ticket: int | None = None
        self.ready = False
        self.deadline = time.monotonic() + INIT_TIMEOUT_S

    def kill(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()
        self.forget()

    def last_words(self) -> str:
        """The last line the worker wrote to its stderr, if any."""
        try:
            with open(self.err_path, "rb") as fh:
                fh.seek(0, os.SEEK_END)
                fh.seek(max(0, fh.tell() - 2000))
                lines = [ln.strip() for ln in fh.read().decode("utf-8", "replace").splitlines() if ln.strip()]
        except OSError:
            return ""
        return lines[-1][:200] if lines else ""

    def forget(self) -> None:
        with contextlib.suppress(OSError):
            os.unlink(self.err_path)


class Supervisor:
    """``jobs`` worker processes running submitted calls, each call within ``limits.file_timeout``.

    Use as a context manager; :meth:`submit` queues a call and returns its ticket, :meth:`results`
    yields ``(ticket, result)`` as calls finish, where a call that overran or whose worker died
    yields a :class:`Lost`. Calls and results must be picklable.
    """

    def __init__(
        self,
        jobs: int,
        limits: Limits = Limits(),
        initializer: Callable | None = None,
        initargs: tuple = (),
    ) -> None:
        self.jobs = max(1, jobs)
        self.limits = limits
        self._init = initializer
        self._initargs = initargs
        self._ctx = mp.get_context("fork") if hasattr(os, "fork") else mp.get_context()
        self._queue: deque[tuple[int, Callable, tuple]] = deque()
        self._workers: list[_Worker] = []
        self._next = 0

    def __enter__(self) -> Supervisor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for w in self._workers:
            if w.ticket is None:
                with contextlib.suppress(OSError):
                    w.conn.send(None)
        for w in self._workers:
            if w.ticket is not None:
                w.kill()
            else:
                w.proc.join(5)
                if w.proc.is_alive():
                    w.kill()
                w.forget()
        self._workers.clear()

    def submit(self, fn: Callable, *args: Any) -> int:
        ticket = self._next
        self._next += 1
        self._queue.append((ticket, fn, args))
        return ticket

    @property
    def pending(self) -> int:
        return len(self._queue) + sum(1 for w in self._workers if w.ticket is not None)

    def _spawn(self) -> _Worker:
        w = _Worker(self._ctx, self.limits.worker_memory_mb, self._init, self._initargs)
        self._workers.append(w)
        return w

    def _dispatch(self) -> None:
        while self._queue:
            idle = next((w for w in self._workers if w.ticket is None), None)
            if idle is None:
                if len(self._workers) >= self.jobs:
                    return
                idle = self._spawn()
            ticket, fn, args = self._queue.popleft()
            idle.conn.send((ticket, fn, args))
            idle.ticket = ticket
            if idle.ready:
                self._start_clock(idle)

    def _start_clock(self, w: _Worker) -> None:
        timeout = self.limits.file_timeout
        w.deadline = time.monotonic() + timeout if timeout else float("inf")

    def _replace(self, w: _Worker) -> None:
        w.kill()
        self._workers.remove(w)

    def results(self) -> Iterator[tuple[int, Any]]:
        """Yield ``(ticket, result)`` until every submitted call (including ones submitted while
        iterating) has finished."""
        while True:
            self._dispatch()
            busy = [w for w in self._workers if w.ticket is not None]
            if not busy:
                return
            now = time.monotonic()
            wait_s = max(0.0, min(w.deadline for w in busy) - now)
            handles: list[Any] = [w.conn for w in busy] + [w.proc.sentinel for w in busy]
            ready = wait(handles, timeout=None if wait_s == float("inf") else wait_s)
            for w in busy:
                ticket = w.ticket
                assert ticket is not None
                if w.conn in ready:
                    try:
                        msg = w.conn.recv()
                    except (EOFError, OSError):
                        result = self._death(w)
                        self._replace(w)
                        yield ticket, result
                        continue
                    if msg == _READY:
                        w.ready = True
                        self._start_clock(w)
                        continue
                    w.ticket, w.deadline = None, float("inf")
                    yield msg
                elif w.proc.sentinel in ready:
                    result = self._death(w)
                    self._replace(w)
                    yield ticket, result
                elif time.monotonic() >= w.deadline:
                    self._replace(w)
                    if w.ready:
                        yield (
                            ticket,
                            Lost("timeout", f"timed out after {self.limits.file_timeout:g} s (--file-timeout)"),
                        )
                    else:
                        yield ticket, Lost("died", f"worker did not start within {INIT_TIMEOUT_S:g} s")

    def _death(self, w: _Worker) -> Lost:
        w.proc.join(1)
        code = w.proc.exitcode
        how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit code {code}"
        words = w.last_words()
        hint = " (out of memory?)" if code in (-9, None) or code == 137 or "Memory" in words else ""
        return Lost("died", f"worker died ({how}){hint}" + (f": {words}" if words else ""))
