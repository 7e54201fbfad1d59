"""Meaning commands: ``senses`` (sense clusters) and ``frames`` (definitional and metalinguistic talk)."""

from __future__ import annotations

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
    choice,
    choices,
    db_path,
    emit,
    examples,
    handle_errors,
    note,
)
from .concepts import ConceptArg, LexiconOpt

ByOpt = typer.Option(
    "source_type", "--by", metavar="COL", help="Document metadata column to compare senses or frames across."
)
CONTEXTS = ("sentence", "window")
ExcludedOpt = typer.Option(False, "--include-excluded", help="Also use mentions an exclude rule removed.")


def _contexts(
    db: str | None,
    lexicon: str | None,
    concept: str,
    by: str,
    where,
    year_from,
    year_to,
    include_excluded: bool,
    bars: Bars | None = None,
):
    """(lexicon, mentions of ``concept``) from the store; notes how many an exclude rule removed."""
    from ..annotate import ensure_mentions
    from ..kwic import check_concept
    from ..lexicon import load_lexicon
    from ..report.tables import check_by
    from ..store import Store
    from ..store.contexts import mention_contexts
    from ..store.query import check_where

    lex = load_lexicon(lexicon)
    check_concept(lex, concept)
    with Store.open(db_path(db), create=False) as store:
        check_by(store, [by])
        for msg in check_where(store, where):
            note(f"Note: {msg}")
        key = ensure_mentions(store, lex, on_progress=bars.counter("matching") if bars else None)
        ctx = mention_contexts(
            store, key, concept, where=where, year_from=year_from, year_to=year_to, include_excluded=True
        )
    if not include_excluded:
        n_excl = sum(c.excluded for c in ctx)
        ctx = [c for c in ctx if not c.excluded]
        if n_excl:
            note(f"{n_excl} mention(s) of {concept} removed by exclude rules left out (--include-excluded to use them)")
    return lex, ctx


@app.command(
    epilog=examples(
        "discourse senses co-production --by source_type",
        "discourse senses co-production --lines --columns sense_id,date,left,match,right -f csv",
    )
)
def senses(
    concept: str = ConceptArg,
    lexicon: str | None = LexiconOpt,
    by: str = ByOpt,
    period: str = typer.Option(
        "all", "--period", metavar="PERIOD", help="year, N-year, all or Y1-Y2,Y3-Y4 (as in report)."
    ),
    where: List[str] | None = WhereOpt,
    year_from: int | None = FromOpt,
    year_to: int | None = ToOpt,
    include_excluded: bool = ExcludedOpt,
    context: str = typer.Option(
        "sentence",
        "--context",
        metavar=choices(*CONTEXTS),
        callback=choice(*CONTEXTS),
        autocompletion=lambda: list(CONTEXTS),
        help="The stored sentence, or a window of words.",
    ),
    window: int | None = typer.Option(
        None,
        "--window",
        "-w",
        min=0,
        metavar="N",
        help="N words each side instead of the sentence (--context window: 20).",
    ),
    embeddings: str = typer.Option(
        "tfidf",
        "--embeddings",
        metavar="tfidf|PATH",
        help="tfidf, or the PATH of a local sentence-transformers model (never downloaded).",
    ),
    seed: int = typer.Option(0, "--seed", metavar="N", help="Random seed: the same seed gives the same output."),
    min_count: int = typer.Option(5, "--min-count", metavar="N", help="Smallest sense (HDBSCAN min_cluster_size)."),
    lines: bool = typer.Option(False, "--lines", help="One row per mention (its KWIC line and sense)."),
    save: str | None = typer.Option(
        None, "--save", metavar="DIR", help="Write assignments, model and parameters to DIR."
    ),
    fmt: str | None = FormatOpt,
    columns: str | None = ColumnsOpt,
    output: str = OutputOpt,
    db: str | None = DbOpt,
):
    """Sense clusters of CONCEPT's mentions, one row per sense.

    BERTopic over embeddings of each mention's context.
    """
    from ..report.tables import period_of
    from ..senses import SENSE_COLUMNS, SenseOptions, check_save_dir, find_senses, line_columns, save_senses

    with handle_errors(), Bars() as bars:
        check_format(fmt)
        if context == "window" and window is None:
            window = 20
        fn = period_of(period)
        if save:
            check_save_dir(save)  # refuse before the work, not after
        opts = SenseOptions(by=by, window=window, embeddings=embeddings, seed=seed, min_count=min_count)
        lex, ctx = _contexts(db, lexicon, concept, by, where, year_from, year_to, include_excluded, bars)
        with bars.spinner(f"senses of {concept} ({len(ctx)} mentions)"):
            res = find_senses(ctx, concept, opts, period=fn)
        bars.stop()
        for msg in res.notes:
            note(msg)
        if save:
            params = {
                "db": db_path(db),
                "concept": concept,
                "lexicon": {"name": lex.name, "version": str(lex.version), "content_hash": lex.content_hash},
                "by": by,
                "period": period,
                "where": list(where or []),
                "from": year_from,
                "to": year_to,
                "include_excluded": include_excluded,
                "context": "sentence" if window is None else "window",
                "window": window,
                "embeddings": embeddings,
                "seed": seed,
                "min_count": min_count,
                "mentions": len(res.lines),
            }
            save_senses(res, save, params)
            note(f"saved to {save}")
        if lines:
            emit(
                line_columns(by),
                res.lines,
                fmt,
                output,
                title=f"senses {concept} (lines)",
                table_columns=["sense_id", "date", by, "left", "match", "right"],
                pick=columns,
            )
        else:
            emit(
                SENSE_COLUMNS,
                res.rows,
                fmt,
                output,
                title=f"senses {concept}",
                table_columns=["sense_id", "size", "share", "label", "example_1", "by_share"],
                pick=columns,
            )


@app.command(
    epilog=examples(
        "discourse frames co-production --where source_type=lay",
        "discourse frames personal-budgets --columns frame,date,sentence -f csv",
    )
)
def frames(
    concept: str = ConceptArg,
    lexicon: str | None = LexiconOpt,
    frames_file: str | None = typer.Option(
        None, "--frames", metavar="YAML", help="Frames YAML (default: the shipped frames.yaml)."
    ),
    by: str = ByOpt,
    where: List[str] | None = WhereOpt,
    year_from: int | None = FromOpt,
    year_to: int | None = ToOpt,
    include_excluded: bool = ExcludedOpt,
    fmt: str | None = FormatOpt,
    columns: str | None = ColumnsOpt,
    output: str = OutputOpt,
    db: str | None = DbOpt,
):
    """Sentences that define, discuss or hedge CONCEPT.

    Definitional, metalinguistic (talk about the word), hedged and scare-quoted uses, one row each.
    """
    from ..frames import find_frames, frame_columns, load_frames

    with handle_errors(), Bars() as bars:
        check_format(fmt)
        fs = load_frames(frames_file)  # a bad frames file fails before the store is read
        _, ctx = _contexts(db, lexicon, concept, by, where, year_from, year_to, include_excluded, bars)
        res = find_frames(ctx, concept, by=by, frames=fs)
        bars.stop()
        emit(
            frame_columns(by),
            res.rows,
            fmt,
            output,
            title=f"frames {concept}",
            table_columns=["frame", "date", by, "cue", "sentence", "definition_cluster"],
            pick=columns,
        )
        for msg in res.notes:
            note(msg)
