"""Concept lexicons: a YAML file of concepts, their terms and their exclusions.

File format
===========

.. code-block:: yaml

    name: adult-social-care          # optional (default: the file's stem)
    version: 1                        # optional integer (default 1)
    description: ...                  # optional
    concepts:
      - id: co-production             # required: letters, digits, '-', '_'
        label: Co-production          # optional (default: the id)
        family: transformation        # optional (default: "default")
        description: ...              # optional
        terms:                        # required, at least one
          - co-production             # a phrase
          - lemma: co-produce         # every inflection of every word
          - co-produc*                # a wildcard over the last word
          - phrase: SDS               # the long form of a term ...
            match_case: true          # ... case-sensitive
          - phrase: partnership
            context: "MATCH {0,2} (with|between)"   # only where this holds
            unless: "civil MATCH"                  # never where this holds
        exclude:                      # optional
          - pattern: "(film|radio) {0,3} MATCH"
            reason: arts or media co-production    # optional
            scope: sentence           # optional: sentence (default) | text
        sources: ["..."]              # optional list of strings

Unknown keys anywhere are errors (a misspelt ``exlude`` must not silently
switch exclusions off). ``family`` groups concepts that compete for share of
voice; a concept without one is in the family ``default``, so in a lexicon
without families every concept competes with every other.

Terms
=====

A term is a phrase of one or more words. Matching is case-insensitive (unless
``match_case: true``) and compares the lower-cased written form of each token.

* **Joins.** Between two words of a term, the document may have a hyphen
  (hyphen-minus, U+2010, U+2011, U+2012, en dash; not an em dash), a space,
  whitespace tokens (line breaks) or nothing at all, whatever the term itself
  uses. ``co-production`` therefore matches "co-production", "Co-Production",
  "co production", "co- production", "co-\\nproduction", "co–production" and
  "coproduction", and ``personal budget`` matches "personal\\nbudget" and
  "personal-budget". A term written closed up (``coproduction``) matches only
  the closed form: write terms with their hyphen or space.
* **Inflection.** A plain phrase matches its words as written (so list plurals,
  or use ``lemma:``). ``lemma: work in partnership`` matches every form that
  the English lookup table (the one ingest lemmatises with) maps to the same
  lemma, for every word: "working in partnership", "works in partnerships"...
  Matching does not read the document's LEMMA attribute, so results do not
  depend on the pipeline that tokenised the document.
* **Wildcard.** A ``*`` at the end of the last word matches any token that
  starts with what precedes it: ``co-produc*`` matches "co-producers",
  "coproductive", "co-\\nproducing" (the prefix must have 3+ characters).
* **Alternation.** ``(personal|individual) budgets`` is shorthand for two
  terms; an alternative may have several words (``(the big|big) society``)
  or none, which makes a word optional: ``capacity of (the|) community``.
* **Context.** ``context:`` (a pattern or a list of patterns, see below) keeps
  a term only where at least one pattern holds around it; ``unless:`` drops
  it where any of its patterns holds. Either way a dropped term simply does
  not match (nothing is reported, unlike a concept's ``exclude``). Use them
  to narrow broad words.

Overlaps: all terms of all concepts are matched at every position; a match
whose ``context`` fails or whose ``unless`` holds is dropped; then the
longest match (in characters) wins, ties going to the concept listed first
in the lexicon (then its first term); a match overlapping a winner is
dropped. So "personal budget" counted
under one concept is never also a hit for a concept whose term is "budget".

Context and exclude patterns
============================

Used by a term's ``context`` and a concept's ``exclude``. A pattern is a
sequence of space-separated elements with exactly one ``MATCH``::

    MATCH           the matched term; MATCH:cap requires its first letter
                    to be upper-case ("Partnership", not "partnership")
    word            a word, case-insensitive; hyphenated words are read as
                    several words ("public-private" = "public private")
    word*           any word starting with "word"
    lemma:word      any inflection of "word" (same lookup table as terms)
    CAP             any word written with an upper-case first letter
    (a|b c|d*)      alternation; each alternative is one or more words;
                    an empty alternative makes the group optional: (the|)
    {n} / {m,n}     a gap of exactly n / from m to n words (n <= 50)

Elements left of ``MATCH`` must occur in order and end right before the match
(a gap is how to say "within N words"); elements right of it must start right
after it. Examples::

    (film|radio|bbc) {0,3} MATCH     one of these within 3 words before
    MATCH {0,3} (film|festival)      ... within 3 words after
    MATCH:cap {0,2} (nhs|trust)      a capitalised match before "NHS"/"Trust"
    CAP MATCH:cap                    a capitalised match after a capitalised
                                     word (inside a proper name)
    civil MATCH                      right before

Distances count *words*: tokens that are neither punctuation nor whitespace,
so "BBC, co-production" has "bbc" right before the match. A pattern looks
only inside the sentence that contains the match, the same window reported
as the mention's sentence (at most 60 tokens either side). Written as a
mapping, an exclude (or a context) can take ``scope: text`` to look across
sentence boundaries, still at most 60 tokens either side::

    exclude:
      - pattern: "(farm*|agricultur*) {0,15} MATCH"
        scope: text            # "... the EU's Common Agricultural Policy.
        reason: farm payments  #  Direct payments provide stability ..."

    terms:
      - phrase: partnership
        context:
          - "MATCH {0,2} (with|between)"          # a plain pattern
          - {pattern: "working {0,3} MATCH", scope: text}

Exclusions are applied after overlaps are resolved; an excluded mention is
still reported with ``excluded=True`` and the ``reason`` of the first
exclusion (in file order) that holds (an exclusion without a ``reason``
reports its pattern). Patterns may cover at most 50-word gaps and never
look further than 60 tokens from the match.

Content hash
============

``Lexicon.content_hash`` is the SHA-256 of the canonical JSON (sorted keys,
no insignificant whitespace, UTF-8) of the YAML data as parsed. Comments,
indentation, key order and quoting do not change it; any change to a value
does. Results stored with one hash are stale under another.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .errors import LexiconError

DEFAULT_LEXICON_DIR = Path(__file__).resolve().parent.parent / "lexicons"
DEFAULT_LEXICON = DEFAULT_LEXICON_DIR / "adult-social-care.yaml"
DEFAULT_FAMILY = "default"

MAX_GAP = 50
MAX_VARIANTS = 5000  # per term, after alternation and inflection expansion
MIN_PREFIX = 3

# Characters that join the parts of a compound like a hyphen does.
JOINERS = frozenset("-\u2010\u2011\u2012\u2013")
_JOIN_TRANS = {ord(c): None for c in JOINERS | {"\u00ad"}}
_JOIN_TRANS[ord("\u2019")] = "'"

_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]*$")
TOP_KEYS = {"name", "version", "description", "concepts"}
CONCEPT_KEYS = {"id", "label", "family", "description", "terms", "exclude", "sources"}
TERM_KEYS = {"phrase", "lemma", "context", "unless", "match_case"}
EXCLUDE_KEYS = {"pattern", "reason", "scope"}
CONTEXT_KEYS = {"pattern", "scope"}
SCOPES = ("sentence", "text")


def norm_key(s: str) -> str:
    """The key a token is compared by: lower-case, joiners and soft hyphens
    removed, right single quote as apostrophe."""
    return s.lower().translate(_JOIN_TRANS)


# --------------------------------------------------------------------------
# word handling shared by terms and patterns


@lru_cache(maxsize=1)
def _tokenizer():
    from .nlp import make_nlp

    return make_nlp().tokenizer


@lru_cache(maxsize=1)
def _inflections() -> dict[str, frozenset[str]]:
    from .nlp import lemma_table

    inv: dict[str, set[str]] = {}
    for form, lemma in lemma_table().items():
        if lemma.isdigit() and not form.isdigit():
            continue
        inv.setdefault(lemma, set()).add(form)
    return {k: frozenset(v) for k, v in inv.items()}


def inflections(word: str) -> frozenset[str]:
    """Every lower-case form whose lookup lemma is the lemma of ``word``."""
    from .nlp import lemma_of

    lw = word.lower()
    lemma = lemma_of(lw)
    if lemma.isdigit() and not lw.isdigit():
        lemma = lw
    return frozenset({lw, lemma} | _inflections().get(lemma, frozenset()))


def split_words(text: str) -> list[str]:
    """Split a phrase the way ingest tokenises, dropping joiners, whitespace
    and (other) punctuation tokens. Returns the words as written."""
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
    for p in parts:
        if p.startswith("(") and p.endswith(")"):
            choices.append([a.strip() for a in p[1:-1].split("|")])
        else:
            if "(" in p or ")" in p or "|" in p:
                raise ValueError("unbalanced parentheses or '|' outside a group")
            choices.append([p])
    return [re.sub(r"\s+", " ", "".join(c)).strip() for c in itertools.product(*choices)]


# --------------------------------------------------------------------------
# patterns


@dataclass(frozen=True)
class WordTest:
    """One word position: ``kind`` is 'in' (value: frozenset of keys),
    'prefix' (value: str) or 'cap' (value: None)."""

    kind: str
    value: Any = None

    def test(self, key: str, orth: str) -> bool:
        if self.kind == "in":
            return key in self.value
        if self.kind == "prefix":
            return key.startswith(self.value)
        return orth[:1].isupper()


@dataclass(frozen=True)
class Alt:
    """Alternatives, each a sequence of word tests (written order).

    For speed the one-word alternatives are also folded into ``keys`` (a set
    of keys), ``prefixes`` and ``cap``; ``multi`` keeps the longer ones and
    ``empty`` says whether the group is optional."""

    options: tuple[tuple[WordTest, ...], ...]
    keys: frozenset = field(default=frozenset(), compare=False, repr=False)
    prefixes: tuple = field(default=(), compare=False, repr=False)
    cap: bool = field(default=False, compare=False, repr=False)
    multi: tuple = field(default=(), compare=False, repr=False)
    empty: bool = field(default=False, compare=False, repr=False)

    @classmethod
    def of(cls, options) -> "Alt":
        keys: set[str] = set()
        prefixes: list[str] = []
        cap = False
        multi = []
        empty = False
        for o in options:
            if not o:
                empty = True
            elif len(o) == 1:
                t = o[0]
                if t.kind == "in":
                    keys |= t.value
                elif t.kind == "prefix":
                    prefixes.append(t.value)
                else:
                    cap = True
            else:
                multi.append(o)
        return cls(tuple(options), frozenset(keys), tuple(prefixes), cap, tuple(multi), empty)

    def lengths(self, words, i: int):
        """The numbers of words this group can cover starting at ``i``."""
        out = []
        if self.empty:
            out.append(0)
        if i < len(words):
            key, orth = words[i]
            if key in self.keys or (self.prefixes and key.startswith(self.prefixes)) \
                    or (self.cap and orth[:1].isupper()):
                out.append(1)
            for o in self.multi:
                n = len(o)
                if i + n <= len(words) and all(t.test(*words[i + j]) for j, t in enumerate(o)):
                    out.append(n)
        return out


@dataclass(frozen=True)
class Gap:
    min: int
    max: int


@dataclass(frozen=True)
class Pattern:
    """A compiled context/exclude pattern. ``before`` and ``after`` are the
    elements left and right of MATCH, in written order."""

    text: str
    before: tuple[Alt | Gap, ...]
    after: tuple[Alt | Gap, ...]
    match_cap: bool = False
    line: int = 0
    scope: str = "sentence"
    # ``before`` reversed (nearest element first), for matching leftwards
    rbefore: tuple = field(default=(), compare=False, repr=False)


_PAT_TOKEN_RE = re.compile(r"\([^()]*\)|\{[^{}]*\}|[^\s(){}]+|[(){}]")


def _word_test(word: str) -> list[WordTest]:
    """Compile one written pattern word (may expand to several words)."""
    if word == "CAP":
        return [WordTest("cap")]
    if word.startswith("lemma:"):
        w = word[len("lemma:"):]
        if not w or "*" in w:
            raise ValueError(f"bad lemma word {word!r}")
        parts = split_words(w)
        if not parts:
            raise ValueError(f"bad lemma word {word!r}")
        return [WordTest("in", inflections(p)) for p in parts]
    star = word.endswith("*")
    core = word[:-1] if star else word
    if "*" in core:
        raise ValueError(f"'*' only at the end of a word: {word!r}")
    if not core.strip() and not star:
        raise ValueError("empty word")
    parts = split_words(core) if core else []
    if star:
        if not parts and core:
            raise ValueError(f"bad wildcard {word!r}")
        if not parts:
            raise ValueError("a bare '*' is not allowed; use a gap {0,1}")
        tests = [WordTest("in", frozenset({norm_key(p)})) for p in parts[:-1]]
        tests.append(WordTest("prefix", norm_key(parts[-1])))
        return tests
    if not parts:
        raise ValueError(f"{word!r} has no word characters")
    return [WordTest("in", frozenset({norm_key(p)})) for p in parts]


def compile_pattern(text: str, line: int = 0, scope: str = "sentence") -> Pattern:
    """Parse a pattern; raises ValueError with a reason."""
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {', '.join(SCOPES)}")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("empty pattern")
    before: list = []
    after: list = []
    seen_match = False
    match_cap = False
    for tok in _PAT_TOKEN_RE.findall(text):
        target = after if seen_match else before
        if tok in ("MATCH", "MATCH:cap"):
            if seen_match:
                raise ValueError("MATCH appears more than once")
            seen_match = True
            match_cap = tok == "MATCH:cap"
        elif tok in ("(", ")", "{", "}"):
            raise ValueError(f"unbalanced {tok!r}")
        elif tok.startswith("{"):
            m = re.fullmatch(r"\{\s*(\d+)\s*(?:,\s*(\d+)\s*)?\}", tok)
            if not m:
                raise ValueError(f"bad gap {tok!r} (use {{n}} or {{m,n}})")
            lo = int(m.group(1))
            hi = int(m.group(2)) if m.group(2) is not None else lo
            if lo > hi:
                raise ValueError(f"bad gap {tok!r}: min > max")
            if hi > MAX_GAP:
                raise ValueError(f"gap {tok!r} is wider than {MAX_GAP} words")
            target.append(Gap(lo, hi))
        elif tok.startswith("("):
            inner = tok[1:-1]
            opts = []
            alts = inner.split("|")
            if not any(a.strip() for a in alts):
                raise ValueError(f"empty group {tok!r}")
            for alt in alts:
                words = alt.split()  # none: an empty alternative (optional group)
                tests: list[WordTest] = []
                for w in words:
                    if w.startswith("MATCH"):
                        raise ValueError("MATCH cannot be inside a group")
                    tests.extend(_word_test(w))
                opts.append(tuple(tests))
            target.append(Alt.of(opts))
        elif "|" in tok:
            raise ValueError(f"'|' outside a group in {tok!r}")
        elif tok.startswith("MATCH"):
            raise ValueError(f"unknown keyword {tok!r} (MATCH or MATCH:cap)")
        else:
            tests = _word_test(tok)
            target.append(Alt.of((tuple(tests),)))
    if not seen_match:
        raise ValueError("no MATCH in pattern")
    if not before and not after:
        raise ValueError("pattern has nothing but MATCH")
    if all(isinstance(e, Gap) for e in before + after):
        raise ValueError("pattern has only gaps around MATCH")
    return Pattern(text=text, before=tuple(before), after=tuple(after),
                   match_cap=match_cap, line=line, scope=scope,
                   rbefore=_reverse(tuple(before)))


def _match_seq(elems, words, i: int) -> bool:
    """Do ``elems`` match ``words`` starting at index i (forward)?
    ``words`` is a list of (key, orth); backtracks over gaps."""
    if not elems:
        return True
    e = elems[0]
    rest = elems[1:]
    if isinstance(e, Gap):
        for k in range(e.min, e.max + 1):
            if i + k > len(words):
                break
            if _match_seq(rest, words, i + k):
                return True
        return False
    for n in e.lengths(words, i):
        if _match_seq(rest, words, i + n):
            return True
    return False


def _reverse(elems):
    out = []
    for e in reversed(elems):
        if isinstance(e, Gap):
            out.append(e)
        else:
            out.append(Alt.of(tuple(tuple(reversed(o)) for o in e.options)))
    return tuple(out)


def pattern_holds(p: Pattern, left, right, match_text: str) -> bool:
    """``left``: words before the match, nearest first; ``right``: words
    after it, nearest first. Each word is (key, orth)."""
    if p.match_cap and not match_text[:1].isupper():
        return False
    return _match_seq(p.after, right, 0) and _match_seq(p.rbefore, left, 0)


# --------------------------------------------------------------------------
# data model


@dataclass(frozen=True)
class Term:
    """One term. ``variants`` are word sequences (normalised keys; original
    case when ``match_case``); the last word of a wildcard term ends in '*'.
    ``written`` holds the same sequences with the term's own separators, for
    display."""

    text: str
    lemma: bool = False
    match_case: bool = False
    context: tuple[Pattern, ...] = ()
    line: int = 0
    variants: tuple[tuple[str, ...], ...] = ()
    unless: tuple[Pattern, ...] = ()
    written: tuple[str, ...] = ()


@dataclass(frozen=True)
class Exclude:
    pattern: Pattern
    reason: str
    line: int = 0


@dataclass(frozen=True)
class Concept:
    id: str
    label: str
    family: str
    description: str
    terms: tuple[Term, ...]
    excludes: tuple[Exclude, ...] = ()
    sources: tuple[str, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class Lexicon:
    name: str
    version: int
    path: str
    concepts: tuple[Concept, ...]
    content_hash: str
    description: str = ""
    canonical_json: str = ""  # the canonical JSON that content_hash is the hash of

    def canonical(self) -> object:
        """The parsed lexicon content that :attr:`content_hash` identifies."""
        return json.loads(self.canonical_json) if self.canonical_json else None

    def families(self) -> dict[str, list[str]]:
        """family -> concept ids, both in lexicon order."""
        out: dict[str, list[str]] = {}
        for c in self.concepts:
            out.setdefault(c.family, []).append(c.id)
        return out

    def concept(self, cid: str) -> Concept:
        for c in self.concepts:
            if c.id == cid:
                return c
        raise KeyError(cid)

    @property
    def ids(self) -> list[str]:
        return [c.id for c in self.concepts]


_TERM_BAD_RE = re.compile(r"[^\w\s\-\u2010-\u2013'\u2019&.*()|/]")


def compile_term(text: str, lemma: bool = False, match_case: bool = False):
    """Expand a term into (variants, written); raises ValueError."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("empty term")
    bad = _TERM_BAD_RE.search(text)
    if bad:
        raise ValueError(f"character {bad.group(0)!r} is not allowed in a term "
                         "(an optional word is written (word|))")
    variants: list[tuple[str, ...]] = []
    written: list[str] = []
    for alt in expand_alternation(text):
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
        for combo in itertools.product(*forms):
            v = [c if match_case else norm_key(c) for c in combo]
            if star:
                v[-1] = v[-1] + "*"
            variants.append(tuple(v))
            written.append("".join(w + s for w, s in zip(combo, seps)) + ("*" if star else ""))
    seen = set()
    uv, uw = [], []
    for v, w in zip(variants, written):
        if v not in seen:
            seen.add(v)
            uv.append(v)
            uw.append(w)
    return tuple(uv), tuple(uw)


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
            seps.append("-" if any(c in JOINERS for c in gap) else (" " if gap.strip() == "" and gap else gap.strip() or ""))
        else:
            seps.append("")
    return seps


