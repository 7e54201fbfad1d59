"""Ingest throughput against bare pdfminer.six, in one run.

Ingests the shared policy PDFs with `discourse ingest --jobs N` (extraction,
normalisation, tokenising and the store included) and, on the same files,
times bare single-process `pdfminer.high_level.extract_text`. Prints pages/s
for each and the ratio. Target: >= 1.8x with --jobs 2.

    python benchmarks/ingest.py [--jobs 2] [--shared ../shared]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--shared", default=os.environ.get("DISCOURSE_SHARED", str(ROOT.parent / "shared")))
    ap.add_argument("--skip-bare", action="store_true", help="only time discourse")
    args = ap.parse_args()
    pdf_dir = Path(args.shared) / "corpora" / "policy_pdfs" / "pdf"
    files = sorted(pdf_dir.glob("*.pdf"))
    from pdfminer.high_level import extract_text

    from discourse.extract.pdf import pdf_page_count

    pages = sum(pdf_page_count(str(f)) for f in files)
    print(f"{len(files)} PDFs, {pages} pages, {sum(f.stat().st_size for f in files) / 1e6:.1f} MB")

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        t0 = time.perf_counter()
        subprocess.run(
            [
                str(Path(sys.executable).parent / "discourse"),
                "ingest",
                str(pdf_dir),
                "--jobs",
                str(args.jobs),
                "--db",
                str(db),
            ],
            check=False,
            stderr=subprocess.DEVNULL,
        )
        t_ours = time.perf_counter() - t0
    print(
        f"discourse ingest --jobs {args.jobs}: {t_ours:7.1f} s  {pages / t_ours:6.2f} pages/s "
        "(extract + normalise + tokenise + store)"
    )
    if args.skip_bare:
        return 0
    t0 = time.perf_counter()
    for f in files:
        extract_text(str(f))
    t_bare = time.perf_counter() - t0
    print(f"pdfminer.six extract_text, 1 process: {t_bare:7.1f} s  {pages / t_bare:6.2f} pages/s")
    print(f"ratio (discourse / bare pdfminer): {t_bare / t_ours:.2f}x  (target >= 1.8x with --jobs 2)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
