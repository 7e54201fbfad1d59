import math

import pytest

from discourse.measures.collocation import collocation_scores


def test_worked_example():
    s = collocation_scores(8, 389, 230, 1_000_000, span=1)
    assert s.expected == pytest.approx(0.08947, abs=1e-4)
    assert s.mi == pytest.approx(6.4825, abs=1e-4)
    assert s.mi3 == pytest.approx(12.4825, abs=1e-4)
    assert s.t == pytest.approx(2.7968, abs=1e-4)
    assert s.logdice == pytest.approx(8.7262, abs=1e-4)
    assert s.ll == pytest.approx(56.509, abs=1e-3)


def test_span_enters_expected_and_table():
    s = collocation_scores(8, 389, 230, 1_000_000, span=8)
    assert s.expected == pytest.approx(8 * 0.08947, abs=1e-4)
    assert s.mi == pytest.approx(6.4825 - 3.0, abs=1e-4)
    assert s.logdice == pytest.approx(8.7262, abs=1e-4)  # logDice ignores span
    # LL equals the 2x2 table with row total span * f_node
    s_equiv = collocation_scores(8, 8 * 389, 230, 1_000_000, span=1)
    assert s.ll == pytest.approx(s_equiv.ll, abs=1e-6)
    assert s.ll < 56.509


def test_zero_observed():
    s = collocation_scores(0, 389, 230, 1_000_000)
    assert s.mi is None and s.mi3 is None and s.t is None and s.logdice is None
    assert s.ll is not None and math.isfinite(s.ll)


def test_none_and_negative_cell():
    assert collocation_scores(1, 0, 230, 1000) is None
    assert collocation_scores(1, 10, 0, 1000) is None
    assert collocation_scores(1, 10, 10, 0) is None
    # o > f_coll (double-counted collocate) -> table cell negative -> ll None
    assert collocation_scores(5, 10, 3, 1000, span=2).ll is None