def expand_variants(concept: Concept) -> list[str]:
    """Human-readable variants of every term (for ``discourse lexicon show``).

    Each written form is listed once; hyphenated forms are followed by their
    spaced and closed-up forms. Any space may also be a hyphen or nothing and
    line breaks are allowed between words: see the module docstring.
    """
    out: list[str] = []
    seen: set[str] = set()

    def add(s: str):
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


# --------------------------------------------------------------------------
# loading and checking


class _Collector:
    def __init__(self, path: str):
        self.path = path
        self.errors: list[tuple[int, str]] = []

    def add(self, node_or_line, reason: str):
        line = node_or_line if isinstance(node_or_line, int) else _line(node_or_line)
        self.errors.append((line, reason))

    def messages(self) -> list[str]:
        return [f"{self.path}:{ln}: {r}" for ln, r in self.errors]


def _line(node) -> int:
    return node.start_mark.line + 1 if node is not None and node.start_mark else 1


def _scalar(node) -> Any:
    """Construct a scalar node's Python value (safe types only)."""
    c = yaml.constructor.SafeConstructor()
    return c.construct_object(node, deep=True)


def _mapping(node, col: _Collector, what: str, allowed: set[str]):
    """A MappingNode as {key: (key_node, value_node)}; reports duplicates and
    unknown keys. Returns None if ``node`` is not a mapping."""
    if not isinstance(node, yaml.MappingNode):
        col.add(node, f"{what} must be a mapping")
        return None
    out: dict[str, tuple] = {}
    for kn, vn in node.value:
        if not isinstance(kn, yaml.ScalarNode):
            col.add(kn, f"{what}: keys must be plain strings")
            continue
        k = kn.value
        if k in out:
            col.add(kn, f"{what}: duplicate key {k!r}")
            continue
        if k not in allowed:
            col.add(kn, f"{what}: unknown key {k!r} (allowed: {', '.join(sorted(allowed))})")
            continue
        out[k] = (kn, vn)
    return out


