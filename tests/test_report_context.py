"""Worked examples of the context tables: collocates and ambiguity.

Each test ingests a few tiny text files with the real CLI into a temporary
store; the expected numbers are worked out by hand in the comments. The
collocates example uses made-up words, whose lemma is the word itself.
"""

import csv
import io
import math

import pytest

from .conftest import run_cli

WIDGET = """\
name: widget
version: 1
concepts:
  - id: widget
    terms: [widget]
"""

DEVICE = """\
name: device
version: 1
concepts:
  - id: device
    terms: [widget, gadget]
"""


def _csv(text):
    return list(csv.DictReader(io.StringIO(text)))


def _store(tmp_path, groups):
    """Ingest ``{source_type: {file name: text}}`` (all dated 2020) into a new store."""
    db = tmp_path / "c.db"
    for group, files in groups.items():
        d = tmp_path / group
        d.mkdir()
        for name, text in files.items():
            (d / name).write_text(text + "\n")
        run_cli("ingest", d, "--source-type", group, "--date", "2020", "-j", "1", db=db, check=0)
    return db


def _lexicon(tmp_path, text):
    p = tmp_path / "lex.yaml"
    p.write_text(text)
    return p


def _g2(o11, o12, o21, o22):
    """Dunning's G² of a 2x2 table, written out independently of discourse.measures."""
    n = o11 + o12 + o21 + o22
    cells = (
        (o11, o11 + o12, o11 + o21),
        (o12, o11 + o12, o12 + o22),
        (o21, o21 + o22, o11 + o21),
        (o22, o21 + o22, o12 + o22),
    )
    return 2 * sum(o * math.log(o * n / (r * c)) for o, r, c in cells if o)


def test_collocates_worked_example(tmp_path):
    # d1 (20 words): widget at word 2 and 16.     d2 (10 words): widget at words 0 and 2.
    #  0 zib 1 quax [2 widget] 3 frob 4 zib         [0 widget] 1 quax [2 widget] 3 frob 4-9 snark
    #  5-14 snark 15 blorp [16 widget] 17 quax 18 frob 19 blorp
    # d3: 100 words of plonk, no mention. N = 130 words, f_node = 4 mentions, span = 2 x 5.
    # Windows of +-5 words, merged within a document, mentions masked:
    #  d1: {0,1,3,4,5,6,7} + {11,...,15,17,18,19} -> zib 2, quax 2, frob 2, snark 7, blorp 2
    #  d2: {1,3,4,5} + {0,1,3,...,7} - {0,2}       -> quax 1, frob 1, snark 4
    # observed: snark 11, quax 3, frob 3, zib 2, blorp 2 (each >= 2, so all listed)
    # f_coll in the cell: snark 16, quax 3, frob 3, zib 2, blorp 2; expected = 4 * f_coll * 10 / 130
    d1 = "zib quax widget frob zib " + "snark " * 10 + "blorp widget quax frob blorp"
    d2 = "widget quax widget frob " + "snark " * 6
    db = _store(tmp_path, {"government": {"d1.txt": d1, "d2.txt": d2.strip(), "d3.txt": "plonk " * 100}})
    lex = _lexicon(tmp_path, WIDGET)
    out = run_cli(
        "report", "collocates", "--period", "all", "--min-count", "2", "--lexicon", lex, "-f", "csv", db=db, check=0
    )
    rows = _csv(out.stdout)
    assert list(rows[0]) == [
        "concept",
        "source_type",
        "period",
        "docs",
        "words",
        "mentions",
        "collocate",
        "collocate_form",
        "direction",
        "observed",
        "expected",
        "mi",
        "mi3",
        "t",
        "logdice",
        "ll",
    ]
    got = {r["collocate"]: r for r in rows}
    f_coll = {"snark": 16, "quax": 3, "frob": 3, "zib": 2, "blorp": 2}
    observed = {"snark": 11, "quax": 3, "frob": 3, "zib": 2, "blorp": 2}
    assert set(got) == set(observed)
    n, r1 = 130, 4 * 10
    for coll, o in observed.items():
        r = got[coll]
        assert (r["concept"], r["source_type"], r["period"]) == ("widget", "government", "all")
        assert float(r["observed"]) == o and r["collocate_form"] == "surface"
        assert r["direction"] == ("attraction" if o > 4 * f_coll[coll] * 10 / n else "repulsion")
        assert float(r["expected"]) == pytest.approx(4 * f_coll[coll] * 10 / n, abs=1e-6)
        assert float(r["mi"]) == pytest.approx(math.log2(o / (4 * f_coll[coll] * 10 / n)), abs=1e-5)
        assert float(r["ll"]) == pytest.approx(_g2(o, r1 - o, f_coll[coll] - o, n - r1 - f_coll[coll] + o), abs=1e-5)
    # strongest (by ll) first
    lls = [float(r["ll"]) for r in rows]
    assert lls == sorted(lls, reverse=True)


