"""Ingest's work on a Dask cluster: the same calls as :class:`discourse.pool.Supervisor`, run by Dask
workers on this machine (``local:N``), a workstation or a cluster (``tcp://HOST:PORT``).

What moves: the client (the ingest process, the single writer of the store) submits calls that name
*paths* (a file, or a PDF and its page range); workers read the files from a filesystem they share
with the client, build their own spaCy pipeline once per process (``ingest._nlp`` caches it), and
return the prepared document. Only results cross the network; the store never leaves the client.

Limits, as locally:

* a call in flight longer than ``Limits.file_timeout`` is cancelled, its worker restarted through its
  nanny, and the call comes back as :class:`~discourse.pool.Lost` (``timeout``). At most one call per
  worker thread is in flight, so a call's time in flight is its running time, not its queueing time;
* a worker that dies (its nanny's memory limit, a crash) fails its call: Dask's ``KilledWorker``
  comes back as :class:`~discourse.pool.Lost` (``died``), and the batch goes on;
* ``local:N`` starts ``N`` single-threaded worker processes with ``Limits.worker_memory_mb`` each.

``distributed`` is imported only here, and only when a scheduler is named (``pip install
'discourse[dask]'``).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

from .errors import UsageError
from .pool import Limits, Lost

#: The environment variable naming a scheduler when ``--scheduler`` is not given.
SCHEDULER_ENV = "DISCOURSE_SCHEDULER"


def scheduler_from(option: str | None) -> str | None:
    """The scheduler to use: the option, else ``$DISCOURSE_SCHEDULER``, else None (the local pool)."""
    value = option if option is not None else os.environ.get(SCHEDULER_ENV)
    value = (value or "").strip()
    if not value or value == "processes":
        return None
    if value.startswith("local:"):
        n = value.partition(":")[2]
        if not n.isdigit() or int(n) < 1:
            raise UsageError(f"--scheduler {value!r}: 'local:N' takes a number of workers, e.g. local:2")
    elif "://" not in value:
        raise UsageError(
            f"--scheduler {value!r}: expected 'local:N', a scheduler address such as 'tcp://host:8786', or 'processes'"
        )
    return value


def _client(scheduler: str, limits: Limits):
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise UsageError(f"--scheduler {scheduler}: Dask is not installed (pip install 'discourse[dask]')") from None
    if scheduler.startswith("local:"):
        import dask

        # A call whose worker dies is a failed file at once, as in the local pool: not retried on
        # other workers (Dask's default, 3 tries, lets one hostile file kill several workers).
        dask.config.set({"distributed.scheduler.allowed-failures": 0})
        n = int(scheduler.partition(":")[2])
        memory = f"{limits.worker_memory_mb}MiB" if limits.worker_memory_mb else None
        cluster = LocalCluster(
            n_workers=n,
            threads_per_worker=1,
            processes=True,
            memory_limit=memory,
            dashboard_address=None,
            silence_logs=40,  # logging.ERROR: the CLI's stderr is for one-line messages
        )
        return Client(cluster), cluster
    return Client(scheduler, timeout=30), None


class DaskSupervisor:
    """:class:`discourse.pool.Supervisor`'s interface over a Dask client (see the module docstring)."""

    def __init__(self, scheduler: str, limits: Limits = Limits()) -> None:
        self.limits = limits
        self.client, self._cluster = _client(scheduler, limits)
        self._queue: deque[tuple[int, Callable, tuple]] = deque()
        self._inflight: dict[Any, tuple[int, float]] = {}  # future -> (ticket, started)
        self._next = 0

    def __enter__(self) -> DaskSupervisor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.client.close()
        if self._cluster is not None:
            with contextlib.suppress(Exception):
                self._cluster.close()

    def submit(self, fn: Callable, *args: Any) -> int:
        ticket = self._next
        self._next += 1
        self._queue.append((ticket, fn, args))
        return ticket

    def _slots(self) -> int:
        threads = self.client.nthreads()
        return max(1, sum(threads.values()))

    def _dispatch(self) -> None:
        slots = self._slots()
        while self._queue and len(self._inflight) < slots:
            ticket, fn, args = self._queue.popleft()
            fut = self.client.submit(fn, *args, pure=False, retries=0)
            self._inflight[fut] = (ticket, time.monotonic())

    def results(self) -> Iterator[tuple[int, Any]]:
        """Yield ``(ticket, result)`` until every submitted call has finished."""
        from distributed import wait

        timeout = self.limits.file_timeout
        while True:
            self._dispatch()
            if not self._inflight:
                return
            now = time.monotonic()
            budget = 5.0 if not timeout else max(0.05, min(s + timeout for _, s in self._inflight.values()) - now)
            try:
                done, _ = wait(list(self._inflight), timeout=min(budget, 5.0), return_when="FIRST_COMPLETED")
            except TimeoutError:
                done = set()
            for fut in done:
                ticket, _ = self._inflight.pop(fut)
                yield ticket, self._outcome(fut)
            if timeout:
                yield from self._overdue(timeout)

    def _outcome(self, fut: Any) -> Any:
        if fut.status == "finished":
            return fut.result()
        exc = fut.exception()
        name = type(exc).__name__
        if name == "KilledWorker":
            return Lost("died", "worker died (killed by its nanny: over --worker-memory-mb, or a crash)")
        return Lost("died", f"{name}: {exc}".splitlines()[0][:300])

    def _overdue(self, timeout: float) -> Iterator[tuple[int, Any]]:
        now = time.monotonic()
        late = [f for f, (_, started) in self._inflight.items() if now - started >= timeout and not f.done()]
        if not late:
            return
        keys = {f.key for f in late}
        workers = [w for w, ks in self.client.processing().items() if keys.intersection(ks)]
        for f in late:
            ticket, _ = self._inflight.pop(f)
            f.cancel()
            yield ticket, Lost("timeout", f"timed out after {timeout:g} s (--file-timeout)")
        if workers:  # a running task cannot be interrupted: its worker is restarted by its nanny
            with contextlib.suppress(Exception):
                self.client.restart_workers(workers, raise_for_error=False)
