"""Issue 15: manifest rows that match no input are named on stderr and kept in the ledger history."""

import shutil

from discourse.ingest import ingest
from discourse.store import Store

from .conftest import FIX, run_cli

ING = FIX / "ingest"


def test_unmatched_rows_are_listed_and_recorded(tmp_path):
    db = tmp_path / "s.db"
    p = run_cli("ingest", ING / "lay", "--manifest", ING / "MANIFEST.csv", "-j", "1", db=db, check=0)
    assert f"Warning: {ING / 'MANIFEST.csv'}: 1 of its rows match no input" in p.stderr
    assert "gov/care-to-learn.md" in p.stderr
    assert "1 manifest rows matched no input" in p.stderr
    # the matched rows' metadata is used
    with Store.open(db) as s:
        assert {d["source_type"] for d in s.documents()} == {"lay"}
    # kept for later: the ledger history names the row, and the ledger itself is only inputs
    hist = run_cli("ledger", "--history", "--status", "unmatched", "--format", "csv", db=db, check=0).stdout
    assert hist.count("\n") == 2 and str(ING / "gov" / "care-to-learn.md") in hist and ",unmatched," in hist
    assert "care-to-learn" not in run_cli("ledger", "--format", "csv", db=db, check=0).stdout
    # --status unmatched is a history status only
    assert run_cli("ledger", "--status", "unmatched", db=db).returncode == 2


def test_long_lists_are_capped_and_matched_rows_are_silent(tmp_path):
    shutil.copytree(ING, tmp_path / "c")
    man = tmp_path / "c" / "MANIFEST.csv"
    with man.open("a") as fh:
        for i in range(14):
            fh.write(f"gone/missing-{i:02d}.txt,Gone {i},2020,lay,,\n")
    warnings = []
    with Store.open(tmp_path / "s.db") as s:
        res = ingest(
            s,
            [str(tmp_path / "c" / "lay"), str(tmp_path / "c" / "gov")],
            manifest=str(man),
            jobs=1,
            on_event=lambda kind, msg: warnings.append(msg) if kind == "warning" else None,
        )
        assert len(res.unmatched) == 14
        events = [e for e in s.ledger_history("unmatched")]
    (w,) = [m for m in warnings if "match no input" in m]
    assert "14 of its rows match no input" in w and "gone/missing-00.txt" in w and "gone/missing-09.txt" in w
    assert "gone/missing-10.txt" not in w and "and 4 more" in w
    assert len(events) == 14 and all(e["doc_id"] is None for e in events)
    # every row matched: no warning, no event
    with Store.open(tmp_path / "t.db") as s:
        res = ingest(s, [str(ING / "lay"), str(ING / "gov")], manifest=str(ING / "MANIFEST.csv"), jobs=1)
        assert res.unmatched == [] and list(s.ledger_history("unmatched")) == []


def test_manifest_alone_reports_missing_files_not_unmatched(tmp_path):
    shutil.copytree(ING, tmp_path / "c")
    (tmp_path / "c" / "gov" / "care-to-learn.md").unlink()
    with Store.open(tmp_path / "s.db") as s:
        res = ingest(s, [], manifest=str(tmp_path / "c" / "MANIFEST.csv"), jobs=1)
    assert res.unmatched == []
    assert [o.status for o in res.outcomes if "care-to-learn" in o.key] == ["failed"]


def test_ledger_history_command_lists_every_run(tmp_path):
    db = tmp_path / "s.db"
    (tmp_path / "a.txt").write_text("Co-production with carers.\n")
    run_cli("ingest", tmp_path / "a.txt", "-j", "1", db=db, check=0)
    run_cli("ingest", tmp_path / "a.txt", "-j", "1", db=db, check=0)
    out = run_cli("ledger", "--history", "--format", "jsonl", db=db, check=0).stdout
    assert [line.split('"status": "')[1].split('"')[0] for line in out.splitlines()] == ["ingested", "unchanged"]
