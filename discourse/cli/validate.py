"""The validation loop: ``sample`` mentions, ``label`` them by hand, ``validate`` the lexicon."""

from __future__ import annotations

import sys
from typing import List

import typer

from . import app
from ._common import DbOpt, FormatOpt, OutputOpt, WhereOpt, check_format, db_path, emit, handle_errors, note
from .concepts import LexiconOpt, ModelOpt


@app.command()
def sample(
    concepts: List[str] = typer.Argument(..., help="Concept ids, e.g. co-production."),
    n: int = typer.Option(..., "-n", "--number", min=1, help="Mentions to draw per concept."),
    by: str | None = typer.Option(
        None, "--by", help="Stratify by document column(s) or metadata key(s), comma-separated."
    ),
    where: List[str] | None = WhereOpt,
    year_from: int | None = typer.Option(None, "--from", help="First year."),
    year_to: int | None = typer.Option(None, "--to", help="Last year."),
    include_excluded: bool = typer.Option(
        False, "--include-excluded", help="Also draw mentions an exclude rule removed."
    ),
    seed: int = typer.Option(0, "--seed", help="Random seed: the same seed gives the same sample."),
    window: int = typer.Option(10, "--window", "-w", min=0, help="Words of context on each side."),
    output: str = typer.Option(..., "--output", "-o", help="The sample CSV to write."),
    force: bool = typer.Option(False, "--force", help="Overwrite the output file if it exists."),
    lexicon: str | None = LexiconOpt,
    model: str | None = ModelOpt,
    db: str | None = DbOpt,
):
    """A stratified random sample of N mentions per concept, as a CSV to label (column `label`)."""
    from ..lexicon import load_lexicon
    from ..store import Store
    from ..validate import check_new_file, draw_sample, write_sample

    with handle_errors():
        check_new_file(output, force)
        lex = load_lexicon(lexicon)
        with Store.open(db_path(db), create=False) as store:
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


@app.command()
def label(
    file: str = typer.Argument(..., help="A sample CSV from `discourse sample`."),
    coder: str = typer.Option("label", "--coder", help="The column to fill, e.g. label_b for a second coder."),
    window: int = typer.Option(60, "--window", "-w", min=1, help="Words of context on each side."),
    lexicon: str | None = LexiconOpt,
    db: str | None = DbOpt,
):
    """Label a sample by hand: y yes, n no, u unsure, b back, q quit (saved after every answer)."""
    from ..label import label_file
    from ..lexicon import load_lexicon
    from ..store import Store

    with handle_errors():
        lex = load_lexicon(lexicon)
        with Store.open(db_path(db), create=False) as store:
            run = label_file(file, store, lex, coder=coder, words=window)
        note(run.summary())


@app.command("validate")
def validate_labels(
    file: str = typer.Argument(..., help="A labelled sample CSV."),
    coders: str = typer.Option("label", "--coders", help="One or two label columns, comma-separated."),
    by: str | None = typer.Option(None, "--by", help="Precision per group too: column(s), comma-separated."),
    disagreements: str | None = typer.Option(
        None, "--disagreements", help="Write two coders' disagreements to this CSV (default: stderr)."
    ),
    lexicon: str | None = LexiconOpt,
    model: str | None = ModelOpt,
    fmt: str | None = FormatOpt,
    output: str = OutputOpt,
    db: str | None = DbOpt,
):
    """Store the labels and report precision (Wilson 95%) and, for two coders, their agreement."""
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
        emit(VALIDATE_COLUMNS, result.rows, fmt, output, title=f"validate {file}")
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
