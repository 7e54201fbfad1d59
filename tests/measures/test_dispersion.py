import pytest

from discourse.measures.dispersion import dp, dp_norm, juilland_d

COUNTS = (50, 25, 15, 10)
EQUAL = (1000, 1000, 1000, 1000)


def test_worked_example():
    assert dp(COUNTS, EQUAL) == pytest.approx(0.25, abs=1e-4)
    assert dp_norm(COUNTS, EQUAL) == pytest.approx(0.3333, abs=1e-4)
    assert juilland_d(COUNTS, EQUAL) == pytest.approx(0.6441, abs=1e-4)


def test_juilland_uses_rates_for_unequal_sizes():
    # Same rates (count/size) as the worked example -> same D.
    sizes = (2000, 1000, 1000, 3000)
    counts = (100, 25, 15, 30)
    assert juilland_d(counts, sizes) == pytest.approx(0.6441, abs=1e-4)


def test_unequal_sizes_dp():
    # v = (.75, .25), s = (.5, .5) -> DP = .25; DPnorm = .25 / (1 - .5)
    assert dp((3, 1), (10, 10)) == pytest.approx(0.25, abs=1e-4)
    # v = (.5, .5), s = (.25, .75) -> DP = .25; DPnorm = .25 / .75
    assert dp((1, 1), (10, 30)) == pytest.approx(0.25, abs=1e-4)
    assert dp_norm((1, 1), (10, 30)) == pytest.approx(0.3333, abs=1e-4)


def test_extremes():
    assert dp((5, 5), (10, 10)) == pytest.approx(0.0, abs=1e-4)
    assert juilland_d((5, 5), (10, 10)) == pytest.approx(1.0, abs=1e-4)
    assert juilland_d((10, 0, 0), (10, 10, 10)) == pytest.approx(0.0, abs=1e-4)
    assert dp_norm((10, 0, 0), (10, 10, 10)) == pytest.approx(1.0, abs=1e-4)


@pytest.mark.parametrize("fn", [dp, dp_norm, juilland_d])
def test_none_cases(fn):
    assert fn((5,), (100,)) is None  # fewer than 2 parts
    assert fn((0, 0, 0), (10, 10, 10)) is None  # zero total count
    assert fn((5, 0), (100, 0)) is None  # the empty part is dropped -> 1 part
    assert fn([], []) is None


@pytest.mark.parametrize("fn", [dp, dp_norm, juilland_d])
def test_bad_input(fn):
    with pytest.raises(ValueError):
        fn((1, 2), (10,))
    with pytest.raises(ValueError):
        fn((1, 2), (10, 0))
