"""Index and search commands: index, words, ngrams, keywords (kwic --term is in concepts)."""

from __future__ import annotations

import typer

from . import app
from ._common import Bars, DbOpt, db_path, examples, handle_errors, note


@app.command(
    "index",
    epilog=examples("discourse index", "discourse index --rebuild --db old.db"),
)
def index_cmd(
    rebuild: bool = typer.Option(False, "--rebuild", help="Rebuild the whole index from the stored tokens."),
    db: str | None = DbOpt,
):
    """Build the positional index of a store (first use does this on its own).

    Indexes every document that has no token arrays yet and refreshes the
    posting lists; --rebuild starts from scratch. Nothing else changes.
    """
    from ..index import ensure_index
    from ..index import rebuild as rebuild_index
    from ..store import Store

    with handle_errors(), Store.open(db_path(db), create=False) as store, Bars() as bars:
        run = rebuild_index if rebuild else ensure_index
        n = run(store, bars.counter("indexing"))
        note(f"{n} document(s) indexed; postings current")
