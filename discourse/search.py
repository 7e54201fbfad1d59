"""Corpus-wide word lists from the positional index: frequencies, n-grams and keywords.

These look at every word, not only the lexicon's concepts, so a researcher can
find what the lexicon lacks. A *word* is a token that is neither punctuation
nor whitespace (the tokens the ``words`` column counts); words are the
lower-cased forms, or the lookup lemmas with ``lemma=True``. N-grams are runs
of N consecutive words inside one sentence (punctuation between them is
skipped; a sentence start breaks the run).

Groups are ``by`` metadata keys and a ``period`` (as in ``report``); counts are
per group, with ``docs`` the number of documents of the group that contain the
item and ``per_10k`` the count per 10,000 words of the group.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .errors import UsageError
from .index import IndexReader
from .measures.keyness import bh_qvalues, log_likelihood_g2, log_ratio, p_value
from .nlp import PUNCT, SENT_START, SPACE
from .report.grouping import period_of
from .store import Store
from .store.query import DOC_FILTER_COLUMNS, doc_where

KEYWORD_COLUMNS = [
    "group",
    "reference",
    "word",
    "count",
    "ref_count",
    "per_10k",
    "ref_per_10k",
    "log_ratio",
    "g2",
    "p",
    "q",
    "direction",
]


@dataclass(frozen=True)
class Selection:
    """Which documents, grouped how."""

    by: Sequence[str] = ()
    period: str = "all"
    where: Sequence[str] = ()
    year_from: int | None = None
    year_to: int | None = None


def _groups(store: Store, sel: Selection) -> dict[tuple[str, ...], list[tuple[str, int]]]:
    """group key (by values..., period) -> [(doc_id, words)] in store order; undated documents
    are left out when the period needs a year."""
    fn = period_of(sel.period)
    cond, params = doc_where(list(sel.where), sel.year_from, sel.year_to)
    out: dict[tuple[str, ...], list[tuple[str, int]]] = {}
    for d in store.documents(cond, params):
        p = fn(d["year"])
        if p is None:
            continue
        key = (*(_value(d, c) for c in sel.by), p[0])
        out.setdefault(key, []).append((d["doc_id"], d["words"]))
    return out


def _value(doc: dict[str, Any], col: str) -> str:
    v = doc.get(col) if col in DOC_FILTER_COLUMNS else (doc.get("metadata") or {}).get(col)
    return "" if v is None else str(v)


def _doc_ids(reader: IndexReader, doc_id: str, lemma: bool) -> tuple[np.ndarray, np.ndarray]:
    """(type ids of the document's words, True where a sentence starts at or before the word since the last)."""
    got = reader.store.index.get(doc_id)
    if got is None:
        raise UsageError(f"document {doc_id} is not indexed", hint="run `discourse index`")
    from .nlp import unpack_arrays

    _no, n, blob = got
    lower, lem, _s, _e, flags = unpack_arrays(blob, n)
    word = (flags & (SPACE | PUNCT)) == 0
    sent = np.cumsum((flags & SENT_START) != 0)  # sentence number of every token
    ids = (lem if lemma else lower)[word]
    return ids, sent[word]


def _ngrams(ids: np.ndarray, sent: np.ndarray, n: int) -> list[tuple[int, ...]]:
    if len(ids) < n:
        return []
    ok = sent[n - 1 :] == sent[: len(sent) - n + 1]  # all n words in one sentence
    cols = [ids[k : len(ids) - n + 1 + k] for k in range(n)]
    grams = np.stack(cols, axis=1)[ok]
    return [tuple(g) for g in grams.tolist()]


def count_items(
    store: Store, sel: Selection, *, n: int = 1, lemma: bool = False
) -> tuple[dict[tuple[str, ...], tuple[Counter, Counter, int]], list[str]]:
    """Per group: (item counts, document counts, words) for words (n=1) or n-grams, and the vocabulary."""
    if n < 1:
        raise UsageError(f"N must be at least 1 (got {n})")
    reader = IndexReader(store)
    out: dict[tuple[str, ...], tuple[Counter, Counter, int]] = {}
    for key, docs in _groups(store, sel).items():
        counts: Counter = Counter()
        docs_with: Counter = Counter()
        total = 0
        for doc_id, words in docs:
            ids, sent = _doc_ids(reader, doc_id, lemma)
            total += words
            items: dict[tuple[int, ...], int]
            if n == 1:
                u, c = np.unique(ids, return_counts=True)
                items = dict(zip(((i,) for i in u.tolist()), c.tolist(), strict=True))
            else:
                items = dict(Counter(_ngrams(ids, sent, n)))
            counts.update(items)
            docs_with.update(items.keys())
        out[key] = (counts, docs_with, total)
    return out, reader.strings


def frequency_list(
    store: Store, sel: Selection, *, n: int = 1, lemma: bool = False, min_count: int = 1, limit: int | None = None
) -> Iterator[dict[str, Any]]:
    """One row per group and word (or n-gram): count, docs, per_10k; most frequent first within a group."""
    groups, strings = count_items(store, sel, n=n, lemma=lemma)
    for key in sorted(groups):
        counts, docs_with, total = groups[key]
        rows = [
            (" ".join(strings[i] for i in item), c, docs_with[item]) for item, c in counts.items() if c >= min_count
        ]
        rows.sort(key=lambda r: (-r[1], r[0]))
        for text, c, d in rows[:limit] if limit else rows:
            yield {
                **dict(zip(sel.by, key[:-1], strict=True)),
                "period": key[-1],
                "word" if n == 1 else "ngram": text,
                "count": c,
                "docs": d,
                "per_10k": round(c / total * 10_000, 4) if total else None,
            }


def keywords(
    store: Store,
    sel: Selection,
    reference: str,
    *,
    lemma: bool = False,
    min_count: int = 5,
    limit: int | None = None,
) -> Iterator[dict[str, Any]]:
    """Keyness of every word of each group against the ``reference`` group (its first ``by`` key).

    For each word with count + ref_count >= ``min_count``: log-likelihood G²
    (Rayson & Garside 2000), its p-value, Benjamini-Hochberg q over all words
    of the comparison, and the log ratio (Hardie 2014) from
    :mod:`discourse.measures.keyness`; ``direction`` is ``over`` when the word
    is relatively more frequent in the group than in the reference. Rows are
    ordered by group, then G² (largest first)."""
    if not sel.by:
        raise UsageError("keywords needs --by KEY (and --reference VALUE of that key)")
    groups, strings = count_items(
        store, Selection(sel.by[:1], "all", sel.where, sel.year_from, sel.year_to), lemma=lemma
    )
    ref_key = (reference, "all")
    if ref_key not in groups:
        have = ", ".join(k[0] or "(blank)" for k in sorted(groups))
        raise UsageError(
            f"--reference {reference!r}: no documents with {sel.by[0]}={reference}", hint=f"values: {have}"
        )
    ref_counts, _rd, n2 = groups[ref_key]
    for key in sorted(groups):
        if key == ref_key:
            continue
        counts, _docs, n1 = groups[key]
        rows: list[tuple[str, int, int, float | None, float | None, float | None]] = []
        for item in set(counts) | set(ref_counts):
            a, b = counts.get(item, 0), ref_counts.get(item, 0)
            if a + b < min_count:
                continue
            g2 = log_likelihood_g2(a, b, n1, n2)
            rows.append((" ".join(strings[i] for i in item), a, b, g2, p_value(g2), log_ratio(a, b, n1, n2)))
        qs = bh_qvalues([r[4] for r in rows])
        ranked = sorted(zip(rows, qs, strict=True), key=lambda rq: (-(rq[0][3] or 0.0), rq[0][0]))
        for (word, a, b, g2, p, lr), q in ranked[:limit] if limit else ranked:
            yield {
                "group": key[0],
                "reference": reference,
                "word": word,
                "count": a,
                "ref_count": b,
                "per_10k": round(a / n1 * 10_000, 4) if n1 else None,
                "ref_per_10k": round(b / n2 * 10_000, 4) if n2 else None,
                "log_ratio": None if lr is None else round(lr, 4),
                "g2": None if g2 is None else round(g2, 4),
                "p": p,
                "q": q,
                "direction": "over" if a * n2 > b * n1 else "under",
            }
