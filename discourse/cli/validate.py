"""The validation loop: ``sample`` mentions, ``label`` them by hand, ``validate`` the lexicon."""

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
    FromOpt,
    OutputOpt,
    ToOpt,
    WhereOpt,
    check_format,
    db_path,
    emit,
    examples,
    handle_errors,
    note,
)
from .concepts import LexiconOpt, ModelOpt


@app.command(
    epilog=examples(
        "discourse sample co-production personal-budgets -n 100 --by source_type -o sample.csv",
        "discourse sample co-production -n 50 --where source_type=lay --seed 1 -o lay.csv",
    )
)
def sample(
    concepts: List[str] = typer.Argument(..., metavar="CONCEPT...", help="Concept ids, e.g. co-production."),
    n: int = typer.Option(..., "-n", "--number", min=1, metavar="N", help="Mentions to draw per concept."),
    by: str | None = typer.Option(
        None, "--by", metavar="COL[,COL]", help="Stratify by document column(s) or metadata key(s), comma-separated."
    ),
    where: List[str] | None = WhereOpt,
    year_from: int | None = FromOpt,
    year_to: int | None = ToOpt,
    include_excluded: bool = typer.Option(
        False, "--include-excluded", help="Also draw mentions an exclude rule removed."
    ),
    seed: int = typer.Option(0, "--seed", metavar="N", help="Random seed: the same seed gives the same sample."),
    window: int = typer.Option(10, "--window", "-w", min=0, metavar="N", help="Words of context on each side."),
    output: str = typer.Option(..., "--output", "-o", metavar="CSV", help="The sample CSV to write."),
    force: bool = typer.Option(False, "--force", help="Overwrite the output file if it exists."),
    lexicon: str | None = LexiconOpt,
    model: str | None = ModelOpt,
    db: str | None = DbOpt,
):
    """A stratified random sample of mentions, as a CSV to label.

    N mentions per concept; the coder fills the column `label` (discourse label).
    """
    from ..annotate import ensure_mentions
    from ..lexicon import load_lexicon
    from ..store import Store
    from ..validate import check_new_file, draw_sample, write_sample

    with handle_errors():
        check_new_file(output, force)
        lex = load_lexicon(lexicon)
        with Store.open(db_path(db), create=False) as store:
            with Bars() as bars:  # match unmatched documents first, with a bar at a terminal
                ensure_mentions(store, lex, model=model, on_progress=bars.counter("matching"))
            drawn = draw_sample(
                store,
                lex,
                concepts,
                n,
                by=by.split(",") if by else (),
                where=where,
                year_from=year_from,
                year_to=year_to,
                include_excluded=include_excluded,
                seed=seed,
                window=window,
                model=model,
            )
        rows = write_sample(output, drawn, force=force)
        for msg in drawn.notes:
            note(msg)
        note(f"{rows} mention(s) written to {output} (seed {seed})")


@app.command(epilog=examples("discourse label sample.csv", "discourse label sample.csv --coder label_b"))
def label(
    file: str = typer.Argument(..., metavar="CSV", help="A sample CSV from `discourse sample`."),
    coder: str = typer.Option(
        "label", "--coder", metavar="COLUMN", help="The column to fill, e.g. label_b for a second coder."
    ),
    window: int = typer.Option(60, "--window", "-w", min=1, metavar="N", help="Words of context on each side."),
    lexicon: str | None = LexiconOpt,
    db: str | None = DbOpt,
):
    """Label a sample by hand at the terminal.

    Keys: y yes, n no, u unsure, b back, q quit. Saved after every answer.
    """
    from ..label import label_file
    from ..lexicon import load_lexicon
    from ..store import Store

    with handle_errors():
        lex = load_lexicon(lexicon)
        with Store.open(db_path(db), create=False) as store:
            run = label_file(file, store, lex, coder=coder, words=window)
        note(run.summary())


@app.command(
    "validate",
    epilog=examples(
        "discourse validate sample.csv",
        "discourse validate sample.csv --coders label,label_b --disagreements disagree.csv",
    ),
)
def validate_labels(
    file: str = typer.Argument(..., metavar="CSV", help="A labelled sample CSV."),
    coders: str = typer.Option(
        "label", "--coders", metavar="COL[,COL]", help="One or two label columns, comma-separated."
    ),
    by: str | None = typer.Option(
        None, "--by", metavar="COL[,COL]", help="Precision per group too: column(s), comma-separated."
    ),
    disagreements: str | None = typer.Option(
        None, "--disagreements", metavar="CSV", help="Write two coders' disagreements to this CSV (default: stderr)."
    ),
    lexicon: str | None = LexiconOpt,
    model: str | None = ModelOpt,
    fmt: str | None = FormatOpt,
    columns: str | None = ColumnsOpt,
    output: str = OutputOpt,
    db: str | None = DbOpt,
):
    """Store the labels; report precision and agreement.

    Precision with a Wilson 95% interval and, for two coders, their agreement (kappa, alpha).
    """
    from ..lexicon import load_lexicon
    from ..store import Store
    from ..validate import DISAGREEMENT_COLUMNS, VALIDATE_COLUMNS, validate_sample

    with handle_errors():
        check_format(fmt)
        lex = load_lexicon(lexicon)
        with Store.open(db_path(db), create=False) as store:
            result = validate_sample(
                store, lex, file, coders=coders.split(","), by=by.split(",") if by else (), model=model
            )
        emit(VALIDATE_COLUMNS, result.rows, fmt, output, title=f"validate {file}", pick=columns)
        if disagreements:
            emit(DISAGREEMENT_COLUMNS, result.disagreements, "csv", disagreements)
            note(f"{len(result.disagreements)} disagreement(s) written to {disagreements}")
        else:
            for d in result.disagreements:
                print(
                    f"disagreement {d['mention_id']} ({d['concept']}): {d['coder_a']}={d['label_a']} "
                    f"{d['coder_b']}={d['label_b']}: {d['left']} [{d['match']}] {d['right']}",
                    file=sys.stderr,
                )
        for msg in result.notes:
            note(msg)
        note(f"{result.stored} label(s) stored in {store.path}")
