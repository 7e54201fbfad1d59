"""Find concept mentions in tokenised documents.

:class:`Matcher` compiles a :class:`~discourse.lexicon.Lexicon` once and is
then called on each document's index arrays (:class:`discourse.nlp.DocTokens`,
as stored at ingest; nothing is re-tokenised), or on a spaCy ``Doc``. The matching rules (joins, inflection, wildcards, overlaps,
context and exclude patterns) are documented in :mod:`discourse.lexicon`.

How it works, and why it is fast: every token type of a document is reduced
once to a normalised key (lower-case, joiners such as hyphens removed) and
classified (whitespace/joiner to skip? can a term start here?). Types are
cached by their string across documents, so the per-token work is a few
numpy operations over the document's lower-cased type ids. Python code runs only at the
rare positions where a term can start, walking a trie of every term variant
(each variant is compiled in every way its words can be written: joined by a
hyphen, a space, a line break or closed up). On real text this runs at
several million words per second.

Sentences: ``sent_start_char``/``sent_end_char`` give the sentence that
contains the match (from the stored sentence starts), capped at
:data:`SENT_CAP` tokens either side of the match, with leading and trailing
whitespace tokens trimmed. A Doc without sentence starts is one sentence,
so the cap applies. Context and exclude patterns look at the same window.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .chars import JOIN_FOLD, JOINERS
from .lexicon import Lexicon, norm_key, pattern_holds
from .nlp import PUNCT, SENT_START, SPACE, DocTokens

if TYPE_CHECKING:
    from spacy.tokens import Doc

SENT_CAP = 60  # tokens either side of the match

_CASE_TRANS = JOIN_FOLD


@dataclass(frozen=True)
class Mention:
    """One match of a concept in a document.

    ``variant`` is ``doc.text[start_char:end_char]`` (as written, including any
    line break inside the match). Tokens are ``doc[start_token:end_token]``.
    ``term`` is the lexicon term that matched (as written in the lexicon).
    """

    concept: str
    variant: str
    start_char: int
    end_char: int
    start_token: int
    end_token: int
    sent_start_char: int
    sent_end_char: int
    excluded: bool = False
    exclude_reason: str | None = None
    term: str = ""


class _Node:
    __slots__ = ("ends", "next", "pref")

    def __init__(self) -> None:
        self.next: dict[str, _Node] = {}
        self.ends: list[tuple] = []  # payloads ending here
        self.pref: list[tuple[str, tuple]] = []  # (prefix, payload) for a wildcard last token


def _groupings(n: int):
    """Every way to write n words as tokens: a list of (i, j) word ranges,
    each range closed up into one token."""
    for mask in range(1 << max(0, n - 1)):
        out = []
        start = 0
        for i in range(n - 1):
            if not (mask >> i) & 1:  # bit set = close up words i and i+1
                out.append((start, i + 1))
                start = i + 1
        out.append((start, n))
        yield out


class Matcher:
    """Find the mentions of a lexicon's concepts in Docs.

    Token strings are read from each document's own string table (the store's
    vocabulary, or a Doc's), so documents from any store work. ``vocab`` is
    accepted for existing callers and not used.
    """

    def __init__(self, lexicon: Lexicon, vocab=None):
        self.lexicon = lexicon
        self._root = _Node()
        self._concepts = lexicon.concepts
        for ci, c in enumerate(lexicon.concepts):
            for ti, t in enumerate(c.terms):
                for v in t.variants:
                    self._insert(v, ci, ti, t.match_case)
        self._root_prefixes = tuple(p for p, _ in self._root.pref)
        # lower-cased type -> (key, skip, can_start)
        self._types: dict[str, tuple[str, bool, bool]] = {}
        self._vocab: tuple | None = None  # (strings, keys, skip, start, known) of the last vocabulary

    # ------------------------------------------------------------------ build
    def _insert(self, words: tuple[str, ...], ci: int, ti: int, match_case: bool) -> None:
        star = words[-1].endswith("*")
        ws = list(words)
        if star:
            ws[-1] = ws[-1][:-1]
        for grouping in _groupings(len(ws)):
            toks = ["".join(ws[a:b]) for a, b in grouping]
            keys = [t.lower() for t in toks] if match_case else toks
            payload = (ci, ti, tuple(toks) if match_case else None, star)
            node = self._root
            for k in keys[:-1]:
                node = node.next.setdefault(k, _Node())
            last = keys[-1]
            if star:
                if (last, payload) not in node.pref:
                    node.pref.append((last, payload))
            else:
                nxt = node.next.setdefault(last, _Node())
                if payload not in nxt.ends:
                    nxt.ends.append(payload)

    def _type(self, s: str) -> tuple[str, bool, bool]:
        info = self._types.get(s)
        if info is None:
            key = norm_key(s)
            if "<" in key[1:]:  # raw markup glued to a word: "Society</h3"
                key = key.split("<", 1)[0]
            skip = (not s.strip()) or (set(s) <= JOINERS)
            start = (not skip) and (
                key in self._root.next or (bool(self._root_prefixes) and key.startswith(self._root_prefixes))
            )
            info = (key, skip, start)
            self._types[s] = info
        return info

    def _vocab_info(self, strings, lower: np.ndarray) -> tuple[list, np.ndarray, np.ndarray]:
        """(key, skip, can-start) per type id of ``strings``, filled in for the ids of ``lower`` not seen yet.

        A store's documents share one vocabulary, so each type is classified once per run,
        not once per document it occurs in."""
        v = self._vocab
        if v is None or v[0] is not strings:
            n = len(strings)
            v = self._vocab = (strings, [""] * n, np.zeros(n, dtype=bool), np.zeros(n, dtype=bool), np.zeros(n, bool))
        _s, keys, skip, start, known = v
        new = np.unique(lower[~known[lower]])
        for i in new.tolist():
            keys[i], skip[i], start[i] = self._type(strings[i])
        known[new] = True
        return keys, skip, start

    def can_start(self, s: str) -> bool:
        """Can a term start at a token whose lower-cased form is ``s``? (For choosing candidate documents.)"""
        return self._type(s)[2]

    # ------------------------------------------------------------------ match
    def __call__(self, doc: DocTokens | Doc) -> list[Mention]:
        """The mentions in one document: its index arrays, or a spaCy Doc (e.g. from ``--model``)."""
        if not isinstance(doc, DocTokens):
            from .nlp import doc_tokens

            doc = doc_tokens(doc)
        n = len(doc)
        if n == 0:
            return []
        keys_v, skip_v, start_v = self._vocab_info(doc.strings, doc.lower)
        wpos = np.flatnonzero(~skip_v[doc.lower])  # token index of each word
        winv = doc.lower[wpos]  # type id of each word
        cands = np.flatnonzero(start_v[winv])
        if len(cands) == 0:
            return []
        nw = len(wpos)
        raw = []  # (w_start, w_end, payload)
        root = self._root
        for w in cands.tolist():
            node = root
            j = w
            while j < nw:
                key = keys_v[winv[j]]  # numpy, read only near candidates
                if node.pref:
                    for p, payload in node.pref:
                        if key.startswith(p):
                            raw.append((w, j + 1, payload))
                nxt = node.next.get(key)
                if nxt is None:
                    break
                for payload in nxt.ends:
                    raw.append((w, j + 1, payload))
                node = nxt
                j += 1
        if not raw:
            return []
        return self._finish(doc, n, wpos, raw)

    def _finish(self, doc: DocTokens, n: int, wpos, raw) -> list[Mention]:
        windows = _Windows(doc, n)
        cands = self._candidates(doc, wpos, raw, windows)
        return [self._mention(doc, c, windows) for c in _resolve_overlaps(cands, n)]

    def _candidates(self, doc: DocTokens, wpos, raw, windows: _Windows) -> list[tuple[int, int, int, int, int, int]]:
        """Raw trie matches that pass the case and context/unless checks, as
        (start_char, end_char, start_token, end_token, concept index, term index)."""
        concepts = self._concepts
        cands = []
        for w0, w1, (ci, ti, cased, _star) in raw:
            s = int(wpos[w0])
            e = int(wpos[w1 - 1]) + 1
            term = concepts[ci].terms[ti]
            if cased is not None:
                orths = tuple(doc.tok(int(wpos[k])).translate(_CASE_TRANS) for k in range(w0, w1))
                if orths != cased:
                    continue
            sc = int(doc.start[s])
            ec = int(doc.end[e - 1])
            if term.context or term.unless:
                text = doc.text[sc:ec]
                if term.context and not any(windows.holds(p, s, e, text) for p in term.context):
                    continue
                if any(windows.holds(p, s, e, text) for p in term.unless):
                    continue
            cands.append((sc, ec, s, e, ci, ti))
        return cands

    def _mention(self, doc: DocTokens, cand: tuple[int, int, int, int, int, int], windows: _Windows) -> Mention:
        sc, ec, s, e, ci, ti = cand
        concept = self._concepts[ci]
        # the sentence's bounds; its word lists are built only when an exclude pattern reads them
        ss, se = windows.window(s, e)[:2] if concept.excludes else windows.bounds(s, e)
        variant = doc.text[sc:ec]
        excluded = False
        reason = None
        for ex in concept.excludes:
            if windows.holds(ex.pattern, s, e, variant):
                excluded = True
                reason = ex.reason
                break
        return Mention(
            concept=concept.id,
            variant=variant,
            start_char=sc,
            end_char=ec,
            start_token=s,
            end_token=e,
            sent_start_char=int(doc.start[ss]),
            sent_end_char=int(doc.end[se - 1]),
            excluded=excluded,
            exclude_reason=reason,
            term=concept.terms[ti].text,
        )


def _resolve_overlaps(cands: list[tuple[int, int, int, int, int, int]], n: int) -> list[tuple]:
    """Keep non-overlapping candidates, in text order: the longest wins; ties go
    to lexicon order (concept, then term), then to the earlier match."""
    cands = sorted(cands, key=lambda c: (c[0] - c[1], c[4], c[5], c[0]))
    taken = bytearray(n)
    kept = []
    for c in cands:
        s, e = c[2], c[3]
        if any(taken[s:e]):
            continue
        taken[s:e] = b"\x01" * (e - s)
        kept.append(c)
    kept.sort(key=lambda c: (c[0], c[1]))
    return kept


class _Windows:
    """The sentence (or, for scope ``text``, plain) windows around matches of one document, computed once each."""

    def __init__(self, doc: DocTokens, n: int):
        self.doc = doc
        self.n = n
        self.sent: np.ndarray | None = None
        self.cache: dict[tuple, tuple] = {}  # (s, e) or (s, e, "text") -> _window(...)

    def _sentences(self) -> np.ndarray:
        if self.sent is None:
            self.sent = (self.doc.flags & SENT_START) != 0
        return self.sent

    def window(self, s: int, e: int):
        got = self.cache.get((s, e))
        if got is None:
            got = _window(self.doc, self._sentences(), self.n, s, e)
            self.cache[(s, e)] = got
        return got

    def bounds(self, s: int, e: int) -> tuple[int, int]:
        """(start, end) token of the sentence window around [s, e): :meth:`window`'s first two items, without
        its word lists."""
        got = self.cache.get((s, e))
        if got is not None:
            return got[0], got[1]
        return _bounds(self.doc, self._sentences(), self.n, s, e)

    def holds(self, p, s: int, e: int, text: str) -> bool:
        if p.scope == "text":
            key = (s, e, "text")
            got = self.cache.get(key)
            if got is None:
                got = _window(self.doc, None, self.n, s, e)
                self.cache[key] = got
        else:
            got = self.window(s, e)
        return pattern_holds(p, got[2], got[3], text)


def _window(doc: DocTokens, sent, n: int, s: int, e: int):
    """Sentence window around tokens [s, e): (start, end, left words nearest
    first, right words nearest first); words are (key, orth) of tokens that
    are neither whitespace nor punctuation."""
    ss, se = _bounds(doc, sent, n, s, e)
    flags = doc.flags
    left = []
    for k in range(s - 1, ss - 1, -1):
        if flags[k] & (SPACE | PUNCT):
            continue
        t = doc.tok(k)
        left.append((norm_key(t), t))
    right = []
    for k in range(e, se):
        if flags[k] & (SPACE | PUNCT):
            continue
        t = doc.tok(k)
        right.append((norm_key(t), t))
    return ss, se, left, right


def _bounds(doc: DocTokens, sent, n: int, s: int, e: int) -> tuple[int, int]:
    """(start, end) token of the sentence window around [s, e) (``sent`` None: the capped plain window),
    trimmed of whitespace tokens at either edge."""
    lo = max(0, s - SENT_CAP)
    hi = min(n, e + SENT_CAP)
    if sent is None:  # scope "text": ignore sentence boundaries
        ss, se = lo, hi
    else:
        seg = sent[lo:hi].tolist()  # True = a sentence starts here
        ss = s
        while ss > lo and not seg[ss - lo]:
            ss -= 1
        se = e
        while se < hi and not seg[se - lo]:
            se += 1
    flags = doc.flags
    while ss < s and flags[ss] & SPACE:
        ss += 1
    while se > e and flags[se - 1] & SPACE:
        se -= 1
    return ss, se
