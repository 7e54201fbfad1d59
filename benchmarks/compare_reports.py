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
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(os.environ.get("DISCOURSE_BIN") or Path(sys.executable).parent / "discourse")
PERIODS = {"5y": "5-year", "all": "all"}
VOLATILE = ("created_at", "versions", "files")


def snapshot(
    out: Path, shared: Path, only: list[str] | None = None, lexicon: Path | None = None, stores: Path | None = None
) -> int:
    out.mkdir(parents=True, exist_ok=True)
    lex = ["--lexicon", str(lexicon)] if lexicon else []
    for corpus in sorted(p for p in (shared / "corpora").iterdir() if (p / "MANIFEST.csv").is_file()):
        if only and corpus.name not in only:
            continue
        db = out / f"{corpus.name}.db"
        if not db.exists() and stores and (stores / db.name).exists():
            shutil.copyfile(stores / db.name, db)  # a ready-made store: copied, never modified in place
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
            d.parent.mkdir(parents=True, exist_ok=True)
            refs = _groups(db)
            ref = "government" if "government" in refs else (refs[0] if refs else "government")
            p = subprocess.run(
                [
                    str(BIN),
                    "report",
                    "--all",
                    "-o",
                    str(d),
                    "--period",
                    period,
                    "--reference",
                    ref,
                    "--db",
                    str(db),
                    *lex,
                ],
                capture_output=True,
                text=True,
            )
            (out / corpus.name / f"{label}.stderr").write_text(p.stderr)
            print(f"{corpus.name} {period}: exit {p.returncode}", flush=True)
        _kwic_and_mentions(out / corpus.name, db, lex)
    return 0


def _kwic_and_mentions(d: Path, db: Path, lex: list[str]) -> None:
    """KWIC of every concept (excluded mentions too) and every stored mention row, as TSV."""
    import sqlite3

    d.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(db) as conn:
        key = conn.execute("SELECT mention_key FROM lexicons ORDER BY created_at DESC LIMIT 1").fetchone()[0]
        concepts = [r[0] for r in conn.execute("SELECT DISTINCT concept FROM mentions WHERE mention_key=?", (key,))]
        rows = conn.execute(
            "SELECT doc_id,concept,variant,start_char,end_char,start_token,end_token,page,sent_start,sent_end,"
            "excluded,exclude_reason FROM mentions WHERE mention_key=? ORDER BY doc_id,start_char,concept",
            (key,),
        ).fetchall()
    with open(d / "mentions.tsv", "w") as fh:
        for r in rows:
            fh.write("\t".join("" if v is None else str(v) for v in r) + "\n")
    for c in sorted(concepts):
        p = subprocess.run(
            [str(BIN), "kwic", c, "--include-excluded", "--format", "tsv", "--db", str(db), *lex],
            capture_output=True,
            text=True,
        )
        (d / f"kwic_{c}.tsv").write_text(p.stdout + (f"\n# exit {p.returncode}: {p.stderr}" if p.returncode else ""))


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
    s.add_argument("--only", nargs="*", help="corpus folder names (default: every corpus)")
    s.add_argument("--periods", nargs="*", choices=sorted(PERIODS), help="period labels (default: all of them)")
    s.add_argument("--lexicon", type=Path, help="a pinned lexicon file, for a comparison while the lexicon changes")
    s.add_argument("--stores", type=Path, help="a folder of ready-made stores <corpus>.db, copied before use")
    c = sub.add_parser("compare")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    args = ap.parse_args()
    if args.cmd == "snapshot":
        if args.periods:
            for k in [k for k in PERIODS if k not in args.periods]:
                del PERIODS[k]
        return snapshot(args.out, args.shared, args.only, args.lexicon, args.stores)
    return compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
