import pytest

from discourse.measures.prominence import doc_freq, per_10k, per_10k_doc_mean, share_of_voice


def test_per_10k():
    assert per_10k(5, 20_000) == pytest.approx(2.5, abs=1e-4)
    assert per_10k(3, 0) is None


def test_per_10k_doc_mean_skips_empty_docs():
    # rates 10 and 1 per 10k; the 0-word document is skipped
    assert per_10k_doc_mean([1, 1, 0], [1_000, 10_000, 0]) == pytest.approx(5.5, abs=1e-4)
    assert per_10k_doc_mean([0], [0]) is None
    assert per_10k_doc_mean([], []) is None
    with pytest.raises(ValueError):
        per_10k_doc_mean([1], [1, 2])


def test_doc_freq():
    assert doc_freq(3, 12) == pytest.approx(0.25, abs=1e-4)
    assert doc_freq(0, 0) is None


def test_share_of_voice():
    assert share_of_voice(30, 120) == pytest.approx(0.25, abs=1e-4)
    assert share_of_voice(0, 0) is None  # 0/0 is blank, not 0
