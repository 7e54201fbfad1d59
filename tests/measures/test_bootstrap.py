import numpy as np
import pytest

from discourse.measures.bootstrap import cluster_bootstrap_sums, percentile_interval, ratio_interval


def test_sums_are_reproducible_and_resample_whole_documents():
    # 3 documents: (count, words). A replicate draws 3 documents with replacement,
    # so every replicate's words are a sum of three of 100/200/700.
    vals = np.array([[1, 100], [0, 200], [9, 700]])
    a = cluster_bootstrap_sums(vals, 500, seed=7)
    b = cluster_bootstrap_sums(vals, 500, seed=7)
    assert a.shape == (500, 2)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, cluster_bootstrap_sums(vals, 500, seed=8))
    possible_words = {x + y + z for x in (100, 200, 700) for y in (100, 200, 700) for z in (100, 200, 700)}
    assert set(a[:, 1].astype(int)) <= possible_words
    # a document's count always travels with its words
    assert set(map(tuple, a.astype(int))) <= {
        (sum(vals[i, 0] for i in t), sum(vals[i, 1] for i in t))
        for t in [(i, j, k) for i in range(3) for j in range(3) for k in range(3)]
    }


def test_chunked_draw_matches_expected_mean():
    rng = np.random.default_rng(0)
    vals = rng.integers(0, 10, size=(50, 3)).astype(float)
    s = cluster_bootstrap_sums(vals, 4000, seed=1)
    # E[sum over a resample] = sum of the column (each document drawn once on average)
    assert s.mean(axis=0) == pytest.approx(vals.sum(axis=0), rel=0.02)


def test_percentile_interval_worked_example():
    # 0..100: the 2.5% and 97.5% quantiles (linear interpolation) are 2.5 and 97.5
    assert percentile_interval(np.arange(101.0)) == pytest.approx((2.5, 97.5))
    assert percentile_interval(np.array([np.nan, np.inf])) is None
    assert percentile_interval(np.array([1.0, np.nan, 3.0]), level=0.0) == pytest.approx((2.0, 2.0))


def test_ratio_interval_skips_zero_denominators():
    num = np.array([1.0, 2.0, 3.0, 5.0])
    den = np.array([1000.0, 1000.0, 0.0, 1000.0])
    lo, hi = ratio_interval(num, den, scale=10_000, level=0.0)
    assert lo == hi == pytest.approx(20.0)  # median of 10, 20, 50
    assert ratio_interval(num, np.zeros(4)) is None


def test_one_dominant_document_widens_the_interval():
    # Same total (60 mentions in 10 documents of 1,000 words), spread evenly or in one document.
    even = np.array([[6, 1000]] * 10)
    lumpy = np.array([[51, 1000]] + [[1, 1000]] * 9)

    def width(v):
        s = cluster_bootstrap_sums(v, 2000, seed=0)
        lo, hi = ratio_interval(s[:, 0], s[:, 1], scale=10_000)
        return hi - lo

    assert width(even) == pytest.approx(0.0)
    assert width(lumpy) > 50


def test_bad_input():
    with pytest.raises(ValueError):
        cluster_bootstrap_sums(np.zeros((0, 2)), 10)
    with pytest.raises(ValueError):
        cluster_bootstrap_sums(np.ones((2, 2)), 0)
