"""Progress bars go to stderr only when stderr is a terminal: never into a pipe.

The real console script runs twice on a real store: once with stderr a pipe
(no bar, no escape codes) and once with stderr a pseudo-terminal (``pty``),
where the matching and the table's bar must be drawn.
"""

from __future__ import annotations

import os
import pty
import select
import subprocess

import pytest

from .conftest import BIN, run_cli

TEXT = "Co-production starts with co-design and trust. Co-production needs co-design, trust and time.\n"


@pytest.fixture
def db(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(TEXT * 3)
    (tmp_path / "in" / "b.txt").write_text("The council reviewed the services. " * 10)
    db = tmp_path / "c.db"
    run_cli("ingest", tmp_path / "in", "--source-type", "lay", "--date", "2019", "-j", "1", db=db, check=0)
    return db


ARGS = ["report", "collocates", "--period", "all", "--min-count", "2", "-f", "csv"]


def test_no_progress_in_a_pipe(db):
    p = run_cli(*ARGS, db=db, check=0)
    assert "\x1b[" not in p.stderr and "━" not in p.stderr
    assert "matching" not in p.stderr
    assert p.stdout.startswith("concept,source_type,period")


def test_progress_at_a_terminal(db):
    env = {k: v for k, v in os.environ.items() if k != "DISCOURSE_DB"}
    env.update(TERM="xterm", COLUMNS="100")
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [str(BIN), *ARGS, "--db", str(db)], stdout=subprocess.PIPE, stderr=slave, stdin=subprocess.DEVNULL, env=env
    )
    os.close(slave)
    seen = b""
    while True:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
        elif proc.poll() is not None:
            break
    out = proc.communicate(timeout=120)[0].decode()
    os.close(master)
    assert proc.returncode == 0
    text = seen.decode("utf-8", "replace")
    assert "matching" in text and "collocates" in text, text[-500:]
    assert out.startswith("concept,source_type,period")  # stdout is still clean data
    assert "matching" not in out and "\x1b[" not in out
