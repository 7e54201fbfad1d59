"""Report tables: stored mentions and documents -> tidy, long tables of measures.

Every table starts with ``concept,<by columns>,period`` (trend has no period)
and has a fixed column order (:data:`TABLE_COLUMNS`). A *cell* is one
combination of ``--by`` values and one period. Rules (see README "Report"):

- zeros are data: every concept x cell row is emitted, zero counts included;
- blank instead of misleading: a derived statistic is ``None`` (an empty
  field) when it would mislead, and a note saying why goes to stderr.

:func:`build_report` selects the documents, builds the document x concept
count matrix once and groups its rows into cells (:mod:`.grouping`). Each
table is a function of that grouping: :mod:`.frequency` for prominence,
counts, keyness and trend; :mod:`.context` for collocates and ambiguity, which
read the stored tokens through :mod:`.tokens` and embed contexts with a
pluggable :mod:`.embed` embedder. The numbers come from the pure functions in
:mod:`discourse.measures`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..annotate import ensure_mentions
from ..errors import UsageError
from ..store import Store
from ..store.lock import snapshot
from ..store.query import DOC_FILTER_COLUMNS
from . import context, frequency
from .embed import Embedder, TfidfSvd
from .grouping import Grouped, group, period_of, select_documents
from .meaning import MeaningAccess
from .options import COLLOCATE_WINDOW, CONTEXT_WINDOW, TABLE_COLUMNS, TABLES, ReportOptions
from .tokens import Mention, TokenAccess

__all__ = ["TABLES", "TABLE_COLUMNS", "Report", "ReportOptions", "build_report", "check_by", "period_of"]

COUNT_TABLES = {
    "prominence": frequency.prominence,
    "counts": frequency.counts,
    "keyness": frequency.keyness,
    "trend": frequency.trend,
}
PASSAGE_WORDS = 2 * CONTEXT_WINDOW  # the embedder is fitted on passages of this many words


@dataclass
class Report:
    """The selected documents grouped into cells, ready for the tables."""

    store: Store
    lexicon: Any
    opts: ReportOptions
    key: str  # the mention key (lexicon hash, or lexicon + model)
    grouped: Grouped
    embedder: Embedder
    notes: list[str] = field(default_factory=list)
    tokens: TokenAccess = field(init=False, repr=False)
    #: ``(table, done, total)`` while a table is built (the CLI draws a progress bar from it).
    on_progress: Callable[[str, int, int | None], None] | None = field(default=None, repr=False)
    _mentions: dict[str, list[Mention]] | None = field(default=None, repr=False)
    _fitted: bool = field(default=False, repr=False)

    def __post_init__(self) -> None:
        self.tokens = TokenAccess(self.store)

    def note(self, msg: str) -> None:
        if msg not in self.notes:
            self.notes.append(msg)

    def table(self, name: str) -> list[dict[str, Any]]:
        """The rows of table ``name``; its notes are added to :attr:`notes`.

        :attr:`on_progress` (if set) hears ``(name, done, total)`` as the table is built
        (total None: no known end).
        """
        if name not in TABLES:
            raise UsageError(f"unknown table {name!r}", hint="one of: " + ", ".join(TABLES))
        progress = self.on_progress

        def step(done: int, total: int | None) -> None:
            if progress is not None:
                progress(name, done, total)

        step(0, None)
        if name == "collocates":
            t = context.collocates(self.grouped, self.opts, self.mentions(), self.tokens, on_step=step)
        elif name == "ambiguity":
            meaning = MeaningAccess(
                self.store, self.key, self.lexicon, self.opts, self.tokens, set(self.grouped.row_of)
            )
            t = context.ambiguity(
                self.grouped, self.opts, self.mentions(), self.tokens, self.embed, meaning, on_step=step
            )
        else:
            t = COUNT_TABLES[name](self.grouped, self.lexicon, self.opts)
            step(1, 1)
        for n in t.notes:
            self.note(n)
        return t.rows

    def mentions(self) -> dict[str, list[Mention]]:
        """concept -> kept mentions in the selected documents, placed on the stored words."""
        if self._mentions is None:
            self._mentions = self.tokens.mentions(self.store.kept_mentions(self.key), set(self.grouped.row_of))
        return self._mentions

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of ``texts``; the embedder is fitted on the selected corpus on first use."""
        if not self._fitted:
            doc_ids = sorted(d.doc_id for d in self.grouped.docs)
            self.embedder.fit(self.tokens.passages(doc_ids, PASSAGE_WORDS))
            self._fitted = True
        return self.embedder.transform(texts)

    def context_params(self) -> dict[str, Any]:
        """How contexts were taken and embedded, for ``run.json``."""
        return {
            "collocate_window": COLLOCATE_WINDOW,
            "context_window": CONTEXT_WINDOW,
            "passage_words": PASSAGE_WORDS,
            "embedder": self.embedder.params(),
        }


def build_report(
    store: Store,
    lexicon: Any,
    opts: ReportOptions,
    *,
    model: str | None = None,
    embedder: Embedder | None = None,
    on_progress: Callable[[str, int, int | None], None] | None = None,
) -> Report:
    """Select documents, load the kept-mention counts and group them into cells.

    ``on_progress(what, done, total)`` hears the matching of unmatched
    documents (``what`` = "matching") and, later, each table as it is built.
    """
    if opts.min_count < 0 or opts.sample_k < 2:
        raise UsageError("--min-count must be >= 0 and --sample-k >= 2")
    key = ensure_mentions(
        store, lexicon, model=model, on_progress=(lambda d, t: on_progress("matching", d, t)) if on_progress else None
    )
    with snapshot(store):  # one view of the store, whatever an ingest commits meanwhile
        late = set(store.unmatched_documents(key))  # ingested after the matching above began
        docs, notes = select_documents(store, opts)
        if late:
            docs = [d for d in docs if d.doc_id not in late]
            notes.append(f"{len(late)} document(s) ingested while this report ran are left out: run it again")
        grouped = group(opts.by, [c.id for c in lexicon.concepts], docs, store.mention_counts(key))
    rep = Report(store, lexicon, opts, key, grouped, embedder or TfidfSvd(seed=opts.seed), on_progress=on_progress)
    for n in notes:
        rep.note(n)
    return rep


def check_by(store: Store, by: Iterable[str]) -> tuple[str, ...]:
    """``--by`` takes document metadata columns only."""
    cols = tuple(c.strip() for c in by if c.strip())
    if not cols:
        raise UsageError("--by needs at least one column")
    known = set(DOC_FILTER_COLUMNS) | store.metadata_keys()
    for c in cols:
        if c not in known:
            raise UsageError(
                f"--by {c!r} is not a document metadata column", hint="available: " + ", ".join(sorted(known))
            )
    return cols
