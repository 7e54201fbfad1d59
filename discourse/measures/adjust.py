"""Precision-adjusted counts: how many of a concept's mentions are the concept, with an interval.

A lexicon's count ``c`` mixes true mentions with false positives. If hand
labels of a random sample of its mentions found ``yes`` of ``n`` to be the
concept, the estimated number of true mentions is::

    count_adj = p̂ · c,        p̂ = yes / n
    per_10k_adj = 10,000 · p̂ · c / words

Two uncertainties enter: the sampling error of ``p̂`` (binomial, from the
labels) and the corpus's own variability (which documents happened to be
written: the document bootstrap of :mod:`discourse.measures.bootstrap`). The
interval carries both by Monte Carlo: for bootstrap replicate ``b`` with
resampled count ``c_b`` and words ``w_b``, draw the precision from its
posterior under a uniform prior, ``π_b ~ Beta(yes + 1, n − yes + 1)``, and
take the percentile interval of ``π_b · c_b`` (and of ``10,000 · π_b · c_b /
w_b``). The two sources are independent (the labels are a separate sample),
so drawing them jointly per replicate composes them.

References: Gelman, A., Carlin, J. B., Stern, H. S., Dunson, D. B., Vehtari,
A. & Rubin, D. B. (2013). *Bayesian Data Analysis*, 3rd ed., §2.4 (the Beta
posterior of a binomial proportion). Efron, B. & Tibshirani, R. J. (1993).
*An Introduction to the Bootstrap*, §13.3 (percentile interval). Grimmer, J.
& Stewart, B. M. (2013). Text as data. *Political Analysis* 21(3), 267–297
(validating dictionary counts by hand-coding a sample).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .bootstrap import DEFAULT_LEVEL, percentile_interval


@dataclass(frozen=True)
class AdjustedCount:
    count_adj: float
    per_10k_adj: float | None
    count_adj_low: float | None = None
    count_adj_high: float | None = None
    per_10k_adj_low: float | None = None
    per_10k_adj_high: float | None = None


def precision_draws(yes: int, n: int, size: int, seed: int | np.random.SeedSequence = 0) -> np.ndarray:
    """``size`` draws of the precision from ``Beta(yes + 1, n − yes + 1)`` (uniform prior)."""
    if not 0 <= yes <= n:
        raise ValueError("need 0 <= yes <= n")
    return np.random.default_rng(seed).beta(yes + 1, n - yes + 1, size=size)


def adjusted_count(
    count: int,
    words: int,
    yes: int,
    n: int,
    count_samples: np.ndarray | None = None,
    word_samples: np.ndarray | None = None,
    *,
    seed: int | np.random.SeedSequence = 0,
    level: float = DEFAULT_LEVEL,
) -> AdjustedCount:
    """``p̂ · count`` and ``10,000 · p̂ · count / words`` (``p̂ = yes / n``), with
    percentile intervals of ``π_b · c_b`` and ``10,000 · π_b · c_b / w_b`` over
    the bootstrap replicates ``c_b`` (``count_samples``) and ``w_b``
    (``word_samples``) when given (no interval without them)."""
    if n < 1:
        raise ValueError("need at least one labelled mention")
    p = yes / n
    est = AdjustedCount(count_adj=p * count, per_10k_adj=10_000 * p * count / words if words else None)
    if count_samples is None or word_samples is None:
        return est
    c = np.asarray(count_samples, dtype=float)
    w = np.asarray(word_samples, dtype=float)
    pi = precision_draws(yes, n, c.size, seed)
    ci = percentile_interval(pi * c, level)
    with np.errstate(divide="ignore", invalid="ignore"):
        rates = np.where(w > 0, 10_000 * pi * c / np.where(w > 0, w, 1.0), np.nan)
    ri = percentile_interval(rates, level)
    return AdjustedCount(
        count_adj=est.count_adj,
        per_10k_adj=est.per_10k_adj,
        count_adj_low=ci[0] if ci else None,
        count_adj_high=ci[1] if ci else None,
        per_10k_adj_low=ri[0] if ri else None,
        per_10k_adj_high=ri[1] if ri else None,
    )
