"""The positional index: build it, keep it current, read documents and postings from it.

Every document's tokens are stored at ingest as integer-coded arrays
(:class:`discourse.nlp.DocTokens`, SQL in :mod:`discourse.store.index`), and
posting lists (lower-cased type -> (doc_no, position)) are built when ingest
ends. A store written before the index existed is indexed from its DocBins on
first use (:func:`ensure_index`, with a progress bar on stderr at a
terminal), or explicitly with ``discourse index --rebuild``.

Matching, KWIC, collocates, contexts and the ambiguity samples read the
arrays; nothing here imports spaCy except the DocBin conversion of an old
store.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .errors import StoreError
from .nlp import PUNCT, SPACE, DocTokens, unpack_arrays
from .store import Store

Progress = Callable[[int, int], None]
BATCH = 50


def ensure_index(store: Store, on_progress: Progress | None = None) -> int:
    """Index every document that has no token arrays yet (from its DocBin) and refresh
    stale postings; return the number of documents indexed."""
    todo = store.index.unindexed()
    if todo:
        _index_docbins(store, todo, on_progress or _stderr_bar("indexing"))
    if store.index.postings_stale():
        build_postings(store)
    return len(todo)


def rebuild(store: Store, on_progress: Progress | None = None) -> int:
    """Rebuild the whole index from the stored DocBins (``discourse index --rebuild``)."""
    with store.transaction():
        store.index.clear()
    return ensure_index(store, on_progress)  # None: a bar on stderr at a terminal


def _index_docbins(store: Store, doc_ids: list[str], on_progress: Progress) -> None:
    import spacy

    from .nlp import doc_arrays, doc_from_bytes

    vocab = spacy.blank("en").vocab
    for i in range(0, len(doc_ids), BATCH):
        batch = doc_ids[i : i + BATCH]
        with store.transaction():
            for doc_id in batch:
                strings, blob, n = doc_arrays(doc_from_bytes(store.docbin(doc_id), vocab))
                put_tokens(store, doc_id, strings, blob, n)
        on_progress(min(i + BATCH, len(doc_ids)), len(doc_ids))


def put_tokens(store: Store, doc_id: str, strings: list[str], blob: bytes, n: int) -> None:
    """Store one document's arrays (local type ids mapped to the store's vocabulary); in a transaction."""
    lower, lemma, start, end, flags = unpack_arrays(blob, n)
    gmap = np.asarray(store.index.type_ids(strings), dtype=np.int32) if strings else np.zeros(0, np.int32)
    from .nlp import pack_arrays

    store.index.put(doc_id, n, pack_arrays(gmap[lower], gmap[lemma], start, end, flags))


def build_postings(store: Store) -> None:
    """(Re)build every posting list from the token arrays, in one transaction.

    One stable sort of all (type, doc_no, position) triples by type keeps each
    list in text order. Whitespace tokens are left out."""
    types, docs, pos = [], [], []
    for doc_no, _doc_id, n, blob in store.index.all():
        lower, _lemma, _s, _e, flags = unpack_arrays(blob, n)
        keep = np.flatnonzero((flags & SPACE) == 0).astype(np.int32)
        types.append(lower[keep])
        docs.append(np.full(len(keep), doc_no, dtype=np.int32))
        pos.append(keep)
    rows: list[tuple[int, int, bytes]] = []
    if types:
        t = np.concatenate(types)
        order = np.argsort(t, kind="stable")
        t = t[order]
        pairs = np.empty((len(t), 2), dtype="<i4")
        pairs[:, 0] = np.concatenate(docs)[order]
        pairs[:, 1] = np.concatenate(pos)[order]
        del order
        cuts = np.flatnonzero(np.diff(t)) + 1
        bounds = np.concatenate(([0], cuts, [len(t)]))
        for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
            rows.append((int(t[a]), b - a, pairs[a:b].tobytes()))
    with store.transaction():
        store.index.put_postings(rows)


@dataclass
class IndexReader:
    """Read a store's index: the vocabulary once, then documents and postings on demand."""

    store: Store

    def __post_init__(self) -> None:
        ensure_index(self.store)
        self.strings = self.store.index.strings()
        self._ids: dict[str, int] | None = None
        self._texts: dict[str, str] = {}

    def type_id(self, s: str) -> int | None:
        if self._ids is None:
            self._ids = {w: i for i, w in enumerate(self.strings) if w or i}
        return self._ids.get(s)

    def doc(self, doc_id: str, text: str | None = None) -> DocTokens:
        got = self.store.index.get(doc_id)
        if got is None:
            raise StoreError(f"{self.store.path}: document {doc_id} is not indexed", hint="run `discourse index`")
        _no, n, blob = got
        if text is None:
            text = self.store.text(doc_id)[0]
        return DocTokens(text, self.strings, *unpack_arrays(blob, n))

    def words(self, doc_id: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(lemma ids, start, end) of the document's words (neither whitespace nor punctuation)."""
        got = self.store.index.get(doc_id)
        if got is None:
            raise StoreError(f"{self.store.path}: document {doc_id} is not indexed", hint="run `discourse index`")
        _no, n, blob = got
        _lower, lemma, start, end, flags = unpack_arrays(blob, n)
        w = (flags & (SPACE | PUNCT)) == 0
        return lemma[w], start[w], end[w]

    def docs_with(self, type_ids: Iterable[int]) -> set[str]:
        """doc_ids of the documents where any of ``type_ids`` occurs (from the postings)."""
        names = self.store.index.doc_ids()
        nos: set[int] = set()
        for _t, data in self.store.index.postings(type_ids):
            nos.update(np.frombuffer(data, dtype="<i4")[0::2].tolist())
        return {names[d] for d in nos if d in names}


def _stderr_bar(label: str) -> Progress:
    """A one-line progress bar on stderr when it is a terminal (silent otherwise)."""
    if not sys.stderr.isatty():
        return lambda done, total: None
    t0 = time.monotonic()

    def show(done: int, total: int) -> None:
        width = 30
        fill = int(width * done / max(total, 1))
        eta = (time.monotonic() - t0) / max(done, 1) * (total - done)
        end = "\n" if done >= total else ""
        print(
            f"\r{label} [{'#' * fill}{'.' * (width - fill)}] {done}/{total} docs, {eta:4.0f}s left",
            end=end,
            file=sys.stderr,
            flush=True,
        )

    return show


def load_lexicon_cached(path: str | None, db: str | None) -> Any:
    """``load_lexicon(path)``, with the tokenisations of its terms and pattern words cached in the store.

    The cache (``compiled_lexicons``) is keyed by the SHA-256 of the lexicon
    file and the tokeniser's fingerprint, and holds JSON (text -> words); with
    it a warm run compiles the lexicon without importing spaCy. An edited lexicon
    (a new hash) reuses the tokenisations cached for earlier files with the same
    tokeniser, so only its new or changed texts are tokenised. Without a
    store (or a readable lexicon file) this is plain ``load_lexicon``.
    """
    import hashlib
    import os
    from pathlib import Path

    from .lexicon import DEFAULT_LEXICON, load_lexicon
    from .lexicon import terms as T
    from .nlp import NLP_VERSION
    from .store import now_iso

    try:
        raw = Path(path or DEFAULT_LEXICON).read_bytes()
    except OSError:
        return load_lexicon(path)
    key = hashlib.sha256(raw + b"\0" + NLP_VERSION.encode()).hexdigest()
    if not db or not os.path.exists(db):
        return load_lexicon(path)
    with Store.open(db, create=False) as store:
        cached = store.index.compiled_lexicon(key)
        if isinstance(cached, dict):
            for text, words in cached.get("splits", {}).items():
                T.SPLITS.setdefault(text, tuple(words))
        else:  # an edited lexicon: its unchanged terms keep their tokenisations (they depend on text and tokeniser)
            for other in store.index.compiled_lexicons():
                if isinstance(other, dict) and other.get("nlp") == NLP_VERSION:
                    for text, words in other.get("splits", {}).items():
                        T.SPLITS.setdefault(text, tuple(words))
        lex = load_lexicon(path)
        if cached is None:
            splits = {t: list(w) for t, w in T.SPLITS.items()}
            with store.transaction():
                store.index.put_compiled_lexicon(key, {"splits": splits, "nlp": NLP_VERSION}, now_iso())
    return lex
