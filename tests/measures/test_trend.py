import pytest

from discourse.measures.trend import kendall_tau_b, mann_kendall, sen_slope

X = (1.2, 1.9, 3.5, 2.8, 4.1, 5.0)


def test_worked_example():
    mk = mann_kendall(X)
    assert mk.s == 13
    assert mk.var_s == pytest.approx(28.3333, abs=1e-4)
    assert mk.z == pytest.approx(2.2545, abs=1e-4)
    assert mk.p == pytest.approx(0.02416, abs=1e-4)
    assert kendall_tau_b(X) == pytest.approx(0.8667, abs=1e-4)
    assert sen_slope(X, [2000, 2001, 2002, 2003, 2004, 2005]) == pytest.approx(0.7333, abs=1e-4)
    assert sen_slope(X) == pytest.approx(0.7333, abs=1e-4)


def test_decreasing_and_ties():
    mk = mann_kendall((4, 3, 3, 1))
    # S = -5; ties: one group of 2 -> Var = (4*3*13 - 2*1*9) / 18 = 7.6667
    assert mk.s == -5
    assert mk.var_s == pytest.approx(7.6667, abs=1e-4)
    assert mk.z == pytest.approx(-4 / 7.6667**0.5, abs=1e-4)
    # tau-b = -5 / sqrt(6 * 5)
    assert kendall_tau_b((4, 3, 3, 1)) == pytest.approx(-5 / 30**0.5, abs=1e-4)


def test_sen_slope_uneven_gaps():
    # 5-year bins labelled by start year, with a missing bin: slope is per year
    assert sen_slope([1.0, 2.0, 4.0, 5.0], [1990, 1995, 2005, 2010]) == pytest.approx(0.2, abs=1e-4)
    with pytest.raises(ValueError):
        sen_slope([1, 2, 3, 4], [1, 2, 3])


@pytest.mark.parametrize("fn", [mann_kendall, kendall_tau_b, sen_slope])
def test_none_cases(fn):
    assert fn((1.0, 2.0, 3.0)) is None  # fewer than 4 periods
    assert fn((1.0, 2.0, float("nan"), 4.0)) is None


def test_zero_variance():
    assert mann_kendall((2, 2, 2, 2)) is None
    assert kendall_tau_b((2, 2, 2, 2)) is None
    assert sen_slope((2, 2, 2, 2)) == 0.0
    assert mann_kendall((1, 1, 2, 2)) is not None  # partial ties still fine


def test_mk_min_p():
    from discourse.measures.trend import mk_min_p

    # n = 4: S = 6, Var = 4*3*13/18 = 8.667, Z = 5/2.944 = 1.698, p = 0.0894
    assert mk_min_p(4) == pytest.approx(0.0894, abs=1e-4)
    assert mk_min_p(5) == pytest.approx(0.0275, abs=1e-4)
    assert mk_min_p(3) is None
    # a strictly increasing series reaches exactly that p
    assert mann_kendall((1, 2, 3, 4)).p == pytest.approx(mk_min_p(4))
