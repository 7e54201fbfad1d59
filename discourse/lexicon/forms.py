"""Warnings about lemma expansions that invent words (``discourse lexicon check``).

A ``lemma:`` term is expanded through the lookup lemma table: every form
whose lemma is the lemma of a written word. The table has no parts of
speech, so the expansion can leave the word the author wrote:

* **the written word is not a base form.** ``asset-based``: "based" has the
  lemma "base", so the term also matches "asset base" ("the Trust's asset
  base") and "asset basing". A participle or comparative written in a term is
  an adjective there; its other forms are other words. Rule: a written word
  whose only analyses (below) are a verb's -ed/-ing form or an adjective's
  -er/-est form, that is not its own lemma and that follows another word of
  the term or comes before a noun, keeps only its written form ("personalised
  budget" does not license "personalise budget"); every other form is flagged.
* **the form changes the part of speech.** ``personal budget`` also matches
  "personal budgeting" and "personal budgeted": after an adjective or a
  noun, "budget" is the head noun of the phrase, and -ed/-ing are verb forms
  (a gerund such as "budgeting" is a different noun, with its own lemma).
  Rule: a word after a word that can be an adjective or a noun is read as a
  noun; a form of it with no noun analysis is flagged. Likewise a word that
  can be an adjective, written before a noun, is read as an adjective: its
  forms with no adjective analysis ("personals budget", "directed payment"
  from "direct payment") are flagged.
* **the form is not an inflection at all.** A form the lookup table maps to
  the lemma but that no rule or exception of the rule lemmatizer derives from
  it, in any part of speech (a spelling or derivation, not an inflection).

An *analysis* of a form ``f`` under lemma ``L`` is a (part of speech, kind)
pair from spaCy's rule-lemmatizer tables (``spacy-lookups-data``:
``en_lemma_index``, ``en_lemma_rules``, ``en_lemma_exc``): ``L`` is a known
lemma of that part of speech and ``f`` is ``L`` itself (kind ``base``), or a
suffix rule of that part of speech turns ``f`` into ``L`` (kind = the
suffix), or an exception lists ``f`` -> ``L``. Ordinary expansions have one:
"co-produced" is (verb, ed) of "co-produce", "budgets" (noun, s) of "budget".
"""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from .terms import expand_alternation, inflections, norm_key, split_words

if TYPE_CHECKING:
    from .model import Lexicon, Term

Analysis = tuple[str, str]  # (part of speech, kind)
PARTICIPLE_KINDS = {("verb", "ed"), ("verb", "ing"), ("adj", "er"), ("adj", "est")}
SHOWN = 4  # flagged forms named per term


def _table(name: str) -> dict:
    ref = resources.files("spacy_lookups_data") / "data" / f"en_{name}.json.gz"
    with ref.open("rb") as fh:
        return json.loads(gzip.decompress(fh.read()).decode("utf-8"))


@lru_cache(maxsize=1)
def _rule_tables() -> tuple[dict[str, frozenset[str]], dict[str, list], dict[str, dict[str, list[str]]]]:
    index = {pos: frozenset(v) for pos, v in _table("lemma_index").items()}
    rules = {pos: v for pos, v in _table("lemma_rules").items() if pos in index}
    exc = {pos: v for pos, v in _table("lemma_exc").items() if pos in index}
    return index, rules, exc


def _kind(suffix: str) -> str:
    """A rule's suffix as the kind of inflection: ing, ed, er, est or s (plural/3rd person)."""
    for k in ("ing", "ed", "est", "er"):
        if suffix.endswith(k):
            return k
    return "s"


def analyses(form: str, lemma: str) -> frozenset[Analysis]:
    """Every (part of speech, kind) under which ``form`` is an inflection of ``lemma``."""
    index, rules, exc = _rule_tables()
    f, lem = form.lower(), lemma.lower()
    out: set[Analysis] = set()
    for pos, known in index.items():
        if lem not in known:
            continue
        if f == lem:
            out.add((pos, "base"))
        for suffix, repl in rules.get(pos, ()):
            if suffix and f.endswith(suffix) and f[: len(f) - len(suffix)] + repl == lem:
                out.add((pos, _kind(suffix)))
        if lem in exc.get(pos, {}).get(f, ()):
            out.add((pos, "exc"))
    return frozenset(out)


