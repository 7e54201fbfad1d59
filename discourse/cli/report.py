"""``discourse report``: tables of measures by concept, group and period."""

from __future__ import annotations

from pathlib import Path

import typer

from ..report.export import pick_columns
from ..report.options import TABLES
from . import app
from ._common import (
    Bars,
    ColumnsOpt,
    DbOpt,
    FormatOpt,
    FromOpt,
    ToOpt,
    WhereOpt,
    check_format,
    choice,
    choices,
    db_path,
    emit,
    examples,
    handle_errors,
    note,
)
from .concepts import LexiconOpt, ModelOpt

PeriodOpt = typer.Option(
    "year",
    "--period",
    metavar="PERIOD",
    help="year, N-year (e.g. 5-year), all, or ranges Y1-Y2,Y3-Y4. Anything else is a usage error.",
)


@app.command(
    epilog=examples(
        "discourse report prominence --by source_type --period 5-year",
        "discourse report collocates --where source_type=lay --columns concept,collocate,direction,ll",
        "discourse report --all -o out/",
        "discourse report --html report.html --period 5-year",
    )
)
def report(
    table: str = typer.Argument(
        "prominence",
        metavar="TABLE",
        callback=choice(*TABLES),
        autocompletion=lambda: list(TABLES),
        help=f"One of {choices(*TABLES)} (`discourse columns TABLE` explains its columns).",
    ),
    lexicon: str | None = LexiconOpt,
    by: str = typer.Option(
        "source_type", "--by", metavar="COL[,COL]", help="Document metadata column(s), comma-separated."
    ),
    period: str = PeriodOpt,
    year_from: int | None = FromOpt,
    year_to: int | None = ToOpt,
    where: list[str] | None = WhereOpt,
    reference: str = typer.Option(
        "government", "--reference", metavar="GROUP", help="Keyness reference group (a value of the first --by column)."
    ),
    min_count: int = typer.Option(
        5, "--min-count", min=0, metavar="N", help="Below this, derived statistics are left blank."
    ),
    sample_k: int = typer.Option(
        30, "--sample-k", min=2, metavar="K", help="Mentions per subsample for apd and entropies."
    ),
    seed: int = typer.Option(0, "--seed", metavar="N", help="Random seed for the bootstrap, subsampling and the SVD."),
    bootstrap: int = typer.Option(
        2000,
        "--bootstrap",
        min=0,
        metavar="N",
        help="Document resamples for the prominence intervals (0: no intervals).",
    ),
    adjust: bool = typer.Option(
        False,
        "--adjust",
        help="prominence: add each concept's precision (its lexicon 'precision:' block) and precision-adjusted "
        "count_adj and per_10k_adj, with intervals carrying the labels' and the documents' uncertainty.",
    ),
    lemma: bool = typer.Option(
        False, "--lemma", help="Collocates as lemmas (default: surface forms, lower-cased; column collocate_form)."
    ),
    stopwords: str = typer.Option(
        "default",
        "--stopwords",
        metavar="PATH|none",
        help="Collocate stoplist: a file of one word per line, 'none', or 'default' (the shipped English "
        "function words, discourse/report/stopwords-en.txt).",
    ),
    all_tables: bool = typer.Option(
        False, "--all", help="Write every table as DIR/<table>.csv plus DIR/run.json (needs -o DIR)."
    ),
    html: str | None = typer.Option(
        None, "--html", metavar="FILE", help="Write one self-contained HTML page (every section, inline SVG) instead."
    ),
    html_senses: bool = typer.Option(
        True, "--senses/--no-senses", help="With --html: cluster senses and find frames (slow on big corpora)."
    ),
    model: str | None = ModelOpt,
    fmt: str | None = FormatOpt,
    columns: str | None = ColumnsOpt,
    output: str = typer.Option(
        "-", "--output", "-o", metavar="FILE|DIR", help="File (or, with --all, directory) to write; '-' is stdout."
    ),
    db: str | None = DbOpt,
):
    """Tables of measures per concept, group and period.

    TABLE is prominence, counts, keyness, collocates, trend or ambiguity.
    """
    from ..index import load_lexicon_cached
    from ..report.tables import ReportOptions, build_report, check_by
    from ..report.write import check_output, write_all
    from ..store import Store

    with handle_errors(), Bars() as bars:
        check_format(fmt)
        if all_tables and output == "-":
            raise typer.BadParameter("--all writes files: give a directory with -o DIR", param_hint="--all")
        if output != "-":
            check_output(output, directory=all_tables)  # before any work
        if html:
            check_output(html)
        lex = load_lexicon_cached(lexicon, db_path(db))  # term tokenisations cached in the store
        with Store.open(db_path(db), create=False) as store:
            opts = ReportOptions(
                by=check_by(store, by.split(",")),
                period=period,
                year_from=year_from,
                year_to=year_to,
                where=tuple(where or ()),
                reference=reference,
                min_count=min_count,
                sample_k=sample_k,
                seed=seed,
                bootstrap=bootstrap,
                adjust=adjust,
                lemma=lemma,
                stopwords=stopwords,
            )
            pick_columns(opts.columns(table), columns)  # a bad --columns fails before the work
            rep = build_report(store, lex, opts, model=model, on_progress=bars)
            if html:
                from ..present.page import write_page

                params = {"by": list(opts.by), "period": period, "from": year_from, "to": year_to}
                params |= {"where": list(opts.where), "reference": reference, "min_count": min_count}
                params |= {"sample_k": sample_k, "seed": seed, "bootstrap": bootstrap, "model": model}
                write_page(rep, html, params, senses=html_senses)
                note(f"wrote {html}")
            elif not all_tables:
                rows = rep.table(table)
                bars.stop()
                emit(opts.columns(table), rows, fmt, output, title=f"{table} ({lex.name})", pick=columns)
            else:
                params = {
                    "by": list(opts.by),
                    "period": period,
                    "from": year_from,
                    "to": year_to,
                    "where": list(opts.where),
                    "reference": reference,
                    "min_count": min_count,
                    "sample_k": sample_k,
                    "seed": seed,
                    "bootstrap": bootstrap,
                    "lemma": lemma,
                    "stopwords": stopwords,
                    "model": model,
                }
                out = Path(output)
                written = write_all(rep, out, params)
                note(f"wrote {len(written) - 1} tables and run.json to {out}")
        for n in rep.notes:
            note(f"Note: {n}")