AMBIGUITY_COLUMNS = [
    "concept",
    "source_type",
    "period",
    "docs",
    "docs_with",
    "words",
    "mentions",
    "sample_k",
    "variants",
    "terms",
    "term_entropy",
    "form_entropy",
    "sense_entropy",
    "effective_senses",
    "outlier_share",
    "collocate_entropy",
    "apd",
    "apd_low",
    "apd_high",
    "jsd_vs_rest",
    "definitional_per_1k",
    "definitional_per_1k_low",
    "definitional_per_1k_high",
    "metalinguistic_per_1k",
    "metalinguistic_per_1k_low",
    "metalinguistic_per_1k_high",
    "hedged_per_1k",
    "hedged_per_1k_low",
    "hedged_per_1k_high",
    "scare_quoted_per_1k",
    "scare_quoted_per_1k_low",
    "scare_quoted_per_1k_high",
    "distinct_definitions",
]
SUBSAMPLED = [
    "term_entropy",
    "form_entropy",
    "sense_entropy",
    "effective_senses",
    "outlier_share",
    "collocate_entropy",
    "apd",
    "apd_low",
    "apd_high",
]


def _ambiguity(db, lex, *opts):
    out = run_cli("report", "ambiguity", "--period", "all", *opts, "--lexicon", lex, "-f", "csv", db=db, check=0)
    rows = _csv(out.stdout)
    return {(r["concept"], r["source_type"]): r for r in rows}, out.stderr


