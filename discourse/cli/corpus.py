"""Corpus commands: ingest, docs, stats, ledger."""

from __future__ import annotations

import sys
import time
from typing import List

import typer

from ..pool import FILE_TIMEOUT_S, MAX_FILE_MB, WORKER_MEMORY_MB
from . import app
from ._common import (
    EXIT_PARTIAL,
    ColumnsOpt,
    DbOpt,
    FormatOpt,
    FromOpt,
    OutputOpt,
    ToOpt,
    WhereOpt,
    check_format,
    db_path,
    emit,
    err,
    examples,
    handle_errors,
    note,
    warn,
)

HISTORY_COLUMNS = ["at", "path", "status", "reason", "doc_id", "sha256", "size"]
LEDGER_COLUMNS = ["path", "status", "reason", "doc_id", "sha256", "size", "updated_at"]
STATS_COLUMNS = ["source_type", "year", "docs", "pages", "words", "ws_words"]


@app.command(
    epilog=examples(
        "discourse ingest policy/ --manifest policy/MANIFEST.csv",
        "discourse ingest lay/ --source-type lay --jobs 2",
        "find more/ -name '*.pdf' | discourse ingest -",
    )
)
def ingest(
    paths: List[str] = typer.Argument(
        ..., metavar="PATH...", help="Files, folders (read recursively), or '-' for paths on stdin."
    ),
    manifest: str | None = typer.Option(
        None, "--manifest", "-m", metavar="CSV", help="CSV with a file (or path) column and metadata columns."
    ),
    source_type: str | None = typer.Option(
        None, "--source-type", metavar="TYPE", help="source_type for inputs the manifest does not describe."
    ),
    date: str | None = typer.Option(
        None, "--date", metavar="DATE", help="ISO date (YYYY, YYYY-MM or YYYY-MM-DD) for inputs with no better date."
    ),
    title: str | None = typer.Option(None, "--title", metavar="TITLE", help="Title for inputs with no better title."),
    text_column: str | None = typer.Option(
        None,
        "--text-column",
        metavar="COLUMN",
        help="Read .csv/.jsonl files as one document per row, text in this column.",
    ),
    jobs: int | None = typer.Option(
        None, "--jobs", "-j", min=1, metavar="N", help="Worker processes (default: all cores)."
    ),
    unit: str = typer.Option(
        "speech",
        "--unit",
        metavar="UNIT",
        help="Parliamentary XML (ParlaMint, ParlParse): one document per 'speech' or per 'debate'.",
    ),
    members: str | None = typer.Option(
        None,
        "--members",
        metavar="JSON",
        help="ParlParse members file (people.json) giving each speaker's party by date.",
    ),
    file_timeout: float = typer.Option(
        FILE_TIMEOUT_S, "--file-timeout", min=0, metavar="SECONDS", help="Fail a file after this long (0: no limit)."
    ),
    max_file_mb: float = typer.Option(
        MAX_FILE_MB, "--max-file-mb", min=0, metavar="MB", help="Fail, unread, a file bigger than this (0: no limit)."
    ),
    scheduler: str | None = typer.Option(
        None,
        "--scheduler",
        metavar="WHERE",
        help="Run the work on Dask: 'local:N' (a local cluster of N workers) or 'tcp://HOST:PORT'. "
        "Default: $DISCOURSE_SCHEDULER, else this machine's process pool.",
    ),
    worker_memory_mb: int = typer.Option(
        WORKER_MEMORY_MB, "--worker-memory-mb", min=0, metavar="MB", help="Memory cap of each worker (0: no cap)."
    ),
    db: str | None = DbOpt,
):
    """Read documents into the corpus store.

    Extract, normalise and tokenise each input; the ledger records what happened to it.
    """
    from ..dask_pool import scheduler_from
    from ..ingest import ingest as run_ingest
    from ..pool import Limits
    from ..store import Store

    with handle_errors():
        if unit not in ("speech", "debate"):
            raise typer.BadParameter(f"{unit!r} is not one of speech, debate", param_hint="--unit")
        stdin_lines = sys.stdin.read().splitlines() if "-" in paths else None
        store = Store.open(db_path(db))
        t0 = time.perf_counter()
        with _Progress() as progress:
            result = run_ingest(
                store,
                paths,
                manifest=manifest,
                stdin_lines=stdin_lines,
                cli={"source_type": source_type, "date": date, "title": title},
                text_column=text_column,
                jobs=jobs,
                on_event=progress.event,
                unit=unit,
                members=members,
                limits=Limits(file_timeout or None, max_file_mb or None, worker_memory_mb or None),
                scheduler=scheduler_from(scheduler),
            )
        secs = time.perf_counter() - t0
        counts = result.counts()
        order = ["ingested", "unchanged", "duplicate", "skipped", "no-text", "failed"]
        parts = ", ".join(f"{counts.get(k, 0)} {k}" for k in order if counts.get(k))
        if result.unmatched:
            parts += f"; {len(result.unmatched)} manifest rows matched no input"
        note(
            f"{len(result.outcomes)} inputs: {parts or 'nothing to do'}; "
            f"{store.count_documents()} documents in {store.path} ({secs:.1f} s)"
        )
        store.close()
        if result.failed:
            raise typer.Exit(EXIT_PARTIAL)


