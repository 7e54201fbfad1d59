"""Concept commands: lexicon check/show, kwic."""

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
    choice,
    choices,
    db_path,
    emit,
    examples,
    handle_errors,
    note,
)

lexicon_app = typer.Typer(help="Validate and inspect concept lexicons.", no_args_is_help=True)
app.add_typer(lexicon_app, name="lexicon")

LexiconOpt = typer.Option(
    None,
    "--lexicon",
    "-l",
    metavar="YAML",
    help="Lexicon YAML file (default: the shipped adult-social-care lexicon).",
)
ModelOpt = typer.Option(
    None,
    "--model",
    metavar="PIPELINE",
    help="A trained spaCy pipeline to re-tokenise with (default: the stored tokens).",
)
ConceptArg = typer.Argument(..., metavar="CONCEPT", help="Concept id, e.g. co-production.")
SORTS = ("left", "right", "date")


@lexicon_app.command("check", epilog=examples("discourse lexicon check lexicons/my.yaml"))
def lexicon_check(files: List[str] = typer.Argument(..., metavar="YAML...", help="Lexicon YAML files.")):
    """Validate lexicon files (errors name file:line).

    Each error names file:line and the reason; any error exits 1. A file that
    loads is also checked for lemma expansions that invent words ("asset
    base" from asset-based, "personal budgeting" from personal budget):
    those are warnings and do not change the exit code.
    """
    from ..lexicon import check_lexicon, expansion_warnings, load_lexicon

    with handle_errors():
        errors = []
        warnings = 0
        for f in files:
            errs = check_lexicon(f)
            errors.extend(errs)
            for w in [] if errs else expansion_warnings(load_lexicon(f)):
                print(f"Warning: {w}", file=sys.stderr)
                warnings += 1
        for e in errors:
            print(f"Error: {e}", file=sys.stderr)
        if errors:
            raise typer.Exit(1)
        note(f"{len(files)} lexicon file(s) OK" + (f", {warnings} warning(s)" if warnings else ""))


@lexicon_app.command(
    "show",
    epilog=examples(
        "discourse lexicon show",
        "discourse lexicon show --concept personal-budgets",
        "discourse lexicon show --attested --columns concept,variant,count",
    ),
)
def lexicon_show(
    file: str | None = typer.Argument(None, metavar="YAML", help="Lexicon YAML file (default: the shipped lexicon)."),
    concept: str | None = typer.Option(
        None,
        "--concept",
        metavar="ID",
        help="Describe one concept: its forms by term, exclusions, codebook, precision and filter.",
    ),
    attested: bool = typer.Option(False, "--attested", help="Show the variants found in the corpus, with counts."),
    fmt: str | None = FormatOpt,
    columns: str | None = ColumnsOpt,
    output: str = OutputOpt,
    db: str | None = DbOpt,
):
    """List the concepts and their variants.

    With --attested, the variants found in the corpus, with counts. With
    --concept ID, one concept in full: its expanded forms grouped by term and
    counted, its context/unless patterns and exclusions, its codebook, its
    precision block and its filter.
    """
    from ..lexicon import describe_concept, expand_variants, load_lexicon

    with handle_errors():
        check_format(fmt)
        lex = load_lexicon(file)
        if concept is not None:
            if concept not in lex.ids:
                raise typer.BadParameter(f"no concept {concept!r} in {lex.path} (concepts: {', '.join(lex.ids)})")
            text = describe_concept(lex, concept)
            if output and output != "-":
                from ..report.write import write_file

                write_file(output, lambda fh: fh.write(text))
            else:
                sys.stdout.write(text)
            return
        if not attested:
            rows = [
                {"concept": c.id, "family": c.family, "label": c.label, "variant": v}
                for c in lex.concepts
                for v in expand_variants(c)
            ]
            emit(
                ["concept", "family", "label", "variant"],
                rows,
                fmt,
                output,
                title=f"{lex.name} v{lex.version}",
                pick=columns,
            )
            return
        from ..kwic import ATTESTED_COLUMNS, attested_variants
        from ..store import Store

        with Store.open(db_path(db), create=False) as store:
            emit(
                ATTESTED_COLUMNS,
                attested_variants(store, lex),
                fmt,
                output,
                title=f"attested variants ({lex.name})",
                pick=columns,
            )