@pytest.mark.slow
def test_ambiguity_worked_example(tmp_path):
    # government: widget, widget, gadget, Widget (folds to widget) -> 4 mentions, 2 variants, 2 terms:
    #   term entropy H(3/4, 1/4) = 0.811278 bits, form entropy 0 (each term has one form).
    # lay: gadget, gadget, widget, widget -> term entropy 1 bit, form entropy 0.
    # With --sample-k 4 every subsample is the whole cell, so the means are these values exactly.
    # other: 1 mention, below --sample-k 4 and --min-count 2: blank, and notes say why.
    db = _store(
        tmp_path,
        {
            "government": {"g1.txt": "widget alpha beta gamma widget delta", "g2.txt": "gadget alpha Widget epsilon"},
            "lay": {"l1.txt": "gadget alpha gadget zeta widget eta widget"},
            "other": {"o1.txt": "widget alpha beta"},
        },
    )
    lex = _lexicon(tmp_path, DEVICE)
    rows, err = _ambiguity(db, lex, "--min-count", "2", "--sample-k", "4")
    gov, lay, other = rows[("device", "government")], rows[("device", "lay")], rows[("device", "other")]
    assert list(gov) == AMBIGUITY_COLUMNS
    assert (gov["mentions"], gov["docs_with"], gov["variants"], gov["terms"], gov["sample_k"]) == (
        "4",
        "2",
        "2",
        "2",
        "4",
    )
    h = -(0.75 * math.log2(0.75) + 0.25 * math.log2(0.25))
    assert float(gov["term_entropy"]) == pytest.approx(h, abs=1e-6)
    assert float(gov["form_entropy"]) == pytest.approx(0.0, abs=1e-9)
    assert (lay["mentions"], lay["variants"], lay["terms"], lay["sample_k"]) == ("4", "2", "2", "4")
    assert float(lay["term_entropy"]) == pytest.approx(1.0, abs=1e-6)
    assert float(gov["apd_low"]) <= float(gov["apd"]) <= float(gov["apd_high"])
    # jsd_vs_rest: this group's collocates against those of the other groups' mentions (4 + 1 = 5 each)
    assert gov["jsd_vs_rest"] != "" and lay["jsd_vs_rest"] != ""
    assert (other["mentions"], other["variants"], other["sample_k"]) == ("1", "1", "")
    assert all(other[c] == "" for c in [*SUBSAMPLED, "jsd_vs_rest"])
    assert "blank in 1 row(s) with fewer than --sample-k 4 mentions" in err
    assert "ambiguity: jsd_vs_rest blank in 1 row(s) with fewer than --min-count 2 mentions" in err
    # with --sample-k 10 no cell is big enough: every size-dependent measure is blank, and the note says so
    rows, err = _ambiguity(db, lex, "--min-count", "2", "--sample-k", "10")
    for r in rows.values():
        assert r["sample_k"] == "" and all(r[c] == "" for c in SUBSAMPLED)
        assert float(r["metalinguistic_per_1k"]) == 0  # frame rates need no subsample
    assert "blank in 3 row(s) with fewer than --sample-k 10 mentions" in err
    # with --sample-k 2: 200 subsamples of 2 mentions; apd lies within its interval
    rows, _ = _ambiguity(db, lex, "--min-count", "2", "--sample-k", "2")
    gov = rows[("device", "government")]
    assert gov["sample_k"] == "2"
    assert float(gov["apd_low"]) <= float(gov["apd"]) <= float(gov["apd_high"])


COPRODUCTION = """\
name: cp
version: 1
concepts:
  - id: co-production
    terms: [co-produc*]
  - id: personal-budgets
    terms:
      - lemma: (personal|individual) budget
"""


