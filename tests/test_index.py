"""The positional index: arrays equal a fresh spaCy tokenisation, matching on it equals matching the Doc,
postings, migration of a store written before the index, and no spaCy import where none is needed.

Texts: tests/fixtures/ingest (Iriss.fm transcripts, CC BY-NC-SA 4.0; a GOV.UK guide, OGL v3.0; see its README).
"""

import re
import sqlite3
import subprocess
import sys

import numpy as np
import pytest

from discourse.index import IndexReader, ensure_index
from discourse.ingest import ingest
from discourse.lexicon import load_lexicon
from discourse.match import Matcher
from discourse.nlp import SPACE, doc_arrays, make_nlp, tokenise, unpack_arrays
from discourse.store import Store

from .conftest import BIN, FIX, run_cli

INPUTS = [str(FIX / "ingest" / "gov"), str(FIX / "ingest" / "lay")]


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    db = tmp_path_factory.mktemp("index") / "s.db"
    with Store.open(db) as store:
        ingest(store, INPUTS, manifest=str(FIX / "ingest" / "MANIFEST.csv"), jobs=1)
    return db


def _arrays(store, doc_id):
    reader = IndexReader(store)
    d = reader.doc(doc_id)
    s = reader.strings
    return [s[i] for i in d.lower], [s[i] for i in d.lemma], d.start.tolist(), d.end.tolist(), d.flags.tolist()


def test_index_equals_a_fresh_tokenisation(store_path):
    nlp = make_nlp()
    with Store.open(store_path) as store:
        docs = [r["doc_id"] for r in store.documents()]
        assert len(docs) == 3  # two transcripts share one body
        for doc_id in docs:
            text = store.text(doc_id)[0]
            strings, blob, n = doc_arrays(next(tokenise(nlp, [text])))
            lower, lemma, start, end, flags = unpack_arrays(blob, n)
            fresh = [strings[i] for i in lower], [strings[i] for i in lemma], start.tolist(), end.tolist()
            assert _arrays(store, doc_id)[:4] == fresh
            assert _arrays(store, doc_id)[4] == flags.tolist()


def test_matching_the_index_equals_matching_the_doc(store_path):
    nlp = make_nlp()
    matcher = Matcher(load_lexicon())
    with Store.open(store_path) as store:
        reader = IndexReader(store)
        found = 0
        for r in store.documents():
            text = store.text(r["doc_id"])[0]
            on_index = matcher(reader.doc(r["doc_id"], text))
            assert on_index == matcher(next(tokenise(nlp, [text])))
            found += len(on_index)
        assert found > 10  # the co-production week transcript alone has many


def test_postings_list_every_position(store_path):
    with Store.open(store_path) as store:
        reader = IndexReader(store)
        names = store.index.doc_ids()
        for word in ("co", "production", "the", "care", "learn"):
            t = reader.type_id(word)
            assert t is not None, word
            ((_t, data),) = list(store.index.postings([t]))
            pairs = np.frombuffer(data, dtype="<i4").reshape(-1, 2)
            expect = []
            for doc_no, doc_id in sorted(names.items()):
                d = reader.doc(doc_id)
                pos = np.flatnonzero((d.lower == t) & ((d.flags & SPACE) == 0))
                expect.extend((doc_no, int(p)) for p in pos)
            assert [tuple(p) for p in pairs.tolist()] == expect


def test_an_old_store_is_indexed_on_first_use(tmp_path, store_path):
    """A store at schema 5 (no index tables) is migrated on open and indexed from its DocBins."""
    old = tmp_path / "old.db"
    with Store.open(store_path) as store:
        before = {r["doc_id"]: _arrays(store, r["doc_id"]) for r in store.documents()}
        store.conn.execute(f"VACUUM INTO '{old}'")
    conn = sqlite3.connect(old)
    for t in ("vocab", "token_index", "postings", "index_meta", "compiled_lexicons"):
        conn.execute(f"DROP TABLE {t}")
    conn.execute("PRAGMA user_version=5")
    conn.commit()
    conn.close()
    with Store.open(old) as store:
        assert store.schema_version >= 6
        assert len(store.index.unindexed()) == 3
    run_cli("index", db=old, check=0)
    with Store.open(old) as store:
        assert store.index.unindexed() == [] and not store.index.postings_stale()
        assert {d: _arrays(store, d) for d in before} == before
    # kwic on the migrated store gives the rows of the original
    a = run_cli("kwic", "co-production", "-f", "tsv", db=store_path, check=0).stdout
    b = run_cli("kwic", "co-production", "-f", "tsv", db=old, check=0).stdout
    assert a == b and a.count("\n") > 5


