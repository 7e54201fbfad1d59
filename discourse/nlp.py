"""The spaCy pipeline used at ingest: blank English, a sentencizer, lookup lemmas.

No model is downloaded. Lemmas come from the English lookup table shipped in
``spacy-lookups-data``; the table is case-sensitive, so the lower-cased form is
looked up (and the lower-cased form is the lemma when the table has no entry).

Tokens are stored per document as a spaCy ``DocBin`` (msgpack, no pickle) with
the attributes in :data:`DOCBIN_ATTRS`, and as the integer-coded arrays of
:class:`DocTokens` (the index, :mod:`discourse.store.index`), which matching,
KWIC and the context tables read, so nothing is re-extracted or re-tokenised.
Nothing is registered with spaCy at import time: lemmas are set by
:func:`set_lemmas` after the pipeline runs. spaCy itself is imported only by
the functions that run it, so reading the index never imports it.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata, resources
from typing import TYPE_CHECKING, Any

import numpy as np

from .chars import HYPHENS, TOKEN_SPLIT_DASHES

if TYPE_CHECKING:
    from spacy.tokens import Doc

DOCBIN_ATTRS = ["ORTH", "SPACY", "LEMMA", "SENT_START"]
# Bump when tokenisation or lemmatisation changes; stored with each document.
NLP_VERSION = f"blank-en+sentencizer+lookup-lemma/1 spacy {metadata.version('spacy')}"

# Token flags of the index (one byte per token).
SPACE, PUNCT, LIKE_NUM, ALPHA, SENT_START = 1, 2, 4, 8, 16
_I4 = np.dtype("<i4")


@dataclass
class DocTokens:
    """One document's tokens as integer-coded arrays (the positional index).

    ``lower`` and ``lemma`` are type ids into ``strings`` (the store's vocabulary,
    or a document's own list); ``start``/``end`` are character offsets into
    ``text``; ``flags`` holds :data:`SPACE`, :data:`PUNCT`, :data:`LIKE_NUM`,
    :data:`ALPHA` and :data:`SENT_START` bits. The lemma of a whitespace token is
    its lower-cased form.
    """

    text: str
    strings: Sequence[str]
    lower: np.ndarray
    lemma: np.ndarray
    start: np.ndarray
    end: np.ndarray
    flags: np.ndarray

    def __len__(self) -> int:
        return len(self.lower)

    def tok(self, i: int) -> str:
        """The text of token ``i``."""
        return self.text[int(self.start[i]) : int(self.end[i])]

    def words(self) -> np.ndarray:
        """Positions of the tokens that are neither whitespace nor punctuation."""
        return np.flatnonzero((self.flags & (SPACE | PUNCT)) == 0)


def pack_arrays(lower, lemma, start, end, flags) -> bytes:
    """The index BLOB of one document: four little-endian int32 arrays, then the flag bytes."""
    parts = [np.asarray(a, dtype=_I4).tobytes() for a in (lower, lemma, start, end)]
    return b"".join(parts) + np.asarray(flags, dtype=np.uint8).tobytes()


def unpack_arrays(data: bytes, n: int) -> tuple[np.ndarray, ...]:
    """(lower, lemma, start, end, flags) of a BLOB written by :func:`pack_arrays` for ``n`` tokens."""
    if len(data) != 17 * n:
        raise ValueError(f"index blob of {len(data)} bytes does not hold {n} tokens")
    ints = [np.frombuffer(data, dtype=_I4, count=n, offset=4 * n * k) for k in range(4)]
    return (*ints, np.frombuffer(data, dtype=np.uint8, count=n, offset=16 * n))


def doc_arrays(doc: Doc) -> tuple[list[str], bytes, int]:
    """A spaCy Doc as (its own list of type strings, index BLOB, tokens): what ingest stores.

    Vectorised with ``Doc.to_array``; strings are looked up once per distinct hash."""
    from spacy import attrs as A

    n = len(doc)
    if n == 0:
        return [], b"", 0
    cols = [A.LOWER, A.LEMMA, A.ORTH, A.IDX, A.IS_SPACE, A.IS_PUNCT, A.LIKE_NUM, A.IS_ALPHA, A.SENT_START]
    a = doc.to_array(cols).astype(np.int64)
    lemma_h = np.where(a[:, 1] == 0, a[:, 0], a[:, 1]).astype(np.uint64)
    lower_h = a[:, 0].astype(np.uint64)
    strings_of = doc.vocab.strings
    uniq, inv = np.unique(np.concatenate([lower_h, lemma_h]), return_inverse=True)
    strings = [strings_of[int(h)] for h in uniq.tolist()]
    ou, oinv = np.unique(a[:, 2].astype(np.uint64), return_inverse=True)
    olen = np.fromiter((len(strings_of[int(h)]) for h in ou.tolist()), dtype=np.int64, count=len(ou))
    start = a[:, 3]
    end = start + olen[oinv.reshape(-1)]
    flags = (
        a[:, 4] * SPACE + a[:, 5] * PUNCT + a[:, 6] * LIKE_NUM + a[:, 7] * ALPHA + (a[:, 8] == 1) * SENT_START
    ).astype(np.uint8)
    inv = inv.reshape(-1)
    return strings, pack_arrays(inv[:n], inv[n:], start, end, flags), n


def doc_tokens(doc: Doc) -> DocTokens:
    """A spaCy Doc (e.g. from ``--model``) as :class:`DocTokens` with its own strings."""
    strings, blob, n = doc_arrays(doc)
    return DocTokens(doc.text, strings, *unpack_arrays(blob, n))


@lru_cache(maxsize=1)
def lemma_table() -> dict[str, str]:
    """The English lemma lookup table (inflected form -> lemma), all lower-case keys."""
    ref = resources.files("spacy_lookups_data") / "data" / "en_lemma_lookup.json.gz"
    with ref.open("rb") as fh:
        table = json.loads(gzip.decompress(fh.read()).decode("utf-8"))
    out: dict[str, str] = {}
    for k, v in table.items():
        lk = k.lower()
        if lk not in out or k == lk:
            out[lk] = v.lower()
    return out


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """A shipped English word list: the lemma table's keys and lemmas, lower-case."""
    t = lemma_table()
    return frozenset(t.keys()) | frozenset(t.values())


def lemma_of(word: str) -> str:
    """Lookup lemma of ``word`` (lower-cased); the lower-cased word if unknown."""
    lw = word.lower()
    return lemma_table().get(lw, lw)


def make_nlp(model: str | None = None):
    """Build the ingest pipeline. ``model`` names a trained pipeline (optional)."""
    import spacy
    from spacy.tokenizer import Tokenizer

    if model:
        try:
            nlp = spacy.load(model)
        except OSError as exc:
            from .errors import DiscourseError

            raise DiscourseError(
                f"cannot load spaCy pipeline {model!r}: {str(exc).splitlines()[0][:200]}",
                hint="--model takes an installed pipeline package or a path to one",
            ) from None
        if not nlp.has_pipe("parser") and not nlp.has_pipe("senter") and not nlp.has_pipe("sentencizer"):
            nlp.add_pipe("sentencizer")
        return nlp
    nlp = spacy.blank("en")
    tokenizer = nlp.tokenizer
    if not isinstance(tokenizer, Tokenizer):  # pragma: no cover - spacy.blank always builds one
        raise TypeError(f"unexpected spaCy tokenizer {type(tokenizer).__name__}")
    # A dash at the end of a token ("co-" before a line break) is split off,
    # so "co-\nproduction" tokenises like "co-production".
    suffixes = [*(nlp.Defaults.suffixes or ()), f"[{_char_class(TOKEN_SPLIT_DASHES)}]+"]
    tokenizer.suffix_search = spacy.util.compile_suffix_regex(suffixes).search
    # U+2010/U+2011 between letters split like a hyphen-minus does.
    infixes = [*(nlp.Defaults.infixes or ()), rf"(?<=[^\W\d_])[{_char_class(HYPHENS)}](?=[^\W\d_])"]
    tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer
    nlp.add_pipe("sentencizer")
    nlp.max_length = 50_000_000
    return nlp


def _char_class(chars: str) -> str:
    """The inside of a regex character class matching exactly ``chars``."""
    return "".join(re.escape(c) for c in chars)


def set_lemmas(doc: Doc) -> Doc:
    """Set every token's lemma from the lookup table (lower-cased lookup)."""
    table = lemma_table()
    for tok in doc:
        if tok.is_space:
            continue
        lw = tok.lower_
        lemma = table.get(lw, lw)
        # The table maps some words to digits ("second" -> "2"); keep the word.
        tok.lemma_ = lw if (lemma.isdigit() and not lw.isdigit()) else lemma
    return doc


def tokenise(nlp, texts: Iterable[str]) -> Iterator[Doc]:
    """Tokenise, split sentences and lemmatise each text."""
    for doc in nlp.pipe(texts, batch_size=8):
        yield set_lemmas(doc)


def count_words(doc: Doc) -> int:
    """``words``: tokens that are neither punctuation nor whitespace.

    This is the single denominator every measure uses.
    """
    return sum(1 for t in doc if not (t.is_punct or t.is_space))


def count_ws_words(text: str) -> int:
    """``ws_words``: whitespace-separated count, kept only to compare with other tools."""
    return len(text.split())


def doc_to_bytes(doc: Doc) -> bytes:
    from spacy.tokens import DocBin

    db = DocBin(attrs=DOCBIN_ATTRS, store_user_data=False)
    db.add(doc)
    return db.to_bytes()


def doc_from_bytes(data: bytes, vocab: Any) -> Doc:
    from spacy.tokens import DocBin

    db = DocBin(attrs=DOCBIN_ATTRS, store_user_data=False).from_bytes(data)
    return next(iter(db.get_docs(vocab)))
