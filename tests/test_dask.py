"""Ingest on a real Dask LocalCluster (issue 12): documents, ledger, mentions and every report table
are byte-identical to the local process pool's, and a scheduler can be named by option or by
$DISCOURSE_SCHEDULER. The demo corpus has a 21-page PDF, so chunked PDF extraction runs on Dask too."""

from __future__ import annotations

import csv
import io
import sqlite3

import pytest

from .conftest import ROOT, run_cli

pytest.importorskip("distributed", reason="the [dask] extra is part of `make test`'s install")

DEMO = ROOT / "corpora" / "demo"
VOLATILE = {"ingested_at", "updated_at"}


def _table(out: str) -> list[dict]:
    return [{k: v for k, v in row.items() if k not in VOLATILE} for row in csv.DictReader(io.StringIO(out))]


def _snapshot(db, tmp_path, name, env=None):
    docs = run_cli("docs", "--columns", "all", db=db, check=0).stdout
    ledger = run_cli("ledger", db=db, check=0).stdout
    out = tmp_path / name
    run_cli("report", "--all", "--period", "5-year", "-o", out, db=db, env=env, check=0)  # matches, then reports
    tables = {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.name != "run.json"}
    with sqlite3.connect(db) as con:  # every mention, kept and excluded, as stored
        mentions = con.execute("SELECT * FROM mentions ORDER BY doc_id, start_char, end_char, concept").fetchall()
    return _table(docs), _table(ledger), mentions, tables


@pytest.mark.slow
def test_local_cluster_ingest_and_matching_are_byte_identical_to_the_process_pool(tmp_path):
    args = ("ingest", DEMO, "--manifest", DEMO / "MANIFEST.csv")
    run_cli(*args, "--jobs", "2", db=tmp_path / "local.db", check=0)
    dask = run_cli(*args, "--scheduler", "local:2", db=tmp_path / "dask.db", check=0)
    assert "Traceback" not in dask.stderr
    local = _snapshot(tmp_path / "local.db", tmp_path, "local")
    # the report matches the lexicon first: on Dask workers too, through $DISCOURSE_SCHEDULER
    remote = _snapshot(tmp_path / "dask.db", tmp_path, "dask", env={"DISCOURSE_SCHEDULER": "local:2"})
    assert len(local[0]) == 17 and local[0] == remote[0]  # documents, every metadata column
    assert local[1] == remote[1]  # ledger
    assert local[2] == remote[2] and len(local[2]) > 100  # every mention, kept and excluded
    assert local[3].keys() == remote[3].keys() and len(local[3]) >= 6
    for name in local[3]:
        assert local[3][name] == remote[3][name], name
    # the environment variable names the scheduler when the option does not
    again = run_cli(*args, db=tmp_path / "env.db", env={"DISCOURSE_SCHEDULER": "local:1"}, check=0)
    assert "17 ingested" in again.stderr


def test_a_bad_scheduler_is_a_usage_error(tmp_path):
    p = run_cli("ingest", DEMO, "--scheduler", "local:0", db=tmp_path / "s.db")
    assert p.returncode == 2 and "'local:N' takes a number of workers" in p.stderr


def _sleep(s: float) -> str:
    import time

    time.sleep(s)
    return f"slept {s}"


def _die() -> str:
    import os

    os._exit(3)


@pytest.mark.slow
def test_on_dask_an_overdue_call_and_a_dying_worker_cost_one_call_each():
    from discourse.dask_pool import DaskSupervisor
    from discourse.pool import Limits, Lost

    with DaskSupervisor("local:2", Limits(file_timeout=3)) as pool:
        slow, dead = pool.submit(_sleep, 60), pool.submit(_die)
        quick = [pool.submit(_sleep, 0.01) for _ in range(4)]
        results = dict(pool.results())
    assert isinstance(results[slow], Lost) and results[slow].kind == "timeout"
    assert isinstance(results[dead], Lost) and results[dead].kind == "died"
    assert all(results[q] == "slept 0.01" for q in quick)
