"""The context/exclude pattern language: compile a pattern, and test it around a match.

The language itself is documented in :mod:`discourse.lexicon`. A pattern is
tested on two word lists, the words before the match (nearest first) and
the words after it (nearest first), each word a ``(key, orth)`` pair where
``key`` is :func:`~discourse.lexicon.terms.norm_key` of the token.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .terms import inflections, norm_key, split_words

MAX_GAP = 50
SCOPES = ("sentence", "text")

Word = tuple[str, str]  # (key, orth)


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


Option = tuple[WordTest, ...]


@dataclass(frozen=True)
class Alt:
    """Alternatives, each a sequence of word tests (written order).

    For speed the one-word alternatives are also folded into ``keys`` (a set
    of keys), ``prefixes`` and ``cap``; ``multi`` keeps the longer ones and
    ``empty`` says whether the group is optional."""

    options: tuple[Option, ...]
    keys: frozenset[str] = field(default=frozenset(), compare=False, repr=False)
    prefixes: tuple[str, ...] = field(default=(), compare=False, repr=False)
    cap: bool = field(default=False, compare=False, repr=False)
    multi: tuple[Option, ...] = field(default=(), compare=False, repr=False)
    empty: bool = field(default=False, compare=False, repr=False)

    @classmethod
    def of(cls, options: Iterable[Option]) -> Alt:
        options = tuple(options)
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
        return cls(options, frozenset(keys), tuple(prefixes), cap, tuple(multi), empty)

    def lengths(self, words: Sequence[Word], i: int) -> list[int]:
        """The numbers of words this group can cover starting at ``i``."""
        out = []
        if self.empty:
            out.append(0)
        if i < len(words):
            key, orth = words[i]
            if (
                key in self.keys
                or (self.prefixes and key.startswith(self.prefixes))
                or (self.cap and orth[:1].isupper())
            ):
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


Element = Alt | Gap


@dataclass(frozen=True)
class Pattern:
    """A compiled context/exclude pattern. ``before`` and ``after`` are the
    elements left and right of MATCH, in written order."""

    text: str
    before: tuple[Element, ...]
    after: tuple[Element, ...]
    match_cap: bool = False
    line: int = 0
    scope: str = "sentence"
    # ``before`` reversed (nearest element first), for matching leftwards
    rbefore: tuple[Element, ...] = field(default=(), compare=False, repr=False)


# --------------------------------------------------------------------------
# compiling

MAX_ELEMENTS = 60  # words and gaps on one side of MATCH: a pattern never sees more than 60 words
_PAT_TOKEN_RE = re.compile(r"\([^()]*\)|\{[^{}]*\}|[^\s(){}]+|[(){}]")
_GAP_RE = re.compile(r"\{\s*(\d+)\s*(?:,\s*(\d+)\s*)?\}")


def _word_test(word: str) -> list[WordTest]:
    """Compile one written pattern word (may expand to several words)."""
    if word == "CAP":
        return [WordTest("cap")]
    if word.startswith("lemma:"):
        w = word[len("lemma:") :]
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


def _gap(tok: str) -> Gap:
    """Compile ``{n}`` or ``{m,n}``."""
    m = _GAP_RE.fullmatch(tok)
    if not m:
        raise ValueError(f"bad gap {tok!r} (use {{n}} or {{m,n}})")
    lo = int(m.group(1))
    hi = int(m.group(2)) if m.group(2) is not None else lo
    if lo > hi:
        raise ValueError(f"bad gap {tok!r}: min > max")
    if hi > MAX_GAP:
        raise ValueError(f"gap {tok!r} is wider than {MAX_GAP} words")
    return Gap(lo, hi)


def _group(tok: str) -> Alt:
    """Compile ``(a|b c|)``."""
    alts = tok[1:-1].split("|")
    if not any(a.strip() for a in alts):
        raise ValueError(f"empty group {tok!r}")
    opts = []
    for alt in alts:
        tests: list[WordTest] = []
        for w in alt.split():  # none: an empty alternative (optional group)
            if w.startswith("MATCH"):
                raise ValueError("MATCH cannot be inside a group")
            tests.extend(_word_test(w))
        opts.append(tuple(tests))
    return Alt.of(opts)


def _element(tok: str) -> Element:
    """Compile one written element other than MATCH."""
    if tok in ("(", ")", "{", "}"):
        raise ValueError(f"unbalanced {tok!r}")
    if tok.startswith("{"):
        return _gap(tok)
    if tok.startswith("("):
        return _group(tok)
    if "|" in tok:
        raise ValueError(f"'|' outside a group in {tok!r}")
    if tok.startswith("MATCH"):
        raise ValueError(f"unknown keyword {tok!r} (MATCH or MATCH:cap)")
    return Alt.of((tuple(_word_test(tok)),))


def compile_pattern(text: str, line: int = 0, scope: str = "sentence") -> Pattern:
    """Parse a pattern; raises ValueError with a reason."""
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {', '.join(SCOPES)}")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("empty pattern")
    before: list[Element] = []
    after: list[Element] = []
    seen_match = False
    match_cap = False
    for tok in _PAT_TOKEN_RE.findall(text):
        if tok in ("MATCH", "MATCH:cap"):
            if seen_match:
                raise ValueError("MATCH appears more than once")
            seen_match = True
            match_cap = tok == "MATCH:cap"
        else:
            (after if seen_match else before).append(_element(tok))
    if not seen_match:
        raise ValueError("no MATCH in pattern")
    if len(before) > MAX_ELEMENTS or len(after) > MAX_ELEMENTS:
        raise ValueError(f"more than {MAX_ELEMENTS} words and gaps on one side of MATCH (a pattern sees 60 words)")
    if not before and not after:
        raise ValueError("pattern has nothing but MATCH")
    if all(isinstance(e, Gap) for e in before + after):
        raise ValueError("pattern has only gaps around MATCH")
    return Pattern(
        text=text,
        before=tuple(before),
        after=tuple(after),
        match_cap=match_cap,
        line=line,
        scope=scope,
        rbefore=_reverse(tuple(before)),
    )


def _reverse(elems: Sequence[Element]) -> tuple[Element, ...]:
    out: list[Element] = []
    for e in reversed(elems):
        if isinstance(e, Gap):
            out.append(e)
        else:
            out.append(Alt.of(tuple(tuple(reversed(o)) for o in e.options)))
    return tuple(out)


# --------------------------------------------------------------------------
# evaluating


def _match_seq(elems: Sequence[Element], words: Sequence[Word], i: int) -> bool:
    """Do ``elems`` match ``words`` starting at index i (forward)?
    ``words`` is a list of (key, orth); backtracks over gaps.

    Failed (element, position) pairs are remembered, so the work is at most elements x positions x
    gap width: without it a dozen ``{0,50}`` gaps backtracked exponentially (150 s on 20 documents)."""
    failed: set[tuple[int, int]] = set()
    n_words = len(words)

    def go(k: int, j: int) -> bool:
        if k == len(elems):
            return True
        if (k, j) in failed:
            return False
        e = elems[k]
        if isinstance(e, Gap):
            ok = any(go(k + 1, j + g) for g in range(e.min, min(e.max, n_words - j) + 1))
        else:
            ok = any(go(k + 1, j + n) for n in e.lengths(words, j))
        if not ok:
            failed.add((k, j))
        return ok

    return go(0, i)


def pattern_holds(p: Pattern, left: Sequence[Word], right: Sequence[Word], match_text: str) -> bool:
    """``left``: words before the match, nearest first; ``right``: words
    after it, nearest first. Each word is (key, orth)."""
    if p.match_cap and not match_text[:1].isupper():
        return False
    return _match_seq(p.after, right, 0) and _match_seq(p.rbefore, left, 0)
