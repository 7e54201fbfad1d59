"""``report --all`` in the library: write_all writes every table, then run.json."""

import hashlib
import json
import os

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
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "nested"  # DIR may be new; its folder must exist
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


def test_write_all_is_all_or_nothing(tmp_path, store_and_lexicon):
    db, lex = store_and_lexicon
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    (out / "prominence.csv").write_text("old table")
    with Store.open(str(db), create=False) as store:
        rep = build_report(store, lex, ReportOptions(period="all", reference="nosuch"))
        with pytest.raises(UsageError, match="reference"):
            write_all(rep, out, {})
    # keyness failed: DIR is exactly as it was, and no temporary folder is left beside it
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt", "prominence.csv"]
    assert (out / "prominence.csv").read_text() == "old table"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("target", ["file", "/dev/null/x", "/proc/x", "missing/parent/x"])
def test_bad_output_fails_before_any_work(tmp_path, store_and_lexicon, target):
    db, _ = store_and_lexicon
    existing = tmp_path / "file"
    existing.write_text("keep")
    t = str(existing) if target == "file" else (str(tmp_path / target) if target.startswith("missing") else target)
    p = run_cli("report", "--all", "-o", t, "--period", "all", db=db)
    assert p.returncode == 1 and p.stderr.startswith("Error: -o ") and "Traceback" not in p.stderr
    assert existing.read_text() == "keep"
    p = run_cli("report", "prominence", "-o", str(tmp_path), db=db)  # a folder given for one table
    assert p.returncode == 1 and "is a folder" in p.stderr


def test_single_table_output_is_atomic_and_dev_null_works(tmp_path, store_and_lexicon):
    db, _ = store_and_lexicon
    f = tmp_path / "p.csv"
    assert run_cli("report", "prominence", "--period", "all", "-o", f, db=db).returncode == 0
    assert f.read_text().startswith("concept,")
    assert run_cli("report", "prominence", "--period", "all", "-o", "/dev/null", db=db).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    mask = os.umask(0)
    os.umask(mask)
    assert f.stat().st_mode & 0o777 == 0o666 & ~mask  # not mkstemp's 0600


def test_cli_all_needs_a_directory(tmp_path, store_and_lexicon):
    db, _ = store_and_lexicon
    p = run_cli("report", "--all", db=db)
    assert p.returncode == 2 and "-o DIR" in p.stderr
    out = tmp_path / "cli"
    p = run_cli("report", "--all", "-o", out, "--period", "all", "--lexicon", tmp_path / "lex.yaml", db=db, check=0)
    assert f"wrote {len(TABLES) - 1} tables and run.json to {out}" in p.stderr
    assert "trend: not written with --period all" in p.stderr
    assert (out / "run.json").is_file()
