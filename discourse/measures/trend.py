"""Monotonic trend of a per-period series (e.g. a rate per year or per 5-year bin).

``x`` must be ordered by time. All functions return ``None`` for fewer than
``MIN_PERIODS`` (4) values or any non-finite value (a period without data
should be left out by the caller, with its time in ``t`` for :func:`sen_slope`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

MIN_PERIODS = 4


@dataclass(frozen=True)
class MannKendall:
    """Mann–Kendall test result: S, tie-corrected Var(S), Z and two-sided p."""

    n: int
    s: int
    var_s: float
    z: float
    p: float


def _series(x: Sequence[float]) -> np.ndarray | None:
    arr = np.asarray(x, dtype=float)
    if arr.ndim != 1 or len(arr) < MIN_PERIODS or not np.isfinite(arr).all():
        return None
    return arr


def mann_kendall(x: Sequence[float]) -> MannKendall | None:
    """Mann–Kendall trend test.

    ``S = Σ_{i<j} sign(x_j − x_i)``;
    ``Var(S) = [n(n−1)(2n+5) − Σ_g t_g(t_g−1)(2t_g+5)] / 18`` (t_g = size of tie group g);
    ``Z = (S−1)/√Var`` if S > 0, ``(S+1)/√Var`` if S < 0, else 0;
    two-sided ``p = 2 (1 − Φ(|Z|))``.
    References: Mann, H. B. (1945). Nonparametric tests against trend.
    *Econometrica* 13(3), 245–259; Kendall, M. G. (1975). *Rank Correlation
    Methods*, 4th ed. London: Griffin.
    ``None``: fewer than 4 values, a non-finite value, or Var(S) = 0 (all equal).
    """
    arr = _series(x)
    if arr is None:
        return None
    n = len(arr)
    i, j = np.triu_indices(n, k=1)
    s = int(np.sign(arr[j] - arr[i]).sum())
    _, ties = np.unique(arr, return_counts=True)
    var_s = (n * (n - 1) * (2 * n + 5) - float((ties * (ties - 1) * (2 * ties + 5)).sum())) / 18.0
    if var_s <= 0:
        return None
    z = (s - np.sign(s)) / math.sqrt(var_s)
    p = math.erfc(abs(float(z)) / math.sqrt(2.0))  # = 2 (1 − Φ(|Z|))
    return MannKendall(n=n, s=s, var_s=var_s, z=float(z), p=p)


def kendall_tau_b(x: Sequence[float]) -> float | None:
    """Kendall's τ-b between ``x`` and time order 1..n (ties in x corrected).

    ``τ_b = (n_c − n_d) / √((n_0 − n_1)(n_0 − n_2))``, n_0 = n(n−1)/2, n_1 = 0
    (time has no ties), n_2 = Σ t_g(t_g−1)/2 over tie groups in x.
    Reference: Kendall, M. G. (1945). The treatment of ties in ranking problems.
    *Biometrika* 33(3), 239–251. Since time has no ties, ``n_c − n_d`` is the
    Mann–Kendall S and ``τ_b = S / √(n_0 (n_0 − n_2))``.
    ``None``: fewer than 4 values, a non-finite value, or all values equal.
    """
    arr = _series(x)
    if arr is None:
        return None
    n = len(arr)
    i, j = np.triu_indices(n, k=1)
    s = float(np.sign(arr[j] - arr[i]).sum())
    _, ties = np.unique(arr, return_counts=True)
    n0 = n * (n - 1) / 2.0
    n2 = float((ties * (ties - 1) / 2.0).sum())
    if n0 - n2 <= 0:
        return None
    return s / math.sqrt(n0 * (n0 - n2))


def mk_min_p(n: int) -> float | None:
    """The smallest two-sided Mann–Kendall p that ``n`` periods can give (a strictly monotone series).

    ``S_max = n(n−1)/2``, ``Var(S) = n(n−1)(2n+5)/18`` (no ties),
    ``p_min = 2 (1 − Φ((S_max − 1)/√Var))``. With 4 periods p_min ≈ 0.089, so a
    4-period series can never be "significant" at 0.05; 5 periods give ≈ 0.027.
    Same references as :func:`mann_kendall`. ``None`` for fewer than 4 periods.
    """
    if n < MIN_PERIODS:
        return None
    s_max = n * (n - 1) / 2.0
    var_s = n * (n - 1) * (2 * n + 5) / 18.0
    return math.erfc((s_max - 1.0) / math.sqrt(var_s) / math.sqrt(2.0))


def sen_slope(x: Sequence[float], t: Sequence[float] | None = None) -> float | None:
    """Theil–Sen slope: ``median_{i<j} (x_j − x_i) / (t_j − t_i)``, in units of x per unit of t.

    ``t`` gives each period's time (e.g. the start year of a 5-year bin), so
    gaps between periods may differ; default ``0..n−1``. Pairs with equal ``t``
    are ignored.
    References: Theil, H. (1950). A rank-invariant method of linear and
    polynomial regression analysis. *Proc. KNAW* 53; Sen, P. K. (1968). Estimates
    of the regression coefficient based on Kendall's tau. *JASA* 63(324), 1379–1389.
    ``None``: fewer than 4 values, a non-finite value or time, or no pair with distinct times.
    Raises ``ValueError`` if ``x`` and ``t`` differ in length.
    """
    arr = _series(x)
    if arr is None:
        return None
    times = np.arange(len(arr), dtype=float) if t is None else np.asarray(t, dtype=float)
    if times.shape != arr.shape:
        raise ValueError("x and t must have the same length")
    if not np.isfinite(times).all():
        return None
    i, j = np.triu_indices(len(arr), k=1)
    dt = times[j] - times[i]
    ok = dt != 0
    if not ok.any():
        return None
    return float(np.median((arr[j] - arr[i])[ok] / dt[ok]))
