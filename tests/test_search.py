"""Ad hoc search on the index: kwic --term, words, ngrams, keywords.

Texts: tests/fixtures/ingest (Iriss.fm transcripts, CC BY-NC-SA 4.0; a GOV.UK guide, OGL v3.0; see its README).
"""

import csv
import io
import re

import pytest

from discourse.ingest import ingest
from discourse.measures.keyness import bh_qvalues, log_likelihood_g2, log_ratio
from discourse.store import Store

from .conftest import FIX, run_cli


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("search") / "s.db"
    with Store.open(path) as store:
        ingest(
            store,
            [str(FIX / "ingest" / "gov"), str(FIX / "ingest" / "lay")],
            manifest=str(FIX / "ingest" / "MANIFEST.csv"),
            jobs=1,
        )
    return path


def rows(p):
    return list(csv.DictReader(io.StringIO(p.stdout), delimiter="\t"))


def texts(db):
    with Store.open(db) as store:
        return {r["doc_id"]: store.text(r["doc_id"])[0] for r in store.documents()}


def test_kwic_term_finds_every_occurrence_of_a_word(db):
    got = rows(run_cli("kwic", "--term", "training", "-f", "tsv", db=db, check=0))
    expect = sum(len(re.findall(r"(?<![\w-])training(?![\w-])", t, re.I)) for t in texts(db).values())
    assert expect > 0 and len(got) == expect
    assert {r["match"].lower() for r in got} == {"training"}
    assert all(r["concept"] == "training" and r["excluded"] == "false" for r in got)


def test_kwic_term_language_lemma_wildcard_and_hyphen_variants(db):
    lem = rows(run_cli("kwic", "--term", "lemma:learn", "-f", "tsv", db=db, check=0))
    assert {"learn", "learning"} <= {r["variant"] for r in lem}
    wild = rows(run_cli("kwic", "--term", "produc*", "-f", "tsv", db=db, check=0))
    assert wild and all(r["variant"].startswith("produc") for r in wild)
    # "co-production" as a term also finds the spaced and closed-up forms, like the lexicon does
    hy = rows(run_cli("kwic", "--term", "co-production", "-f", "tsv", db=db, check=0))
    concept = rows(run_cli("kwic", "co-production", "-f", "tsv", db=db, check=0))
    assert len(hy) >= 5
    assert {(r["doc_id"], r["start_char"]) for r in hy} <= {(r["doc_id"], r["start_char"]) for r in concept}


def test_kwic_term_filters_and_options(db):
    all_rows = rows(run_cli("kwic", "--term", "the", "-f", "tsv", db=db, check=0))
    gov = rows(run_cli("kwic", "--term", "the", "--where", "source_type=government", "-f", "tsv", db=db, check=0))
    assert 0 < len(gov) < len(all_rows) and {r["source_type"] for r in gov} == {"government"}
    lim = rows(run_cli("kwic", "--term", "the", "--limit", "3", "-w", "2", "-f", "tsv", db=db, check=0))
    assert len(lim) == 3 and all(len(r["left"].split()) <= 2 for r in lim)
    early = rows(run_cli("kwic", "--term", "the", "--to", "2012", "-f", "tsv", db=db, check=0))
    assert {r["year"] for r in early} == {"2012"}
    p = run_cli("kwic", "co-production", "--term", "x", db=db)
    assert p.returncode == 2 and "not both" in p.stderr


def test_words_counts_add_up_to_the_word_totals(db):
    got = rows(run_cli("words", "--by", "source_type", "-f", "tsv", db=db, check=0))
    with Store.open(db) as store:
        totals = {}
        for d in store.documents():
            totals[d["source_type"]] = totals.get(d["source_type"], 0) + d["words"]
    for st, total in totals.items():
        assert sum(int(r["count"]) for r in got if r["source_type"] == st) == total
    top = next(r for r in got if r["source_type"] == "lay")
    assert top["period"] == "all" and float(top["per_10k"]) == pytest.approx(
        int(top["count"]) / totals["lay"] * 1e4, 1e-3
    )
    mc = rows(run_cli("words", "--min-count", "50", "--lemma", "-f", "tsv", db=db, check=0))
    assert mc and all(int(r["count"]) >= 50 for r in mc)


def test_ngrams_count_runs_within_sentences(db):
    got = {r["ngram"]: r for r in rows(run_cli("ngrams", "2", "--min-count", "1", "-f", "tsv", db=db, check=0))}
    n = sum(len(re.findall(r"(?<![\w-])social\s+work(?![\w-])", t, re.I)) for t in texts(db).values())
    assert n > 0 and int(got["social work"]["count"]) == n
    tri = rows(run_cli("ngrams", "3", "--limit", "5", "-f", "tsv", db=db, check=0))
    assert tri and all(len(r["ngram"].split()) == 3 for r in tri)


def test_keywords_use_the_keyness_measures(db):
    got = rows(
        run_cli(
            "keywords",
            "--by",
            "source_type",
            "--reference",
            "government",
            "--min-count",
            "3",
            "-f",
            "tsv",
            db=db,
            check=0,
        )
    )
    assert got and {r["group"] for r in got} == {"lay"}
    with Store.open(db) as store:
        n = {}
        for d in store.documents():
            n[d["source_type"]] = n.get(d["source_type"], 0) + d["words"]
    r = got[0]
    a, b = int(r["count"]), int(r["ref_count"])
    assert float(r["g2"]) == pytest.approx(log_likelihood_g2(a, b, n["lay"], n["government"]), abs=1e-3)
    assert float(r["log_ratio"]) == pytest.approx(log_ratio(a, b, n["lay"], n["government"]), abs=1e-3)
    qs = bh_qvalues([float(x["p"]) for x in got])
    assert [float(x["q"]) for x in got] == pytest.approx(qs, rel=1e-3, abs=2e-5)  # p and q are printed rounded
    g2 = [float(x["g2"]) for x in got]
    assert g2 == sorted(g2, reverse=True)
    bad = run_cli("keywords", "--by", "source_type", "--reference", "nobody", db=db)
    assert bad.returncode == 2 and "nobody" in bad.stderr


@pytest.mark.parametrize(
    "args,pick",
    [
        (("words", "--by", "source_type"), "word,count,source_type"),
        (("ngrams", "2"), "ngram,per_10k"),
        (("keywords", "--by", "source_type", "--reference", "government"), "word,g2,q"),
    ],
)
def test_columns_picks_and_orders_the_columns(db, args, pick):
    full = rows(run_cli(*args, "-f", "tsv", db=db, check=0))
    got = rows(run_cli(*args, "-f", "tsv", "--columns", pick, db=db, check=0))
    cols = pick.split(",")
    assert got and list(got[0]) == cols
    assert got == [{c: r[c] for c in cols} for r in full]
    bad = run_cli(*args, "--columns", "word,nope", db=db)
    assert bad.returncode == 2 and "nope" in bad.stderr


@pytest.mark.parametrize("cmd", ["index", "words", "ngrams", "keywords"])
def test_help_has_a_summary_and_an_example(cmd):
    p = run_cli(cmd, "--help", check=0)
    assert "Example" in p.stdout
