"""The index against named peers, in one run, with a size sweep (issue 11).

    python benchmarks/index.py [--shared ../shared] [--corpora a,b] [--sweep 1,2,4] [--all-tables] [--out F.json]

1. Every corpus of ``$DISCOURSE_SHARED/corpora`` (or ``--corpora``) is ingested
   once; its normalised texts are written out as ``.txt`` files, and for a
   sweep factor k each text k times (copy i gets a first line "copy i", so no
   copy is a duplicate). Every step below runs on the same k-times folder.
2. ``discourse``: text ingest (--jobs 2), first ``report prominence`` (matching),
   warm ``report prominence``, re-matching after a lexicon edit (a new version
   number: a new mention key), ``kwic --term policy`` (warm), and with
   ``--all-tables`` ``report collocates``, ``report ambiguity`` and ``report --all``.
3. Peers on the same files: ``rg --count-matches -i -e ALT`` with one
   alternation of every lexicon term (``grep -c -i -E`` if ripgrep is missing),
   a plain Python ``re`` script with the same alternation, and the naive spaCy
   pass (``nlp.pipe`` + ``PhraseMatcher(attr="LOWER")`` over the lexicon's
   written variants).
4. PDFs (``policy_pdfs``): ``discourse ingest`` (--jobs 2) against single-process
   pdfminer.six ``extract_text`` and ``pdftotext``.

Every command runs under ``/usr/bin/time`` (wall seconds, peak RSS). Words are
``sum(documents.words)``. The machine's cores may be shared: only ratios
measured in the same run compare.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent / "discourse"
PY = sys.executable


def run(cmd: list[str], **kw) -> tuple[float, int, str]:
    """(wall seconds, peak RSS in MB, stdout) of one command under /usr/bin/time."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        p = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", tf.name, *cmd], capture_output=True, text=True, **kw)
        wall, rss = tf.read().split()[-2:]
    if p.returncode not in (0, 1, 3):  # grep -c: 1 when nothing matches; ingest: 3 when an input has no text
        raise SystemExit(f"{cmd[:3]} failed ({p.returncode}): {p.stderr[-500:]}")
    return float(wall), int(rss) // 1024, p.stdout


def lexicon_alternation(lexicon: str | None) -> str:
    """One regex alternation of every term of the lexicon, as the issue's peers use it.

    Each term as written: its alternation groups kept, ``*`` as ``\\w*``, a space or hyphen
    between words as ``[-\\s]*`` (spaced, hyphenated or closed up). Inflections that ``lemma:``
    adds and the context, unless and exclude rules are not expressible here, so rg and the regex
    script count a superset-ish approximation: they are the speed limit, not a check of counts.
    """
    sys.path.insert(0, str(ROOT))
    from discourse.lexicon import load_lexicon

    sep = r"[-\s]*"
    alts = set()
    for c in load_lexicon(lexicon).concepts:
        for t in c.terms:
            out = []
            for chunk in re.findall(r"[()|*]|[^()|*]+", t.text.lower()):
                if chunk in ("(", ")", "|", "*"):
                    out.append({"(": "(?:", ")": ")", "|": "|", "*": r"\w*"}[chunk])
                else:
                    out.append(sep.join(re.escape(w) for w in re.split(r"[\s\-\u2010\u2011]+", chunk)))
            alts.add("".join(out))
    return r"\b(?:" + "|".join(sorted(alts, key=len, reverse=True)) + r")\b"


def export_texts(db: Path, out: Path, k: int) -> Path:
    """Write each stored text k times, and a MANIFEST.csv with its title, year and source_type."""
    import csv

    out.mkdir(parents=True, exist_ok=True)
    manifest = out.parent / f"{out.name}.csv"
    sql = "SELECT t.doc_id, t.text, d.title, d.year, d.source_type FROM texts t JOIN documents d USING (doc_id)"
    with sqlite3.connect(db) as conn, open(manifest, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "title", "year", "source_type"])
        for i, (doc_id, text, title, year, st) in enumerate(conn.execute(sql + " ORDER BY t.doc_id")):
            for c in range(k):
                name = f"{i:05d}_{doc_id}_{c}.txt"
                (out / name).write_text(f"copy {c}\n{text}" if c else text)
                w.writerow([f"{out.name}/{name}", title, year, st])
    return manifest


