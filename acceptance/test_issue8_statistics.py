"""Issue 8: intervals on the real corpora, and the statistics at the edges."""

import csv
import io

from .conftest import cli, figure


def _rows(p):
    return list(csv.DictReader(io.StringIO(p.stdout)))


def test_prominence_intervals_iriss_and_nhs(report_db):
    p = cli(
        "report",
        "prominence",
        "--by",
        "source_type",
        "--period",
        "all",
        "-f",
        "csv",
        "--where",
        "source_type=lay",
        "--where",
        "source_type=government",
        "--db",
        report_db,
    )
    rows = {(r["source_type"], r["concept"]): r for r in _rows(p)}
    for key in (("lay", "co-production"), ("lay", "personal-budgets"), ("government", "co-production")):
        r = rows[key]
        lo, mid, hi = float(r["per_10k_low"]), float(r["per_10k"]), float(r["per_10k_high"])
        assert lo <= mid <= hi
        figure(
            f"{key[0]:10} {key[1]:17} per_10k {mid:.2f} [{lo:.2f}-{hi:.2f}] share {r['share_of_voice']} "
            f"[{r['share_low']}-{r['share_high']}] n = {r['docs']} docs, {r['words']} words"
        )
    cp, pb = rows[("lay", "co-production")], rows[("lay", "personal-budgets")]
    # the IRISS figures the issue computed by hand: 1.27 [0.57-2.38] and 0.19 [0.09-0.32]
    assert abs(float(cp["per_10k_low"]) - 0.57) < 0.1 and abs(float(cp["per_10k_high"]) - 2.38) < 0.25
    assert abs(float(pb["per_10k_low"]) - 0.09) < 0.03 and abs(float(pb["per_10k_high"]) - 0.32) < 0.05
    again = cli(
        "report",
        "prominence",
        "--by",
        "source_type",
        "--period",
        "all",
        "-f",
        "csv",
        "--where",
        "source_type=lay",
        "--where",
        "source_type=government",
        "--db",
        report_db,
    )
    assert again.stdout == p.stdout


def test_keyness_signs_and_p_values(report_db):
    p = cli("report", "keyness", "--period", "5-year", "-f", "csv", "--db", report_db)
    rows = _rows(p)
    flips = [
        r
        for r in rows
        if r["log_ratio"] and r["pct_diff"] and (float(r["log_ratio"]) > 0) != (float(r["pct_diff"]) > 0)
    ]
    assert not flips
    wrong_sign = [
        r
        for r in rows
        if r["log_ratio"]
        and (float(r["count_a"]) / float(r["words_a"]) - float(r["count_b"]) / float(r["words_b"]))
        * float(r["log_ratio"])
        < 0
    ]
    assert not wrong_sign
    assert not [r for r in rows if r["p_value"] in ("0", "0.0")]
    party = [r for r in rows if r["source_type"] == "party" and r["concept"] == "co-production" and r["log_ratio"]]
    for r in party:
        figure(
            f"party vs government, co-production {r['period']}: a={r['count_a']} b={r['count_b']} "
            f"log_ratio {r['log_ratio']} pct_diff {r['pct_diff']} p {r['p_value']} q {r['q_value']}"
        )


def test_trend_edges(report_db, workdir):
    p = cli("report", "trend", "--period", "all", "--db", report_db, check=2)
    assert "Hint:" in p.stderr
    p = cli(
        "report", "trend", "--period", "5-year", "--where", "source_type=government", "-f", "csv", "--db", report_db
    )
    (cp,) = [r for r in _rows(p) if r["concept"] == "co-production"]
    figure(f"government co-production trend: n_periods {cp['n_periods']} mk_p {cp['mk_p']} min_p {cp['min_p']}")
    assert "change composition" in p.stderr
    figure("composition note: " + [ln for ln in p.stderr.splitlines() if "composition" in ln][0][:220])
    out = workdir / "all_pooled"
    p = cli(
        "report",
        "--all",
        "-o",
        out,
        "--period",
        "all",
        "--where",
        "source_type=lay",
        "--reference",
        "lay",
        "--db",
        report_db,
    )
    assert not (out / "trend.csv").exists() and (out / "run.json").exists()
    assert "trend: not written" in p.stderr
