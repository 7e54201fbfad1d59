"""The supervised pool (discourse.pool) and ingest's per-file limits (issue 16): a task past its
deadline, a worker that dies and one that runs out of memory each cost one file, never the batch."""

from __future__ import annotations

import os
import time

from discourse.ingest import ingest
from discourse.pool import Limits, Lost, Supervisor
from discourse.store import Store


def _sleep(s: float) -> str:
    time.sleep(s)
    return f"slept {s}"


def _die() -> str:
    os._exit(3)


def _allocate(mb: int) -> int:
    try:
        return len(bytearray(mb * 1024 * 1024))
    except MemoryError:
        return -1


def test_a_task_past_its_deadline_is_lost_and_the_rest_finish():
    with Supervisor(2, Limits(file_timeout=1.0)) as pool:
        slow = pool.submit(_sleep, 30)
        quick = [pool.submit(_sleep, 0.01) for _ in range(5)]
        t0 = time.monotonic()
        results = dict(pool.results())
    assert time.monotonic() - t0 < 15
    assert isinstance(results[slow], Lost) and results[slow].kind == "timeout"
    assert "timed out after 1 s (--file-timeout)" in results[slow].reason
    assert all(results[q] == "slept 0.01" for q in quick)


def test_a_worker_that_dies_costs_its_task_only():
    with Supervisor(1, Limits(file_timeout=30)) as pool:
        dead = pool.submit(_die)
        after = pool.submit(_sleep, 0)
        results = dict(pool.results())
    assert isinstance(results[dead], Lost) and results[dead].reason == "worker died (exit code 3)"
    assert results[after] == "slept 0"


def test_the_worker_memory_cap_turns_a_huge_allocation_into_memory_error():
    with Supervisor(1, Limits(worker_memory_mb=2048)) as pool:
        huge = pool.submit(_allocate, 4096)
        small = pool.submit(_allocate, 10)
        results = dict(pool.results())
    assert results[huge] == -1 and results[small] == 10 * 1024 * 1024


def test_ingest_limits_fail_one_file_each_and_the_batch_goes_on(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text("Co-production with carers.\n")
    (d / "big.txt").write_text("care " * 300_000)  # 1.5 MB
    with Store.open(str(tmp_path / "s.db")) as store:
        capped = ingest(store, [str(d)], jobs=2, limits=Limits(max_file_mb=1))
        by_key = {os.path.basename(o.key): o for o in capped.outcomes}
        assert by_key["good.txt"].status == "ingested"
        assert by_key["big.txt"].status == "failed"
        assert by_key["big.txt"].reason == "file is 1.4 MB, over the limit of 1 MB (--max-file-mb)"
        timed = ingest(store, [str(d)], jobs=1, limits=Limits(file_timeout=0.2))
        by_key = {os.path.basename(o.key): o for o in timed.outcomes}
        assert by_key["good.txt"].status == "unchanged"
        assert by_key["big.txt"].status == "failed" and "timed out after 0.2 s" in by_key["big.txt"].reason
        assert store.count_documents() == 1
