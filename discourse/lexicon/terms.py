"""Words and terms: splitting, inflection, alternation, and compiling a term into its variants.

The rules a term follows (joins, inflection, wildcards, alternation) are
documented in :mod:`discourse.lexicon`.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..chars import JOIN_FOLD, JOINERS

if TYPE_CHECKING:
    from .model import Concept

MAX_VARIANTS = 5000  # per term, after alternation and inflection expansion
MIN_PREFIX = 3

_TERM_BAD_RE = re.compile(r"[^\w\s\-\u2010-\u2013'\u2019&.*()|/]")


def norm_key(s: str) -> str:
    """The key a token is compared by: lower-case, joiners and soft hyphens
    removed, right single quote as apostrophe."""
    return s.lower().translate(JOIN_FOLD)


# --------------------------------------------------------------------------
# word handling shared by terms and patterns


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    from ..nlp import make_nlp

    return make_nlp().tokenizer


@lru_cache(maxsize=1)
def _inflections() -> dict[str, frozenset[str]]:
    from ..nlp import lemma_table

    inv: dict[str, set[str]] = {}
    for form, lemma in lemma_table().items():
        if lemma.isdigit() and not form.isdigit():
            continue
        inv.setdefault(lemma, set()).add(form)
    return {k: frozenset(v) for k, v in inv.items()}


def inflections(word: str) -> frozenset[str]:
    """Every lower-case form whose lookup lemma is the lemma of ``word``."""
    from ..nlp import lemma_of

    lw = word.lower()
    lemma = lemma_of(lw)
    if lemma.isdigit() and not lw.isdigit():
        lemma = lw
    return frozenset({lw, lemma} | _inflections().get(lemma, frozenset()))


# Tokenisations already made (text -> words): filled by split_words, and from a store's cache of
# compiled lexicons (discourse.index.load_lexicon_cached), so a warm run never imports spaCy.
SPLITS: dict[str, tuple[str, ...]] = {}


def split_words(text: str) -> list[str]:
    """Split a phrase the way ingest tokenises, dropping joiners, whitespace
    and (other) punctuation tokens. Returns the words as written."""
    got = SPLITS.get(text)
    if got is None:
        got = SPLITS[text] = tuple(_split_words(text))
    return list(got)


def _split_words(text: str) -> list[str]:
    out = []
    for tok in _tokenizer()(text):
        t = tok.text
        if tok.is_space or set(t) <= JOINERS:
            continue
        if tok.is_punct and t not in ("&",):
            continue
        out.append(t)
    return out


def expand_alternation(text: str) -> list[str]:
    """``(a|b c) d`` -> ``["a d", "b c d"]``. Groups do not nest."""
    parts = re.split(r"(\([^()]*\))", text)
    choices = []
    count = 1
    for p in parts:
        if p.startswith("(") and p.endswith(")"):
            choices.append([a.strip() for a in p[1:-1].split("|")])
        else:
            if "(" in p or ")" in p or "|" in p:
                raise ValueError("unbalanced parentheses or '|' outside a group")
            choices.append([p])
        count *= len(choices[-1])
        if count > MAX_VARIANTS:  # checked while expanding: the product is never built
            raise ValueError(f"term expands to more than {MAX_VARIANTS} variants")
    return [re.sub(r"\s+", " ", "".join(c)).strip() for c in itertools.product(*choices)]


# --------------------------------------------------------------------------
# terms

Variant = tuple[str, ...]


def compile_term(
    text: str, lemma: bool = False, match_case: bool = False
) -> tuple[tuple[Variant, ...], tuple[str, ...]]:
    """Expand a term into (variants, written); raises ValueError."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("empty term")
    bad = _TERM_BAD_RE.search(text)
    if bad:
        raise ValueError(f"character {bad.group(0)!r} is not allowed in a term (an optional word is written (word|))")
    pairs: list[tuple[Variant, str]] = []
    for alt in expand_alternation(text):
        pairs.extend(_alternative(alt, lemma, match_case))
    seen: set[Variant] = set()
    variants: list[Variant] = []
    written: list[str] = []
    for v, w in pairs:
        if v not in seen:
            seen.add(v)
            variants.append(v)
            written.append(w)
    return tuple(variants), tuple(written)


def _alternative(alt: str, lemma: bool, match_case: bool) -> list[tuple[Variant, str]]:
    """The (variant, written form) pairs of one alternative of a term."""
    star = alt.endswith("*")
    core = alt[:-1] if star else alt
    if "*" in core:
        raise ValueError("'*' is allowed only at the end of the last word")
    if star and lemma:
        raise ValueError("a lemma term cannot have a wildcard")
    if star and (not core or core[-1].isspace() or core[-1] in JOINERS):
        raise ValueError("'*' must be attached to a word")
    words = split_words(core)
    if not words:
        raise ValueError(f"term {alt!r} has no words")
    if star and len(norm_key(words[-1])) < MIN_PREFIX:
        raise ValueError(f"wildcard prefix {words[-1]!r} is shorter than {MIN_PREFIX} characters")
    if lemma:
        forms = [sorted(inflections(w)) for w in words]
    else:
        forms = [[w if match_case else norm_key(w)] for w in words]
    count = 1
    for f in forms:
        count *= len(f)
    if count > MAX_VARIANTS:
        raise ValueError(f"term expands to more than {MAX_VARIANTS} variants")
    seps = _separators(core, words)
    out = []
    for combo in itertools.product(*forms):
        v = [c if match_case else norm_key(c) for c in combo]
        if star:
            v[-1] = v[-1] + "*"
        shown = "".join(w + s for w, s in zip(combo, seps, strict=True)) + ("*" if star else "")
        out.append((tuple(v), shown))
    return out


def _separators(core: str, words: list[str]) -> list[str]:
    """The separator written after each word in ``core`` (for display)."""
    seps = []
    pos = 0
    low = core
    for i, w in enumerate(words):
        j = low.find(w, pos)
        if j < 0:
            seps.append(" ")
            continue
        pos = j + len(w)
        if i + 1 < len(words):
            k = low.find(words[i + 1], pos)
            gap = low[pos:k] if k >= 0 else " "
            seps.append(
                "-" if any(c in JOINERS for c in gap) else (" " if gap.strip() == "" and gap else gap.strip() or "")
            )
        else:
            seps.append("")
    return seps


def expand_variants(concept: Concept) -> list[str]:
    """Human-readable variants of every term (for ``discourse lexicon show``).

    Each written form is listed once; hyphenated forms are followed by their
    spaced and closed-up forms. Any space may also be a hyphen or nothing and
    line breaks are allowed between words: see :mod:`discourse.lexicon`.
    """
    out: list[str] = []
    seen: set[str] = set()

    def add(s: str) -> None:
        if s not in seen:
            seen.add(s)
            out.append(s)

    for t in concept.terms:
        for w in t.written:
            suffix = ""
            if t.match_case:
                suffix = " (case-sensitive)"
            if t.context:
                suffix += " [if " + " or ".join(p.text for p in t.context) + "]"
            if t.unless:
                suffix += " [unless " + " or ".join(p.text for p in t.unless) + "]"
            add(w + suffix)
            if "-" in w:
                add(w.replace("-", " ") + suffix)
                add(w.replace("-", "") + suffix)
    return out