def _str(node, col: _Collector, what: str, required: bool = True) -> str | None:
    if not isinstance(node, yaml.ScalarNode):
        col.add(node, f"{what} must be a string")
        return None
    val = _scalar(node)
    if val is None:
        if required:
            col.add(node, f"{what} is empty")
        return None
    if isinstance(val, bool) or not isinstance(val, (str, int, float)):
        col.add(node, f"{what} must be a string")
        return None
    s = str(val).strip()
    if required and not s:
        col.add(node, f"{what} is empty")
        return None
    return s


def _patterns(node, col: _Collector, what: str) -> tuple[Pattern, ...]:
    nodes = node.value if isinstance(node, yaml.SequenceNode) else [node]
    if isinstance(node, yaml.SequenceNode) and not nodes:
        col.add(node, f"{what}: empty list")
    out = []
    for pn in nodes:
        scope = "sentence"
        if isinstance(pn, yaml.MappingNode):
            m = _mapping(pn, col, what, CONTEXT_KEYS)
            if m is None:
                continue
            if "pattern" not in m:
                col.add(pn, f"{what}: no 'pattern'")
                continue
            if "scope" in m:
                scope = _str(m["scope"][1], col, f"{what}: scope") or "sentence"
            pn = m["pattern"][1]
        s = _str(pn, col, what)
        if s is None:
            continue
        try:
            out.append(compile_pattern(s, _line(pn), scope))
        except ValueError as e:
            col.add(pn, f"{what}: bad pattern {s!r}: {e}")
    return tuple(out)


