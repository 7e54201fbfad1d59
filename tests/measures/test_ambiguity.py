import numpy as np
import pytest

from discourse.measures.ambiguity import (
    average_pairwise_cosine_distance,
    jensen_shannon,
    jensen_shannon_dicts,
    label_entropy,
    shannon_entropy,
    subsample_indices,
    subsample_stat,
    summarise_samples,
    term_form_entropy,
)


def test_entropy():
    assert shannon_entropy((0.5, 0.3, 0.2)) == pytest.approx(1.4855, abs=1e-4)
    assert shannon_entropy((50, 30, 20, 0)) == pytest.approx(1.4855, abs=1e-4)
    assert shannon_entropy({"a": 5, "b": 3, "c": 2}) == pytest.approx(1.4855, abs=1e-4)
    assert shannon_entropy((7,)) == 0.0
    assert shannon_entropy(()) is None
    assert shannon_entropy((0, 0)) is None
    assert label_entropy(["x", "y", "x", "y"]) == pytest.approx(1.0, abs=1e-4)
    assert label_entropy([]) is None
    with pytest.raises(ValueError):
        shannon_entropy((1, -1))


def test_jsd():
    assert jensen_shannon((0.5, 0.3, 0.2), (0.2, 0.3, 0.5)) == pytest.approx(0.09582, abs=1e-4)
    assert jensen_shannon((50, 30, 20), (2, 3, 5)) == pytest.approx(0.09582, abs=1e-4)
    assert jensen_shannon((1, 0), (0, 1)) == pytest.approx(1.0, abs=1e-4)
    assert jensen_shannon((1, 2), (2, 4)) == pytest.approx(0.0, abs=1e-4)
    assert jensen_shannon((0, 0), (1, 1)) is None
    with pytest.raises(ValueError):
        jensen_shannon((1, 2), (1, 2, 3))


def test_jsd_dicts_align_on_union():
    p = {"a": 5, "b": 3, "c": 2}
    q = {"c": 5, "b": 3, "a": 2}
    assert jensen_shannon_dicts(p, q) == pytest.approx(0.09582, abs=1e-4)
    assert jensen_shannon_dicts({"a": 1}, {"b": 1}) == pytest.approx(1.0, abs=1e-4)
    assert jensen_shannon_dicts({}, {"b": 1}) is None


def test_apd():
    assert average_pairwise_cosine_distance([(1, 0), (0, 1), (1, 1)]) == pytest.approx(0.5286, abs=1e-4)
    assert average_pairwise_cosine_distance([(1, 0), (2, 0)]) == pytest.approx(0.0, abs=1e-4)


def test_apd_zero_vectors_dropped():
    with_zero = [(1, 0), (0, 0), (0, 1), (1, 1)]
    assert average_pairwise_cosine_distance(with_zero) == pytest.approx(0.5286, abs=1e-4)
    assert average_pairwise_cosine_distance([(1, 0), (0, 0)]) is None
    assert average_pairwise_cosine_distance([(1, 0)]) is None
    assert average_pairwise_cosine_distance([]) is None


def test_subsample_indices_deterministic():
    a = subsample_indices(50, 10, n_samples=200, seed=0)
    b = subsample_indices(50, 10, n_samples=200, seed=0)
    assert a.shape == (200, 10)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, subsample_indices(50, 10, n_samples=200, seed=1))
    assert all(len(set(row)) == 10 for row in a)  # without replacement
    assert subsample_indices(5, 10) is None
    with pytest.raises(ValueError):
        subsample_indices(5, 0)


def test_subsample_stat():
    rng = np.random.default_rng(42)
    vecs = rng.normal(size=(40, 5))
    r1 = subsample_stat(vecs, 10, stat=average_pairwise_cosine_distance)
    r2 = subsample_stat(vecs, 10, stat=average_pairwise_cosine_distance)
    assert r1 == r2
    mean, lo, hi = r1
    assert lo <= mean <= hi
    assert subsample_stat(vecs, 41, stat=average_pairwise_cosine_distance) is None
    # k == n: every subsample is the full set
    full = average_pairwise_cosine_distance(vecs)
    assert subsample_stat(vecs, 40, stat=average_pairwise_cosine_distance) == pytest.approx(
        (full, full, full), abs=1e-9
    )
    # list items
    labels = ["a", "b"] * 10
    assert subsample_stat(labels, 20, stat=label_entropy, n_samples=5) == pytest.approx((1.0, 1.0, 1.0), abs=1e-4)


def test_same_subsamples_for_several_stats():
    labels = np.array(["a", "b", "c", "a"] * 5)
    vecs = np.eye(4)[[0, 1, 2, 0] * 5]
    idx = subsample_indices(len(labels), 6, n_samples=50, seed=3)
    ent = summarise_samples(label_entropy(labels[row]) for row in idx)
    apd = summarise_samples(average_pairwise_cosine_distance(vecs[row]) for row in idx)
    assert ent is not None and apd is not None
    assert ent == subsample_stat(labels, 6, stat=label_entropy, n_samples=50, seed=3)


def test_summarise_samples():
    assert summarise_samples([None, None]) is None
    assert summarise_samples([1.0, None, 3.0]) == pytest.approx((2.0, 1.05, 2.95), abs=1e-4)


def test_term_form_entropy_worked_example():
    # 8 mentions: term A as form a1 twice and a2 twice, term B as form b1 four times.
    # H(T) = H(1/2, 1/2) = 1 bit; H(F | T) = 1/2 * H(F | A) + 1/2 * H(F | B) = 1/2 * 1 + 1/2 * 0 = 0.5 bit.
    # The forms alone: H(1/4, 1/4, 1/2) = 1.5 bits = 1 + 0.5 (chain rule).
    pairs = [("A", "a1")] * 2 + [("A", "a2")] * 2 + [("B", "b1")] * 4
    assert term_form_entropy(pairs) == pytest.approx((1.0, 0.5), abs=1e-12)
    assert label_entropy(f for _, f in pairs) == pytest.approx(1.5, abs=1e-12)


def test_term_form_entropy_edges():
    # one term in many forms: all of the spread is form entropy
    assert term_form_entropy([("A", "x"), ("A", "y")]) == pytest.approx((0.0, 1.0), abs=1e-12)
    # one form per term: all of it is term entropy
    assert term_form_entropy([("A", "x"), ("B", "y")]) == pytest.approx((1.0, 0.0), abs=1e-12)
    # terms 3:1, the first split 2:1 -> H(T) = 0.811278, H(F | T) = 3/4 * 0.918296 = 0.688722
    t, f = term_form_entropy([("A", "x"), ("A", "x"), ("A", "y"), ("B", "z")])
    assert (t, f) == pytest.approx((0.811278, 0.688722), abs=1e-6)
    assert t + f == pytest.approx(label_entropy(["x", "x", "y", "z"]), abs=1e-12)
    assert term_form_entropy([]) is None
