"""Time and peak memory of ``discourse senses`` over every co-production context of the IRISS corpus.

1. uses ``--db STORE`` if given, else ingests the shared IRISS podcast
   transcripts into a temporary store (not timed);
2. times, in this process: importing BERTopic and hdbscan, reading the
   mention contexts (matching the lexicon first if the store needs it), the
   LSA embeddings, BERTopic + HDBSCAN, and the whole ``find_senses`` call;
3. prints the figures, the peak resident memory of the process
   (``resource.getrusage(RUSAGE_SELF).ru_maxrss``, KiB on Linux) and the
   sense sizes. Target: under 30 s on 2 cores.

    python benchmarks/senses.py [--db STORE] [--concept co-production] [--shared ../shared] [--jobs 2]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path("corpora") / "iriss_podcasts_2008_2023"


def default_shared() -> str:
    env = os.environ.get("DISCOURSE_SHARED")
    if env:
        return env
    for cand in (ROOT.parent / "shared", Path("/work/shared")):
        if (cand / CORPUS).is_dir():
            return str(cand)
    return str(ROOT.parent / "shared")


def ingest(shared: str, db: str, jobs: int) -> None:
    corpus = Path(shared) / CORPUS
    cmd = [
        str(Path(sys.executable).parent / "discourse"),
        "ingest",
        str(corpus / "texts"),
        "--manifest",
        str(corpus / "MANIFEST.csv"),
        "--db",
        db,
        "--jobs",
        str(jobs),
    ]
    subprocess.run(cmd, check=True, capture_output=True)


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(db: str, concept: str) -> None:
    t0 = time.perf_counter()
    import bertopic  # noqa: F401
    import hdbscan  # noqa: F401

    t_import = time.perf_counter() - t0

    from discourse.annotate import ensure_mentions
    from discourse.lexicon import load_lexicon
    from discourse.senses import SenseOptions, _stop_words, context_parts, find_senses, passages, tfidf_embed
    from discourse.store import Store
    from discourse.store.contexts import mention_contexts

    t0 = time.perf_counter()
    lex = load_lexicon(None)
    with Store.open(db, create=False) as store:
        key = ensure_mentions(store, lex)
        ctx = mention_contexts(store, key, concept)
    t_read = time.perf_counter() - t0

    t0 = time.perf_counter()
    docs = [f"{left} {right}" for left, _, right in (context_parts(c, None) for c in ctx)]
    tfidf_embed(docs, passages(ctx), _stop_words(ctx), 0)
    t_embed = time.perf_counter() - t0

    t0 = time.perf_counter()
    res = find_senses(ctx, concept, SenseOptions())
    t_senses = time.perf_counter() - t0

    sizes = {r["sense_id"]: r["size"] for r in res.rows}
    print(
        f"senses {concept}: {len(ctx)} contexts from {len({c.doc_id for c in ctx})} documents, "
        f"{len(sizes) - ('-1' in map(str, sizes))} sense(s); sizes {sizes}"
    )
    print(f"  import bertopic+hdbscan  {t_import:6.2f} s")
    print(f"  read contexts            {t_read:6.2f} s")
    print(f"  LSA embeddings alone     {t_embed:6.2f} s")
    print(f"  find_senses (all steps)  {t_senses:6.2f} s")
    print(f"  total (import+read+find) {t_import + t_read + t_senses:6.2f} s   (target < 30 s on 2 cores)")
    print(f"  peak RSS                 {peak_mib():6.0f} MiB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="an existing store (default: ingest the IRISS corpus into a temporary one)")
    ap.add_argument("--concept", default="co-production")
    ap.add_argument("--shared", default=default_shared())
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    if args.db:
        run(args.db, args.concept)
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "iriss.db")
        t0 = time.perf_counter()
        ingest(args.shared, db, args.jobs)
        print(f"(ingested {CORPUS} in {time.perf_counter() - t0:.1f} s, not timed below)")
        run(db, args.concept)


if __name__ == "__main__":
    main()