class _Progress:
    """Rich progress on stderr (files, pages, errors); hidden when stderr is not a terminal."""

    def __init__(self):
        self.enabled = err.is_terminal
        self.files = self.pages = self.errors = 0
        self.total = None
        self.progress = None

    def __enter__(self):
        if self.enabled:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.progress = Progress(
                TextColumn("ingest"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[pages]} pages, {task.fields[errors]} errors"),
                TimeElapsedColumn(),
                console=err,
                transient=True,
            )
            self.progress.__enter__()
            self.task = self.progress.add_task("ingest", total=None, pages=0, errors=0)
        return self

    def __exit__(self, *exc):
        if self.progress:
            self.progress.__exit__(*exc)

    def event(self, kind, payload):
        if kind == "warning":
            warn(payload)
        elif kind == "total":
            self.total = payload
            if self.progress:
                self.progress.update(self.task, total=payload)
        elif kind == "pages":
            self.pages += payload
        elif kind == "outcome":
            o = payload
            if o.status in ("failed", "no-text"):
                self.errors += 1
                msg = f"Error: {o.key}: {o.reason}"
                if o.status == "no-text":
                    msg += " [no-text]"
                (
                    self.progress.console.print(msg, markup=False, highlight=False)
                    if self.progress
                    else print(msg, file=sys.stderr)
                )
            elif o.status == "skipped":
                msg = f"Skipped: {o.key}: {o.reason}"
                (
                    self.progress.console.print(msg, markup=False, highlight=False)
                    if self.progress
                    else print(msg, file=sys.stderr)
                )
            self.files += 1
        if self.progress:
            self.progress.update(self.task, completed=self.files, pages=self.pages, errors=self.errors)


@app.command(
    epilog=examples(
        "discourse docs",
        "discourse docs --where source_type=lay --columns doc_id,title,words",
        "discourse docs --columns all -f csv -o documents.csv",
    )
)
def docs(
    where: List[str] | None = WhereOpt,
    year_from: int | None = FromOpt,
    year_to: int | None = ToOpt,
    fmt: str | None = FormatOpt,
    columns: str | None = ColumnsOpt,
    output: str = OutputOpt,
    db: str | None = DbOpt,
):
    """List the documents in the store, one row each.

    --columns all adds every metadata key (manifest or front-matter column) as
    a column of its own.
    """
    from ..report.documents import DOCS_TABLE, document_table
    from ..store import Store

    with handle_errors(), Store.open(db_path(db), create=False) as store:
        t = document_table(store, where, year_from, year_to)
        for msg in t.notes:
            note(f"Note: {msg}")
        emit(
            t.columns,
            t.rows,
            fmt,
            output,
            title="documents",
            table_columns=DOCS_TABLE,
            pick=columns,
            available=t.available,
        )


@app.command(
    epilog=examples("discourse ledger --status failed", "discourse ledger --history --columns at,path,status,reason")
)
def ledger(
    status: str | None = typer.Option(
        None,
        "--status",
        metavar="STATUS",
        help="Only rows with this status: ingested|unchanged|duplicate|no-text|skipped|failed "
        "(with --history also unmatched: manifest rows that matched no input).",
    ),
    history: bool = typer.Option(
        False, "--history", help="Every event of every input, oldest first, not just the latest."
    ),
    fmt: str | None = FormatOpt,
    columns: str | None = ColumnsOpt,
    output: str = OutputOpt,
    db: str | None = DbOpt,
):
    """List every input seen by ingest, with its status.

    Each row has the input's status and reason; --history lists every run's event.
    """
    from ..store import EVENT_STATUSES, LEDGER_STATUSES, Store

    with handle_errors():
        check_format(fmt)
        allowed = EVENT_STATUSES if history else LEDGER_STATUSES
        if status is not None and status not in allowed:
            raise typer.BadParameter(f"{status!r} is not one of {', '.join(allowed)}", param_hint="--status")
        with Store.open(db_path(db), create=False) as store:
            if history:
                events = ({**e, "path": e["key"]} for e in store.ledger_history(status))
                emit(HISTORY_COLUMNS, events, fmt, output, title="ledger history", pick=columns)
                return
            rows = (
                {"path": r.key, **{c: getattr(r, c) for c in LEDGER_COLUMNS if c != "path"}}
                for r in store.ledger_rows(status)
            )
            emit(LEDGER_COLUMNS, rows, fmt, output, title="ledger", pick=columns)


@app.command(epilog=examples("discourse stats", "discourse stats -f csv -o totals.csv"))
def stats(
    fmt: str | None = FormatOpt,
    columns: str | None = ColumnsOpt,
    output: str = OutputOpt,
    db: str | None = DbOpt,
):
    """Corpus totals by source_type and year."""
    from ..store import Store

    with handle_errors():
        check_format(fmt)
        with Store.open(db_path(db), create=False) as store:
            st = store.corpus_stats()
            emit(STATS_COLUMNS, st.rows, fmt, output, title="corpus by source_type and year", pick=columns)
            note(st.summary())
