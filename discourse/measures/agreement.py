"""Validation measures: a binomial interval for precision and two chance-corrected agreement coefficients.

* :func:`wilson_interval`: the Wilson score interval for a proportion (precision = yes / (yes + no)).
* :func:`cohen_kappa`: agreement of two coders beyond chance, chance from each coder's own distribution.
* :func:`krippendorff_alpha_nominal`: agreement beyond chance for nominal data, any number of coders,
  missing values allowed; chance from the pooled distribution of all values.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from statistics import NormalDist


def wilson_interval(successes: int, n: int, level: float = 0.95) -> tuple[float, float] | None:
    """Wilson score interval for a binomial proportion ``successes / n``.

    With ``p = successes / n`` and ``z`` the standard normal quantile at ``(1 + level) / 2``::

        centre = (p + z²/2n) / (1 + z²/n)
        half   = z / (1 + z²/n) * sqrt(p(1 - p)/n + z²/4n²)
        [centre - half, centre + half]

    Unlike the Wald interval ``p ± z·sqrt(p(1-p)/n)`` it stays inside [0, 1] and keeps
    its coverage near 0 and 1 and for small n (18/20 gives [0.699, 0.972]).
    ``None`` when ``n == 0``. Raises ``ValueError`` unless ``0 <= successes <= n``.

    References: Wilson, E. B. (1927). Probable inference, the law of succession, and
    statistical inference. *JASA* 22(158), 209–212. Newcombe, R. G. (1998). Two-sided
    confidence intervals for the single proportion: comparison of seven methods.
    *Statistics in Medicine* 17(8), 857–872 (method 3).
    """
    if not 0 <= successes <= n:
        raise ValueError(f"need 0 <= successes <= n, got {successes}/{n}")
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, got {level}")
    if n == 0:
        return None
    z = NormalDist().inv_cdf((1 + level) / 2)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z / denom * (p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5
    return max(0.0, centre - half), min(1.0, centre + half)


def kappa_from_table(table: Sequence[Sequence[float]]) -> float | None:
    """Cohen's kappa of a k×k agreement table (rows: coder A's category, columns: coder B's).

    ``p_o = Σ_i n_ii / n`` (observed agreement), ``p_e = Σ_i n_i· n_·i / n²`` (agreement
    expected from the two coders' marginal distributions), ``κ = (p_o − p_e) / (1 − p_e)``.
    ``None`` when the table is empty or ``p_e == 1`` (both coders used one and the same
    category only: κ is 0/0). Raises ``ValueError`` on a table that is not square.

    Reference: Cohen, J. (1960). A coefficient of agreement for nominal scales.
    *Educational and Psychological Measurement* 20(1), 37–46.
    """
    k = len(table)
    if any(len(row) != k for row in table):
        raise ValueError("the agreement table must be square")
    n = sum(sum(row) for row in table)
    if n <= 0:
        return None
    p_o = sum(table[i][i] for i in range(k)) / n
    rows = [sum(table[i]) for i in range(k)]
    cols = [sum(table[i][j] for i in range(k)) for j in range(k)]
    p_e = sum(r * c for r, c in zip(rows, cols, strict=True)) / (n * n)
    if p_e >= 1:
        return None
    return (p_o - p_e) / (1 - p_e)


def cohen_kappa(a: Sequence[Hashable | None], b: Sequence[Hashable | None]) -> float | None:
    """Cohen's kappa of two coders' labels of the same units (``None`` = not coded).

    Only units both coders coded count; the categories are every value either used.
    See :func:`kappa_from_table` for the formula and when the result is ``None``.
    Raises ``ValueError`` when ``a`` and ``b`` differ in length.
    """
    if len(a) != len(b):
        raise ValueError("both coders need a value (or None) for every unit")
    pairs = [(x, y) for x, y in zip(a, b, strict=True) if x is not None and y is not None]
    cats = sorted({v for p in pairs for v in p}, key=repr)
    index = {c: i for i, c in enumerate(cats)}
    table = [[0] * len(cats) for _ in cats]
    for x, y in pairs:
        table[index[x]][index[y]] += 1
    return kappa_from_table(table)


def krippendorff_alpha_nominal(data: Sequence[Sequence[Hashable | None]]) -> float | None:
    """Krippendorff's alpha for nominal data: ``α = 1 − D_o / D_e``.

    ``data`` is the reliability data matrix: one sequence per coder, one value per
    unit, ``None`` where that coder did not code the unit. Units with fewer than two
    values are not pairable and drop out. For every pairable unit ``u`` with ``m_u``
    values, each ordered pair of values from different coders adds ``1 / (m_u − 1)``
    to the coincidence matrix ``o_ck``; ``n_c = Σ_k o_ck`` and ``n = Σ_c n_c`` (the
    number of pairable values). For nominal data::

        α = 1 − (n − 1) · Σ_{c≠k} o_ck / Σ_{c≠k} n_c · n_k

    ``None`` when nothing is pairable or every pairable value is the same category
    (``D_e = 0``: α is undefined). Two coders without missing values and the binary
    example of Krippendorff (2011, §A) give α = 0.095.

    Reference: Krippendorff, K. (2011). *Computing Krippendorff's Alpha-Reliability*.
    Annenberg School for Communication, University of Pennsylvania, Departmental
    Papers 43. https://repository.upenn.edu/asc_papers/43
    """
    if len({len(coder) for coder in data}) > 1:
        raise ValueError("every coder needs a value (or None) for every unit")
    units = len(data[0]) if data else 0
    o: defaultdict[tuple[Hashable, Hashable], float] = defaultdict(float)
    for u in range(units):
        values = [coder[u] for coder in data if coder[u] is not None]
        m = len(values)
        if m < 2:
            continue
        for i, c in enumerate(values):
            for j, k in enumerate(values):
                if i != j:
                    o[(c, k)] += 1 / (m - 1)
    n_c: defaultdict[Hashable, float] = defaultdict(float)
    for (c, _k), v in o.items():
        n_c[c] += v
    n = sum(n_c.values())
    if n == 0:
        return None
    observed = sum(v for (c, k), v in o.items() if c != k)
    expected = sum(n_c[c] * n_c[k] for c in n_c for k in n_c if c != k)
    if expected == 0:
        return None
    return 1 - (n - 1) * observed / expected
