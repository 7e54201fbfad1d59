"""Keyness: is a concept more frequent in corpus 1 (e.g. official) than corpus 2 (e.g. lay)?

``a``/``b`` are the concept's frequencies in corpus 1/2 and ``n1``/``n2`` the
corpus sizes in words. All functions return ``None`` if ``n1 <= 0`` or ``n2 <= 0``.
"""

from __future__ import annotations

import math

from scipy.stats import chi2

#: Frequency substituted for a zero count in :func:`log_ratio` and :func:`pct_diff`.
ZERO_SUBSTITUTE = 0.5


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
    """Upper-tail p-value of ``G²`` under chi-square with 1 df (``chi2.sf(g2, 1)``).

    Reference: Dunning, T. (1993). Accurate methods for the statistics of surprise
    and coincidence. *Computational Linguistics* 19(1), 61–74. ``None`` passes through.
    """
    if g2 is None:
        return None
    return float(chi2.sf(g2, 1))


def log_ratio(a: float, b: float, n1: float, n2: float) -> float | None:
    """Hardie's Log Ratio: ``log2((a/n1) / (b/n2))``; +1 = twice as frequent in corpus 1.

    Zero convention: a zero count (a or b) is replaced by 0.5 (Hardie's suggested
    adjustment), so the result stays finite. Both zero -> ``None`` (the concept
    occurs in neither corpus; there is nothing to compare).
    Reference: Hardie, A. (2014). Log Ratio – an informal introduction. ESRC
    Centre for Corpus Approaches to Social Science (CASS), Lancaster University.
    ``None`` also if a corpus size is not positive.
    """
    if n1 <= 0 or n2 <= 0 or (a == 0 and b == 0):
        return None
    a = a or ZERO_SUBSTITUTE
    b = b or ZERO_SUBSTITUTE
    return math.log2((a / n1) / (b / n2))


def pct_diff(a: float, b: float, n1: float, n2: float) -> float | None:
    """%DIFF: ``(a/n1 − b/n2) / (b/n2) · 100``; 100 = twice as frequent in corpus 1.

    Zero convention (same as :func:`log_ratio`): ``b == 0`` is replaced by 0.5;
    a = b = 0 -> ``None``. (a = 0 needs no adjustment and gives −100.)
    Reference: Gabrielatos, C. & Marchi, A. (2012). Keyness: Appropriate metrics
    and practical issues. CADS International Conference 2012, University of Bologna.
    ``None`` also if a corpus size is not positive.
    """
    if n1 <= 0 or n2 <= 0 or (a == 0 and b == 0):
        return None
    b = b or ZERO_SUBSTITUTE
    return (a / n1 - b / n2) / (b / n2) * 100.0
