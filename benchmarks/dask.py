"""Ingest on Dask against one process and the local pool, in one run (issue 12).

Ingests the shared *text* corpora (every ``texts/`` folder of ``$DISCOURSE_SHARED/corpora``) three
ways into fresh stores: ``--jobs 1`` (one worker), ``--jobs N`` (the local process pool) and
``--scheduler local:N`` (a Dask LocalCluster of N single-threaded workers, its start-up included).
Prints words/s and the speed-ups over one process, then a store-size sweep: the same text ingested
1x and 2x (each copy's files with one extra first line, so nothing is a duplicate), with the store's size on disk and a
warm ``report prominence`` time and the peak RSS of each, to show how cost grows with the store.

    python benchmarks/dask.py [--workers 2] [--shared ../shared] [--corpora NAME,NAME]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = str(Path(sys.executable).parent / "discourse")


PEAK: dict[str, int] = {}  # command -> peak RSS in MB of its largest process (GNU time's %M)


def _run(*args: str, env: dict | None = None) -> float:
    t0 = time.perf_counter()
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        cmd = ["/usr/bin/time", "-f", "%M", "-o", tf.name, BIN, *args]
        p = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **(env or {})})
        PEAK[args[0]] = int(tf.read().split()[-1]) // 1024
    if p.returncode not in (0, 3):
        raise SystemExit(f"discourse {' '.join(args)} failed ({p.returncode}): {p.stderr[-500:]}")
    return time.perf_counter() - t0


def _words(db: Path) -> int:
    with sqlite3.connect(db) as con:
        return int(con.execute("SELECT COALESCE(SUM(words), 0) FROM documents").fetchone()[0])


def _copy_marked(src: Path, dst: Path, copy: int) -> None:
    """Copy a folder of texts, each file with one leading line naming the copy: the text differs, so
    the copy is a new document, not a duplicate of the original (documents are keyed by their text)."""
    for f in src.rglob("*"):
        if f.is_file():
            out = dst / f.relative_to(src)
            out.parent.mkdir(parents=True, exist_ok=True)
            data = f.read_bytes()
            out.write_bytes(data if copy == 0 else f"Copy {copy}.\n\n".encode() + data)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--shared", default=os.environ.get("DISCOURSE_SHARED", str(ROOT.parent / "shared")))
    ap.add_argument("--corpora", default="", help="comma-separated corpus folders (default: every one with texts/)")
    args = ap.parse_args()
    base = Path(args.shared) / "corpora"
    names = [n for n in args.corpora.split(",") if n] or sorted(p.parent.name for p in base.glob("*/texts"))
    folders = [str(base / n / "texts") for n in names]
    n = args.workers
    print(f"corpora: {', '.join(names)}")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, extra in (
            ("--jobs 1 (one worker)", ["--jobs", "1"]),
            (f"--jobs {n} (process pool)", ["--jobs", str(n)]),
            (f"--scheduler local:{n} (Dask)", ["--scheduler", f"local:{n}"]),
        ):
            db = Path(tmp) / f"{len(rows)}.db"
            secs = _run("ingest", *folders, *extra, "--db", str(db))
            rows.append((label, secs, _words(db)))
        one = rows[0][1]
        print(f"{'ingest':32} {'seconds':>8} {'words/s':>10} {'speed-up':>9}")
        for label, secs, words in rows:
            print(f"{label:32} {secs:8.1f} {words / secs:10,.0f} {one / secs:8.2f}x")

        print(f"\nstore-size sweep (the same text under new names; --jobs {n})")
        print(
            f"{'copies':>6} {'words':>12} {'store MB':>9} {'ingest s':>9} {'ingest peak MB':>15} "
            f"{'warm prominence s':>18} {'its peak MB':>12}"
        )
        src = Path(tmp) / "src"
        for copies in (1, 2):
            for c in range(copies):
                for f in folders:
                    dst = src / f"copy{c}" / Path(f).parent.name
                    if not dst.exists():
                        _copy_marked(Path(f), dst, c)
            db = Path(tmp) / f"sweep{copies}.db"
            secs = _run("ingest", str(src), "--jobs", str(n), "--db", str(db))
            ingest_mb = PEAK["ingest"]  # the largest single process of the run (the writer or a worker)
            _run("report", "prominence", "--db", str(db))  # matching, once
            warm = min(_run("report", "prominence", "--db", str(db)) for _ in range(2))
            size = sum(p.stat().st_size for p in db.parent.glob(db.name + "*")) / 1e6
            print(
                f"{copies:6} {_words(db):12,} {size:9.0f} {secs:9.1f} {ingest_mb:15,} {warm:18.2f} {PEAK['report']:12,}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
