"""Dispersion of a concept across the parts (documents) of a corpus.

Common conventions for all functions: ``counts[i]`` is the concept's frequency
in part ``i`` and ``sizes[i]`` the part's size in words. Parts of size 0 are
dropped first (they cannot hold any occurrence). The result is ``None`` when
fewer than 2 parts remain or when the total count is 0 (nothing to disperse).
Raises ``ValueError`` on mismatched lengths, negative values, or a positive
count in a part of size 0.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def _parts(counts: Sequence[float], sizes: Sequence[float]) -> tuple[np.ndarray, np.ndarray] | None:
    c = np.asarray(counts, dtype=float)
    s = np.asarray(sizes, dtype=float)
    if c.shape != s.shape or c.ndim != 1:
        raise ValueError("counts and sizes must be 1-D sequences of the same length")
    if (c < 0).any() or (s < 0).any():
        raise ValueError("counts and sizes must be non-negative")
    if ((s == 0) & (c > 0)).any():
        raise ValueError("a part of size 0 cannot have a positive count")
    keep = s > 0
    c, s = c[keep], s[keep]
    if len(c) < 2 or c.sum() == 0:
        return None
    return c, s


def dp(counts: Sequence[float], sizes: Sequence[float]) -> float | None:
    """Gries's Deviation of Proportions: ``DP = ½ Σ |v_i − s_i|``.

    ``v_i = counts_i / Σ counts`` and ``s_i = sizes_i / Σ sizes``. 0 = spread
    exactly in proportion to part sizes; values near 1 = concentrated.
    Reference: Gries, S. Th. (2008). Dispersions and adjusted frequencies in
    corpora. *International Journal of Corpus Linguistics* 13(4), 403–437.
    ``None``: fewer than 2 non-empty parts, or zero total count.
    """
    parts = _parts(counts, sizes)
    if parts is None:
        return None
    c, s = parts
    return float(0.5 * np.abs(c / c.sum() - s / s.sum()).sum())


def dp_norm(counts: Sequence[float], sizes: Sequence[float]) -> float | None:
    """Normalised DP: ``DPnorm = DP / (1 − min_i s_i)``, which ranges over 0..1.

    Reference: Lijffijt, J. & Gries, S. Th. (2012). Correction to Stefan Th.
    Gries, "Dispersions and adjusted frequencies in corpora". *International
    Journal of Corpus Linguistics* 17(1), 147–149.
    ``None``: as :func:`dp`.
    """
    parts = _parts(counts, sizes)
    if parts is None:
        return None
    c, s = parts
    share = s / s.sum()
    return float(0.5 * np.abs(c / c.sum() - share).sum() / (1.0 - share.min()))


def juilland_d(counts: Sequence[float], sizes: Sequence[float]) -> float | None:
    """Juilland's D: ``D = 1 − CV / √(n − 1)``, CV = σ/μ with the population σ.

    Computed on per-part rates ``counts_i / sizes_i`` so unequal part sizes are
    allowed; with equal sizes this equals computing on the raw counts.
    1 = perfectly even, 0 = all occurrences in one part.
    Reference: Juilland, A. & Chang-Rodríguez, E. (1964). *Frequency Dictionary
    of Spanish Words*. The Hague: Mouton; see also Gries (2008), above.
    ``None``: fewer than 2 non-empty parts, or zero total count.
    """
    parts = _parts(counts, sizes)
    if parts is None:
        return None
    c, s = parts
    rates = c / s
    cv = rates.std(ddof=0) / rates.mean()
    return float(1.0 - cv / np.sqrt(len(rates) - 1))
