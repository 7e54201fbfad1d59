"""``report --all`` in the library: write_all writes every table, then run.json."""

import hashlib
import json

import pytest

from discourse.errors import UsageError
from discourse.lexicon import load_lexicon
from discourse.report.tables import TABLES, ReportOptions, build_report
from discourse.report.write import write_all
from discourse.store import Store

from .conftest import run_cli

LEXICON = """\
name: widget
version: 1
concepts:
  - id: widget
    terms: [widget]
"""


@pytest.fixture()
def store_and_lexicon(tmp_path):
    for group in ("government", "lay"):
        d = tmp_path / group
        d.mkdir()
        for i in range(3):
            (d / f"{group}{i}.txt").write_text(f"the widget and the {group} widget plan number {i} widget\n")
    db = tmp_path / "c.db"
    for group in ("government", "lay"):
        run_cli("ingest", tmp_path / group, "--source-type", group, "--date", "2020", "-j", "1", db=db, check=0)
    lex = tmp_path / "lex.yaml"
    lex.write_text(LEXICON)
    return db, load_lexicon(str(lex))


def test_write_all(tmp_path, store_and_lexicon):
    db, lex = store_and_lexicon
    out = tmp_path / "out" / "nested"
    with Store.open(str(db), create=False) as store:
        rep = build_report(store, lex, ReportOptions(period="all", min_count=2, sample_k=3))
        paths = write_all(rep, out, {"period": "all", "seed": 0})
    # --period all: no trend table (one pooled period has no trend), and a note says so
    written = [t for t in TABLES if t != "trend"]
    assert [p.name for p in paths] == [f"{t}.csv" for t in written] + ["run.json"]
    assert any("trend: not written" in n for n in rep.notes)
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in paths)  # no temporary files left
    rec = json.loads((out / "run.json").read_text())
    assert rec["files"] == {f"{t}.csv": hashlib.sha256((out / f"{t}.csv").read_bytes()).hexdigest() for t in written}
    assert rec["parameters"] == {"period": "all", "seed": 0}
    ctx = rec["contexts"]
    assert (ctx["collocate_window"], ctx["context_window"], ctx["passage_words"]) == (5, 20, 40)
    emb = ctx["embedder"]
    assert emb["method"] == "tfidf-svd" and emb["seed"] == 0 and emb["svd_dims"] == 100
    assert emb["fitted"]["passages"] == 6  # 3 mentions per group >= --sample-k 3: apd was computed
    assert (out / "prominence.csv").read_text().startswith("concept,source_type,period,docs,")


def test_write_all_stops_at_a_failing_table(tmp_path, store_and_lexicon):
    db, lex = store_and_lexicon
    out = tmp_path / "out"
    with Store.open(str(db), create=False) as store:
        rep = build_report(store, lex, ReportOptions(period="all", reference="nosuch"))
        with pytest.raises(UsageError, match="reference"):
            write_all(rep, out, {})
    # the tables before keyness are written; nothing half-written, no run.json
    assert sorted(p.name for p in out.iterdir()) == ["counts.csv", "prominence.csv"]


def test_cli_all_needs_a_directory(tmp_path, store_and_lexicon):
    db, _ = store_and_lexicon
    p = run_cli("report", "--all", db=db)
    assert p.returncode == 2 and "-o DIR" in p.stderr
    out = tmp_path / "cli"
    p = run_cli("report", "--all", "-o", out, "--period", "all", "--lexicon", tmp_path / "lex.yaml", db=db, check=0)
    assert f"wrote {len(TABLES) - 1} tables and run.json to {out}" in p.stderr
    assert "trend: not written with --period all" in p.stderr
    assert (out / "run.json").is_file()