def test_rebuild_gives_the_same_index(tmp_path, store_path):
    copy = tmp_path / "copy.db"
    with Store.open(store_path) as store:
        before = {r["doc_id"]: _arrays(store, r["doc_id"]) for r in store.documents()}
        store.conn.execute(f"VACUUM INTO '{copy}'")
    run_cli("index", "--rebuild", db=copy, check=0)
    with Store.open(copy) as store:
        assert {d: _arrays(store, d) for d in before} == before
        assert ensure_index(store) == 0


def test_postings_follow_a_new_ingest(tmp_path):
    db = tmp_path / "grow.db"
    with Store.open(db) as store:
        ingest(store, [str(FIX / "ingest" / "gov")], jobs=1)
        assert not store.index.postings_stale()
        n1 = sum(n for _t, n in store.index.type_counts())
        ingest(store, [str(FIX / "ingest" / "lay")], jobs=1)
        assert not store.index.postings_stale()
        assert sum(n for _t, n in store.index.type_counts()) > n1


def _imported(*args):
    code = (
        "import sys\nfrom discourse.cli import main\nsys.argv=['discourse', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('spacy', 'scipy', 'sklearn', 'bertopic') if m in sys.modules), file=sys.stderr)"
    )
    p = subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True)
    return p.stderr.strip().splitlines()[-1]


def test_help_does_not_import_spacy():
    assert BIN.exists()
    assert _imported("--help") == "[]"


def test_warm_prominence_does_not_import_spacy(tmp_path, store_path):
    """The second `report prominence` reads cached mentions and the cached term tokenisations:
    no spaCy, scipy, scikit-learn or BERTopic."""
    db = tmp_path / "warm.db"
    with Store.open(store_path) as store:
        store.conn.execute(f"VACUUM INTO '{db}'")
    # a fixed lexicon file (the shipped one may be edited while the tests run)
    args = ("report", "prominence", "-f", "csv", "--lexicon", FIX / "lexicons" / "minimal.yaml", "--db", db)
    _imported(*args)  # cold: matches and caches the lexicon's tokenisations
    assert _imported(*args) == "[]"


def test_an_edited_lexicon_reuses_cached_tokenisations(tmp_path, store_path):
    """A lexicon edit (here: a new version number) is a new file hash, but its terms were tokenised
    for the earlier file: re-matching imports no spaCy, and the mentions are the earlier ones."""
    db = tmp_path / "edit.db"
    with Store.open(store_path) as store:
        store.conn.execute(f"VACUUM INTO '{db}'")
    lex = tmp_path / "edit.yaml"
    lex.write_text(
        "name: edit\nversion: 1\nconcepts:\n"
        "  - id: co-production\n    terms: [co-production, {lemma: co-produce}]\n"
        "  - id: personal-budgets\n    terms: [personal budget, direct payment]\n",
        encoding="utf-8",
    )
    args = ("report", "prominence", "-f", "csv", "--bootstrap", "0", "--lexicon", lex, "--db", db)
    _imported(*args)  # cold: matches and caches the tokenisations
    before = run_cli(*args[:-2], db=db, check=0).stdout
    text = lex.read_text(encoding="utf-8")
    edited = re.sub(r"^version:\s*\S+", "version: 999", text, count=1, flags=re.M)
    assert edited != text
    lex.write_text(edited, encoding="utf-8")
    assert _imported(*args) == "[]"
    after = run_cli(*args[:-2], db=db, check=0).stdout
    assert after == before and after.count("\n") > 1
