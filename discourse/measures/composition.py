"""Composition: does the mix of documents behind a series change from period to period?

A trend in a rate can come from the documents, not the discourse: if GOV.UK
guides fill the early years and NHS board papers the later ones, a rising
"trend" may only say that the later collection uses the word more.
"""

from __future__ import annotations

from collections.abc import Mapping

#: A total-variation distance at or above this between two periods is flagged.
SHIFT_THRESHOLD = 0.5


def total_variation(p: Mapping[str, float], q: Mapping[str, float]) -> float | None:
    """Total-variation distance between two label distributions: ``½ Σ_x |p(x)/Σp − q(x)/Σq|`` (0..1).

    0 when the two mixes are the same, 1 when they share no label. Inputs are
    counts (or weights) by label and are normalised here. ``None`` if either
    is empty or sums to 0. Reference: Levin, D. A., Peres, Y. & Wilmer, E. L.
    (2009). *Markov Chains and Mixing Times*, §4.1.
    """
    sp, sq = sum(p.values()), sum(q.values())
    if sp <= 0 or sq <= 0:
        return None
    keys = set(p) | set(q)
    return 0.5 * sum(abs(p.get(k, 0) / sp - q.get(k, 0) / sq) for k in keys)


def composition_shift(by_period: Mapping[str, Mapping[str, float]]) -> tuple[float, str, str] | None:
    """The largest total-variation distance between any two periods' label mixes, and those periods.

    ``by_period`` maps each period to its counts by label (e.g. documents or
    words by collection). Returns ``(distance, period_a, period_b)`` with the
    periods in their given order, or ``None`` with fewer than 2 periods that
    have documents. Compare the distance with :data:`SHIFT_THRESHOLD`.
    """
    periods = [k for k, v in by_period.items() if sum(v.values()) > 0]
    best: tuple[float, str, str] | None = None
    for i, a in enumerate(periods):
        for b in periods[i + 1 :]:
            d = total_variation(by_period[a], by_period[b])
            if d is not None and (best is None or d > best[0]):
                best = (d, a, b)
    return best
