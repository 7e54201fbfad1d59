"""Shared CLI pieces: options, output, error-to-exit-code mapping."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any

import typer
from rich.console import Console
from typer.core import TyperArgument

from ..errors import DiscourseError
from ..report.export import FORMATS, default_format, pick_columns, select_columns, write_rows

err = Console(stderr=True, highlight=False, soft_wrap=True)

# Exit codes 1 (error) and 2 (usage) come from DiscourseError.code; these are the others.
EXIT_OK, EXIT_PARTIAL, EXIT_INTERRUPTED = 0, 3, 130

DbOpt = typer.Option(
    None,
    "--db",
    envvar="DISCOURSE_DB",
    metavar="PATH",
    help="Corpus store (SQLite file). Default ./discourse.db.",
    show_default=False,
)


def choice(*values: str):
    """An option callback for a fixed set of values: anything else is a usage error (exit 2) listing them.

    Use with ``metavar=choices(...)`` so ``--help`` lists them too.
    """

    def check(value: Any) -> Any:
        for v in value if isinstance(value, (list, tuple)) else [value]:
            if v is not None and v not in values:
                raise typer.BadParameter(f"{v!r} is not one of: {', '.join(values)}")
        return value

    return check


def choices(*values: str) -> str:
    """The metavar of a fixed-choice option: ``[a|b|c]``."""
    return "[" + "|".join(values) + "]"


FormatOpt = typer.Option(
    None,
    "--format",
    "-f",
    callback=choice(*FORMATS),
    metavar=choices(*FORMATS),
    autocompletion=lambda: list(FORMATS),
    help="Output format. Default: table at a terminal, csv when piped.",
    show_default=False,
)
WhereOpt = typer.Option(
    None,
    "--where",
    metavar="KEY=VALUE",
    help="Keep documents whose metadata KEY=VALUE, KEY!=VALUE or KEY~TEXT (contains, any case). Repeatable: "
    "the same key is OR-ed (each != is AND-ed), different keys are AND-ed.",
)
OutputOpt = typer.Option("-", "--output", "-o", metavar="FILE", help="Write data here instead of stdout ('-').")
ColumnsOpt = typer.Option(
    None,
    "--columns",
    metavar="COL,COL,...",
    help="Columns to write, in this order (comma-separated), or 'all'. `discourse columns` explains them.",
)
# Years are bounded (1 to 9999): --from 99999999999999999999 was an OverflowError in SQLite.
FromOpt = typer.Option(None, "--from", min=1, max=9999, metavar="YEAR", help="First year.")
ToOpt = typer.Option(None, "--to", min=1, max=9999, metavar="YEAR", help="Last year.")


def examples(*lines: str) -> str:
    """An epilog of example command lines, kept as written (click's \\b: no re-wrapping)."""
    return "Example:\n\n\b\n" + "\n".join(f"  {line}" for line in lines)


def _argument_type(self: Any, ctx: Any) -> str | None:
    """An argument with a metavar of its own (CONCEPT, DOC_ID|PATH) is shown without Typer's ``<str>``."""
    return None if self.metavar else _typer_argument_type(self, ctx)


# Typer prints every argument as "NAME <str>"; the metavar already says what to give.
_typer_argument_type = TyperArgument.display_type_rich
TyperArgument.display_type_rich = _argument_type  # type: ignore[method-assign]


class State:
    debug = False


def db_path(db: str | None) -> str:
    from ..store import default_db_path

    return db or default_db_path()


def check_format(fmt: str | None) -> None:
    """(The --format option's own Choice checks it first; this guards library callers.)"""
    if fmt is not None and fmt not in FORMATS:
        raise typer.BadParameter(f"{fmt!r} is not one of {', '.join(FORMATS)}", param_hint="--format")


def emit(
    columns: Sequence[str],
    rows: Any,
    fmt: str | None,
    output: str = "-",
    title: str | None = None,
    table_columns: Sequence[str] | None = None,
    pick: str | None = None,
    available: Sequence[str] | None = None,
) -> int:
    """Write data rows to stdout (or ``output``) in the chosen format.

    ``table_columns``: the narrower set of columns a terminal table shows; the
    machine formats (csv, tsv, json, jsonl) always carry every column.
    ``pick``: the ``--columns`` value (names or ``all``), checked against
    ``available`` (default ``columns``) before anything is written; it
    overrides both column lists, in every format.
    """
    check_format(fmt)
    picked = pick_columns(columns, pick, available) if pick else None
    if picked is not None:
        rows, columns = select_columns(available or columns, rows, picked), picked
    if output and output != "-":
        from ..report.write import write_file

        cols = columns
        return write_file(output, lambda fh: write_rows(cols, rows, fmt or "csv", fh, title=title))
    fmt = fmt or default_format(sys.stdout)
    if fmt == "table" and table_columns and picked is None:
        columns = table_columns
    return write_rows(columns, rows, fmt, sys.stdout, title=title)


class Bars:
    """Rich progress bars on stderr, only when stderr is a terminal (never in a pipe or a file).

    Call it as ``bars(label, done, total)`` (``total`` None: no known end, a
    spinner with the elapsed time); the library takes such callbacks and
    never imports Rich.
    """

    def __init__(self) -> None:
        self.enabled = err.is_terminal
        self.progress: Any = None
        self.tasks: dict[str, Any] = {}

    def __enter__(self) -> Bars:
        if self.enabled:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=err,
                transient=True,
                redirect_stdout=False,  # stdout is data: never routed through the bar's console
            )
            self.progress.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop(*exc)

    def stop(self, *exc: Any) -> None:
        """Take the bars off the terminal (before data goes to stdout); later calls draw nothing."""
        if self.progress is not None:
            self.progress.__exit__(*(exc or (None, None, None)))
            self.progress = None

    def __call__(self, label: str, done: int, total: int | None = None) -> None:
        if self.progress is None:
            return
        if label not in self.tasks:
            self.tasks[label] = self.progress.add_task(label, total=total)
        self.progress.update(self.tasks[label], completed=done, total=total)

    def counter(self, label: str):
        """A ``(done, total)`` callback for one task (e.g. ``ensure_mentions(on_progress=...)``)."""
        return lambda done, total: self(label, done, total)

    @contextmanager
    def spinner(self, label: str) -> Iterator[None]:
        """A task with no known end, shown while the block runs (e.g. one long model fit)."""
        self(label, 0, None)
        try:
            yield
        finally:
            if self.progress is not None and label in self.tasks:
                self.progress.remove_task(self.tasks.pop(label))


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
