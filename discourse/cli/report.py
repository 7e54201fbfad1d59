"""``discourse report``: tables of measures by concept, group and period."""

from __future__ import annotations

from pathlib import Path

import typer

from . import app
from ._common import DbOpt, FormatOpt, WhereOpt, check_format, db_path, emit, handle_errors, note
from .concepts import LexiconOpt, ModelOpt


@app.command()
def report(
    table: str = typer.Argument("prominence", help="prominence|counts|keyness|collocates|trend|ambiguity"),
    lexicon: str | None = LexiconOpt,
    by: str = typer.Option("source_type", "--by", help="Document metadata column(s), comma-separated."),
    period: str = typer.Option("year", "--period", help="year | N-year | all | Y1-Y2,Y3-Y4,..."),
    year_from: int | None = typer.Option(None, "--from", help="First year."),
    year_to: int | None = typer.Option(None, "--to", help="Last year."),
    where: list[str] | None = WhereOpt,
    reference: str = typer.Option(
        "government", "--reference", help="Keyness reference group (a value of the first --by column)."
    ),
    min_count: int = typer.Option(5, "--min-count", min=0, help="Below this, derived statistics are left blank."),
    sample_k: int = typer.Option(30, "--sample-k", min=2, help="Mentions per subsample for apd and entropies."),
    seed: int = typer.Option(0, "--seed", help="Random seed for the bootstrap, subsampling and the SVD."),
    bootstrap: int = typer.Option(
        2000, "--bootstrap", min=0, help="Document resamples for the prominence intervals (0: no intervals)."
    ),
    adjust: bool = typer.Option(
        False,
        "--adjust",
        help="prominence: add each concept's precision (its lexicon 'precision:' block) and precision-adjusted "
        "count_adj and per_10k_adj, with intervals carrying the labels' and the documents' uncertainty.",
    ),
    all_tables: bool = typer.Option(
        False, "--all", help="Write every table as DIR/<table>.csv plus DIR/run.json (needs -o DIR)."
    ),
    model: str | None = ModelOpt,
    fmt: str | None = FormatOpt,
    output: str = typer.Option("-", "--output", "-o", help="File (or, with --all, directory) to write; '-' is stdout."),
    db: str | None = DbOpt,
):
    """Prominence, counts, keyness, collocates, trend or ambiguity of each concept."""
    from ..lexicon import load_lexicon
    from ..report.tables import TABLES, ReportOptions, build_report, check_by
    from ..report.write import check_output, write_all
    from ..store import Store

    with handle_errors():
        check_format(fmt)
        if table not in TABLES:
            raise typer.BadParameter(f"{table!r} is not one of {', '.join(TABLES)}", param_hint="TABLE")
        if all_tables and output == "-":
            raise typer.BadParameter("--all writes files: give a directory with -o DIR", param_hint="--all")
        if output != "-":
            check_output(output, directory=all_tables)  # before any work
        lex = load_lexicon(lexicon)
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
            )
            rep = build_report(store, lex, opts, model=model)
            if not all_tables:
                emit(opts.columns(table), rep.table(table), fmt, output, title=f"{table} ({lex.name})")
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
                    "model": model,
                }
                out = Path(output)
                written = write_all(rep, out, params)
                note(f"wrote {len(written) - 1} tables and run.json to {out}")
        for n in rep.notes:
            note(f"Note: {n}")
