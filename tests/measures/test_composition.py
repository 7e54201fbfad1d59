import pytest

from discourse.measures.composition import SHIFT_THRESHOLD, composition_shift, total_variation


def test_total_variation_worked_example():
    # p = (0.5, 0.5, 0), q = (0.25, 0.25, 0.5): ½(0.25 + 0.25 + 0.5) = 0.5
    assert total_variation({"a": 2, "b": 2}, {"a": 1, "b": 1, "c": 2}) == pytest.approx(0.5)
    assert total_variation({"a": 3}, {"a": 1}) == 0.0
    assert total_variation({"a": 1}, {"b": 5}) == 1.0
    assert total_variation({}, {"a": 1}) is None


def test_composition_shift_finds_the_most_different_pair():
    # GOV.UK guides early, NHS papers late: the first and last periods share nothing.
    by = {"2010-2014": {"govuk": 40}, "2015-2019": {"govuk": 30, "nhs": 10}, "2020-2024": {"nhs": 20}, "2025-2029": {}}
    d, a, b = composition_shift(by)
    assert (d, a, b) == (1.0, "2010-2014", "2020-2024")
    assert d >= SHIFT_THRESHOLD
    assert composition_shift({"2020": {"x": 1}}) is None
