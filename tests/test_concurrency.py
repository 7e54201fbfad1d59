"""Issue 15: two ingests into one store, or an ingest and a report, at the same time.

The second ingest waits for the first (one line on stderr says so) and then finds
its files unchanged; a report or check during an ingest reads one consistent view
of the store and never fails. Nothing is corrupted.
"""

import os
import select
import sqlite3
import subprocess
import time

import pytest

from discourse.check import check_store
from discourse.store import Store
from discourse.store.lock import ingest_lock

from .conftest import BIN, FIX, run_cli

LAY = sorted((FIX / "ingest" / "lay").glob("*.md"))
REPORT = ("prominence", "--period", "all", "--bootstrap", "0", "-f", "csv")


def _inputs(folder, n):
    """``n`` documents: the Iriss.fm transcripts of the fixtures (CC BY-NC-SA 4.0), each with a closing line of its own."""
    folder.mkdir()
    for i in range(n):
        text = LAY[i % len(LAY)].read_text(encoding="utf-8")
        (folder / f"t{i:03d}.md").write_text(text + f"\n\nCopy {i}: co-production and personal budgets.\n")
    return folder


def _start(*args, db):
    env = {k: v for k, v in os.environ.items() if k != "DISCOURSE_DB"}
    cmd = [str(BIN), *map(str, args), "--db", str(db)]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _count(db):
    try:
        con = sqlite3.connect(db, timeout=5)
        try:
            return con.execute("SELECT count(*) FROM documents").fetchone()[0]
        finally:
            con.close()
    except sqlite3.OperationalError:  # not created yet
        return 0


def _wait_for_documents(db, proc, n=1, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline and proc.poll() is None and _count(db) < n:
        time.sleep(0.05)
    assert proc.poll() is None, "the first ingest ended before the second began: the test needs more input"


def _read_line(p, timeout):
    """The next line the process writes to stderr (stderr is line-buffered), or fail after ``timeout``."""
    ready, _, _ = select.select([p.stderr], [], [], timeout)
    assert ready, "no line on stderr"
    return p.stderr.readline().rstrip("\n")


def _sound(db):
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    rep = check_store(str(db))
    assert not rep.failures and not rep.warnings, rep.findings


def test_an_ingest_waits_while_another_holds_the_store(tmp_path):
    src = _inputs(tmp_path / "in", 3)
    db = tmp_path / "s.db"
    Store.open(db).close()
    with ingest_lock(str(db)):  # the lock a running ingest holds
        p = _start("ingest", src, "-j", "1", db=db)
        first = _read_line(p, timeout=120)  # however long start-up takes on a busy machine
        assert (
            first
            == f"Warning: {db}: another ingest (pid {os.getpid()}) is writing to this store; waiting for it to finish"
        )
        time.sleep(1)
        assert p.poll() is None and _count(db) == 0  # still waiting, and nothing written
    err = p.communicate(timeout=120)[1]
    assert p.returncode == 0, err
    assert "3 inputs: 3 ingested" in err
    _sound(db)


@pytest.mark.slow
def test_two_ingests_at_once(tmp_path):
    n = 16
    src = _inputs(tmp_path / "in", n)
    db = tmp_path / "s.db"
    first = _start("ingest", src, "-j", "1", db=db)
    _wait_for_documents(db, first)
    second = _start("ingest", src, "-j", "1", db=db)
    err1, err2 = first.communicate(timeout=300)[1], second.communicate(timeout=300)[1]
    assert (first.returncode, second.returncode) == (0, 0), (err1, err2)
    assert f"another ingest (pid {first.pid}) is writing to this store; waiting for it to finish" in err2
    assert f"{n} inputs: {n} ingested" in err1 and f"{n} inputs: {n} unchanged" in err2
    _sound(db)
    with Store.open(db) as s:
        assert s.count_documents() == n
        events = [e["status"] for e in s.ledger_history()]
    assert sorted(events) == ["ingested"] * n + ["unchanged"] * n  # each file done once, then found unchanged


@pytest.mark.slow
def test_a_report_and_a_check_during_an_ingest_read_one_consistent_store(tmp_path):
    n = 16
    src = _inputs(tmp_path / "in", n)
    db = tmp_path / "s.db"
    ingest = _start("ingest", src, "-j", "1", db=db)
    _wait_for_documents(db, ingest)
    report = run_cli("report", *REPORT, db=db)
    check = run_cli("check", db=db)
    ingest.communicate(timeout=300)
    assert ingest.returncode == 0
    for p in (report, check):
        assert p.returncode == 0 and "Traceback" not in p.stderr, p.stderr
    _sound(db)
    # The report saw the first k documents (ingest commits them in path order, one per transaction),
    # each with all its mentions: it equals a report of a store that holds just those k.
    rows = [r.split(",") for r in report.stdout.splitlines()]
    k = int(rows[1][rows[0].index("docs")])
    assert 1 <= k <= n
    ref_db = tmp_path / "ref.db"
    run_cli("ingest", *sorted(src.iterdir())[:k], "-j", "1", db=ref_db, check=0)
    ref = run_cli("report", *REPORT, db=ref_db, check=0)
    assert report.stdout == ref.stdout
