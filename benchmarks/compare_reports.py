"""Refactoring guard: `report --all` on every shared corpus, compared byte for byte.

    python benchmarks/compare_reports.py snapshot OUT_DIR [--shared ../shared]
    python benchmarks/compare_reports.py compare BEFORE_DIR AFTER_DIR

``snapshot`` ingests each corpus of ``$DISCOURSE_SHARED/corpora`` into its own
store and writes ``report --all --by source_type --period 5-year`` (and
``--period all``) to ``OUT_DIR/<corpus>/<period>/``. ``compare`` diffs two
snapshots file by file; in ``run.json`` only ``created_at``, the tool and
library versions and the table hashes may differ (a table that differs is
reported on its own). Run a snapshot before a refactor and one after.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(os.environ.get("DISCOURSE_BIN") or Path(sys.executable).parent / "discourse")
PERIODS = {"5y": "5-year", "all": "all"}
VOLATILE = ("created_at", "versions", "files")


def snapshot(out: Path, shared: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    for corpus in sorted(p for p in (shared / "corpora").iterdir() if (p / "MANIFEST.csv").is_file()):
        db = out / f"{corpus.name}.db"
        inputs = [str(p) for p in sorted(corpus.iterdir()) if p.is_dir()]
        if not db.exists():
            subprocess.run(
                [
                    str(BIN),
                    "ingest",
                    *inputs,
                    "--manifest",
                    str(corpus / "MANIFEST.csv"),
                    "--jobs",
                    "2",
                    "--db",
                    str(db),
                ],
                check=False,
                capture_output=True,
            )
        for label, period in PERIODS.items():
            d = out / corpus.name / label
            refs = _groups(db)
            ref = "government" if "government" in refs else (refs[0] if refs else "government")
            p = subprocess.run(
                [str(BIN), "report", "--all", "-o", str(d), "--period", period, "--reference", ref, "--db", str(db)],
                capture_output=True,
                text=True,
            )
            (out / corpus.name / f"{label}.stderr").write_text(p.stderr)
            print(f"{corpus.name} {period}: exit {p.returncode}", flush=True)
    return 0


def _groups(db: Path) -> list[str]:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return sorted(r[0] for r in conn.execute("SELECT DISTINCT source_type FROM documents") if r[0])


def compare(a: Path, b: Path) -> int:
    bad = 0
    for fa in sorted(a.rglob("*")):
        if fa.is_dir() or fa.suffix == ".db" or fa.name.endswith((".db-wal", ".db-shm")):
            continue
        rel = fa.relative_to(a)
        fb = b / rel
        if not fb.exists():
            print(f"missing: {rel}")
            bad += 1
            continue
        ta, tb = fa.read_text().replace(str(a), "<OUT>"), fb.read_text().replace(str(b), "<OUT>")
        if fa.name == "run.json":
            ja, jb = json.loads(ta), json.loads(tb)
            for k in VOLATILE:
                ja.pop(k, None)
                jb.pop(k, None)
            for j in (ja, jb):
                j.get("lexicon", {}).pop("mention_key", None)
                j.pop("contexts", None)  # added by the refactor: the embedder's parameters
                j.get("corpus", {}).pop("schema_version", None)
            ta, tb = json.dumps(ja, indent=1, sort_keys=True), json.dumps(jb, indent=1, sort_keys=True)
        if ta != tb:
            bad += 1
            print(f"differs: {rel}")
            for line in list(difflib.unified_diff(ta.splitlines(), tb.splitlines(), lineterm="", n=0))[:12]:
                print("   ", line[:200])
    print(f"{bad} file(s) differ")
    return 1 if bad else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("snapshot")
    s.add_argument("out", type=Path)
    s.add_argument("--shared", type=Path, default=Path(os.environ.get("DISCOURSE_SHARED", ROOT.parent / "shared")))
    c = sub.add_parser("compare")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    args = ap.parse_args()
    if args.cmd == "snapshot":
        return snapshot(args.out, args.shared)
    return compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
