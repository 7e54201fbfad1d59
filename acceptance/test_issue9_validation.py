"""Issue 9, part 2: the validation loop (sample -> label -> validate) on the IRISS podcasts.

The labelled sample ``lexicons/validation/co-production-iriss.csv`` (100 co-production
mentions, labelled by hand; see its README) must be drawn again, byte for byte, from a fresh
ingest of the shared corpus, score a precision with its interval, and keep joining its
mentions after an unrelated lexicon edit and the re-match it causes.
"""

import csv
import io
import shutil

import pytest

from discourse.lexicon import DEFAULT_LEXICON

from .conftest import CORPORA, ROOT, cli, figure

LABELLED = ROOT / "lexicons" / "validation" / "co-production-iriss.csv"


@pytest.fixture(scope="module")
def iriss_db(workdir):
    db = workdir / "iriss-validation.db"
    c = CORPORA / "iriss_podcasts_2008_2023"
    cli("ingest", c / "texts", "--manifest", c / "MANIFEST.csv", "--jobs", "2", "--db", db)
    return db


def _rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_the_labelled_sample_is_drawn_again_and_scores_a_precision(iriss_db, workdir):
    out = workdir / "co-production-iriss.csv"
    p = cli(
        "sample", "co-production", "-n", "100", "--by", "year", "--seed", "2025", "--window", "15",
        "-o", out, "--force", "--db", iriss_db,
    )  # fmt: skip
    drawn, labelled = _rows(out.read_text()), _rows(LABELLED.read_text())
    assert [{**r, "label": ""} for r in labelled] == drawn  # the same mentions, lines and order
    assert "2013: 28 of 50" in p.stderr
    p = cli("validate", LABELLED, "--by", "year", "-f", "csv", "--db", iriss_db)
    rows = _rows(p.stdout)
    overall = rows[0]
    assert (overall["measure"], overall["mentions"], overall["by"], overall["n"]) == ("precision", "kept", "", "100")
    assert float(overall["ci_low"]) <= float(overall["value"]) <= float(overall["ci_high"])
    assert "no longer match" not in p.stderr and "100 label(s) stored" in p.stderr
    assert {r["group"] for r in rows if r["by"] == "year"} == {"2013", "2018"}  # the years with >= 20 labels
    figure(
        f"co-production precision on IRISS: {overall['yes']}/{overall['n']} = {float(overall['value']):.3f}, "
        f"Wilson 95% [{float(overall['ci_low']):.3f}, {float(overall['ci_high']):.3f}]"
    )


def test_labels_survive_an_unrelated_lexicon_edit(iriss_db, workdir):
    before = cli("validate", LABELLED, "-f", "csv", "--db", iriss_db)
    edited = workdir / "edited.yaml"
    shutil.copy(DEFAULT_LEXICON, edited)
    text = edited.read_text()
    assert "      - lemma: equal partner\n" in text
    edited.write_text(
        text.replace("      - lemma: equal partner\n", "      - lemma: equal partner\n      - joint working\n")
    )
    after = cli("validate", LABELLED, "--lexicon", edited, "-f", "csv", "--db", iriss_db)
    assert after.stdout == before.stdout
    assert "no longer match" not in after.stderr
    figure("labels joined all 100 mentions again after a partnership edit and a re-match")