def words(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT sum(words) FROM documents").fetchone()[0] or 0


NAIVE = r"""
import sys, pathlib, re
from spacy.matcher import PhraseMatcher
from discourse.lexicon import expand_variants, load_lexicon
from discourse.nlp import make_nlp, tokenise
nlp = make_nlp()
pm = PhraseMatcher(nlp.vocab, attr="LOWER")
for c in load_lexicon(sys.argv[2] or None).concepts:
    vs = [re.sub(r" \[(if|unless) .*\]$| \(case-sensitive\)$", "", v) for v in expand_variants(c)]
    pm.add(c.id, [nlp.make_doc(v) for v in vs if "*" not in v])
texts = (p.read_text() for p in sorted(pathlib.Path(sys.argv[1]).iterdir()))
n = sum(len(pm(d)) for d in tokenise(nlp, texts))
print(n)
"""

REGEX = r"""
import sys, pathlib, re
rx = re.compile(sys.argv[2], re.I)
print(sum(len(rx.findall(p.read_text())) for p in sorted(pathlib.Path(sys.argv[1]).iterdir())))
"""


def sweep_step(folder: Path, manifest: Path, work: Path, lexicon: str, alt: str, all_tables: bool) -> dict:
    db = work / "k.db"
    r: dict = {}
    d = [str(BIN)]
    r["ingest"] = run([*d, "ingest", str(folder), "--manifest", str(manifest), "--jobs", "2", "--db", str(db)])[:2]
    r["words"] = words(db)
    prom = [*d, "report", "prominence", "-f", "csv", "--lexicon", lexicon, "--db", str(db)]
    r["first_prominence"] = run(prom)[:2]
    r["warm_prominence"] = run(prom)[:2]
    edited = Path(lexicon).with_name("edited.yaml")
    text = Path(lexicon).read_text()
    edited.write_text(re.sub(r"^version:\s*(\S+)", "version: 999", text, count=1, flags=re.M))
    r["rematch_after_edit"] = run([*d, "report", "prominence", "-f", "csv", "--lexicon", str(edited), "--db", str(db)])[
        :2
    ]
    kw = [*d, "kwic", "--term", "policy", "-f", "csv", "--db", str(db)]
    run(kw)
    r["kwic_term_warm"] = run(kw)[:2]
    if all_tables:
        for t in ("collocates", "ambiguity"):
            r[f"report_{t}"] = run([*d, "report", t, "-f", "csv", "--lexicon", lexicon, "--db", str(db)])[:2]
        out = work / "all"
        with sqlite3.connect(db) as conn:
            groups = sorted(g for (g,) in conn.execute("SELECT DISTINCT source_type FROM documents") if g)
        ref = ["--reference", "government" if "government" in groups else groups[0]] if groups else []
        r["report_all"] = run([*d, "report", "--all", "-o", str(out), *ref, "--lexicon", lexicon, "--db", str(db)])[:2]
    if shutil.which("rg"):
        r["rg"] = run(["rg", "--count-matches", "-i", "-e", alt, str(folder)])[:2]
    else:
        r["grep"] = run(["grep", "-c", "-i", "-E", "-r", alt, str(folder)])[:2]
    r["python_regex"] = run([PY, "-c", REGEX, str(folder), alt])[:2]
    r["naive_spacy"] = run([PY, "-c", NAIVE, str(folder), lexicon], cwd=str(ROOT))[:2]
    return r


def pdf_step(shared: Path, work: Path) -> dict:
    pdfs = sorted((shared / "corpora" / "policy_pdfs").rglob("*.pdf"))
    r: dict = {"files": len(pdfs)}
    db = work / "pdf.db"
    r["discourse_ingest"] = run([str(BIN), "ingest", *map(str, pdfs), "--jobs", "2", "--db", str(db)])[:2]
    r["words"] = words(db)
    code = "import sys\nfrom pdfminer.high_level import extract_text\nfor p in sys.argv[1:]:\n    extract_text(p)\n"
    r["pdfminer_single"] = run([PY, "-c", code, *map(str, pdfs)])[:2]
    if shutil.which("pdftotext"):
        sh = " && ".join(f"pdftotext -q '{p}' /dev/null" for p in pdfs)
        r["pdftotext"] = run(["sh", "-c", sh + " ; true"])[:2]
    return r


def table(res: dict) -> str:
    lines = ["| k | words | step | seconds | words/s | peak RSS MB | ratio |", "|---|---|---|---|---|---|---|"]
    for k, r in res["sweep"].items():
        rg = r.get("rg", r.get("grep", [None]))[0]
        naive = r["naive_spacy"][0]
        for step, v in r.items():
            if step == "words":
                continue
            s, mb = v
            ratio = ""
            if step == "warm_prominence" and rg:
                ratio = f"{s / rg:.1f}x rg (target <= 5x)"
            elif step == "rematch_after_edit":
                ratio = f"{naive / s:.1f}x faster than naive spaCy (target >= 30x)"
            elif step == "ingest":
                ratio = f"{naive / s:.2f}x naive spaCy speed (target >= 1x)"
            elif step == "report_all":
                ratio = f"{s / naive:.2f} of naive spaCy (target <= 0.15)"
            elif step == "kwic_term_warm":
                ratio = "target < 1 s"
            wps = f"{r['words'] / s:,.0f}" if s else ""
            lines.append(f"| {k}x | {r['words']:,} | {step} | {s:.2f} | {wps} | {mb} | {ratio} |")
    if "pdf" in res:
        p = res["pdf"]
        for step in ("discourse_ingest", "pdfminer_single", "pdftotext"):
            if step in p:
                s, mb = p[step]
                ratio = (
                    f"{p['pdfminer_single'][0] / s:.2f}x pdfminer speed (target >= 2x)"
                    if step == "discourse_ingest"
                    else ""
                )
                lines.append(f"| pdf | {p['words']:,} | {step} | {s:.2f} | {p['words'] / s:,.0f} | {mb} | {ratio} |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=Path(os.environ.get("DISCOURSE_SHARED", ROOT.parent / "shared")))
    ap.add_argument("--corpora", help="comma-separated corpus folders (default: every corpus)")
    ap.add_argument("--sweep", default="1,2,4")
    ap.add_argument("--lexicon", default=str(ROOT / "lexicons" / "adult-social-care.yaml"))
    ap.add_argument("--all-tables", action="store_true", help="also time collocates, ambiguity and report --all")
    ap.add_argument("--no-pdf", action="store_true")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    names = args.corpora.split(",") if args.corpora else None
    corpora = [
        p
        for p in sorted((args.shared / "corpora").iterdir())
        if (p / "MANIFEST.csv").is_file() and (names is None or p.name in names)
    ]
    with tempfile.TemporaryDirectory(prefix="bench-index-") as tmp:
        work = Path(tmp)
        base = work / "base.db"
        for c in corpora if args.sweep != "0" else []:  # the texts as discourse extracts them (setup, not timed)
            inputs = [str(p) for p in sorted(c.iterdir()) if p.is_dir()]
            run([str(BIN), "ingest", *inputs, "--manifest", str(c / "MANIFEST.csv"), "--jobs", "2", "--db", str(base)])
        lex_dir = work / "lexicons"  # the lexicon's folder (filters are relative to it), pinned for the run
        shutil.copytree(Path(args.lexicon).parent, lex_dir)
        lex_copy = lex_dir / Path(args.lexicon).name
        alt = lexicon_alternation(str(lex_copy))
        res: dict = {"corpora": [c.name for c in corpora], "sweep": {}}
        for k in [int(x) for x in args.sweep.split(",") if int(x) > 0]:  # --sweep 0: PDFs only
            folder = work / f"texts{k}"
            manifest = export_texts(base, folder, k)
            step = work / f"step{k}"
            step.mkdir()
            res["sweep"][k] = sweep_step(folder, manifest, step, str(lex_copy), alt, args.all_tables and k == 1)
            print(json.dumps({k: res["sweep"][k]}), flush=True)
            shutil.rmtree(folder)
        if not args.no_pdf:
            res["pdf"] = pdf_step(args.shared, work)
    if args.out:
        args.out.write_text(json.dumps(res, indent=1))
    print(table(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
