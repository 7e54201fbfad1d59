"""What researchers carry on with: ``plot``, ``export qdpx|tables``, ``import qdpx`` and ``lexicon import``."""

from __future__ import annotations

from typing import List

import typer

from . import app
from ._common import (
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
from .concepts import LexiconOpt, ModelOpt, lexicon_app

PLOTS = ("prominence", "share", "trend", "dispersion", "ambiguity", "senses")
TABLE_FORMATS = ("csv", "parquet")

export_app = typer.Typer(help="Write the corpus and its mentions for other tools.", no_args_is_help=True)
import_app = typer.Typer(help="Read back what other tools added.", no_args_is_help=True)
app.add_typer(export_app, name="export")
app.add_typer(import_app, name="import")

ByOpt = typer.Option("source_type", "--by", metavar="COL[,COL]", help="Document metadata column(s), comma-separated.")
PeriodOpt = typer.Option(
    "year", "--period", metavar="PERIOD", help="year, N-year (e.g. 5-year), all, or ranges Y1-Y2,Y3-Y4."
)
SeedOpt = typer.Option(0, "--seed", metavar="N", help="Random seed for the bootstrap, subsampling and the SVD.")
ConceptsOpt = typer.Option(None, "--concepts", metavar="ID[,ID]", help="Only these concepts (comma-separated).")


def _report(db, lexicon, by, period, year_from, year_to, where, seed, bootstrap, model, **extra):
    """(store, report) for the options every command here shares with ``discourse report``."""
    from ..lexicon import load_lexicon
    from ..report.tables import ReportOptions, build_report, check_by
    from ..store import Store

    lex = load_lexicon(lexicon)
    store = Store.open(db_path(db), create=False)
    try:
        opts = ReportOptions(
            by=check_by(store, by.split(",")),
            period=period,
            year_from=year_from,
            year_to=year_to,
            where=tuple(where or ()),
            seed=seed,
            bootstrap=bootstrap,
            **extra,
        )
        return store, build_report(store, lex, opts, model=model)
    except BaseException:
        store.close()
        raise


def _concepts(spec: str | None) -> list[str] | None:
    return [c.strip() for c in spec.split(",") if c.strip()] if spec else None


@app.command(
    epilog=examples(
        "discourse plot prominence --by source_type --period 5-year -o prominence.svg",
        "discourse plot share --where source_type=lay -o share.png",
        "discourse plot senses --concepts co-production -o senses.pdf",
    )
)
def plot(
    kind: str = typer.Argument(
        ...,
        metavar="KIND",
        callback=choice(*PLOTS),
        autocompletion=lambda: list(PLOTS),
        help=f"One of {choices(*PLOTS)}.",
    ),
    output: str = typer.Option(..., "--output", "-o", metavar="FILE", help="FILE.svg, FILE.png or FILE.pdf."),
    lexicon: str | None = LexiconOpt,
    by: str = ByOpt,
    period: str = PeriodOpt,
    year_from: int | None = FromOpt,
    year_to: int | None = ToOpt,
    where: List[str] | None = WhereOpt,
    concepts: str | None = ConceptsOpt,
    reference: str = typer.Option("government", "--reference", metavar="GROUP", help="Keyness reference group."),
    min_count: int = typer.Option(5, "--min-count", min=0, metavar="N", help="Below this, statistics are blank."),
    seed: int = SeedOpt,
    bootstrap: int = typer.Option(2000, "--bootstrap", min=0, metavar="N", help="Resamples for the intervals."),
    model: str | None = ModelOpt,
    db: str | None = DbOpt,
):
    """Draw a figure of the report, intervals included.

    matplotlib; FILE.svg, FILE.png or FILE.pdf.
    The caption names the corpus, the lexicon and the filters. The figure is
    drawn from the rows `discourse report` prints; nothing is recomputed.
    """
    from ..present.plots import check_plot_output
    from ..present.plots import plot as draw

    with handle_errors():
        check_plot_output(output)
        store, rep = _report(
            db, lexicon, by, period, year_from, year_to, where, seed, bootstrap, model,
            reference=reference, min_count=min_count,
        )  # fmt: skip
        with store:
            draw(rep, kind, output, concepts=_concepts(concepts))
        note(f"wrote {output}")
        for n in rep.notes:
            note(f"Note: {n}")


@export_app.command(
    "tables",
    epilog=examples(
        "discourse export tables out/",
        "discourse export tables out/ --as parquet --where source_type=lay --period 5-year",
    ),
)
def export_tables(
    directory: str = typer.Argument(..., metavar="DIR", help="Folder to write (created if missing)."),
    as_: str = typer.Option(
        "csv", "--as", metavar=choices(*TABLE_FORMATS), callback=choice(*TABLE_FORMATS), help="File format."
    ),
    lexicon: str | None = LexiconOpt,
    by: str = ByOpt,
    period: str = PeriodOpt,
    year_from: int | None = FromOpt,
    year_to: int | None = ToOpt,
    where: List[str] | None = WhereOpt,
    reference: str = typer.Option("government", "--reference", metavar="GROUP", help="Keyness reference group."),
    min_count: int = typer.Option(5, "--min-count", min=0, metavar="N", help="Below this, statistics are blank."),
    seed: int = SeedOpt,
    bootstrap: int = typer.Option(2000, "--bootstrap", min=0, metavar="N", help="Resamples for the intervals."),
    model: str | None = ModelOpt,
    db: str | None = DbOpt,
):
    """Tables for R, pandas or Excel, with a data dictionary.

    Documents (every metadata column), mentions and every report table.
    Files: documents, mentions, prominence, counts, keyness, collocates, trend,
    ambiguity and data_dictionary (.csv or .parquet), plus run.json.
    """
    from ..present.tables import check_target, export_tables

    with handle_errors():
        check_target(directory)
        store, rep = _report(
            db, lexicon, by, period, year_from, year_to, where, seed, bootstrap, model,
            reference=reference, min_count=min_count,
        )  # fmt: skip
        params = {"by": list(rep.opts.by), "period": period, "from": year_from, "to": year_to}
        params |= {"where": list(rep.opts.where), "reference": reference, "min_count": min_count}
        params |= {"seed": seed, "bootstrap": bootstrap, "model": model, "as": as_}
        with store:
            written = export_tables(rep, directory, params, as_=as_)
        note(f"wrote {len(written)} files to {directory}")
        for n in rep.notes:
            note(f"Note: {n}")


@export_app.command(
    "qdpx",
    epilog=examples(
        "discourse export qdpx project.qdpx",
        "discourse export qdpx lay.qdpx --concepts co-production,personal-budgets --where source_type=lay",
    ),
)
def export_qdpx(
    output: str = typer.Argument(..., metavar="OUT.qdpx", help="The REFI-QDA project file to write."),
    concepts: str | None = ConceptsOpt,
    where: List[str] | None = WhereOpt,
    lexicon: str | None = LexiconOpt,
    model: str | None = ModelOpt,
    db: str | None = DbOpt,
):
    """A REFI-QDA project for NVivo, ATLAS.ti or MAXQDA.

    Documents, concept codes and coded mentions (QualCoder reads it too).
    Every selected document is a plain-text source; concepts are codes nested
    under their families; each kept mention is a coded selection. Positions
    count Unicode code points, as the standard does.
    """
    from ..annotate import ensure_mentions
    from ..lexicon import load_lexicon
    from ..qdpx import export_qdpx as write
    from ..store import Store

    with handle_errors():
        lex = load_lexicon(lexicon)
        with Store.open(db_path(db), create=False) as store:
            key = ensure_mentions(store, lex, model=model)
            s = write(store, key, lex, output, concepts=_concepts(concepts), where=list(where or []))
        for n in s.notes:
            note(n)
        note(f"wrote {output}: {s.sources} sources, {s.codes} codes, {s.selections} coded selections")


@import_app.command(
    "qdpx",
    epilog=examples(
        "discourse import qdpx coded.qdpx",
        "discourse report prominence --by qda:tokenism --period all",
    ),
)
def import_qdpx(
    file: str = typer.Argument(..., metavar="FILE.qdpx", help="A REFI-QDA project exported by discourse, then coded."),
    coder: str = typer.Option(
        "qdpx", "--coder", metavar="NAME", help="Coder name for labels read from yes/no/unsure codes."
    ),
    lexicon: str | None = LexiconOpt,
    model: str | None = ModelOpt,
    fmt: str | None = FormatOpt,
    output: str = OutputOpt,
    columns: str | None = ColumnsOpt,
    db: str | None = DbOpt,
):
    """Bring codes added in a QDA tool back onto mentions.

    A qda:CODE column for --by, labels, and one row per coded mention.
    Each new code becomes a document metadata column qda:CODE (yes/no) that
    --by and --where can use. A code named yes, no or unsure is stored as a
    label of the mentions its selections overlap.
    """
    from ..annotate import ensure_mentions
    from ..lexicon import load_lexicon
    from ..qdpx import IMPORT_COLUMNS
    from ..qdpx import import_qdpx as read
    from ..report.export import pick_columns
    from ..store import Store

    with handle_errors():
        check_format(fmt)
        pick_columns(IMPORT_COLUMNS, columns)  # a bad --columns is a usage error before anything is stored
        lex = load_lexicon(lexicon)
        with Store.open(db_path(db), create=False) as store:
            key = ensure_mentions(store, lex, model=model)
            res = read(store, key, lex, file, coder=coder)
        for n in res.notes:
            note(n)
        for col, n_docs in res.columns.items():
            note(f"column {col}: yes in {n_docs} document(s)")
        if res.labels:
            note(f"stored {res.labels} label(s) by coder {coder}")
        emit(IMPORT_COLUMNS, res.rows, fmt, output, title=f"codes from {file}", pick=columns)


@lexicon_app.command(
    "import",
    epilog=examples(
        "discourse lexicon import dictionary.yml -o lexicons/mine.yaml",
        "discourse lexicon import LIWC.dic -o lexicons/liwc.yaml --name liwc",
    ),
)
def lexicon_import(
    file: str = typer.Argument(..., metavar="FILE", help="A quanteda YAML dictionary (.yml/.yaml) or a LIWC .dic."),
    output: str = typer.Option(..., "--output", "-o", metavar="OUT.yaml", help="The discourse lexicon to write."),
    name: str | None = typer.Option(None, "--name", metavar="NAME", help="Lexicon name (default: the file's stem)."),
    force: bool = typer.Option(False, "--force", help="Overwrite OUT.yaml if it exists."),
):
    """Convert a quanteda YAML or LIWC .dic dictionary.

    The result is a discourse lexicon.
    Keys become concepts (nested keys: the parent is the family), glob
    patterns become wildcard terms, and the result is checked by loading it.
    """
    from ..lexicon.importers import import_dictionary

    with handle_errors():
        res = import_dictionary(file, output, name=name, force=force)
        for n in res.notes:
            note(n)
        note(f"wrote {output}: {res.concepts} concepts, {res.terms} terms")