def _term(node, col: _Collector, cid: str) -> Term | None:
    what = f"concept {cid!r}: term"
    line = _line(node)
    lemma = False
    match_case = False
    context: tuple[Pattern, ...] = ()
    unless: tuple[Pattern, ...] = ()
    if isinstance(node, yaml.ScalarNode):
        text = _str(node, col, what)
    else:
        m = _mapping(node, col, what, TERM_KEYS)
        if m is None:
            return None
        if ("phrase" in m) == ("lemma" in m):
            col.add(node, f"{what}: give exactly one of 'phrase' or 'lemma'")
            return None
        lemma = "lemma" in m
        text = _str(m["lemma" if lemma else "phrase"][1], col, what)
        if "match_case" in m:
            vn = m["match_case"][1]
            v = _scalar(vn) if isinstance(vn, yaml.ScalarNode) else None
            if not isinstance(v, bool):
                col.add(vn, f"{what}: match_case must be true or false")
            elif v and lemma:
                col.add(vn, f"{what}: match_case cannot be combined with lemma")
            else:
                match_case = v
        if "context" in m:
            context = _patterns(m["context"][1], col, f"concept {cid!r}: context")
        if "unless" in m:
            unless = _patterns(m["unless"][1], col, f"concept {cid!r}: unless")
    if text is None:
        return None
    try:
        variants, written = compile_term(text, lemma=lemma, match_case=match_case)
    except ValueError as e:
        col.add(line, f"{what} {text!r}: {e}")
        return None
    return Term(text=text, lemma=lemma, match_case=match_case, context=context,
                line=line, variants=variants, written=written, unless=unless)


