"""Precision-adjusted counts (discourse.measures.adjust): worked examples."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from discourse.measures.adjust import adjusted_count, precision_draws


def test_point_estimates_worked_example():
    # 200 mentions in 50,000 words; 45 of 60 labelled mentions are the concept: p = 0.75
    a = adjusted_count(200, 50_000, 45, 60)
    assert a.count_adj == pytest.approx(150.0)  # 0.75 * 200
    assert a.per_10k_adj == pytest.approx(30.0)  # 10,000 * 150 / 50,000
    assert a.count_adj_low is None and a.per_10k_adj_low is None  # no replicates, no interval


def test_precision_draws_follow_the_beta_posterior():
    d = precision_draws(45, 60, 200_000, seed=1)
    assert d.mean() == pytest.approx(46 / 62, abs=2e-3)  # Beta(46, 16) mean
    assert np.quantile(d, 0.025) == pytest.approx(stats.beta.ppf(0.025, 46, 16), abs=3e-3)


def test_fixed_corpus_interval_is_the_precision_interval_times_the_count():
    # No corpus variability (every replicate has the same count and words): only the labels' uncertainty.
    c = np.full(100_000, 200.0)
    w = np.full(100_000, 50_000.0)
    a = adjusted_count(200, 50_000, 45, 60, c, w, seed=3)
    lo, hi = stats.beta.ppf([0.025, 0.975], 46, 16)
    assert a.count_adj_low == pytest.approx(200 * lo, abs=0.6)
    assert a.count_adj_high == pytest.approx(200 * hi, abs=0.6)
    assert a.per_10k_adj_low == pytest.approx(a.count_adj_low / 5, rel=1e-9)


def test_both_uncertainties_widen_the_interval():
    rng = np.random.default_rng(0)
    c = rng.normal(200, 20, 50_000)
    w = np.full(50_000, 50_000.0)
    both = adjusted_count(200, 50_000, 45, 60, c, w, seed=4)
    labels_only = adjusted_count(200, 50_000, 45, 60, np.full(50_000, 200.0), w, seed=4)
    corpus_only = np.quantile(0.75 * c, [0.025, 0.975])
    assert both.count_adj_high - both.count_adj_low > labels_only.count_adj_high - labels_only.count_adj_low
    assert both.count_adj_high - both.count_adj_low > corpus_only[1] - corpus_only[0]


def test_bad_input():
    with pytest.raises(ValueError):
        adjusted_count(1, 10, 0, 0)
    with pytest.raises(ValueError):
        precision_draws(5, 4, 10)
