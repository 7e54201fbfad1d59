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
        assert float(r["observed"]) == o
        assert float(r["expected"]) == pytest.approx(4 * f_coll[coll] * 10 / n, abs=1e-6)
        assert float(r["mi"]) == pytest.approx(math.log2(o / (4 * f_coll[coll] * 10 / n)), abs=1e-5)
        assert float(r["ll"]) == pytest.approx(_g2(o, r1 - o, f_coll[coll] - o, n - r1 - f_coll[coll] + o), abs=1e-5)
    # strongest (by ll) first
    lls = [float(r["ll"]) for r in rows]
    assert lls == sorted(lls, reverse=True)


def test_ambiguity_worked_example(tmp_path):
    # government: widget, widget, gadget, Widget (folds to widget) -> 4 mentions, 2 variants,
    #   variant entropy H(3/4, 1/4) = 0.811278 bits. lay: gadget, gadget, widget, widget -> H = 1 bit.
    # other: 1 mention, below --min-count 2, so its entropies are blank (and a note says so).
    db = _store(
        tmp_path,
        {
            "government": {"g1.txt": "widget alpha beta gamma widget delta", "g2.txt": "gadget alpha Widget epsilon"},
            "lay": {"l1.txt": "gadget alpha gadget zeta widget eta widget"},
            "other": {"o1.txt": "widget alpha beta"},
        },
    )
    lex = _lexicon(tmp_path, DEVICE)
    out = run_cli(
        "report",
        "ambiguity",
        "--period",
        "all",
        "--min-count",
        "2",
        "--sample-k",
        "10",
        "--lexicon",
        lex,
        "-f",
        "csv",
        db=db,
        check=0,
    )
    rows = {r["source_type"]: r for r in _csv(out.stdout)}
    gov, lay, other = rows["government"], rows["lay"], rows["other"]
    assert (gov["mentions"], gov["variants"], gov["sample_k"]) == ("4", "2", "4")  # fewer than --sample-k: all 4
    h = -(0.75 * math.log2(0.75) + 0.25 * math.log2(0.25))
    assert float(gov["variant_entropy"]) == pytest.approx(h, abs=1e-6)
    assert (lay["mentions"], lay["variants"], lay["sample_k"]) == ("4", "2", "4")
    assert float(lay["variant_entropy"]) == pytest.approx(1.0, abs=1e-6)
    assert gov["apd"] == "" and lay["apd"] == ""  # apd needs at least --sample-k mentions
    # jsd_vs_rest: this group's collocates against those of the other groups' mentions (4 + 1 = 5 each)
    assert gov["jsd_vs_rest"] != "" and lay["jsd_vs_rest"] != ""
    assert (other["mentions"], other["variants"], other["sample_k"], other["variant_entropy"]) == ("1", "1", "", "")
    assert "ambiguity: entropies, apd and jsd blank in 1 row(s)" in out.stderr
    # with --sample-k 2: 200 subsamples of 2 mentions; apd is filled and lies within its interval
    out = run_cli(
        "report",
        "ambiguity",
        "--period",
        "all",
        "--min-count",
        "2",
        "--sample-k",
        "2",
        "--lexicon",
        lex,
        "-f",
        "csv",
        db=db,
        check=0,
    )
    gov = {r["source_type"]: r for r in _csv(out.stdout)}["government"]
    assert gov["sample_k"] == "2"
    assert float(gov["apd_low"]) <= float(gov["apd"]) <= float(gov["apd_high"])