def _parse(path: Path, label: str):
    """Parse and validate; returns (lexicon or None, error messages)."""
    col = _Collector(label)
    try:
        raw = path.read_bytes()
    except OSError as e:
        return None, [f"{label}:1: cannot read lexicon: {e.strerror or e}"]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        return None, [f"{label}:{line}: not UTF-8 text"]
    try:
        loader = yaml.SafeLoader(text)
        try:
            root = loader.get_single_node()
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        line = mark.line + 1 if mark is not None else 1
        reason = getattr(e, "problem", None) or str(e).splitlines()[0]
        ctx = getattr(e, "context", None)
        cmark = getattr(e, "context_mark", None)
        if ctx and cmark is not None and cmark.line + 1 != line:
            ctx = f"{ctx} that starts on line {cmark.line + 1}"
        msg = f"invalid YAML: {reason}" + (f" ({ctx})" if ctx else "")
        return None, [f"{label}:{line}: {msg}"]
    if root is None:
        return None, [f"{label}:1: empty lexicon file"]
    top = _mapping(root, col, "lexicon", TOP_KEYS)
    if top is None:
        return None, col.messages()

    name = path.stem
    if "name" in top:
        name = _str(top["name"][1], col, "name") or name
    version = 1
    if "version" in top:
        vn = top["version"][1]
        v = _scalar(vn) if isinstance(vn, yaml.ScalarNode) else None
        if isinstance(v, bool) or not isinstance(v, int) or v < 1:
            col.add(vn, "version must be a positive integer")
        else:
            version = v
    description = ""
    if "description" in top:
        description = _str(top["description"][1], col, "description", required=False) or ""

    concepts: list[Concept] = []
    if "concepts" not in top:
        col.add(root, "no 'concepts' list")
    else:
        cnode = top["concepts"][1]
        if not isinstance(cnode, yaml.SequenceNode):
            col.add(cnode, "'concepts' must be a list")
        elif not cnode.value:
            col.add(cnode, "'concepts' is empty")
        else:
            ids: dict[str, int] = {}
            for n in cnode.value:
                c = _concept(n, col, ids)
                if c is not None:
                    concepts.append(c)
            _check_shared_terms(concepts, col)

    col.errors.sort(key=lambda e: e[0])
    if col.errors:
        return None, col.messages()
    canon = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    lex = Lexicon(name=name, version=version, path=str(path), concepts=tuple(concepts),
                  content_hash=hashlib.sha256(canon.encode("utf-8")).hexdigest(),
                  description=description, canonical_json=canon)
    return lex, []


