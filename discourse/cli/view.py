"""Looking at the store: ``show`` (one document), ``columns`` (what each output column means), ``completion``."""

from __future__ import annotations

import sys
from typing import List

import typer

from . import app
from ._common import (
    Bars,
    ColumnsOpt,
    DbOpt,
    FormatOpt,
    OutputOpt,
    WhereOpt,
    choice,
    choices,
    db_path,
    emit,
    examples,
    handle_errors,
)
from .concepts import LexiconOpt


@app.command(
    epilog=examples(
        "discourse show 3f2a9c",
        "discourse show corpus/lay/post-12.txt --text",
        "discourse show 3f2a9c --text | grep -o '\\[\\[[^]]*\\]\\]'",
    )
)
def show(
    doc: str = typer.Argument(
        ..., metavar="DOC_ID|PATH", help="A doc_id (or its first characters), the stored path or an input path."
    ),
    text: bool = typer.Option(
        False,
        "--text",
        help="Print the text with every mention marked: highlighted at a terminal (through a pager), "
        "[[like this]] in a pipe or file ([[like this|excluded]] for a mention an exclude rule removed).",
    ),
    where: List[str] | None = WhereOpt,
    lexicon: str | None = LexiconOpt,
    fmt: str | None = FormatOpt,
    columns: str | None = ColumnsOpt,
    output: str = OutputOpt,
    db: str | None = DbOpt,
):
    """Show one document: fields, or text with mentions marked.

    Every stored field (columns, metadata, quality figures, inputs, mention counts), or with --text its text.
    """
    from ..annotate import ensure_mentions
    from ..lexicon import load_lexicon
    from ..report.documents import SHOW_COLUMNS, document_fields, find_document, marked_text, mentions_of
    from ..store import Store

    with handle_errors():
        lex = load_lexicon(lexicon)
        with Store.open(db_path(db), create=False) as store:
            d = find_document(store, doc, where)
            with Bars() as bars:
                key = ensure_mentions(store, lex, on_progress=bars.counter("matching"))
            if not text:
                rows = document_fields(store, d, key, lex)
                emit(SHOW_COLUMNS, rows, fmt, output, title=f"document {d['doc_id']}", pick=columns)
                return
            body, _ = store.text(d["doc_id"])
            pieces = marked_text(body, mentions_of(store, key, lex, d["doc_id"]))
        _print_text(pieces, output)


def _print_text(pieces, output: str) -> None:
    """Rich styles through a pager at a terminal; ``[[...]]`` marks in a pipe or to ``-o``."""
    from ..report.documents import plain_marked

    if output != "-":
        from ..report.write import write_file

        write_file(output, lambda fh: fh.write(plain_marked(pieces)))
        return
    if not sys.stdout.isatty():
        sys.stdout.write(plain_marked(pieces))
        if pieces and not pieces[-1].text.endswith("\n"):
            sys.stdout.write("\n")
        return
    from rich.console import Console
    from rich.text import Text

    t = Text()
    for p in pieces:
        style = None if p.concept is None else ("dim strike" if p.excluded else "bold black on yellow")
        t.append(p.text, style=style)
    console = Console(highlight=False)
    with console.pager(styles=True):
        console.print(t)


@app.command(
    "columns",
    epilog=examples("discourse columns collocates", "discourse columns docs -f csv", "discourse columns"),
)
def columns_cmd(
    table: str | None = typer.Argument(
        None,
        metavar="TABLE",
        help="A table (report tables, docs, kwic, ...); all of them if left out.",
    ),
    fmt: str | None = FormatOpt,
    output: str = OutputOpt,
):
    """What each output column means, with its type and unit."""
    from ..report.columns import COLUMN_INFO_COLUMNS, OUTPUTS, column_rows

    with handle_errors():
        if table is not None:
            choice(*OUTPUTS)(table)
        emit(COLUMN_INFO_COLUMNS, column_rows(table), fmt, output, title=f"columns of {table or 'every table'}")


SHELLS = ("bash", "zsh", "fish")


@app.command(
    epilog=examples(
        "discourse completion bash >> ~/.bashrc",
        "discourse completion zsh > ~/.zfunc/_discourse",
        "discourse completion fish > ~/.config/fish/completions/discourse.fish",
    )
)
def completion(
    shell: str = typer.Argument(
        ..., metavar=choices(*SHELLS), callback=choice(*SHELLS), help="The shell to write a script for."
    ),
):
    """Print a shell completion script for discourse."""
    from typer._completion_classes import completion_init
    from typer._completion_shared import get_completion_script

    completion_init()
    sys.stdout.write(get_completion_script(prog_name="discourse", complete_var="_DISCOURSE_COMPLETE", shell=shell))
