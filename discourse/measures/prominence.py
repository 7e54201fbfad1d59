"""Prominence: how often a concept is mentioned, normalised for corpus size."""

from __future__ import annotations

from collections.abc import Sequence


def per_10k(count: float, words: float) -> float | None:
    """Relative frequency per 10,000 words: ``count / words * 10_000``.

    Standard normalised frequency (e.g. McEnery & Hardie 2012, *Corpus
    Linguistics: Method, Theory and Practice*, ch. 3). ``None`` if ``words <= 0``.
    """
    if words <= 0:
        return None
    return count / words * 10_000


def per_10k_doc_mean(counts: Sequence[float], words: Sequence[float]) -> float | None:
    """Mean over documents of per-document rates: ``mean_d(count_d / words_d * 10_000)``.

    Unlike :func:`per_10k` on pooled counts, each document weighs the same, so a
    few long documents cannot dominate. Documents with 0 words are skipped;
    ``None`` if no document has any words. Raises ``ValueError`` on length mismatch.
    """
    if len(counts) != len(words):
        raise ValueError("counts and words must have the same length")
    rates = [c / w * 10_000 for c, w in zip(counts, words, strict=False) if w > 0]
    if not rates:
        return None
    return sum(rates) / len(rates)


def doc_freq(docs_with: int, docs: int) -> float | None:
    """Document frequency as a proportion: ``docs_with / docs`` (0..1).

    ``None`` if ``docs <= 0``.
    """
    if docs <= 0:
        return None
    return docs_with / docs


def share_of_voice(count: float, family_total: float) -> float | None:
    """Share of a concept's mentions among its concept family: ``count / family_total`` (0..1).

    When the family has no mentions at all (``family_total == 0``) the share is
    0/0: ``None`` (a blank cell), not 0, since no concept was heard or silenced.
    """
    if family_total <= 0:
        return None
    return count / family_total
