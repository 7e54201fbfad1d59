"""Filter commands: discourse filter train."""

from __future__ import annotations

import json
from typing import List

import typer

from . import app
from ._common import examples, handle_errors, note
from .concepts import LexiconOpt

filter_app = typer.Typer(help="Train sense filters from labelled mentions.", no_args_is_help=True)
app.add_typer(filter_app, name="filter")


@filter_app.command(
    "train",
    epilog=examples(
        "discourse filter train partnership -o lexicons/filters/partnership.json",
        "discourse filter train empowerment --stores /path/to/stores -o lexicons/filters/empowerment.json",
    ),
)
def filter_train(
    concept: str = typer.Argument(..., metavar="CONCEPT", help="Concept id, e.g. partnership."),
    labels: List[str] | None = typer.Option(
        None,
        "--labels",
        metavar="CSV",
        help="Labelled sample files (left, match, right, label; repeatable). "
        "Default: validation/CONCEPT*.csv beside the lexicon.",
    ),
    lexicon: str | None = LexiconOpt,
    db: str | None = typer.Option(
        None,
        "--db",
        metavar="PATH",
        help="Also train on the labels stored in this store's labels table (discourse validate), re-checked "
        "under the current lexicon there.",
    ),
    stores: str | None = typer.Option(
        None,
        "--stores",
        metavar="DIR",
        help="Re-check each labelled mention under the current lexicon in DIR/<corpus>.db (the label file's "
        "corpus column): only mentions the rules keep now are used, with windows read from the store.",
    ),
    c: float = typer.Option(
        1.0, "--C", min=0.0001, help="Inverse L2 regularisation strength of the logistic regression."
    ),
    seed: int = typer.Option(0, "--seed", metavar="N", help="Seed of the cross-validation folds."),
    output: str = typer.Option(..., "--output", "-o", metavar="JSON", help="Where to write the filter (JSON)."),
):
    """Train a sense filter from labelled mentions.

    TF-IDF of the mention's window plus logistic regression, with cross-validated precision and recall
    (Wilson intervals) of the mentions it keeps. yes = 1, no = 0, unsure dropped; rows the rules exclude are dropped. Cross-validation is nested and
    grouped by document (one document's mentions never sit in both train and test). The threshold keeps
    recall >= 0.90 with the highest precision it can. The filter is saved as JSON, never pickle; turn it on
    with `filter: filters/CONCEPT.json` in the concept's lexicon block.
    """
    from pathlib import Path

    from ..filter_train import (
        merge_labels,
        read_labels,
        read_store_labels,
        recheck_with_stores,
        save_filter,
        train_filter,
    )
    from ..lexicon import load_lexicon

    with handle_errors():
        lex = load_lexicon(lexicon)
        if concept not in lex.ids:
            raise typer.BadParameter(f"no concept {concept!r} in {lex.path}")
        files = labels or (
            [] if db else sorted(str(p) for p in (Path(lex.path).parent / "validation").glob(f"{concept}*.csv"))
        )
        if not files and not db:
            raise typer.BadParameter(f"no --labels or --db given and no validation/{concept}*.csv beside {lex.path}")
        if stores:
            dbs = {p.stem: p for p in Path(stores).glob("*.db")}
            data = recheck_with_stores(files, concept, lex, dbs)
        else:
            data = read_labels(files, concept)
        if db:
            more = read_store_labels(Path(db), concept, lex)
            data = merge_labels(data, more)
        f, extra = train_filter(data, concept, c=c, seed=seed)
        save_filter(f, extra, output)
        cv = extra["cv"]
        print(json.dumps({"concept": concept, "n": extra["n"], "threshold": round(f.threshold, 4), **cv}, indent=1))
        for what, key in (
            ("precision", "precision"),
            ("recall", "recall"),
            ("rules alone: precision", "baseline_precision"),
        ):
            r = cv[key]
            note(
                f"{concept}: {what} {r['value']:.3f} (Wilson 95% {r['ci_low']:.3f}-{r['ci_high']:.3f}, {r['k']}/{r['n']})"
            )
        if data.dropped:
            note("dropped: " + ", ".join(f"{v} {k}" for k, v in sorted(data.dropped.items())))
        note(f"wrote {output}")