def _concept(node, col: _Collector, ids: dict[str, int]) -> Concept | None:
    what = "concept"
    if isinstance(node, yaml.MappingNode):
        for kn, vn in node.value:
            if isinstance(kn, yaml.ScalarNode) and kn.value == "id" and isinstance(vn, yaml.ScalarNode):
                what = f"concept {vn.value!r}"
                break
    m = _mapping(node, col, what, CONCEPT_KEYS)
    if m is None:
        return None
    if "id" not in m:
        col.add(node, "concept without an 'id'")
        return None
    idn = m["id"][1]
    cid = _str(idn, col, "concept id")
    if cid is None:
        return None
    ok = True
    if not _ID_RE.match(cid):
        col.add(idn, f"concept id {cid!r}: use letters, digits, '-' and '_' only")
        ok = False
    if cid in ids:
        col.add(idn, f"duplicate concept id {cid!r} (first on line {ids[cid]})")
        ok = False
    else:
        ids[cid] = _line(idn)
    label = cid
    if "label" in m:
        label = _str(m["label"][1], col, f"concept {cid!r}: label") or cid
    family = DEFAULT_FAMILY
    if "family" in m:
        family = _str(m["family"][1], col, f"concept {cid!r}: family") or DEFAULT_FAMILY
    description = ""
    if "description" in m:
        description = _str(m["description"][1], col, f"concept {cid!r}: description", required=False) or ""

    terms: list[Term] = []
    if "terms" not in m:
        col.add(node, f"concept {cid!r} has no terms")
        ok = False
    else:
        tn = m["terms"][1]
        if not isinstance(tn, yaml.SequenceNode):
            col.add(tn, f"concept {cid!r}: 'terms' must be a list")
            ok = False
        elif not tn.value:
            col.add(tn, f"concept {cid!r} has no terms")
            ok = False
        else:
            for n in tn.value:
                t = _term(n, col, cid)
                if t is None:
                    ok = False
                else:
                    terms.append(t)

    excludes: list[Exclude] = []
    if "exclude" in m:
        en = m["exclude"][1]
        if not isinstance(en, yaml.SequenceNode):
            col.add(en, f"concept {cid!r}: 'exclude' must be a list")
        else:
            for n in en.value:
                em = _mapping(n, col, f"concept {cid!r}: exclude", EXCLUDE_KEYS)
                if em is None:
                    continue
                if "pattern" not in em:
                    col.add(n, f"concept {cid!r}: exclude without a 'pattern'")
                    continue
                pn = em["pattern"][1]
                ptxt = _str(pn, col, f"concept {cid!r}: exclude pattern")
                reason = ""
                if "reason" in em:
                    reason = _str(em["reason"][1], col, f"concept {cid!r}: exclude reason") or ""
                scope = "sentence"
                if "scope" in em:
                    scope = _str(em["scope"][1], col, f"concept {cid!r}: exclude scope") or "sentence"
                if ptxt is None:
                    continue
                try:
                    pat = compile_pattern(ptxt, _line(pn), scope)
                except ValueError as e:
                    col.add(pn, f"concept {cid!r}: bad pattern {ptxt!r}: {e}")
                    continue
                excludes.append(Exclude(pattern=pat, reason=reason or ptxt, line=_line(n)))

    sources: list[str] = []
    if "sources" in m:
        sn = m["sources"][1]
        if not isinstance(sn, yaml.SequenceNode):
            col.add(sn, f"concept {cid!r}: 'sources' must be a list of strings")
        else:
            for n in sn.value:
                s = _str(n, col, f"concept {cid!r}: source")
                if s is not None:
                    sources.append(s)
    if not ok:
        return None
    return Concept(id=cid, label=label, family=family, description=description,
                   terms=tuple(terms), excludes=tuple(excludes), sources=tuple(sources),
                   line=_line(node))


