"""Workers die with their parent: kill -9 of ingest used to leave its workers running for minutes."""

import os
import signal
import subprocess
import sys
import time

import pytest


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(x) for x in fh.read().split()]
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="needs Linux /proc")
def test_workers_die_with_a_killed_parent(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    for i in range(400):
        (d / f"d{i}.txt").write_text(f"Document {i}. " + "Co-production with carers and personal budgets. " * 400)
    code = "import sys; from discourse.cli import main; sys.argv = ['discourse', *sys.argv[1:]]; main()"
    p = subprocess.Popen(
        [sys.executable, "-c", code, "ingest", str(d), "-j", "2", "--db", str(tmp_path / "s.db")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: list[int] = []
    deadline = time.time() + 60
    while time.time() < deadline and len(workers) < 2:
        workers = _children(p.pid)
        time.sleep(0.2)
    assert workers, "no worker processes appeared"
    time.sleep(1.0)
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    deadline = time.time() + 10
    while time.time() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.2)
    assert not any(_alive(w) for w in workers)
