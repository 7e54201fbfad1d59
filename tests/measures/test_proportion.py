"""Worked examples of the Wilson interval on the proportions the ambiguity table reports (k of n mentions).

The function lives in :mod:`discourse.measures.agreement` (validation uses it for precision); these
are the report's cases, each computed by hand.
"""

import pytest

from discourse.measures.agreement import wilson_interval

Z = 1.959964  # Φ⁻¹(0.975)


def test_wilson_worked_example_2_of_27():
    # personal budgets in lay talk: k = 2 of n = 27 lines about the word.
    # p̂ = 2/27 = 0.074074, z² = 3.841459, z²/n = 0.142276, so 1 + z²/n = 1.142276
    # centre = (0.074074 + 3.841459/54) / 1.142276 = (0.074074 + 0.071138) / 1.142276 = 0.127126
    # half   = 1.959964 / 1.142276 * sqrt(0.074074 * 0.925926 / 27 + 3.841459 / (4 * 729))
    #        = 1.715843 * sqrt(0.0025403 + 0.0013174) = 1.715843 * 0.062111 = 0.106572
    # -> [0.020554, 0.233698]
    low, high = wilson_interval(2, 27)
    assert low == pytest.approx(0.020554, abs=2e-6)
    assert high == pytest.approx(0.233698, abs=5e-6)


def test_wilson_21_of_177():
    # co-production in lay talk: p̂ = 0.118644, z²/n = 0.021703, 1 + z²/n = 1.021703
    # centre = (0.118644 + 0.010851) / 1.021703 = 0.126745
    # half   = 1.959964 / 1.021703 * sqrt(0.118644 * 0.881356 / 177 + 3.841459 / 125316)
    #        = 1.918330 * sqrt(0.00059078 + 0.00003065) = 1.918330 * 0.024929 = 0.047821
    # -> [0.078924, 0.174566]
    low, high = wilson_interval(21, 177)
    assert low == pytest.approx(0.078924, abs=5e-6)
    assert high == pytest.approx(0.174566, abs=5e-6)


def test_wilson_at_the_edges():
    # k = 0: centre = half = (z²/2n) / (1 + z²/n), so [0, z²/(n + z²)] = [0, 3.841459 / 74.841459]
    assert wilson_interval(0, 71) == pytest.approx((0.0, 3.841459 / 74.841459), abs=1e-6)
    # k = n mirrors it
    assert wilson_interval(27, 27) == pytest.approx((1 - 3.841459 / 30.841459, 1.0), abs=1e-6)
    # symmetric around 1/2 when k = n/2
    low, high = wilson_interval(5, 10)
    assert low + high == pytest.approx(1.0, abs=1e-12)
    assert wilson_interval(0, 0) is None


def test_wilson_level():
    # 90%: z = 1.644854; narrower than the 95% interval
    low90, high90 = wilson_interval(2, 27, level=0.90)
    low95, high95 = wilson_interval(2, 27)
    assert low95 < low90 < 2 / 27 < high90 < high95
    assert (low90, high90) == pytest.approx((0.024823, 0.200911), abs=5e-6)


def test_wilson_rejects_bad_input():
    for k, n in ((-1, 5), (6, 5), (1, -1)):
        with pytest.raises(ValueError):
            wilson_interval(k, n)
    with pytest.raises(ValueError):
        wilson_interval(1, 5, level=1.0)
