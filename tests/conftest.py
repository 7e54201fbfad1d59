import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "tests" / "fixtures"
BIN = Path(sys.executable).parent / "discourse"


def run_cli(*args, db=None, input=None, env=None, check=None):
    """Run the real `discourse` console script; return CompletedProcess."""
    cmd = [str(BIN), *map(str, args)]
    if db is not None:
        cmd += ["--db", str(db)]
    e = dict(os.environ)
    e.pop("DISCOURSE_DB", None)
    e.update(env or {})
    p = subprocess.run(cmd, capture_output=True, text=True, input=input, env=e)
    if check is not None:
        assert p.returncode == check, (p.returncode, p.stdout[-2000:], p.stderr[-2000:])
    return p


@pytest.fixture(scope="session")
def nlp():
    from discourse.nlp import make_nlp

    return make_nlp()
