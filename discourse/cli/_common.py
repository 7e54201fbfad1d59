"""Shared CLI pieces: options, output, error-to-exit-code mapping."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager, suppress

import typer
from rich.console import Console

from ..errors import DiscourseError
from ..report.export import FORMATS, default_format, write_rows

err = Console(stderr=True, highlight=False, soft_wrap=True)

# Exit codes 1 (error) and 2 (usage) come from DiscourseError.code; these are the others.
EXIT_OK, EXIT_PARTIAL, EXIT_INTERRUPTED = 0, 3, 130

DbOpt = typer.Option(
    None, "--db", envvar="DISCOURSE_DB", help="Corpus store (SQLite file). Default ./discourse.db.", show_default=False
)
FormatOpt = typer.Option(
    None,
    "--format",
    "-f",
    help=f"Output format: {'|'.join(FORMATS)}. Default: table at a terminal, csv when piped.",
    show_default=False,
)
WhereOpt = typer.Option(
    None,
    "--where",
    help="KEY=VALUE, KEY!=VALUE or KEY~TEXT (contains) on document metadata. Repeatable: the same key is OR-ed "
    "(each != is AND-ed), different keys are AND-ed.",
)
OutputOpt = typer.Option("-", "--output", "-o", help="Write data here instead of stdout ('-').")


class State:
    debug = False


def db_path(db: str | None) -> str:
    from ..store import default_db_path

    return db or default_db_path()


def check_format(fmt: str | None) -> None:
    if fmt is not None and fmt not in FORMATS:
        raise typer.BadParameter(f"{fmt!r} is not one of {', '.join(FORMATS)}", param_hint="--format")


def emit(columns, rows, fmt: str | None, output: str = "-", title: str | None = None, table_columns=None) -> int:
    """Write data rows to stdout (or ``output``) in the chosen format.

    ``table_columns``: the narrower set of columns a terminal table shows; the
    machine formats (csv, tsv, json, jsonl) always carry every column.
    """
    check_format(fmt)
    if output and output != "-":
        from ..report.write import write_file

        return write_file(output, lambda fh: write_rows(columns, rows, fmt or "csv", fh, title=title))
    fmt = fmt or default_format(sys.stdout)
    if fmt == "table" and table_columns:
        columns = table_columns
    return write_rows(columns, rows, fmt, sys.stdout, title=title)


def warn(msg: str) -> None:
    err.print(f"[yellow]Warning:[/yellow] {msg}", markup=True, highlight=False) if err.is_terminal else print(
        f"Warning: {msg}", file=sys.stderr
    )


def note(msg: str) -> None:
    print(msg, file=sys.stderr)


@contextmanager
def handle_errors():
    """Map exceptions to one-line messages and documented exit codes."""
    try:
        yield
    except DiscourseError as exc:
        if State.debug:
            raise
        print(f"Error: {exc.message}", file=sys.stderr)
        if exc.hint:
            print(f"Hint: {exc.hint}", file=sys.stderr)
        raise typer.Exit(exc.code) from None
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except BrokenPipeError:
        # `discourse docs | head`: not an error. Later writes go nowhere.
        with suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - stays open as stdout
        raise typer.Exit(EXIT_OK) from None
