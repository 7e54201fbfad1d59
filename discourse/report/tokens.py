"""Token access for the context tables: word lemmas per document, mentions as word spans, windows.

Everything here reads the positional index built at ingest
(:mod:`discourse.index`; never a DocBin). A *word* is a token that is
neither punctuation nor whitespace (the same tokens ``words`` counts); word
positions index a document's list of word lemmas.

Mentions are placed on the stored words through their CHARACTER offsets, never
their token offsets: with ``--model`` a mention's ``start_token``/``end_token``
index the model's own tokenisation of the text, which need not line up with
the stored tokens, while character offsets index the same stored text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from ..annotate import fold_variant
from ..store import Store


@dataclass(frozen=True)
class DocWords:
    """One document's word tokens: lower-cased lemmas and character spans, in text order."""

    lemmas: list[str]  # the store's vocabulary strings, shared: a pointer per word
    starts: np.ndarray  # character offset of each word (int32: Python ints cost 36 bytes a word each)
    ends: np.ndarray  # character offset just past each word

    def span(self, start_char: int, end_char: int) -> tuple[int, int] | None:
        """(first word, last word + 1) of the words overlapping ``[start_char, end_char)``; None if none."""
        a = int(np.searchsorted(self.ends, start_char, side="right"))  # first word ending after start_char
        b = int(np.searchsorted(self.starts, end_char, side="left"))  # words starting before end_char
        return (a, b) if a < b else None


class Mention(NamedTuple):
    """A kept mention placed on the stored words."""

    doc_id: str
    start: int  # first word index
    end: int  # last word index + 1
    variant: str  # folded (fold_variant)


class TokenAccess:
    """Stored tokens of a store's documents, loaded on first use and kept."""

    def __init__(self, store: Store):
        self.store = store
        self._docs: dict[str, DocWords] = {}
        self._reader: Any = None

    def words(self, doc_id: str, *, keep: bool = True) -> DocWords:
        """The document's words, loaded once and kept (``keep=False``: not kept, for a one-off pass)."""
        got = self._docs.get(doc_id)
        if got is None:
            if self._reader is None:
                from ..index import IndexReader

                self._reader = IndexReader(self.store)
            lemma, start, end = self._reader.words(doc_id)
            strings = self._reader.strings
            got = DocWords([strings[i] for i in lemma.tolist()], start, end)
            if keep:
                self._docs[doc_id] = got
        return got

    def lemmas(self, doc_id: str) -> list[str]:
        return self.words(doc_id).lemmas

    def mentions(self, kept: Iterable[tuple[Any, ...]], doc_ids: set[str]) -> dict[str, list[Mention]]:
        """concept -> mentions in ``doc_ids``, in the order of ``kept``.

        ``kept`` yields ``Store.kept_mentions`` rows: (doc_id, concept, start_token, end_token, variant,
        start_char, end_char). A mention that covers no word (only punctuation) is dropped.
        """
        out: dict[str, list[Mention]] = {}
        for doc_id, concept, _st, _et, variant, start_char, end_char in kept:
            if doc_id not in doc_ids:
                continue
            span = self.words(doc_id).span(start_char, end_char)
            if span is not None:
                out.setdefault(concept, []).append(Mention(doc_id, span[0], span[1], fold_variant(variant)))
        return out

    def window(self, doc_id: str, spans: Iterable[tuple[int, int]], w: int) -> list[str]:
        """Lemmas within ``w`` words of any span, each position counted once, the spans themselves left out."""
        lemmas = self.lemmas(doc_id)
        masked: set[int] = set()
        pos: set[int] = set()
        for a, b in spans:
            masked.update(range(a, b))
            pos.update(range(max(0, a - w), a))
            pos.update(range(b, min(len(lemmas), b + w)))
        return [lemmas[i] for i in sorted(pos - masked)]

    def context(self, m: Mention, w: int) -> str:
        """The ``w`` lemmas before and the ``w`` after a mention, as one space-separated string."""
        lemmas = self.lemmas(m.doc_id)
        return " ".join(lemmas[max(0, m.start - w) : m.start] + lemmas[m.end : m.end + w])

    def passages(self, doc_ids: Iterable[str], size: int) -> list[str]:
        """Each document cut into consecutive passages of ``size`` lemmas."""
        out: list[str] = []
        for doc_id in doc_ids:
            lemmas = self.lemmas(doc_id)
            out.extend(" ".join(lemmas[i : i + size]) for i in range(0, len(lemmas), size))
        return out
