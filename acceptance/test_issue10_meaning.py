"""Issue 10, part 3: `report ambiguity` tells co-production (talked about as a word) from personal budgets."""

import csv
import io

from .conftest import cli, figure

CONCEPTS = ("co-production", "personal-budgets", "self-directed-support", "direct-payments")
# The researcher's hand count of lay IRISS KWIC lines that talk about the word (definitional or
# metalinguistic: "a bit of a buzz word", "very difficult to define what co-production is", ...).
HAND = {"co-production": (21, 177), "personal-budgets": (2, 27), "self-directed-support": (12, 413)}
HAND["direct-payments"] = (0, 71)


def _rows(p):
    return list(csv.DictReader(io.StringIO(p.stdout)))


def _ambiguity(db, *opts):
    # only the lay cells are checked: --where keeps the run to them (the senses of every concept cost minutes)
    p = cli(
        "report",
        "ambiguity",
        "--by",
        "source_type",
        "--period",
        "all",
        "--where",
        "source_type=lay",
        *opts,
        "-f",
        "csv",
        "--db",
        db,
    )
    return {(r["source_type"], r["concept"]): r for r in _rows(p)}, p.stderr


def _interval(r, stem):
    return float(r[f"{stem}_per_1k"]), float(r[f"{stem}_per_1k_low"]), float(r[f"{stem}_per_1k_high"])


def _framed_lines(db, concept):
    """Mentions of ``concept`` in lay sources with a definitional or metalinguistic row in `discourse frames`."""
    p = cli("frames", concept, "--where", "source_type=lay", "-f", "csv", "--db", db)
    return len({r["mention_id"] for r in _rows(p) if r["frame"] in ("definition", "metalinguistic")})


def test_metalinguistic_rates_in_lay_talk(report_db):
    rows, err = _ambiguity(report_db)
    for concept in CONCEPTS:
        r = rows[("lay", concept)]
        n = int(r["mentions"])
        for stem in ("metalinguistic", "definitional"):
            rate, lo, hi = _interval(r, stem)
            assert lo <= rate <= hi
        meta, dfn = _interval(r, "metalinguistic"), _interval(r, "definitional")
        k_meta, k_def = round(meta[0] * n / 1000), round(dfn[0] * n / 1000)
        hand_k, hand_n = HAND[concept]
        figure(
            f"lay {concept:22} metalinguistic {meta[0]:6.1f} per 1k [{meta[1]:.1f}-{meta[2]:.1f}] ({k_meta}/{n}), "
            f"definitional {dfn[0]:6.1f} [{dfn[1]:.1f}-{dfn[2]:.1f}] ({k_def}/{n}); n = {n} mentions in "
            f"{r['docs_with']} docs; distinct definitions {r['distinct_definitions']}"
        )
        figure(
            f"    hand count (definitional or metalinguistic lines) {hand_k}/{hand_n}; frames: "
            f"{_framed_lines(report_db, concept)}/{n} lines"
        )
        figure(
            f"    sample_k {r['sample_k'] or 'blank'} term_entropy {r['term_entropy'] or 'blank'} form_entropy "
            f"{r['form_entropy'] or 'blank'} sense_entropy {r['sense_entropy'] or 'blank'} (outliers "
            f"{r['outlier_share'] or 'blank'}) apd {r['apd'] or 'blank'}"
        )
    cp, pb = rows[("lay", "co-production")], rows[("lay", "personal-budgets")]
    assert _interval(cp, "metalinguistic")[1] > 0  # co-production is talked about as a word
    assert _interval(cp, "metalinguistic")[0] > _interval(pb, "metalinguistic")[0]
    # personal budgets has 27 lay mentions, fewer than --sample-k 30: the size-dependent measures are blank,
    # and a note says so
    assert int(pb["mentions"]) < 30 and pb["sample_k"] == "" and pb["sense_entropy"] == "" and pb["apd"] == ""
    assert "with fewer than --sample-k 30 mentions" in err
    assert "Wilson score interval" in err


def test_term_and_form_entropy_at_a_common_sample_size(report_db):
    # --sample-k 25 takes personal budgets in (27 lay mentions), so the four concepts compare on equal samples
    rows, _ = _ambiguity(report_db, "--sample-k", "25")
    for concept in CONCEPTS:
        r = rows[("lay", concept)]
        figure(
            f"lay {concept:22} (--sample-k 25) terms {r['terms']:>2} term_entropy {float(r['term_entropy']):.3f} "
            f"form_entropy {float(r['form_entropy']):.3f} sense_entropy {r['sense_entropy'] or 'blank'} "
            f"apd {float(r['apd']):.3f} [{float(r['apd_low']):.3f}-{float(r['apd_high']):.3f}]"
        )
    cp, pb = rows[("lay", "co-production")], rows[("lay", "personal-budgets")]
    # co-production has one term (co-produc*), so all of its variant entropy is form entropy; personal budgets'
    # higher variant entropy was its several names
    assert float(cp["term_entropy"]) == 0 and float(pb["term_entropy"]) > 1


def test_senses_of_lay_coproduction(report_db):
    args = ("senses", "co-production", "--seed", "1", "--where", "source_type=lay", "-f", "csv", "--db", report_db)
    a, b = cli(*args), cli(*args)
    assert a.stdout == b.stdout
    rows = _rows(a)
    senses = [r for r in rows if r["sense_id"] != "-1"]
    outliers = sum(int(r["size"]) for r in rows if r["sense_id"] == "-1")
    figure(f"senses co-production (lay, --seed 1): {len(senses)} sense(s), {outliers} outlier(s)")
    for r in senses:
        figure(f"    {r['sense_id']:>2} {r['size']:>4} {r['label']}")
    assert len(senses) >= 2


def test_frames_of_lay_coproduction(report_db):
    p = cli("frames", "co-production", "--where", "source_type=lay", "-f", "csv", "--db", report_db)
    rows = _rows(p)
    talk = [r for r in rows if r["frame"] in ("definition", "metalinguistic")]
    figure(f"frames co-production (lay): {p.stderr.strip().splitlines()[-1]}")
    assert len(talk) >= 15
