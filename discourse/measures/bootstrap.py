"""Intervals from a document-level (cluster) bootstrap.

Mentions are not independent: one IRISS episode ("Co-production Week 2018")
holds 51 of the 177 lay co-production mentions. Resampling words or mentions
would treat those 51 as 51 separate pieces of evidence; resampling *documents*
(the cluster) keeps them together, so the interval widens when a figure rests
on a few documents. This is the unit Lijffijt et al. recommend for corpus
frequencies.

References: Efron, B. & Tibshirani, R. J. (1993). *An Introduction to the
Bootstrap*, ch. 6 and 13 (percentile interval). Davison, A. C. & Hinkley, D. V.
(1997). *Bootstrap Methods and their Application*, §3.8 (cluster resampling).
Lijffijt, J., Nevalainen, T., Säily, T., Papapetrou, P., Puolamäki, K. &
Mannila, H. (2016). Significance testing of word frequencies in corpora.
*Digital Scholarship in the Humanities* 31(2), 374–397.
"""

from __future__ import annotations

import numpy as np

#: Default number of bootstrap replicates (``report --bootstrap``).
DEFAULT_REPLICATES = 2000
#: Default two-sided coverage of an interval.
DEFAULT_LEVEL = 0.95
_CHUNK_CELLS = 4_000_000  # replicate x document weights held at once


def cluster_bootstrap_sums(
    values: np.ndarray, n_boot: int = DEFAULT_REPLICATES, seed: int | np.random.SeedSequence = 0
) -> np.ndarray:
    """Column sums of ``values`` (documents x quantities) over ``n_boot`` document resamples.

    Replicate ``b`` draws ``n`` documents with replacement (``n`` = rows of
    ``values``) and sums each column over the draw: ``S[b, j] = Σ_d w_bd · values[d, j]``,
    where ``w_b ~ Multinomial(n, 1/n, …, 1/n)`` counts how often document ``d``
    was drawn. Returns an ``(n_boot, columns)`` float array. The same seed gives
    the same array. Put every quantity a ratio needs (counts and words, or
    counts and family totals) in one call, so numerator and denominator come
    from the same resample. Raises ``ValueError`` on an empty ``values`` or
    ``n_boot < 1``.
    """
    vals = np.asarray(values, dtype=float)
    if vals.ndim != 2 or vals.shape[0] == 0:
        raise ValueError("values must be a non-empty documents x quantities array")
    if n_boot < 1:
        raise ValueError("n_boot must be at least 1")
    n = vals.shape[0]
    rng = np.random.default_rng(seed)
    p = np.full(n, 1.0 / n)
    out = np.empty((n_boot, vals.shape[1]))
    step = max(1, _CHUNK_CELLS // n)
    for i in range(0, n_boot, step):
        m = min(step, n_boot - i)
        out[i : i + m] = rng.multinomial(n, p, size=m) @ vals
    return out


def percentile_interval(samples: np.ndarray, level: float = DEFAULT_LEVEL) -> tuple[float, float] | None:
    """Percentile interval ``(q_{α/2}, q_{1−α/2})`` of the finite ``samples``, ``α = 1 − level``.

    Efron & Tibshirani (1993), §13.3. Non-finite replicates (a ratio whose
    denominator was 0 in that resample) are left out. ``None`` if no replicate
    is finite.
    """
    s = np.asarray(samples, dtype=float)
    s = s[np.isfinite(s)]
    if s.size == 0:
        return None
    alpha = (1.0 - level) / 2.0
    lo, hi = np.quantile(s, [alpha, 1.0 - alpha])
    return float(lo), float(hi)


def ratio_interval(
    numerators: np.ndarray, denominators: np.ndarray, *, scale: float = 1.0, level: float = DEFAULT_LEVEL
) -> tuple[float, float] | None:
    """Percentile interval of ``scale · numerator / denominator`` over bootstrap replicates.

    For a rate per 10,000 words pass the resampled counts and words with
    ``scale=10_000``; for a share of voice, the resampled counts and family
    totals. Replicates whose denominator is 0 are left out (see
    :func:`percentile_interval`); ``None`` if every one is.
    """
    num = np.asarray(numerators, dtype=float)
    den = np.asarray(denominators, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = np.where(den > 0, scale * num / np.where(den > 0, den, 1.0), np.nan)
    return percentile_interval(ratios, level)