def _check_shared_terms(concepts: list[Concept], col: _Collector) -> None:
    """The same unconditional variant in two concepts: the second could never
    match (ties go to the first concept), so it is an error."""
    owner: dict[tuple[str, ...], tuple[str, int]] = {}
    for c in concepts:
        for t in c.terms:
            if t.context or t.unless:
                continue
            for v in t.variants:
                key = tuple(x.lower() for x in v)
                if key in owner and owner[key][0] != c.id:
                    oid, oline = owner[key]
                    col.add(t.line, f"concept {c.id!r}: term {t.text!r} also matches "
                                    f"{' '.join(v)!r} of concept {oid!r} (line {oline})")
                    break
                owner.setdefault(key, (c.id, t.line))


def _resolve(path: str | Path | None) -> Path:
    return DEFAULT_LEXICON if path is None else Path(path)


def check_lexicon(path: str | Path | None = None) -> list[str]:
    """Every problem in a lexicon file, each ``"file:line: reason"``, sorted by
    line. An empty list means the file loads."""
    p = _resolve(path)
    _, errors = _parse(p, str(p))
    return errors


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """Load and validate a lexicon (None: the shipped default). Raises
    :class:`LexiconError` with the first problem (``file:line: reason``)."""
    p = _resolve(path)
    lex, errors = _parse(p, str(p))
    if errors:
        hint = f"{len(errors)} problems in this file in all" if len(errors) > 1 else None
        raise LexiconError(errors[0], hint=hint)
    assert lex is not None
    return lex
