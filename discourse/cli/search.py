"""Index and search commands: index, words, ngrams, keywords (kwic --term is in concepts)."""

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
    db_path,
    emit,
    examples,
    handle_errors,
    note,
)


@app.command(
    "index",
    epilog=examples("discourse index", "discourse index --rebuild --db old.db"),
)
def index_cmd(
    rebuild: bool = typer.Option(False, "--rebuild", help="Rebuild the whole index from the stored tokens."),
    db: str | None = DbOpt,
):
    """Build the positional index of a store.

    First use does this on its own. Indexes every document that has no token arrays yet and refreshes the
    posting lists; --rebuild starts from scratch. Nothing else changes.
    """
    from ..index import ensure_index
    from ..index import rebuild as rebuild_index
    from ..store import Store

    with handle_errors(), Store.open(db_path(db), create=False) as store:
        run = rebuild_index if rebuild else ensure_index
        n = run(store, None)
        note(f"{n} document(s) indexed; postings current")


def _selection(by: str | None, period: str, where, year_from, year_to):
    from ..search import Selection

    return Selection(
        by=tuple(b.strip() for b in by.split(",") if b.strip()) if by else (),
        period=period,
        where=tuple(where or ()),
        year_from=year_from,
        year_to=year_to,
    )


ByOpt = typer.Option(None, "--by", metavar="KEY,KEY", help="Group by these metadata keys, e.g. source_type.")
PeriodOpt = typer.Option("all", "--period", metavar="PERIOD", help="all, year, N-year (e.g. 5-year) or Y1-Y2,Y3-Y4.")
LemmaOpt = typer.Option(False, "--lemma", help="Count lookup lemmas instead of lower-cased forms.")
LimitOpt = typer.Option(None, "--limit", min=1, metavar="N", help="At most N rows per group.")


@app.command(
    "words",
    epilog=examples(
        "discourse words --by source_type --min-count 20 --limit 50",
        "discourse words --lemma --period 5-year -f csv -o words.csv",
    ),
)
def words_cmd(
    by: str | None = ByOpt,
    period: str = PeriodOpt,
    lemma: bool = LemmaOpt,
    min_count: int = typer.Option(1, "--min-count", min=1, metavar="N", help="Leave out words seen fewer times."),
    limit: int | None = LimitOpt,
    where: List[str] | None = WhereOpt,
    year_from: int | None = FromOpt,
    year_to: int | None = ToOpt,
    fmt: str | None = FormatOpt,
    output: str = OutputOpt,
    columns: str | None = ColumnsOpt,
    db: str | None = DbOpt,
):
    """A frequency list of every word, per group and period.

    Count, documents and rate per 10k words. Words are tokens that are neither punctuation nor whitespace, lower-cased
    (or lemmatised with --lemma), read from the index.
    """
    _freq(1, by, period, lemma, min_count, limit, where, year_from, year_to, fmt, output, columns, db)


@app.command(
    "ngrams",
    epilog=examples("discourse ngrams 2 --by source_type --min-count 5 --limit 30", "discourse ngrams 3 --lemma"),
)
def ngrams_cmd(
    n: int = typer.Argument(..., metavar="N", min=1, help="Words per n-gram (2 = bigrams)."),
    by: str | None = ByOpt,
    period: str = PeriodOpt,
    lemma: bool = LemmaOpt,
    min_count: int = typer.Option(2, "--min-count", min=1, metavar="N", help="Leave out n-grams seen fewer times."),
    limit: int | None = LimitOpt,
    where: List[str] | None = WhereOpt,
    year_from: int | None = FromOpt,
    year_to: int | None = ToOpt,
    fmt: str | None = FormatOpt,
    output: str = OutputOpt,
    columns: str | None = ColumnsOpt,
    db: str | None = DbOpt,
):
    """Count N-grams per group and period.

    N-grams are runs of N consecutive words within a sentence.
    """
    _freq(n, by, period, lemma, min_count, limit, where, year_from, year_to, fmt, output, columns, db)


def _freq(n, by, period, lemma, min_count, limit, where, year_from, year_to, fmt, output, columns, db) -> None:
    from ..search import frequency_list
    from ..store import Store

    with handle_errors():
        check_format(fmt)
        sel = _selection(by, period, where, year_from, year_to)
        with Store.open(db_path(db), create=False) as store:
            rows = list(frequency_list(store, sel, n=n, lemma=lemma, min_count=min_count, limit=limit))
            cols = [*sel.by, "period", "word" if n == 1 else "ngram", "count", "docs", "per_10k"]
            k = emit(cols, rows, fmt, output, title="words" if n == 1 else f"{n}-grams", pick=columns)
        note(f"{k} row(s)")


@app.command(
    "keywords",
    epilog=examples(
        "discourse keywords --by source_type --reference government --limit 40",
        "discourse keywords --by party --reference Lab --lemma --min-count 10 -f csv",
    ),
)
def keywords_cmd(
    by: str = typer.Option(..., "--by", metavar="KEY", help="The metadata key whose values are compared."),
    reference: str = typer.Option(..., "--reference", metavar="VALUE", help="The value every other is compared to."),
    lemma: bool = LemmaOpt,
    min_count: int = typer.Option(
        5, "--min-count", min=1, metavar="N", help="Leave out words seen fewer times in both together."
    ),
    limit: int | None = LimitOpt,
    where: List[str] | None = WhereOpt,
    year_from: int | None = FromOpt,
    year_to: int | None = ToOpt,
    fmt: str | None = FormatOpt,
    output: str = OutputOpt,
    columns: str | None = ColumnsOpt,
    db: str | None = DbOpt,
):
    """Keyness of every word, each group against a reference.

    Log-likelihood, log ratio, p and BH q for every word.

    Like AntConc's keyword list or quanteda's textstat_keyness: the words one
    kind of source over-uses relative to another, lexicon or not.
    """
    from ..search import KEYWORD_COLUMNS, keywords
    from ..store import Store

    with handle_errors():
        check_format(fmt)
        sel = _selection(by, "all", where, year_from, year_to)
        with Store.open(db_path(db), create=False) as store:
            rows = list(keywords(store, sel, reference, lemma=lemma, min_count=min_count, limit=limit))
            k = emit(
                KEYWORD_COLUMNS,
                rows,
                fmt,
                output,
                title=f"keywords vs {reference}",
                table_columns=["group", "word", "count", "ref_count", "log_ratio", "g2", "q", "direction"],
                pick=columns,
            )
        note(f"{k} row(s); log ratio = log2 of the relative-frequency ratio; q: Benjamini-Hochberg over each group")
