"""The spaCy pipeline used at ingest: blank English, a sentencizer, lookup lemmas.

No model is downloaded. Lemmas come from the English lookup table shipped in
``spacy-lookups-data``; the table is case-sensitive, so the lower-cased form is
looked up (and the lower-cased form is the lemma when the table has no entry).

Tokens are stored per document as a spaCy ``DocBin`` (msgpack, no pickle) with
the attributes in :data:`DOCBIN_ATTRS`, so matching and measures never
re-extract or re-tokenise. Nothing is registered with spaCy at import time:
lemmas are set by :func:`set_lemmas` after the pipeline runs.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import resources

import spacy
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, DocBin

from .chars import HYPHENS, TOKEN_SPLIT_DASHES

DOCBIN_ATTRS = ["ORTH", "SPACY", "LEMMA", "SENT_START"]
# Bump when tokenisation or lemmatisation changes; stored with each document.
NLP_VERSION = f"blank-en+sentencizer+lookup-lemma/1 spacy {spacy.__version__}"


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
    db = DocBin(attrs=DOCBIN_ATTRS, store_user_data=False)
    db.add(doc)
    return db.to_bytes()


def doc_from_bytes(data: bytes, vocab) -> Doc:
    db = DocBin(attrs=DOCBIN_ATTRS, store_user_data=False).from_bytes(data)
    return next(iter(db.get_docs(vocab)))
