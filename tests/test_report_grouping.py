"""The grouping primitive under every report table: the count matrix, cells and periods."""

import numpy as np
import pytest

from discourse.errors import UsageError
from discourse.report.grouping import Doc, group, period_of

CONCEPTS = ["a", "b", "c"]


def _docs():
    # store order; cells: (gov, 2010) = d1, d3; (gov, 2009) = d2; (lay, 2010) = d4
    return [
        Doc("d1", 100, ("gov",), "2010", 2010),
        Doc("d2", 50, ("gov",), "2009", 2009),
        Doc("d3", 10, ("gov",), "2010", 2010),
        Doc("d4", 7, ("lay",), "2010", 2010),
    ]


def test_count_matrix_and_cells():
    counts = [
        ("d1", "a", 3),
        ("d1", "c", 1),
        ("d3", "a", 2),
        ("d4", "b", 5),
        ("d9", "a", 8),  # a document outside the selection: ignored
        ("d2", "z", 4),
    ]  # a concept not in the lexicon: ignored
    g = group(("source_type",), CONCEPTS, _docs(), counts)
    assert g.counts.tolist() == [[3, 0, 1], [0, 0, 0], [2, 0, 0], [0, 5, 0]]
    # cells by --by values, then period start
    assert [(c.by, c.period, c.docs.tolist()) for c in g.cells] == [
        (("gov",), "2009", [1]),
        (("gov",), "2010", [0, 2]),
        (("lay",), "2010", [3]),
    ]
    assert g.cell_of.tolist() == [1, 0, 1, 2]
    assert g.cell_counts().tolist() == [[0, 0, 0], [5, 0, 1], [0, 5, 0]]
    assert g.cell_words().tolist() == [50, 110, 7]
    assert g.index[(("lay",), "2010")] == 2 and g.row_of["d3"] == 2
    assert g.row("a", ("gov",), "2010", count=5) == {"concept": "a", "source_type": "gov", "period": "2010", "count": 5}
    assert g.row("a", ("gov",), None, n=1) == {"concept": "a", "source_type": "gov", "n": 1}


def test_empty_selection():
    g = group(("source_type",), CONCEPTS, [], [("d1", "a", 1)])
    assert g.counts.shape == (0, 3) and g.cells == []
    assert g.cell_counts().shape == (0, 3) and g.cell_words().tolist() == []


def test_cells_sort_by_period_start_not_label():
    docs = [
        Doc("x", 1, ("g",), "2010-2014", 2010),
        Doc("y", 1, ("g",), "all", None),
        Doc("z", 1, ("g",), "2005-2009", 2005),
    ]
    g = group(("k",), CONCEPTS, docs, [])
    assert [c.period for c in g.cells] == ["all", "2005-2009", "2010-2014"]
    assert isinstance(g.cells[0].docs, np.ndarray)


def test_period_of():
    assert period_of("all")(None) == ("all", None)
    assert period_of("all")(1999) == ("all", None)
    assert period_of("year")(2014) == ("2014", 2014)
    assert period_of("year")(None) is None
    assert period_of("5-year")(2014) == ("2010-2014", 2010)
    ranges = period_of("2008-2012, 2013-2017,2020")
    assert ranges(2013) == ("2013-2017", 2013)
    assert ranges(2020) == ("2020", 2020)
    assert ranges(2019) is None and ranges(None) is None


@pytest.mark.parametrize("bad", ["0-year", "decade", "2012-2008", "2008-12"])
def test_period_of_errors(bad):
    with pytest.raises(UsageError):
        period_of(bad)