@pytest.mark.slow
def test_ambiguity_frames_terms_and_forms(tmp_path):
    # lay, co-production: 8 mentions in l1 and l2 (l3 has none: docs 3, docs_with 2), one term (co-produc*)
    #   forms: co-production x4, coproduction, co-produce, co production, co-produced (5 variants)
    #   form entropy H(4/8, 1/8, 1/8, 1/8, 1/8) = 0.5 + 4 * 0.375 = 2 bits; term entropy 0.
    #   metalinguistic: "a buzzword" and "jargon" in l1 -> 2 of 8 = 250 per 1k. Two documents, 0 < k < n:
    #   document bootstrap. A resample draws 2 documents: (l1, l1) 4/8, (l2, l2) 0/8, one of each 2/8,
    #   with chances 1/4, 1/4, 1/2 -> 2.5th and 97.5th percentiles 0 and 500 per 1k.
    #   definitional: "Co-production means" in l2 -> 1 of 8 = 125 per 1k, interval [0, 250]; 1 definition.
    #   ("Coproduction is a bit of jargon" is not a definition: "bit" is in the frame's not_before.)
    # government, co-production: 2 mentions, fewer than --sample-k 8: size-dependent measures blank.
    db = _store(
        tmp_path,
        {
            "lay": {
                "l1.txt": "Co-production is a buzzword. We like co-production. Coproduction is a bit of jargon. "
                "They co-produce services.",
                "l2.txt": "Co-production means working together. Co-production helps people. "
                "We talk about co production a lot. We co-produced it.",
                "l3.txt": "Personal budgets are new. An individual budget helps. My personal budget is small.",
            },
            "government": {"g1.txt": "Co-production is central to policy. Co-production matters."},
        },
    )
    lex = _lexicon(tmp_path, COPRODUCTION)
    rows, err = _ambiguity(db, lex, "--sample-k", "8")
    cp = rows[("co-production", "lay")]
    assert (cp["docs"], cp["docs_with"], cp["mentions"], cp["variants"], cp["terms"]) == ("3", "2", "8", "5", "1")
    assert cp["sample_k"] == "8"
    assert float(cp["term_entropy"]) == pytest.approx(0.0, abs=1e-9)
    assert float(cp["form_entropy"]) == pytest.approx(2.0, abs=1e-9)
    assert float(cp["metalinguistic_per_1k"]) == pytest.approx(250.0)
    assert (float(cp["metalinguistic_per_1k_low"]), float(cp["metalinguistic_per_1k_high"])) == (0.0, 500.0)
    assert float(cp["definitional_per_1k"]) == pytest.approx(125.0)
    assert (float(cp["definitional_per_1k_low"]), float(cp["definitional_per_1k_high"])) == (0.0, 250.0)
    assert cp["distinct_definitions"] == "1"
    assert float(cp["hedged_per_1k"]) == 0 and float(cp["scare_quoted_per_1k"]) == 0
    # k = 0: the bootstrap would give a zero-width interval, so Wilson: [0, z² / (8 + z²)]
    assert float(cp["hedged_per_1k_high"]) == pytest.approx(1000 * 3.841459 / 11.841459, abs=1e-3)
    # senses: one clustering of co-production's 10 mentions; outliers count as one sense
    if cp["sense_entropy"]:
        h = float(cp["sense_entropy"])
        assert 0 <= h <= 3 and float(cp["effective_senses"]) == pytest.approx(2**h, rel=1e-6)
        assert 0 <= float(cp["outlier_share"]) <= 1
        assert "ambiguity: senses clustered once per concept" in err
    else:
        assert "sense columns of co-production blank" in err
    gov = rows[("co-production", "government")]
    assert gov["mentions"] == "2" and gov["sample_k"] == "" and all(gov[c] == "" for c in SUBSAMPLED)
    assert "blank in" in err and "with fewer than --sample-k 8 mentions" in err
    # frame rates need no subsample: 0 of 2 in one document -> Wilson [0, z² / (2 + z²)]
    assert float(gov["metalinguistic_per_1k"]) == 0
    assert float(gov["metalinguistic_per_1k_high"]) == pytest.approx(1000 * 3.841459 / 5.841459, abs=1e-3)
    assert "otherwise the Wilson" in err or "else the Wilson score interval" in err
    # lay, personal budgets with --sample-k 3 (the whole cell): personal budget x2 (forms "personal budgets",
    # "personal budget"), individual budget x1 -> term entropy H(2/3, 1/3) = 0.918296,
    # form entropy 2/3 * H(1/2, 1/2) = 0.666667; together H(1/3, 1/3, 1/3) = log2 3, the variant entropy.
    rows, err = _ambiguity(db, lex, "--sample-k", "3")
    pb = rows[("personal-budgets", "lay")]
    assert (pb["mentions"], pb["variants"], pb["terms"], pb["docs_with"]) == ("3", "3", "2", "1")
    assert float(pb["term_entropy"]) == pytest.approx(0.918296, abs=1e-6)
    assert float(pb["form_entropy"]) == pytest.approx(2 / 3, abs=1e-6)
    assert float(pb["term_entropy"]) + float(pb["form_entropy"]) == pytest.approx(math.log2(3), abs=2e-6)
    # no rows without a reason: a zero-mention row is blank and a note says so
    none = rows[("personal-budgets", "government")]
    assert none["mentions"] == "0" and none["metalinguistic_per_1k"] == ""
    assert "ambiguity: every measure blank in 1 row(s) with no mentions" in err


def test_meaning_modules_load_only_for_ambiguity():
    # the report package imports neither discourse.senses / discourse.frames nor BERTopic / HDBSCAN: they
    # are imported inside report.meaning when the ambiguity table is computed
    import subprocess
    import sys

    code = (
        "import sys, discourse.cli, discourse.report.tables, discourse.report.context; "
        "print(sorted(m for m in ('bertopic', 'hdbscan', 'discourse.senses', 'discourse.frames') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
