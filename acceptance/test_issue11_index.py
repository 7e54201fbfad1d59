"""Issue 11: the positional index on real corpora.

On GOV.UK guides and the 2005-2010 manifestos, ingested fresh: the stored
index equals a DocBin-free re-tokenisation of every stored text, the mentions
matched on the index equal those of the matcher run on the re-tokenised spaCy
Docs, ``kwic --term`` finds what a regex finds, and ``--help`` and a warm
``report prominence`` import no spaCy. (Reports, KWIC and mentions before and
after the index: benchmarks/compare_reports.py, see README "The index".)
"""

import csv
import io
import re
import subprocess
import sys

import pytest

from .conftest import CORPORA, cli, figure

NAMES = ("govuk_guides_2011_2022", "uk_manifestos_2005_2010")


@pytest.fixture(scope="module")
def db(workdir):
    path = workdir / "issue11.db"
    for name in NAMES:
        c = CORPORA / name
        inputs = [p for p in sorted(c.iterdir()) if p.is_dir()]
        cli("ingest", *inputs, "--manifest", c / "MANIFEST.csv", "--jobs", "2", "--db", path)
    return path


def test_index_and_mentions_equal_a_fresh_tokenisation(db):
    from discourse.index import IndexReader
    from discourse.lexicon import load_lexicon
    from discourse.match import Matcher
    from discourse.nlp import doc_tokens, make_nlp, tokenise
    from discourse.store import Store

    nlp = make_nlp()
    matcher = Matcher(load_lexicon())
    docs = mentions = 0
    with Store.open(db) as store:
        reader = IndexReader(store)
        for r in store.documents():
            text = store.text(r["doc_id"])[0]
            fresh = doc_tokens(next(tokenise(nlp, [text])))
            stored = reader.doc(r["doc_id"], text)
            s, f = reader.strings, fresh.strings
            assert [s[i] for i in stored.lower] == [f[i] for i in fresh.lower]
            assert [s[i] for i in stored.lemma] == [f[i] for i in fresh.lemma]
            assert stored.start.tolist() == fresh.start.tolist() and stored.end.tolist() == fresh.end.tolist()
            assert stored.flags.tolist() == fresh.flags.tolist()
            found = matcher(stored)
            assert found == matcher(fresh)
            docs += 1
            mentions += len(found)
    figure(f"{docs} documents: index = fresh tokenisation; {mentions} mentions identical")
    assert docs > 150 and mentions > 50


def test_kwic_term_finds_what_a_regex_finds(db):
    from discourse.store import Store

    p = cli("kwic", "--term", "big society", "-f", "tsv", "--db", db)
    rows = list(csv.DictReader(io.StringIO(p.stdout), delimiter="\t"))
    with Store.open(db) as store:
        texts = [store.text(r["doc_id"])[0] for r in store.documents()]
    expect = sum(len(re.findall(r"(?<![\w-])big[-\s]?society(?![\w-])", t, re.I)) for t in texts)
    figure(f"kwic --term 'big society': {len(rows)} rows, regex {expect}")
    assert expect >= 19 and len(rows) == expect


def _imported(*args):
    code = (
        "import sys\nfrom discourse.cli import main\nsys.argv=['discourse', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('spacy', 'scipy', 'sklearn', 'bertopic') if m in sys.modules), file=sys.stderr)"
    )
    p = subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True)
    return p.stderr.strip().splitlines()[-1]


def test_help_and_warm_prominence_import_no_spacy(db, workdir):
    lex = workdir / "issue11-lexicon.yaml"
    lex.write_text(_lexicon())  # a fixed lexicon: the shipped one may change while this runs
    args = ("report", "prominence", "-f", "csv", "--lexicon", lex, "--db", db)
    _imported(*args)
    assert _imported("--help") == "[]"
    assert _imported(*args) == "[]"


def _lexicon() -> str:
    return "name: issue11\nconcepts:\n  - id: big-society\n    terms: [big society]\n  - id: partnership\n    terms: [partnership]\n"
