"""The store check: discourse check."""

from __future__ import annotations

import typer

from . import app
from ._common import ColumnsOpt, DbOpt, FormatOpt, check_format, db_path, emit, examples, handle_errors, note


@app.command(epilog=examples("discourse check", "discourse check --db corpus.db -f table"))
def check(
    fmt: str | None = FormatOpt,
    columns: str | None = ColumnsOpt,
    db: str | None = DbOpt,
):
    """Verify the store's integrity and consistency.

    File integrity, schema version, rows whose document is gone, the ledger
    against the documents, and labels against mentions. Exit 1 if any check fails.
    """
    from ..check import COLUMNS, check_store

    with handle_errors():
        check_format(fmt)
        report = check_store(db_path(db))
        emit(COLUMNS, (f.row() for f in report.findings), fmt, title="store check", pick=columns)
        note(report.summary())
        if report.failures:
            raise typer.Exit(1)
