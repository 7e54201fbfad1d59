"""Issue 8: intervals and the statistics at the edges, end to end through the library."""

import pytest

from discourse.errors import UsageError
from discourse.ingest import ingest
from discourse.lexicon import load_lexicon
from discourse.report.export import write_rows
from discourse.report.tables import ReportOptions, build_report
from discourse.store import Store

from .test_report import LEXICON, _doc

LEX3 = (
    LEXICON
    + """\
  - id: big-society
    family: rhetoric
    terms: [big society]
"""
)


@pytest.fixture()
def lex(tmp_path):
    p = tmp_path / "lex.yaml"
    p.write_text(LEX3)
    return load_lexicon(p)


def _u(text: str, i: int) -> str:
    """Make a document unique (identical texts are one document) without changing its word count."""
    return text.replace("people", f"id{i}", 1) if "people" in text else text.replace("care", f"id{i}", 1)


def _store(tmp_path, docs):
    """docs: (folder, name, text, source_type, year) -> an ingested store."""
    for folder, name, text, _, _ in docs:
        (tmp_path / folder).mkdir(exist_ok=True)
        (tmp_path / folder / name).write_text(text)
    store = Store.open(str(tmp_path / "c.db"))
    for folder, name, _, st, year in docs:
        ingest(store, [str(tmp_path / folder / name)], cli={"source_type": st, "date": str(year)}, jobs=1)
    return store


def _rows(store, lex, table, **opts):
    return build_report(store, lex, ReportOptions(**opts)).table(table)


def test_prominence_intervals_are_seeded_and_widen_with_one_dominant_document(tmp_path, lex):
    # Two lay cells of 10 documents with 60 mentions each: spread evenly (2020) or 51 in one (2021).
    docs = [("lay", f"even{i}.txt", _u(_doc(6, 1000), i), "lay", 2020) for i in range(10)]
    docs += [("lay", "lumpy0.txt", _doc(51, 1000), "lay", 2021)]
    docs += [("lay", f"lumpy{i}.txt", _u(_doc(1, 1000), 10 + i), "lay", 2021) for i in range(1, 10)]
    with _store(tmp_path, docs) as store:
        rows = {
            r["period"]: r
            for r in _rows(store, lex, "prominence", period="year", seed=3)
            if r["concept"] == "co-production"
        }
        again = {
            r["period"]: r
            for r in _rows(store, lex, "prominence", period="year", seed=3)
            if r["concept"] == "co-production"
        }
        other = _rows(store, lex, "prominence", period="year", seed=4)
        off = _rows(store, lex, "prominence", period="year", bootstrap=0)
    even, lumpy = rows["2020"], rows["2021"]
    assert even["per_10k"] == lumpy["per_10k"] == pytest.approx(60.0, rel=1e-3)  # 60 / 10,000 words
    assert even["per_10k_high"] - even["per_10k_low"] < 1e-9  # every document identical: no spread
    assert lumpy["per_10k_low"] < 30 and lumpy["per_10k_high"] > 100
    assert rows == again
    assert [r["per_10k_low"] for r in other] != [r["per_10k_low"] for r in rows.values()]
    # the share of voice interval: co-production is the only voice of its family here
    assert lumpy["share_low"] == lumpy["share_high"] == 1.0
    assert all(r["per_10k_low"] is None and r["share_low"] is None for r in off)


def test_share_of_voice_0_over_0_is_blank(tmp_path, lex):
    with _store(
        tmp_path, [("g", "a.txt", _doc(3, 100), "government", 2020), ("g", "b.txt", _doc(1, 100), "government", 2020)]
    ) as store:
        rows = {r["concept"]: r for r in _rows(store, lex, "prominence", period="all")}
    assert rows["co-production"]["share_of_voice"] == 1.0
    assert rows["personal-budgets"]["share_of_voice"] == 0.0  # 0 of 4: a real zero
    assert rows["big-society"]["share_of_voice"] is None  # 0 of 0: blank
    assert rows["big-society"]["per_10k_low"] is None


def test_keyness_zero_on_each_side_and_tiny_p(tmp_path, lex):
    # a: party, 0 co-production in 1,000 words; b: government, 5 in 12,000 words.
    docs = [
        ("p", "p.txt", _doc(0, 1000) + "big society " * 200, "party", 2020),
        ("g", "g.txt", _doc(5, 12_000, filler="care") + "personal budget " * 300, "government", 2020),
        ("l", "l.txt", _doc(40, 2000), "lay", 2020),
    ]
    with _store(tmp_path, docs) as store:
        rows = _rows(store, lex, "keyness", period="all", min_count=1)
        n_notes = build_report(store, lex, ReportOptions(period="all", min_count=1))
        n_notes.table("keyness")
    r = {(x["source_type"], x["concept"]): x for x in rows}
    party_cp = r[("party", "co-production")]
    assert party_cp["count_a"] == 0 and party_cp["count_b"] == 5
    assert party_cp["log_ratio"] < 0 and -100 < party_cp["pct_diff"] < 0  # never the opposite sign
    party_bs = r[("party", "big-society")]
    assert party_bs["count_b"] == 0 and party_bs["log_ratio"] > 0 and party_bs["pct_diff"] > 0
    lay_cp = r[("lay", "co-production")]
    assert 0 < lay_cp["p_value"] < 1e-10
    buf = __import__("io").StringIO()
    write_rows(["p_value"], [{"p_value": lay_cp["p_value"]}], "csv", buf)
    assert "e-" in buf.getvalue() and float(buf.getvalue().split()[1]) == lay_cp["p_value"]
    qs = [x["q_value"] for x in rows if x["p_value"] is not None]
    assert all(q >= p for q, p in zip(qs, [x["p_value"] for x in rows if x["p_value"] is not None], strict=True))
    assert any("sign follows the observed difference" in n for n in n_notes.notes)


def test_trend_min_p_four_periods_and_composition_change(tmp_path, lex):
    # Government: GOV.UK-style guides in 2010-2019, NHS papers in 2020-2029, rising rate.
    docs = [("govuk", f"g{y}.txt", _u(_doc(k, 1000), y), "government", y) for y, k in ((2005, 1), (2012, 2))]
    docs += [("nhs", f"n{y}.txt", _u(_doc(k, 1000), y), "government", y) for y, k in ((2021, 5), (2027, 9))]
    with _store(tmp_path, docs) as store:
        rep = build_report(store, lex, ReportOptions(period="5-year"))
        rows = {r["concept"]: r for r in rep.table("trend")}
        with pytest.raises(UsageError, match="--period all"):
            build_report(store, lex, ReportOptions(period="all")).table("trend")
    cp = rows["co-production"]
    assert cp["n_periods"] == 4 and cp["docs"] == 4 and cp["words"] == 4000
    assert cp["mk_p"] == pytest.approx(cp["min_p"]) and cp["min_p"] == pytest.approx(0.0894, abs=1e-4)
    notes = " ".join(rep.notes)
    assert "cannot reach p < 0.09" in notes or "can reach p < 0.09" in notes
    assert "change composition" in notes and "folder" in notes
