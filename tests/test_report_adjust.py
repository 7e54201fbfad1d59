"""report prominence --adjust: the precision block beside the counts and precision-adjusted counts
(real ingest, real matching, the real console script)."""

from __future__ import annotations

import csv

import pytest

from discourse.report.options import ADJUST_COLUMNS

from .conftest import run_cli

LEX = """concepts:
  - id: co-production
    terms: [co-produc*]
    precision:
      sample: validation/co-production.csv
      n: 100
      yes: 90
      estimate: 0.9
      interval: [0.826, 0.945]
      note: one coder
  - id: partnership
    terms: [partnership]
"""


@pytest.fixture
def db(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    texts = [
        "We co-produce services with carers. Co-production matters. The partnership board met.",
        "Co-production is hard work, but co-producing plans with people works.",
        "A partnership with the council. We co-produced the strategy together with residents.",
    ]
    for i, t in enumerate(texts):
        (docs / f"d{i}.txt").write_text(t + "\n")
    db = tmp_path / "t.db"
    run_cli("ingest", docs, "-j", "1", db=db, check=0)
    (tmp_path / "lex.yaml").write_text(LEX)
    return db


def _rows(p):
    return {r["concept"]: r for r in csv.DictReader(p.stdout.splitlines())}


def test_adjust_adds_precision_and_adjusted_counts(db, tmp_path):
    lex = tmp_path / "lex.yaml"
    p = run_cli(
        "report",
        "prominence",
        "--lexicon",
        lex,
        "--adjust",
        "--bootstrap",
        "300",
        "--period",
        "all",
        "-f",
        "csv",
        db=db,
        check=0,
    )
    rows = _rows(p)
    co, pa = rows["co-production"], rows["partnership"]
    assert list(co)[-len(ADJUST_COLUMNS) :] == ADJUST_COLUMNS
    assert int(co["count"]) == 5 and float(co["precision"]) == 0.9 and co["precision_n"] == "100"
    assert float(co["count_adj"]) == pytest.approx(4.5)
    assert float(co["per_10k_adj"]) == pytest.approx(0.9 * float(co["per_10k"]))
    assert 0 < float(co["count_adj_low"]) < 4.5 < float(co["count_adj_high"])
    assert float(co["per_10k_adj_low"]) < float(co["per_10k_adj"]) < float(co["per_10k_adj_high"])
    assert all(pa[c] == "" for c in ADJUST_COLUMNS)  # no labels: blank, with a note
    assert "count_adj and per_10k_adj are blank for partnership: no labels" in p.stderr
    assert (
        "precision: co-production 0.900 (Wilson 95% 0.826-0.945; 90 of 100 labelled mentions; co-production.csv); one coder"
        in p.stderr
    )


def test_without_adjust_the_columns_are_unchanged_and_the_precision_note_is_printed(db, tmp_path):
    p = run_cli(
        "report",
        "prominence",
        "--lexicon",
        tmp_path / "lex.yaml",
        "--bootstrap",
        "0",
        "--period",
        "all",
        "-f",
        "csv",
        db=db,
        check=0,
    )
    assert not set(ADJUST_COLUMNS) & set(next(iter(_rows(p).values())))
    assert "precision: co-production 0.900" in p.stderr
