"""Ambiguity: how spread out a concept's variants, collocates and usages are.

Entropy and Jensen–Shannon divergence work on frequency distributions (in
bits); APD works on usage vectors (e.g. contextual embeddings or TF-IDF
context vectors). Entropy and APD depend on sample size, so compare them on
equal-size random subsamples: :func:`subsample_indices` draws the samples once
so several statistics can be computed on the SAME subsamples, and
:func:`summarise_samples` reduces per-sample values to (mean, p2.5, p97.5).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np


def _distribution(weights: Sequence[float] | Mapping[Any, float]) -> np.ndarray | None:
    """Normalise non-negative weights to probabilities; ``None`` if empty or all zero."""
    values = list(weights.values()) if isinstance(weights, Mapping) else weights
    arr = np.asarray(values, dtype=float).ravel()
    if arr.size and ((arr < 0).any() or not np.isfinite(arr).all()):
        raise ValueError("weights must be finite and non-negative")
    total = arr.sum()
    if arr.size == 0 or total <= 0:
        return None
    return arr / total


def _entropy_bits(p: np.ndarray) -> float:
    nz = p[p > 0]
    return float(-(nz * np.log2(nz)).sum())


def shannon_entropy(counts_or_probs: Sequence[float] | Mapping[Any, float]) -> float | None:
    """Shannon entropy in bits: ``H = −Σ p_i log2 p_i`` (0 · log 0 = 0).

    Accepts counts or probabilities (normalised first), as a sequence or a
    mapping such as ``{variant: count}``. Reference: Shannon, C. E. (1948). A
    mathematical theory of communication. *Bell System Technical Journal* 27,
    379–423, 623–656. ``None``: empty input or all weights zero.
    """
    p = _distribution(counts_or_probs)
    return None if p is None else _entropy_bits(p)


def label_entropy(labels: Iterable[Hashable]) -> float | None:
    """Entropy in bits of the empirical distribution of ``labels`` (e.g. the variant of each mention).

    Handy as a ``stat`` for :func:`subsample_stat`. ``None`` if there are no labels.
    """
    return shannon_entropy(Counter(labels))


def term_form_entropy(pairs: Iterable[tuple[Hashable, Hashable]]) -> tuple[float, float] | None:
    """Split the entropy of ``(term, form)`` labels into ``(term entropy, form entropy)``, in bits.

    ``term entropy = H(T) = −Σ_t p(t) log2 p(t)`` is spread over the distinct
    terms (names); ``form entropy = H(F | T) = Σ_t p(t) · H(F | T = t)`` is the
    spread over the forms (spelling, hyphenation, inflection) *within* each
    term, weighted by the term's share. By the chain rule ``H(T, F) = H(T) +
    H(F | T)``, and when every form belongs to one term (a function form ->
    term) ``H(T, F) = H(F)``: the two add up to the entropy of the forms
    alone (:func:`label_entropy` of the forms). Reference: Cover, T. M. &
    Thomas, J. A. (2006). *Elements of Information Theory*, 2nd ed., Wiley,
    §2.2 (conditional entropy, Theorem 2.2.1). ``None`` if there are no pairs.
    """
    by_term: dict[Hashable, Counter[Hashable]] = {}
    for term, form in pairs:
        by_term.setdefault(term, Counter())[form] += 1
    if not by_term:
        return None
    sizes = {t: sum(c.values()) for t, c in by_term.items()}
    n = sum(sizes.values())
    h_term = shannon_entropy(sizes)
    h_form = sum(sizes[t] / n * (shannon_entropy(c) or 0.0) for t, c in by_term.items())
    return (h_term or 0.0), float(h_form)


def jensen_shannon(p: Sequence[float], q: Sequence[float]) -> float | None:
    """Jensen–Shannon divergence in bits (0..1), NOT its square root.

    ``JSD(P, Q) = H(M) − ½ [H(P) + H(Q)]``, ``M = ½ (P + Q)``. ``p`` and ``q``
    are aligned vectors of counts or probabilities (each normalised first).
    Reference: Lin, J. (1991). Divergence measures based on the Shannon entropy.
    *IEEE Transactions on Information Theory* 37(1), 145–151.
    ``None``: either vector empty or all zero. Raises ``ValueError`` on length mismatch.
    """
    if len(p) != len(q):
        raise ValueError("p and q must be aligned (same length)")
    pp, qq = _distribution(p), _distribution(q)
    if pp is None or qq is None:
        return None
    jsd = _entropy_bits((pp + qq) / 2) - (_entropy_bits(pp) + _entropy_bits(qq)) / 2
    return float(min(1.0, max(0.0, jsd)))


def jensen_shannon_dicts(p: Mapping[Any, float], q: Mapping[Any, float]) -> float | None:
    """:func:`jensen_shannon` of two ``{item: count}`` dicts aligned on the union of keys (missing = 0)."""
    keys = list(p.keys() | q.keys())
    return jensen_shannon([p.get(k, 0.0) for k in keys], [q.get(k, 0.0) for k in keys])


def average_pairwise_cosine_distance(vectors: Sequence[Sequence[float]] | np.ndarray) -> float | None:
    """APD: mean over pairs i < j of ``1 − cos(u_i, u_j)``; higher = more varied usage.

    Zero-vector convention: vectors of norm 0 (no context) have no direction and
    are dropped before pairing (so they neither add nor remove distance).
    References: Giulianelli, M., Del Tredici, M. & Fernández, R. (2020).
    Analysing lexical semantic change with contextualised word representations.
    *Proceedings of ACL 2020*, 3960–3973; Kutuzov, A. & Giulianelli, M. (2020).
    UiO-UvA at SemEval-2020 Task 1: Contextualised embeddings for lexical
    semantic change detection. *Proceedings of SemEval-2020*.
    ``None``: fewer than 2 non-zero vectors.
    """
    u = np.asarray(vectors, dtype=float)
    if u.ndim != 2:
        if u.size == 0:
            return None
        raise ValueError("vectors must be a 2-D array (one row per usage)")
    norms = np.linalg.norm(u, axis=1)
    u = u[norms > 0] / norms[norms > 0, None]
    m = len(u)
    if m < 2:
        return None
    i, j = np.triu_indices(m, k=1)
    cos = np.clip((u[i] * u[j]).sum(axis=1), -1.0, 1.0)
    return float((1.0 - cos).mean())


def subsample_indices(n: int, k: int, n_samples: int = 200, seed: int = 0) -> np.ndarray | None:
    """Index arrays for ``n_samples`` random subsamples of size ``k`` from ``range(n)``.

    Each row is drawn without replacement with ``numpy.random.default_rng(seed)``,
    so the result is deterministic for a given (n, k, n_samples, seed). Returns an
    int array of shape ``(n_samples, k)``, or ``None`` if ``n < k``.
    Raises ``ValueError`` if ``k < 1`` or ``n_samples < 1``.
    """
    if k < 1 or n_samples < 1:
        raise ValueError("k and n_samples must be at least 1")
    if n < k:
        return None
    rng = np.random.default_rng(seed)
    return np.stack([rng.choice(n, size=k, replace=False) for _ in range(n_samples)])


def summarise_samples(values: Iterable[float | None]) -> tuple[float, float, float] | None:
    """``(mean, 2.5th percentile, 97.5th percentile)`` of per-sample values.

    ``None`` (or NaN) sample values are skipped; ``None`` if nothing is left.
    """
    arr = np.asarray([v for v in values if v is not None], dtype=float)
    arr = arr[np.isfinite(arr)]
    if arr.size == 0:
        return None
    lo, hi = np.percentile(arr, [2.5, 97.5])
    return float(arr.mean()), float(lo), float(hi)


def subsample_stat(
    items: Sequence[Any] | np.ndarray,
    k: int,
    *,
    stat: Callable[[Any], float | None],
    n_samples: int = 200,
    seed: int = 0,
) -> tuple[float, float, float] | None:
    """Mean and 95% percentile interval of ``stat`` over random size-``k`` subsamples of ``items``.

    ``stat`` receives ``items[idx]`` for a NumPy array (e.g. a (k, d) matrix for
    APD) or a list ``[items[i] for i in idx]`` otherwise. To compute several
    statistics on the same subsamples, call :func:`subsample_indices` once and
    :func:`summarise_samples` per statistic. Deterministic for a given seed.
    ``None``: ``len(items) < k``, or ``stat`` returned ``None`` on every sample.
    """
    idx = subsample_indices(len(items), k, n_samples, seed)
    if idx is None:
        return None
    if isinstance(items, np.ndarray):
        return summarise_samples(stat(items[row]) for row in idx)
    return summarise_samples(stat([items[i] for i in row]) for row in idx)
