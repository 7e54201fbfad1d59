"""Issue 4: a real report over IRISS, NHS, GOV.UK and the 1945-2019 manifestos."""

import csv
import io
import subprocess

from .conftest import BIN, cli, figure

PROMINENCE = [
    "concept",
    "source_type",
    "period",
    "docs",
    "docs_with",
    "count",
    "words",
    "per_10k",
    "per_10k_low",
    "per_10k_high",
    "per_10k_doc_mean",
    "doc_freq",
    "dp",
    "dp_norm",
    "juilland_d",
    "share_of_voice",
    "share_low",
    "share_high",
]
TRANSFORMATION = ("co-production", "personalisation", "personal-budgets", "direct-payments", "self-directed-support")


def test_real_prominence_report(report_db, workdir):
    p = cli("report", "prominence", "--by", "source_type", "--period", "year", "--format", "csv", "--db", report_db)
    rows = list(csv.DictReader(io.StringIO(p.stdout)))
    assert list(rows[0].keys()) == PROMINENCE
    assert {r["source_type"] for r in rows} >= {"lay", "government", "party"}
    for r in rows:
        for col in ("docs", "docs_with", "count", "words", "per_10k", "doc_freq"):
            assert r[col] != "", (col, r)
    # share_of_voice is blank only for 0/0: no concept of the family mentioned in the cell (issue 8)
    fam = {}
    for r in rows:
        fam.setdefault((r["source_type"], r["period"]), []).append(r)
    for r in rows:
        if r["share_of_voice"] == "":
            assert r["count"] == "0"
    # the paper's comparison: the transformation family, all years pooled, per source type
    p5 = cli("report", "prominence", "--by", "source_type", "--period", "all", "--format", "csv", "--db", report_db)
    figure("transformation family, all years (per_10k, docs_with/docs, share_of_voice):")
    for r in csv.DictReader(io.StringIO(p5.stdout)):
        if r["concept"] in TRANSFORMATION:
            figure(
                f"  {r['source_type']:10} {r['concept']:22} count {r['count']:>5} per_10k {float(r['per_10k']):7.3f} "
                f"docs {r['docs_with']:>4}/{r['docs']:<4} share {r['share_of_voice'] or 'blank (0/0)'}"
            )


def test_report_all_is_reproducible(report_db, workdir):
    a, b = workdir / "rep_a", workdir / "rep_b"
    # the two runs go side by side (one core each): reproducible also means independent of another run
    procs = [
        subprocess.Popen(
            [str(BIN), "report", "--all", "-o", str(o), "--period", "5-year", "--db", str(report_db)],
            stderr=subprocess.PIPE,
            text=True,
        )
        for o in (a, b)
    ]
    errs = [p.communicate()[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [e[-2000:] for e in errs]
    for name in ("prominence", "counts", "keyness", "collocates", "trend", "ambiguity"):
        assert (a / f"{name}.csv").read_bytes() == (b / f"{name}.csv").read_bytes(), name
    import json

    ja, jb = (json.loads((o / "run.json").read_text()) for o in (a, b))
    ja.pop("created_at"), jb.pop("created_at")
    assert ja == jb
    amb = list(csv.DictReader(io.StringIO((a / "ambiguity.csv").read_text(encoding="utf-8"))))
    for r in amb:
        if r["concept"] == "co-production" and r["apd"]:
            figure(
                f"ambiguity co-production {r['source_type']} {r['period']}: mentions {r['mentions']} "
                f"apd {float(r['apd']):.3f} [{float(r['apd_low']):.3f}, {float(r['apd_high']):.3f}] "
                f"term_entropy {r['term_entropy']} form_entropy {r['form_entropy']} "
                f"metalinguistic_per_1k {r['metalinguistic_per_1k']}"
            )