def _can_be(word: str, parts: tuple[str, ...]) -> bool:
    """Can ``word`` be one of these parts of speech (any inflection)?"""
    from ..nlp import lemma_of

    return any(pos in parts for pos, _ in analyses(word, lemma_of(word)))


def _why(i: int, words: list[str], joined: bool, lw: str, lemma: str, f: str) -> str | None:
    """Why form ``f`` of the i-th written word ``lw`` is not that word, or
    None. ``joined``: the word is hyphenated to the one before (co-produce),
    so the two are one word and the head-noun rule does not apply."""
    own = analyses(lw, lemma)
    a = analyses(f, lemma)
    after = i > 0 and not joined and _can_be(norm_key(words[i - 1]), ("adj", "noun"))
    before_noun = i + 1 < len(words) and _can_be(norm_key(words[i + 1]), ("noun",))
    if lw != lemma and own and own <= PARTICIPLE_KINDS and (i > 0 or before_noun):
        return f"{lw!r} is not a base form: its lemma {lemma!r} is another word here"
    if not a:
        return f"{f!r} is not an inflection of {lemma!r}"
    if after and not any(pos == "noun" for pos, _ in a):
        return f"{f!r} is not a noun form of {lemma!r} (the phrase's head noun)"
    if before_noun and ("adj", "base") in own and not any(pos == "adj" for pos, _ in a):
        return f"{f!r} is not an adjective form of {lemma!r} (it modifies the next word)"
    return None


def _joins(phrase: str, words: list[str]) -> list[bool]:
    """For each word, whether it is hyphenated (or closed up) to the word before."""
    out, pos = [], 0
    for i, w in enumerate(words):
        j = phrase.find(w, pos)
        out.append(i > 0 and j >= 0 and not any(c.isspace() for c in phrase[pos:j]))
        pos = j + len(w) if j >= 0 else pos
    return out


def word_problems(phrase: str) -> tuple[list[str], list[tuple[int, str, str]]]:
    """The words of one written ``phrase`` (no alternation) and (position,
    form, why) for each form that its lemma expansion produces but that is not
    a form of the word as written. The first part of a hyphenated word
    ("co" in co-produce) is not inflected: its other forms ("cos-produce")
    are flagged."""
    from ..nlp import lemma_of

    words = split_words(phrase)
    joins = [*_joins(phrase, words), False]
    out: list[tuple[int, str, str]] = []
    for i, w in enumerate(words):
        lw = norm_key(w)
        lemma = lemma_of(lw)
        for f in sorted(inflections(lw) - {lw}):
            if joins[i + 1]:
                why: str | None = f"{f!r}: the first part of a hyphenated word is not inflected"
            else:
                why = _why(i, words, joins[i], lw, lemma, f)
            if why is not None:
                out.append((i, f, why))
    return words, out


def term_warnings(term: Term) -> list[tuple[list[str], str]]:
    """The invented variants of one lemma term, with the first reason."""
    if not term.lemma:
        return []
    found: list[tuple[list[str], str]] = []
    for alt in expand_alternation(term.text):
        words, problems = word_problems(alt)
        for i, f, why in problems:
            phrase = [norm_key(w) for w in words]
            phrase[i] = f
            found.append((phrase, why))
    return found


def expansion_warnings(lexicon: Lexicon) -> list[str]:
    """One ``file:line: concept 'x': ...`` warning per lemma term whose
    expansion produces forms that are not the written words' own forms."""
    out = []
    for c in lexicon.concepts:
        for t in c.terms:
            found = term_warnings(t)
            if not found:
                continue
            shown = ", ".join(repr(" ".join(p)) for p, _ in found[:SHOWN])
            more = f" and {len(found) - SHOWN} more" if len(found) > SHOWN else ""
            out.append(
                f"{lexicon.path}:{t.line}: concept {c.id!r}: lemma term {t.text!r} also matches "
                f"{shown}{more} ({found[0][1]}); write the forms as a phrase, or add 'unless'"
            )
    return out
