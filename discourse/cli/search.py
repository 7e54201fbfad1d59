"""Index and search commands: index, words, ngrams, keywords (kwic --term is in concepts)."""

from __future__ import annotations

import typer

from . import app
from ._common import DbOpt, db_path, handle_errors, note

try:
    from ._common import examples
except ImportError:  # pragma: no cover - older _common

    def examples(*lines: str) -> str:
        return "Example:\n\n\b\n" + "\n".join(f"  {line}" for line in lines)


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

    with handle_errors(), Store.open(db_path(db), create=False) as store:
        run = rebuild_index if rebuild else ensure_index
        n = run(store, None)
        note(f"{n} document(s) indexed; postings current")
