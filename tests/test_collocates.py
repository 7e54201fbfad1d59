"""Collocates on real text through the real pipeline (ingest -> spaCy tokens -> report collocates).

The snippets are written for this test (CC0) in the style of the lay corpus
(a podcast transcript with speaker initials, bullets and a link).
"""

from __future__ import annotations

import csv
import io

import pytest

from discourse.measures.collocation import direction, is_collocate
from discourse.report.context import speaker_label

from .conftest import run_cli

TRANSCRIPT = (
    "J. Smith: Co-production starts with co-design and trust.\n"
    "J. Smith: Co-production needs co-design, trust and time.\n"
    "• Co-production • trust • see https://www.iriss.org.uk/resources 2019\n"
    "• Co-production • trust • see https://www.iriss.org.uk/resources 2019\n"
    "SJ Co-production is about the NHS listening.\n"
    "SJ Yes, co-production and the NHS.\n"
)
OTHER = "Services were commissioned by the council and reviewed every year by the board. " * 6


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    d = tmp_path_factory.mktemp("colloc")
    (d / "in").mkdir()
    (d / "in" / "episode.txt").write_text(TRANSCRIPT)
    (d / "in" / "minutes.txt").write_text(OTHER)
    db = d / "c.db"
    run_cli("ingest", d / "in", "--source-type", "lay", "--date", "2019", "-j", "1", db=db, check=0)
    return db


def _collocates(db, *args):
    p = run_cli("report", "collocates", "--period", "all", "--min-count", "2", "-f", "csv", *args, db=db, check=0)
    rows = [r for r in csv.DictReader(io.StringIO(p.stdout)) if r["concept"] == "co-production"]
    return {r["collocate"]: r for r in rows}, p.stderr


def test_surface_forms_compounds_whole_and_noise_dropped(db):
    got, err = _collocates(db)
    assert "co-design" in got and "co" not in got and "design" not in got
    assert got["co-design"]["observed"] == "2"  # one compound, counted once per window
    assert "smith" in got and "trust" in got and "nhs" in got  # an acronym in speech is kept
    dropped = {"j", "sj", "•", "https", "www", "2019", "with", "and", "https://www.iriss.org.uk/resources"}
    assert not dropped & set(got), dropped & set(got)
    assert {r["collocate_form"] for r in got.values()} == {"surface"}
    for r in got.values():
        assert r["direction"] == ("attraction" if float(r["observed"]) > float(r["expected"]) else "repulsion")
    assert "stoplist: default" in err


def test_stopwords_none_file_and_lemma(db, tmp_path):
    got, _ = _collocates(db, "--stopwords", "none")
    assert "and" in got and "j" not in got  # stoplist off; initials still dropped
    stop = tmp_path / "stop.txt"
    stop.write_text("# my list\ntrust\n")
    got, _ = _collocates(db, "--stopwords", stop)
    assert "trust" not in got and "co-design" in got
    got, _ = _collocates(db, "--lemma")
    assert {r["collocate_form"] for r in got.values()} == {"lemma"} and "co-design" in got
    p = run_cli("report", "collocates", "--stopwords", tmp_path / "missing.txt", db=db)
    assert p.returncode == 1 and "--stopwords" in p.stderr and "missing.txt" in p.stderr


@pytest.mark.parametrize(
    "word, keep",
    [
        ("co-design", True),
        ("trust", True),
        ("j", False),  # an initial
        ("j.", False),
        ("•", False),  # a bullet
        ("--", False),
        ("2019", False),  # numbers only
        ("1,000", False),
        ("https", False),  # URL pieces
        ("www", False),
        ("www.iriss.org.uk", False),
        ("gov.uk/guidance", False),
        ("info@iriss.org.uk", False),
        ("the", False),  # in the stoplist given
    ],
)
def test_is_collocate(word, keep):
    assert is_collocate(word, {"the"}) is keep


def test_direction():
    assert direction(5, 2.5) == "attraction"
    assert direction(1, 2.5) == "repulsion"
    assert direction(2, 2) == "repulsion"


def test_speaker_labels():
    text = "SJ - Sam Jordan\nSJ I work for SCDC.\n  KD: yes, the NHS\nThe UK and the NHS"
    at = {w: text.index(w) for w in ("SJ I", "SCDC", "KD", "NHS", "UK")}
    assert speaker_label(text, at["SJ I"], at["SJ I"] + 2)  # opens a line
    assert speaker_label(text, at["KD"], at["KD"] + 2)  # before a colon
    assert not speaker_label(text, at["SCDC"], at["SCDC"] + 4)  # mid-line acronym
    assert not speaker_label(text, at["NHS"], at["NHS"] + 3)
    assert not speaker_label(text, at["UK"], at["UK"] + 2)
