"""The ``discourse`` command line: a thin layer over the library.

Each command parses options, calls a library function and prints. Nothing in
the library imports this package.
"""

from __future__ import annotations

import sys

import typer

from .. import __version__
from ._common import State

app = typer.Typer(
    name="discourse",
    help="Measure how prominent and how ambiguous policy concepts are in official and lay discourse.",
    no_args_is_help=True,
    add_completion=True,  # --install-completion, --show-completion (and `discourse completion SHELL`)
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool):
    if value:
        print(f"discourse {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks instead of one-line errors."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
    scheduler: str | None = typer.Option(
        None,
        "--scheduler",
        metavar="WHERE",
        help="Run matching (and ingest) on Dask: 'local:N' or 'tcp://HOST:PORT' (sets $DISCOURSE_SCHEDULER).",
    ),
):
    State.debug = debug
    if scheduler is not None:
        import os

        os.environ["DISCOURSE_SCHEDULER"] = scheduler


from . import check as _check  # noqa: E402,F401  (check)
from . import concepts as _concepts  # noqa: E402,F401  (lexicon, kwic)
from . import corpus as _corpus  # noqa: E402,F401  (ingest, docs, stats, ledger)
from . import filters as _filters  # noqa: E402,F401  (filter train)
from . import meaning as _meaning  # noqa: E402,F401  (senses, frames)
from . import present as _present  # noqa: E402,F401  (plot, export, import, lexicon import)
from . import report as _report  # noqa: E402,F401  (report)
from . import search as _search  # noqa: E402,F401  (index, words, ngrams, keywords)
from . import validate as _validate  # noqa: E402,F401  (sample, label, validate)
from . import view as _view  # noqa: E402,F401  (show, columns, completion)


def main() -> None:
    try:
        app(prog_name="discourse")
    except KeyboardInterrupt:  # pragma: no cover
        print("Interrupted.", file=sys.stderr)
        sys.exit(130)
