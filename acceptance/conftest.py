"""Acceptance checks on the real corpora in $DISCOURSE_SHARED (default ../shared).

Run with `make acceptance`; each check prints its figures (pytest -s).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("DISCOURSE_SHARED", ROOT.parent / "shared")).resolve()
CORPORA = SHARED / "corpora"
BIN = Path(sys.executable).parent / "discourse"


def pytest_configure(config):
    if not CORPORA.is_dir():
        raise pytest.UsageError(f"no shared corpora at {CORPORA}: set DISCOURSE_SHARED")


def figure(msg: str) -> None:
    print(f"  [figure] {msg}", flush=True)


def cli(*args, check=0, **kw):
    p = subprocess.run([str(BIN), *map(str, args)], capture_output=True, text=True, **kw)
    if check is not None:
        assert p.returncode == check, (p.returncode, p.stderr[-3000:])
    return p


@pytest.fixture(scope="session")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("acceptance")


REPORT_CORPORA = (
    "iriss_podcasts_2008_2023",
    "nhs_england_leeds_2021_2025",
    "govuk_guides_2011_2022",
    "uk_manifestos_1945_2019",
)


@pytest.fixture(scope="session")
def report_db(workdir):
    """IRISS (lay), NHS + GOV.UK (government) and the 1945-2019 manifestos (party) in one store."""
    db = workdir / "report.db"
    for name in REPORT_CORPORA:
        c = CORPORA / name
        p = cli("ingest", c / "texts", "--manifest", c / "MANIFEST.csv", "--jobs", "2", "--db", db)
        figure(f"{name}: " + p.stderr.strip().splitlines()[-1])
    return db
