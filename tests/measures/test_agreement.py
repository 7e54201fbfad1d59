"""Worked examples for the validation measures (Wilson interval, Cohen's kappa, Krippendorff's alpha)."""

import pytest

from discourse.measures.agreement import cohen_kappa, kappa_from_table, krippendorff_alpha_nominal, wilson_interval


def test_wilson_18_of_20():
    # p = 0.9, z = 1.96: centre (0.9 + 0.09604) / 1.19207 = 0.83555, half 0.13658
    low, high = wilson_interval(18, 20)
    assert low == pytest.approx(0.699, abs=5e-4)
    assert high == pytest.approx(0.972, abs=5e-4)


@pytest.mark.parametrize(
    "successes, n, low, high",
    [
        # Newcombe (1998), Statistics in Medicine 17, 857-872, Table I, method 3 (Wilson score)
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_matches_newcombe_1998(successes, n, low, high):
    lo, hi = wilson_interval(successes, n)
    assert lo == pytest.approx(low, abs=1e-4)
    assert hi == pytest.approx(high, abs=1e-4)


def test_wilson_edges():
    assert wilson_interval(0, 0) is None
    low, high = wilson_interval(100, 100)  # all yes: the upper end is 1, the lower end is not
    assert high == 1.0
    assert low == pytest.approx(0.963, abs=5e-4)
    assert wilson_interval(9, 10, level=0.99)[0] < wilson_interval(9, 10)[0]  # wider at 99%
    with pytest.raises(ValueError):
        wilson_interval(3, 2)
    with pytest.raises(ValueError):
        wilson_interval(1, 2, level=1.5)


def test_kappa_textbook_2x2():
    # Kaptein, M. & van den Heuvel, E. (2022). Statistics for Data Scientists. Springer, ch. 6
    # (Multiple Random Variables), Table 6.1, first table: rows X = 1, 2; columns Y = 1, 2.
    #   20   5 | 25
    #   10  65 | 75
    #   30  70 | 100
    # p_o = 85/100 = 0.85; p_e = (25*30 + 75*70) / 100^2 = 0.60; kappa = 0.25 / 0.40 = 0.625
    assert kappa_from_table([[20, 5], [10, 65]]) == pytest.approx(0.625, abs=1e-9)


def test_kappa_from_labels_equals_the_table():
    # the same 100 units as two coders' label lists (None: not coded, left out)
    a = ["y"] * 25 + ["n"] * 75 + [None, "y"]
    b = ["y"] * 20 + ["n"] * 5 + ["y"] * 10 + ["n"] * 65 + ["y", None]
    assert cohen_kappa(a, b) == pytest.approx(0.625, abs=1e-9)


def test_kappa_edges():
    assert cohen_kappa([], []) is None
    assert cohen_kappa(["y", "y"], ["y", "y"]) is None  # one category only: p_e = 1, 0/0
    assert cohen_kappa(["y", "n"], ["y", "n"]) == pytest.approx(1.0)
    assert cohen_kappa(["y", "n"], ["n", "y"]) == pytest.approx(-1.0)
    with pytest.raises(ValueError):
        cohen_kappa(["y"], ["y", "n"])
    with pytest.raises(ValueError):
        kappa_from_table([[1, 2], [3]])


def test_alpha_krippendorff_2011_binary_two_coders():
    # Krippendorff (2011), Computing Krippendorff's Alpha-Reliability, §A: binary data,
    # two observers, no missing data, 10 units.
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    # coincidences o00 = 10, o01 = o10 = 4, o11 = 2; n0 = 14, n1 = 6, n = 20
    # alpha = 1 - (n - 1) * o01 / (n0 * n1) = 1 - 19 * 4 / 84 = 0.095
    assert krippendorff_alpha_nominal([a, b]) == pytest.approx(0.095, abs=5e-4)
    assert krippendorff_alpha_nominal([a, b]) == pytest.approx(1 - 76 / 84)


def test_alpha_krippendorff_2011_nominal_missing_values():
    # Krippendorff (2011), §C: nominal data, four observers, 12 units, missing values: alpha = 0.743
    n = None
    data = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
        [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n],
    ]
    assert krippendorff_alpha_nominal(data) == pytest.approx(0.743, abs=5e-4)


def test_alpha_two_coders_with_missing_values_drops_unpairable_units():
    a = ["yes", "no", "yes", None, "unsure"]
    b = ["yes", "no", "no", "yes", None]
    # only units 1-3 are pairable: o(yes,yes)=2, o(no,no)=2, o(yes,no)=o(no,yes)=1; n_yes=3, n_no=3, n=6
    # alpha = 1 - 5 * 2 / (2 * 3 * 3) = 1 - 10/18
    assert krippendorff_alpha_nominal([a, b]) == pytest.approx(1 - 10 / 18)
    assert krippendorff_alpha_nominal([a[:3], b[:3]]) == pytest.approx(1 - 10 / 18)


def test_alpha_edges():
    assert krippendorff_alpha_nominal([]) is None
    assert krippendorff_alpha_nominal([["y", None], [None, "y"]]) is None  # nothing pairable
    assert krippendorff_alpha_nominal([["y", "y"], ["y", "y"]]) is None  # one category: undefined
    assert krippendorff_alpha_nominal([["y", "n"], ["y", "n"]]) == pytest.approx(1.0)
    with pytest.raises(ValueError):
        krippendorff_alpha_nominal([["y"], ["y", "n"]])
