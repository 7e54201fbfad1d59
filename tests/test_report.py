"""The worked examples of the measures, end to end through the real CLI."""

import csv
import io
import json

import pytest

from .conftest import run_cli

LEXICON = """\
name: worked-examples
version: 1
concepts:
  - id: co-production
    family: transformation
    terms: [co-production]
  - id: personal-budgets
    family: transformation
    terms: [personal budget]
"""


def _doc(n_mentions: int, words: int, filler: str = "people") -> str:
    # "co-production" is 2 words (co, production); the hyphen is punctuation.
    assert words >= 2 * n_mentions
    parts = ["co-production"] * n_mentions + [filler] * (words - 2 * n_mentions)
    return " ".join(parts) + "\n"


def _csv(text):
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture()
def lexicon(tmp_path):
    p = tmp_path / "lex.yaml"
    p.write_text(LEXICON)
    return p


def test_dispersion_worked_example(tmp_path, lexicon):
    d = tmp_path / "docs"
    d.mkdir()
    for i, n in enumerate((50, 25, 15, 10)):
        (d / f"part{i}.txt").write_text(_doc(n, 200))
    db = tmp_path / "c.db"
    run_cli("ingest", d, "--source-type", "government", "--date", "2020", "-j", "1", db=db, check=0)
    out = run_cli("report", "prominence", "--period", "all", "--lexicon", lexicon, "--format", "csv", db=db, check=0)
    rows = {r["concept"]: r for r in _csv(out.stdout)}
    r = rows["co-production"]
    assert (int(r["docs"]), int(r["docs_with"]), int(r["count"]), int(r["words"])) == (4, 4, 100, 800)
    assert float(r["dp"]) == pytest.approx(0.25, abs=1e-4)
    assert float(r["dp_norm"]) == pytest.approx(0.3333, abs=1e-4)
    assert float(r["juilland_d"]) == pytest.approx(0.6441, abs=1e-4)
    assert float(r["per_10k"]) == pytest.approx(1250.0)
    assert float(r["share_of_voice"]) == 1.0
    # zeros are data: the concept with no mentions still has its row, never blank where it must not be
    z = rows["personal-budgets"]
    assert (z["count"], z["per_10k"], z["doc_freq"], z["share_of_voice"]) == ("0", "0", "0", "0")
    assert z["dp"] == ""


def test_keyness_worked_example(tmp_path, lexicon):
    for group, n, words in (("government", 12, 1000), ("lay", 3, 2000)):
        (tmp_path / group).mkdir()
        (tmp_path / group / f"{group}.txt").write_text(_doc(n, words))
    db = tmp_path / "c.db"
    run_cli(
        "ingest", tmp_path / "government", "--source-type", "government", "--date", "2014", "-j", "1", db=db, check=0
    )
    run_cli("ingest", tmp_path / "lay", "--source-type", "lay", "--date", "2014", "-j", "1", db=db, check=0)
    out = run_cli("report", "keyness", "--period", "all", "--lexicon", lexicon, "-f", "csv", db=db, check=0)
    rows = _csv(out.stdout)
    assert list(rows[0].keys()) == [
        "concept",
        "source_type",
        "period",
        "reference",
        "count_a",
        "words_a",
        "docs_a",
        "count_b",
        "words_b",
        "docs_b",
        "g2",
        "p_value",
        "q_value",
        "log_ratio",
        "pct_diff",
    ]
    (r,) = [r for r in rows if r["concept"] == "co-production"]
    assert (r["source_type"], r["reference"], r["count_a"], r["words_a"], r["count_b"], r["words_b"]) == (
        "lay",
        "government",
        "3",
        "2000",
        "12",
        "1000",
    )
    assert float(r["g2"]) == pytest.approx(13.7874, abs=1e-4)
    assert float(r["log_ratio"]) == pytest.approx(-3.0, abs=1e-4)
    # below --min-count the statistics are blank, with a note on stderr
    (z,) = [r for r in rows if r["concept"] == "personal-budgets"]
    assert z["g2"] == "" and "min-count" in out.stderr


@pytest.mark.slow
def test_trend_worked_example_and_reproducible_all(tmp_path, lexicon):
    d = tmp_path / "docs"
    d.mkdir()
    # per_10k = 1.2, 1.9, 3.5, 2.8, 4.1, 5.0 in six consecutive years (100,000 words each)
    for year, n in zip(range(2010, 2016), (12, 19, 35, 28, 41, 50)):
        (d / f"report-{year}.txt").write_text(_doc(n, 100_000, filler="care"))
    db = tmp_path / "c.db"
    run_cli("ingest", d, "--source-type", "government", "-j", "2", db=db, check=0)  # years from file names
    out = run_cli("report", "trend", "--lexicon", lexicon, "-f", "csv", db=db, check=0)
    rows = {r["concept"]: r for r in _csv(out.stdout)}
    r = rows["co-production"]
    assert list(r) == [
        "concept",
        "source_type",
        "n_periods",
        "docs",
        "words",
        "mk_s",
        "mk_z",
        "mk_p",
        "min_p",
        "kendall_tau",
        "sen_slope",
    ]
    assert int(r["n_periods"]) == 6 and float(r["mk_s"]) == 13
    assert int(r["docs"]) == 6 and int(r["words"]) == 600_000
    # 6 periods: S_max = 15, Var = 6*5*17/18 = 28.33, Z = 14/5.323 = 2.630, p = 0.00853
    assert float(r["min_p"]) == pytest.approx(0.00853, abs=1e-5)
    assert float(r["mk_z"]) == pytest.approx(2.254, abs=1e-3)
    assert float(r["mk_p"]) == pytest.approx(0.024, abs=1e-3)
    assert float(r["kendall_tau"]) == pytest.approx(0.8667, abs=1e-4)
    assert float(r["sen_slope"]) == pytest.approx(0.7333, abs=1e-4)
    assert rows["personal-budgets"]["mk_s"] == ""  # zero variance: blank
    # --all twice: byte-identical tables, run.json identical apart from its timestamp
    a, b = tmp_path / "a", tmp_path / "b"
    for o in (a, b):
        run_cli("report", "--all", "-o", o, "--lexicon", lexicon, db=db, check=0)
    for name in ("prominence", "counts", "keyness", "collocates", "trend", "ambiguity"):
        assert (a / f"{name}.csv").read_bytes() == (b / f"{name}.csv").read_bytes(), name
    ja, jb = (json.loads((o / "run.json").read_text()) for o in (a, b))
    ja.pop("created_at"), jb.pop("created_at")
    assert ja == jb
    assert ja["lexicon"]["content_hash"] and ja["corpus"]["fingerprint"]


def test_report_usage_errors(tmp_path, lexicon):
    d = tmp_path / "docs"
    d.mkdir()
    (d / "a.txt").write_text(_doc(3, 50))
    db = tmp_path / "c.db"
    run_cli("ingest", d, "--source-type", "lay", "--date", "2020", "-j", "1", db=db, check=0)
    assert run_cli("report", "nosuch", "--lexicon", lexicon, db=db).returncode == 2
    p = run_cli("report", "--by", "colour", "--lexicon", lexicon, db=db)
    assert p.returncode == 2 and "colour" in p.stderr
    p = run_cli("report", "keyness", "--lexicon", lexicon, db=db)
    assert p.returncode == 2 and "reference" in p.stderr
    p = run_cli("report", "--period", "5-year", "--lexicon", lexicon, "-f", "csv", db=db, check=0)
    assert _csv(p.stdout)[0]["period"] == "2020-2024"
