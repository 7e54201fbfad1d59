"""Documents grouped into cells: the one primitive every report table is computed from.

The idea is quanteda's ``dfm_group``: the document x concept count matrix is
built once (documents in store order, concepts in lexicon order), and a *cell*
(one combination of ``--by`` values and one period) is a set of row indices
into it. A table is then a short function of a :class:`Grouped`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import UsageError
from ..store import Store
from ..store.query import DOC_FILTER_COLUMNS, check_where, doc_where
from .options import ReportOptions

PeriodFn = Callable[[int | None], tuple[str, int | None] | None]


@dataclass(frozen=True)
class Doc:
    doc_id: str
    words: int
    by: tuple[str, ...]  # the document's --by values
    period: str  # its period label
    start: int | None  # first year of the period (None for 'all')
    mix: tuple[tuple[str, str], ...] = ()  # composition labels: (column, value), see COMPOSITION_COLUMNS


#: Metadata columns that say which collection a document belongs to; with the
#: document's folder (``folder``) they are checked for composition changes.
COMPOSITION_COLUMNS = ("collection", "source", "publisher", "corpus", "series")


@dataclass(frozen=True)
class Cell:
    by: tuple[str, ...]
    period: str
    start: int | None
    docs: np.ndarray  # row indices into Grouped.docs, in store order


@dataclass
class Table:
    """A table's rows and the notes (for stderr) saying why some fields are blank."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def note(self, msg: str) -> None:
        if msg not in self.notes:
            self.notes.append(msg)


@dataclass
class Grouped:
    """The document x concept count matrix and the documents grouped into cells."""

    by_cols: tuple[str, ...]
    concepts: list[str]  # lexicon order
    docs: list[Doc]  # store order (path, doc_id)
    counts: np.ndarray  # len(docs) x len(concepts): kept mentions
    cells: list[Cell]  # by --by values, then period start, then period label

    def __post_init__(self) -> None:
        self.words = np.array([d.words for d in self.docs], dtype=np.int64)
        self.cell_of = np.zeros(len(self.docs), dtype=np.intp)  # document row -> cell index
        for k, cell in enumerate(self.cells):
            self.cell_of[cell.docs] = k
        self.index = {(c.by, c.period): k for k, c in enumerate(self.cells)}
        self.row_of = {d.doc_id: i for i, d in enumerate(self.docs)}

    def cell_counts(self) -> np.ndarray:
        """cells x concepts: kept mentions per cell."""
        out = np.zeros((len(self.cells), len(self.concepts)), dtype=np.int64)
        np.add.at(out, self.cell_of, self.counts)
        return out

    def cell_words(self) -> np.ndarray:
        out = np.zeros(len(self.cells), dtype=np.int64)
        np.add.at(out, self.cell_of, self.words)
        return out

    def row(self, concept: str, by: tuple[str, ...], period: str | None, **vals: Any) -> dict[str, Any]:
        """One output row: ``concept``, the --by columns, ``period`` (unless None), then ``vals``."""
        row: dict[str, Any] = {"concept": concept, **dict(zip(self.by_cols, by, strict=True))}
        if period is not None:
            row["period"] = period
        row.update(vals)
        return row


def group(
    by_cols: tuple[str, ...], concepts: list[str], docs: list[Doc], mention_counts: Iterable[tuple[str, str, int]]
) -> Grouped:
    """Build the count matrix from (doc_id, concept, n) triples and group ``docs`` into cells."""
    row_of = {d.doc_id: i for i, d in enumerate(docs)}
    col_of = {c: j for j, c in enumerate(concepts)}
    counts = np.zeros((len(docs), len(concepts)), dtype=np.int64)
    for doc_id, concept, n in mention_counts:
        i, j = row_of.get(doc_id), col_of.get(concept)
        if i is not None and j is not None:
            counts[i, j] += n
    members: dict[tuple[tuple[str, ...], str], list[int]] = {}
    start: dict[tuple[tuple[str, ...], str], int | None] = {}
    for i, d in enumerate(docs):
        members.setdefault((d.by, d.period), []).append(i)
        start[(d.by, d.period)] = d.start
    keys = sorted(members, key=lambda c: (c[0], -1 if start[c] is None else start[c], c[1]))
    cells = [
        Cell(by, period, start[(by, period)], np.array(members[(by, period)], dtype=np.intp)) for by, period in keys
    ]
    return Grouped(by_cols, concepts, docs, counts, cells)


def select_documents(store: Store, opts: ReportOptions) -> tuple[list[Doc], list[str]]:
    """The documents the options select, each with its --by values and period; and notes."""
    where_notes = check_where(store, opts.where)
    cond, params = doc_where(list(opts.where), opts.year_from, opts.year_to, alias="documents")
    period = period_of(opts.period)
    docs, no_year, outside = [], 0, 0
    for d in store.documents(cond, params):
        p = period(d["year"])
        if p is None:
            if d["year"] is None:
                no_year += 1
            else:
                outside += 1
            continue
        docs.append(Doc(d["doc_id"], d["words"], tuple(_by_value(d, col) for col in opts.by), p[0], p[1], _mix(d)))
    notes = list(where_notes)
    if no_year:
        notes.append(f"{no_year} document(s) without a year left out (use --period all to include them)")
    if outside:
        notes.append(f"{outside} document(s) outside the --period ranges left out")
    if not docs:
        notes.append("no documents match the selection")
    return docs, notes


def _mix(doc: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """The document's folder and any collection-like metadata, for the composition check."""
    folder = str(doc["path"]).split("#", 1)[0].rsplit("/", 1)[0]
    meta = doc.get("metadata") or {}
    return (("folder", folder), *((c, str(meta[c])) for c in COMPOSITION_COLUMNS if meta.get(c) not in (None, "")))


def _by_value(doc: dict[str, Any], col: str) -> str:
    v = doc.get(col) if col in DOC_FILTER_COLUMNS else doc["metadata"].get(col)
    return "" if v is None else str(v)


_RANGE = re.compile(r"^(\d{4})(?:-(\d{4}))?$")


def period_of(period: str) -> PeriodFn:
    """``f(year) -> (label, start) | None`` for a ``--period`` value (None: the year is left out)."""
    p = period.strip()
    if p == "all":
        return lambda y: ("all", None)
    if p == "year":
        return lambda y: None if y is None else (str(y), y)
    m = re.fullmatch(r"(\d+)-year", p)
    if m:
        n = int(m.group(1))
        if n < 1:
            raise UsageError(f"--period {period!r}: N must be at least 1")
        return lambda y: None if y is None else (f"{y // n * n}-{y // n * n + n - 1}", y // n * n)
    ranges = []
    for part in p.split(","):
        m = _RANGE.match(part.strip())
        if not m:
            raise UsageError(
                f"--period {period!r}: expected year, N-year, all or Y1-Y2,Y3-Y4",
                hint="e.g. --period 5-year or --period 2008-2012,2013-2017",
            )
        a, b = int(m.group(1)), int(m.group(2) or m.group(1))
        if b < a:
            raise UsageError(f"--period {period!r}: range {part} ends before it starts")
        ranges.append((a, b, part.strip()))

    def in_range(y: int | None) -> tuple[str, int | None] | None:
        if y is None:
            return None
        for a, b, label in ranges:
            if a <= y <= b:
                return label, a
        return None

    return in_range
