"""Keyness: is a concept more frequent in corpus 1 (e.g. official) than corpus 2 (e.g. lay)?

``a``/``b`` are the concept's frequencies in corpus 1/2 and ``n1``/``n2`` the
corpus sizes in words. All functions return ``None`` if ``n1 <= 0`` or ``n2 <= 0``.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence

#: Pseudo-count, in words of a corpus of the mean size, added to both relative
#: frequencies when either count is zero (see :func:`adjusted_rates`).
ZERO_PRIOR = 0.5


def log_likelihood_g2(a: float, b: float, n1: float, n2: float) -> float | None:
    """Unsigned two-term log-likelihood ``G² = 2 [a ln(a/E1) + b ln(b/E2)]``.

    ``E1 = n1 (a+b) / (n1+n2)``, ``E2 = n2 (a+b) / (n1+n2)``, with ``0 · ln 0 = 0``
    (so a = b = 0 gives 0.0). Direction is not encoded; use :func:`log_ratio`.
    Reference: Rayson, P. & Garside, R. (2000). Comparing corpora using frequency
    profiling. *Proceedings of the Workshop on Comparing Corpora* (ACL 2000), 1–6.
    ``None`` if a corpus size is not positive.
    """
    if n1 <= 0 or n2 <= 0:
        return None
    total = a + b
    e1 = n1 * total / (n1 + n2)
    e2 = n2 * total / (n1 + n2)
    g2 = 0.0
    for o, e in ((a, e1), (b, e2)):
        if o > 0:
            g2 += o * math.log(o / e)
    return max(0.0, 2.0 * g2)


def p_value(g2: float | None) -> float | None:
    """Upper-tail p-value of ``G²`` under chi-square with 1 df: ``P(χ²₁ ≥ G²) = erfc(√(G²/2))``.

    The identity holds because χ²₁ is the square of a standard normal, so the
    tail is computed exactly down to about 1e-308. A tail below that (G² above
    about 1,400) would underflow to 0; it is reported as the smallest normal
    double, 2.2e-308, so a p-value is never 0. Reference: Dunning, T. (1993). Accurate
    methods for the statistics of surprise and coincidence. *Computational
    Linguistics* 19(1), 61–74. ``None`` passes through.
    """
    if g2 is None:
        return None
    return max(math.erfc(math.sqrt(max(0.0, g2) / 2.0)), sys.float_info.min)


def adjusted_rates(a: float, b: float, n1: float, n2: float) -> tuple[float, float] | None:
    """Relative frequencies ``(a/n1, b/n2)``, with one zero rule for both sides.

    When either count is zero, ``ZERO_PRIOR / n̄`` (``n̄ = (n1 + n2) / 2``) is
    added to *both* rates: half an occurrence in a corpus of the mean size.
    Adding the same amount to both rates keeps their order, so a statistic built
    on them never has the opposite sign to the observed difference. (Replacing
    a zero *count* by 0.5, Hardie's suggestion, can: with a = 0, b = 5 and a
    reference corpus 12 times larger, ``log2((0.5/n1)/(5/n2))`` is positive.)
    When both counts are positive the rates are the plain ``a/n1`` and ``b/n2``.
    ``None`` if a corpus size is not positive or both counts are zero.
    """
    if n1 <= 0 or n2 <= 0 or (a == 0 and b == 0):
        return None
    r1, r2 = a / n1, b / n2
    if a == 0 or b == 0:
        prior = ZERO_PRIOR / ((n1 + n2) / 2.0)
        r1, r2 = r1 + prior, r2 + prior
    return r1, r2


def log_ratio(a: float, b: float, n1: float, n2: float) -> float | None:
    """Hardie's Log Ratio: ``log2(r1 / r2)`` with ``r1 = a/n1``, ``r2 = b/n2``; +1 = twice as frequent in corpus 1.

    Zero rule: :func:`adjusted_rates` (a prior added to both rates when a count
    is zero), so the sign always follows the observed difference and a = 0
    gives a negative value, b = 0 a positive one. Both zero -> ``None``.
    Reference: Hardie, A. (2014). Log Ratio – an informal introduction. ESRC
    Centre for Corpus Approaches to Social Science (CASS), Lancaster University.
    ``None`` also if a corpus size is not positive.
    """
    rates = adjusted_rates(a, b, n1, n2)
    if rates is None:
        return None
    return math.log2(rates[0] / rates[1])


def pct_diff(a: float, b: float, n1: float, n2: float) -> float | None:
    """%DIFF: ``(r1 − r2) / r2 · 100``; 100 = twice as frequent in corpus 1.

    The same zero rule as :func:`log_ratio` (:func:`adjusted_rates`), on both
    sides: a = 0 gives a value above −100 and b = 0 a finite value, each with
    the sign of the observed difference. Both zero -> ``None``.
    Reference: Gabrielatos, C. & Marchi, A. (2012). Keyness: Appropriate metrics
    and practical issues. CADS International Conference 2012, University of Bologna.
    ``None`` also if a corpus size is not positive.
    """
    rates = adjusted_rates(a, b, n1, n2)
    if rates is None:
        return None
    return (rates[0] - rates[1]) / rates[1] * 100.0


def bh_qvalues(p_values: Sequence[float | None]) -> list[float | None]:
    """Benjamini–Hochberg adjusted p-values (q-values) over one family of tests.

    For the m non-missing p-values sorted ascending, ``q_(i) = min_{j ≥ i} min(1, m · p_(j) / j)``;
    a missing p gives a missing q and does not count in m. Controls the
    false discovery rate at level q for independent or positively dependent tests.
    Reference: Benjamini, Y. & Hochberg, Y. (1995). Controlling the false
    discovery rate. *JRSS B* 57(1), 289–300.
    """
    idx = [i for i, p in enumerate(p_values) if p is not None]
    m = len(idx)
    out: list[float | None] = [None] * len(p_values)
    order = sorted(idx, key=lambda i: p_values[i])  # type: ignore[arg-type,return-value]
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        p = p_values[i]
        assert p is not None
        running = min(running, m * p / rank)
        out[i] = min(1.0, running)
    return out
