import math
import sys

import pytest

from discourse.measures.keyness import log_likelihood_g2, log_ratio, p_value, pct_diff


def test_worked_example_large():
    assert log_likelihood_g2(120, 30, 1_000_000, 2_000_000) == pytest.approx(137.874, abs=1e-3)
    assert log_ratio(120, 30, 1_000_000, 2_000_000) == pytest.approx(3.0, abs=1e-4)
    assert pct_diff(120, 30, 1_000_000, 2_000_000) == pytest.approx(700.0, abs=1e-4)


def test_worked_example_small_and_reverse():
    assert log_likelihood_g2(12, 3, 1000, 2000) == pytest.approx(13.7874, abs=1e-4)
    assert log_ratio(12, 3, 1000, 2000) == pytest.approx(3.0, abs=1e-4)
    assert log_likelihood_g2(3, 12, 2000, 1000) == pytest.approx(13.7874, abs=1e-4)
    assert log_ratio(3, 12, 2000, 1000) == pytest.approx(-3.0, abs=1e-4)
    assert pct_diff(3, 12, 2000, 1000) == pytest.approx(-87.5, abs=1e-4)


def test_p_value():
    assert p_value(3.841459) == pytest.approx(0.05, abs=1e-4)
    assert p_value(0.0) == pytest.approx(1.0, abs=1e-4)
    assert p_value(None) is None
    assert p_value(13.7874) < 0.001


def test_g2_zero_cells():
    # b = 0: 0*ln0 = 0, G2 = 2 a ln(a / E1); E1 = 10 * 1000/3000
    assert log_likelihood_g2(10, 0, 1000, 2000) == pytest.approx(2 * 10 * math.log(3), abs=1e-4)
    assert log_likelihood_g2(0, 0, 1000, 2000) == 0.0
    # same relative frequency -> 0
    assert log_likelihood_g2(10, 20, 1000, 2000) == pytest.approx(0.0, abs=1e-4)


def test_zero_count_conventions():
    # a zero on either side: 0.5 / mean size (0.5/1000) is added to both rates:
    # r1 = 0.004 + 0.0005 = 0.0045, r2 = 0.0005 -> log2(9) = 3.1699, %DIFF = 800
    assert log_ratio(4, 0, 1000, 1000) == pytest.approx(math.log2(9), abs=1e-4)
    assert log_ratio(0, 4, 1000, 1000) == pytest.approx(-math.log2(9), abs=1e-4)
    assert pct_diff(4, 0, 1000, 1000) == pytest.approx(800.0, abs=1e-4)
    assert pct_diff(0, 4, 1000, 1000) == pytest.approx((0.0005 - 0.0045) / 0.0045 * 100, abs=1e-4)
    # both zero -> None
    assert log_ratio(0, 0, 1000, 1000) is None
    assert pct_diff(0, 0, 1000, 1000) is None


@pytest.mark.parametrize("fn", [log_likelihood_g2, log_ratio, pct_diff])
def test_empty_corpus(fn):
    assert fn(1, 1, 0, 1000) is None
    assert fn(1, 1, 1000, 0) is None


def test_p_value_is_never_rounded_to_zero():
    # chi-square 1 df tail at G2 = 60: erfc(sqrt(30)) = 9.4857e-15 (R: pchisq(60, 1, lower.tail=FALSE))
    assert p_value(60.0) == pytest.approx(9.4857e-15, rel=1e-4)
    assert 0 < p_value(600.0) < 1e-100
    assert p_value(5000.0) == sys.float_info.min  # would underflow: the smallest normal double, never 0
    assert p_value(0.0) == 1.0
    assert p_value(3.841459) == pytest.approx(0.05, abs=1e-6)


def test_bh_qvalues_worked_example():
    from discourse.measures.keyness import bh_qvalues

    # sorted p: 0.01, 0.03, 0.04, 0.5 (m = 4): 4p/rank = 0.04, 0.06, 0.0533, 0.5;
    # then the running minimum from the top: 0.04, 0.0533, 0.0533, 0.5
    q = bh_qvalues([0.01, None, 0.04, 0.03, 0.5])
    assert q[1] is None
    assert q[0] == pytest.approx(0.04)
    assert q[2] == pytest.approx(0.16 / 3)
    assert q[3] == pytest.approx(0.16 / 3)
    assert q[4] == pytest.approx(0.5)
    assert bh_qvalues([]) == []
    assert bh_qvalues([0.9, 0.95]) == [pytest.approx(0.95), pytest.approx(0.95)]


def test_zero_count_never_flips_the_sign():
    # The case: party 2020-24 (a, small) has 0 co-production mentions,
    # government (b, 12x larger) has 5. Replacing a's zero count by 0.5 gave
    # log2((0.5/10000)/(5/120000)) = +0.263: the wrong sign. With the rate prior:
    # n_mean = 65000, prior = 0.5/65000; r1 = 7.69e-6, r2 = 4.167e-5 + 7.69e-6
    a, b, n1, n2 = 0, 5, 10_000, 120_000
    prior = 0.5 / 65_000
    assert log_ratio(a, b, n1, n2) == pytest.approx(math.log2(prior / (5 / 120_000 + prior)), abs=1e-9)
    assert log_ratio(a, b, n1, n2) < 0
    assert -100 < pct_diff(a, b, n1, n2) < 0
    # b = 0 on the other side: positive, whatever the sizes
    assert log_ratio(3, 0, 200_000, 1_000) > 0 and pct_diff(3, 0, 200_000, 1_000) > 0
    # both positive: the plain rates, no prior
    assert log_ratio(5, 5, 1000, 4000) == pytest.approx(2.0)
