"""Token access for the context tables: mentions placed on stored words by character offsets."""

import numpy as np
import pytest

from discourse.ingest import ingest
from discourse.report.embed import TfidfSvd
from discourse.report.tokens import DocWords, Mention, TokenAccess
from discourse.store import Store

TEXT = "Our well-being: widget plans, (widget) and long-term widgets."
#       0123456789012345678901234567890123456789012345678901234567890
# stored tokens: Our well - being : widget plans , ( widget ) and long - term widgets .
# words:         0   1        2     3      4          5         6   7      8    9
# (lemmas from the lookup table: well -> good, being -> be, plans -> plan, widgets -> widget)


@pytest.fixture(scope="module")
def tokens(tmp_path_factory):
    """A real store of two ingested texts; its doc_ids are reached through the names "d" and "e"."""
    root = tmp_path_factory.mktemp("tokens")
    for name, text in {"d": TEXT, "e": "one two three four five six seven"}.items():
        (root / f"{name}.txt").write_text(text)
    store = Store.open(root / "t.db")
    ingest(store, [str(root / "d.txt"), str(root / "e.txt")], jobs=1)
    ids = {r["path"].rsplit("/", 1)[-1][0]: r["doc_id"] for r in store.documents()}
    return _Named(TokenAccess(store), ids)


class _Named:
    """TokenAccess with the test's short document names mapped to the stored doc_ids."""

    def __init__(self, access, ids):
        self.access, self.ids = access, ids

    def __getattr__(self, name):
        fn = getattr(self.access, name)

        def call(*args, **kw):
            args = tuple(self._map(a) for a in args)
            out = fn(*args, **kw)
            return self._unmap(out)

        return call

    def _map(self, a):
        if isinstance(a, str) and a in self.ids:
            return self.ids[a]
        if isinstance(a, Mention):
            return a._replace(doc_id=self.ids.get(a.doc_id, a.doc_id))
        if isinstance(a, set):
            return {self._map(x) for x in a}
        if isinstance(a, list):
            return [self._map(x) for x in a]
        if isinstance(a, tuple) and a and isinstance(a[0], str):
            return (self._map(a[0]), *a[1:])
        return a

    def _unmap(self, out):
        back = {v: k for k, v in self.ids.items()}
        if isinstance(out, dict):
            return {k: [m._replace(doc_id=back.get(m.doc_id, m.doc_id)) for m in v] for k, v in out.items()}
        return out


def test_words_and_character_spans(tokens):
    w = tokens.words("d")
    assert w.lemmas == ["our", "good", "be", "widget", "plan", "widget", "and", "long", "term", "widget"]
    assert [TEXT[a:b] for a, b in zip(w.starts, w.ends, strict=True)][:4] == ["Our", "well", "being", "widget"]


def test_span_by_characters():
    w = DocWords(["a", "b", "c"], [0, 4, 8], [3, 7, 11])  # "aaa bbb ccc"
    assert w.span(4, 7) == (1, 2)
    assert w.span(0, 11) == (0, 3)
    assert w.span(3, 4) is None  # only the space between words
    assert w.span(5, 9) == (1, 3)  # any overlap counts
    assert w.span(11, 12) is None


def test_mentions_ignore_token_offsets(tokens):
    # (doc_id, concept, start_token, end_token, variant, start_char, end_char): the token offsets are
    # nonsense (as a --model tokenisation's would be for the stored tokens); the characters decide.
    kept = [
        ("d", "w", 0, 1, "widget", 16, 22),
        ("d", "w", 99, 100, "Widget", 31, 37),
        ("d", "w", 2, 3, "widget", 53, 59),
        ("d", "p", 5, 6, "-", 8, 9),  # punctuation only: dropped
        ("x", "w", 0, 1, "widget", 0, 6),
    ]  # not selected: dropped
    got = tokens.mentions(kept, {"d"})
    assert got == {"w": [Mention("d", 3, 4, "widget"), Mention("d", 5, 6, "widget"), Mention("d", 9, 10, "widget")]}


def test_windows_contexts_passages(tokens):
    # words of e: 0 one 1 two 2 three 3 four 4 five 5 six 6 seven
    assert tokens.window("e", [(3, 4)], 2) == ["two", "three", "five", "six"]
    assert tokens.window("e", [(1, 2), (3, 4)], 2) == ["one", "three", "five", "six"]  # overlap counted once
    assert tokens.context(Mention("e", 0, 1, "one"), 2) == "two three"
    assert tokens.passages(["e"], 3) == ["one two three", "four five six", "seven"]


def test_tfidf_svd_embedder():
    passages = ["alpha beta gamma", "alpha beta delta", "beta gamma delta", "alpha gamma delta"] * 3
    e = TfidfSvd(dims=2, seed=0)
    assert e.params()["fitted"] is None
    vecs = e.fit(passages).transform(["alpha beta", "gamma delta"])
    assert vecs.shape == (2, 2) and np.isfinite(vecs).all()
    p = e.params()
    assert p["method"] == "tfidf-svd" and p["seed"] == 0 and p["svd_dims"] == 2
    assert p["fitted"] == {"passages": 12, "vocabulary": 4, "components": 2}
    with pytest.raises(RuntimeError):
        TfidfSvd().transform(["x"])


def test_collocate_units_keep_only_the_documents_asked_for(tokens):
    """Collocates count every document of a cell but need the units of the mentioned ones again: the rest
    are made, counted and dropped, so memory follows the mentioned documents, not the corpus."""
    from discourse.report.context import CollocateUnits

    d, e = tokens.ids["d"], tokens.ids["e"]
    access = TokenAccess(tokens.access.store)  # a fresh cache: the module's is shared with other tests
    units = CollocateUnits(access, lemma=False, stopwords=frozenset(), keep={d})
    assert units.frequencies(e)["three"] == 1 and e not in units._docs and e not in access._docs
    assert units.frequencies(d)["well-being"] == 1 and d in units._docs and d in access._docs
    assert units.units(e) == CollocateUnits(access, lemma=False, stopwords=frozenset()).units(e)
