"""Matching throughput against re-tokenising + PhraseMatcher and ripgrep, in one run.

On the shared IRISS podcast corpus:

1. ingests the transcripts into a temporary store (not timed as matching);
2. times re-matching from the stored tokens (``ensure_mentions`` with the
   default lexicon, after deleting the stored mentions);
3. times the "tokenise every time" peer: ``make_nlp`` + ``tokenise`` on every
   stored text, then a ``spacy.matcher.PhraseMatcher(attr="LOWER")`` built
   from the lexicon's expanded variants (wildcard, alternation and
   conditional variants skipped);
4. times ``rg --count-matches -i`` with a co-production regex over the raw
   text files (best of several runs);
5. prints words/s for each (words = sum of ``documents.words``) and ratios.

    python benchmarks/match.py [--shared ../shared] [--jobs 2]
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
CORPUS = Path("corpora") / "iriss_podcasts_2008_2023"
RG_REGEX = r"co-?\s?produc"


def default_shared() -> str:
    env = os.environ.get("DISCOURSE_SHARED")
    if env:
        return env
    for cand in (ROOT.parent / "shared", Path("/work/shared")):
        if (cand / CORPUS).is_dir():
            return str(cand)
    return str(ROOT.parent / "shared")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=default_shared())
    ap.add_argument("--jobs", type=int, default=2, help="ingest workers (setup only)")
    ap.add_argument("--rg-runs", type=int, default=5)
    args = ap.parse_args()
    corpus = Path(args.shared) / CORPUS
    texts_dir, manifest = corpus / "texts", corpus / "MANIFEST.csv"
    if not texts_dir.is_dir():
        print(f"corpus not found: {texts_dir}", file=sys.stderr)
        return 2
    files = sorted(p for p in texts_dir.rglob("*") if p.is_file())

    import spacy
    from spacy.matcher import PhraseMatcher

    from discourse.annotate import ensure_mentions
    from discourse.lexicon import expand_variants, load_lexicon
    from discourse.nlp import make_nlp, tokenise
    from discourse.store import Store

    lexicon = load_lexicon()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        # 1. ingest (setup, not timed as matching)
        t0 = time.perf_counter()
        subprocess.run(
            [
                str(Path(sys.executable).parent / "discourse"),
                "ingest",
                str(texts_dir),
                "--manifest",
                str(manifest),
                "--db",
                str(db),
                "--jobs",
                str(args.jobs),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        t_ingest = time.perf_counter() - t0

        store = Store.open(str(db), create=False)
        try:
            n_docs, words = store.conn.execute("SELECT count(*), coalesce(sum(words),0) FROM documents").fetchone()
            mb = sum(f.stat().st_size for f in files) / 1e6
            print(
                f"IRISS corpus: {len(files)} files ({mb:.1f} MB), {n_docs} documents, {words:,} words "
                f"(ingest --jobs {args.jobs}: {t_ingest:.1f} s, setup)"
            )
            # 2. re-match from stored tokens
            with store.transaction():
                store.conn.execute("DELETE FROM mentions")
                store.conn.execute("DELETE FROM mention_runs")
            t0 = time.perf_counter()
            key = ensure_mentions(store, lexicon)
            t_ours = time.perf_counter() - t0
            n_ours, n_ours_kept = store.conn.execute(
                "SELECT count(*), coalesce(sum(excluded=0),0) FROM mentions WHERE mention_key=?", (key,)
            ).fetchone()
            n_ours_cp = store.conn.execute(
                "SELECT count(*) FROM mentions WHERE mention_key=? AND concept='co-production'", (key,)
            ).fetchone()[0]

            # 3. peer: re-tokenise every stored text + PhraseMatcher
            variants = [v for c in lexicon.concepts for v in expand_variants(c) if not any(ch in v for ch in "*([")]
            doc_ids = [r[0] for r in store.conn.execute("SELECT doc_id FROM documents ORDER BY doc_id")]
            t0 = time.perf_counter()
            nlp = make_nlp()
            pm = PhraseMatcher(nlp.vocab, attr="LOWER")
            pm.add("LEXICON", list(nlp.tokenizer.pipe(variants)))
            texts = (store.text(d)[0] for d in doc_ids)
            n_pm = 0
            for doc in tokenise(nlp, texts):
                n_pm += len(pm(doc))
            t_peer = time.perf_counter() - t0
        finally:
            store.close()

    # 4. ripgrep over the raw files (warm cache; best of N)
    rg = ["/usr/bin/rg", "--count-matches", "-i", "--no-filename", RG_REGEX, str(texts_dir)]
    subprocess.run(rg, stdout=subprocess.DEVNULL, check=False)
    t_rg, out = float("inf"), ""
    for _ in range(max(1, args.rg_runs)):
        t0 = time.perf_counter()
        p = subprocess.run(rg, capture_output=True, text=True, check=False)
        t_rg = min(t_rg, time.perf_counter() - t0)
        out = p.stdout
    n_rg = sum(int(x) for x in out.split())

    # 5. table
    rows = [
        (
            "discourse re-match (stored tokens)",
            t_ours,
            f"{n_ours} mentions ({n_ours_kept} not excluded; {n_ours_cp} co-production)",
        ),
        ("re-tokenise + spaCy PhraseMatcher", t_peer, f"{n_pm} matches, {len(variants)} phrase patterns"),
        (f"rg --count-matches -i '{RG_REGEX}'", t_rg, f"{n_rg} matches, 1 regex, best of {max(1, args.rg_runs)}"),
    ]
    w = max(len(r[0]) for r in rows)
    print(f"spaCy {spacy.__version__}, {os.cpu_count()} CPUs, words = sum(documents.words)")
    print(f"{'method':<{w}}  {'seconds':>8}  {'words/s':>12}  notes")
    for name, t, note in rows:
        print(f"{name:<{w}}  {t:8.3f}  {words / t:12,.0f}  {note}")
    print(f"{'ratio ours / re-tokenise+PhraseMatcher':<{w}}  {t_peer / t_ours:8.2f}x  (words/s ours / words/s peer)")
    print(f"{'ratio ours / rg':<{w}}  {t_rg / t_ours:8.3f}x  (rg {t_ours / t_rg:,.0f}x faster; counts only, no tokens)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