@app.command(
    epilog=examples(
        "discourse kwic co-production --where source_type=lay --sort left --limit 20",
        "discourse kwic personal-budgets --columns date,left,match,right -f tsv",
    )
)
def kwic(
    concept: str | None = typer.Argument(
        None, metavar="CONCEPT", help="Concept id, e.g. co-production (or give --term instead)."
    ),
    lexicon: str | None = LexiconOpt,
    term: str | None = typer.Option(
        None,
        "--term",
        metavar="PATTERN",
        help="Any word or phrase instead of a concept, in the lexicon's term language: co-produc*, "
        "'lemma:budget', '(carer|family) support', 'case:Big Society'. Matched on the index; nothing is stored.",
    ),
    window: int = typer.Option(10, "--window", "-w", min=0, help="Words of context on each side."),
    where: List[str] | None = WhereOpt,
    year_from: int | None = FromOpt,
    year_to: int | None = ToOpt,
    sort: str | None = typer.Option(
        None,
        "--sort",
        metavar=choices(*SORTS),
        callback=choice(*SORTS),
        autocompletion=lambda: list(SORTS),
        help="Order rows by the left or right context or the date (default: document order).",
    ),
    limit: int | None = typer.Option(None, "--limit", min=1, metavar="N", help="At most N rows."),
    include_excluded: bool = typer.Option(
        False, "--include-excluded", help="Also list mentions an exclude rule removed."
    ),
    model: str | None = ModelOpt,
    fmt: str | None = FormatOpt,
    columns: str | None = ColumnsOpt,
    output: str = OutputOpt,
    db: str | None = DbOpt,
):
    """Keyword-in-context rows for a CONCEPT or a --term.

    One row per mention of CONCEPT, or per match of any word or phrase given as --term PATTERN.
    """
    if term is not None or concept is None:
        return _kwic_term(concept, term, window, where, year_from, year_to, sort, limit, fmt, output, db, locals())
    from ..annotate import ensure_mentions
    from ..kwic import KWIC_COLUMNS
    from ..kwic import kwic as run_kwic
    from ..lexicon import load_lexicon
    from ..store import Store

    with handle_errors():
        check_format(fmt)
        lex = load_lexicon(lexicon)
        with Store.open(db_path(db), create=False) as store:
            from ..store.query import check_where

            for msg in check_where(store, where):
                note(f"Note: {msg}")
            with Bars() as bars:  # match unmatched documents first, with a bar at a terminal
                ensure_mentions(store, lex, model=model, on_progress=bars.counter("matching"))
            rows = run_kwic(
                store,
                lex,
                concept,
                window=window,
                where=where,
                year_from=year_from,
                year_to=year_to,
                sort=sort,
                limit=limit,
                include_excluded=include_excluded,
                model=model,
            )
            n = emit(
                KWIC_COLUMNS,
                rows,
                fmt,
                output,
                title=f"kwic {concept}",
                table_columns=["year", "source_type", "page", "left", "match", "right", "excluded"],
                pick=columns,
            )
        note(f"{n} mention(s) of {concept}")


def _kwic_term(concept, term, window, where, year_from, year_to, sort, limit, fmt, output, db, given) -> None:
    """``kwic --term PATTERN``: one ad hoc term matched on the index (see discourse.kwic.kwic_term)."""
    from ..kwic import KWIC_COLUMNS, kwic_term
    from ..store import Store

    with handle_errors():
        if (concept is None) == (term is None):
            raise typer.BadParameter("give a CONCEPT or --term PATTERN, not both", param_hint="CONCEPT")
        check_format(fmt)
        columns = given.get("columns")
        with Store.open(db_path(db), create=False) as store:
            from ..store.query import check_where

            for msg in check_where(store, where):
                note(f"Note: {msg}")
            rows = kwic_term(
                store, term, window=window, where=where, year_from=year_from, year_to=year_to, sort=sort, limit=limit
            )
            n = emit(
                KWIC_COLUMNS,
                rows,
                fmt,
                output,
                title=f"kwic --term {term}",
                table_columns=["year", "source_type", "page", "left", "match", "right"],
                **({"pick": columns} if columns else {}),
            )
        note(f"{n} match(es) of {term}")
