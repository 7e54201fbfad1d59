"""--where is checked against the store: unknown keys are usage errors, empty matches get a note."""

from .conftest import run_cli


def test_where_unknown_key_and_unmatched_value(tmp_path):
    (tmp_path / "a.txt").write_text("Co-production with carers.\n")
    db = tmp_path / "c.db"
    run_cli("ingest", tmp_path / "a.txt", "--source-type", "lay", "--date", "2020", db=db, check=0)
    p = run_cli("report", "prominence", "--where", "sourcetype=lay", db=db)
    assert p.returncode == 2 and "did you mean source_type" in p.stderr
    p = run_cli("report", "prominence", "--period", "all", "--where", "source_type=Lay", "-f", "csv", db=db, check=0)
    assert "matches no document (did you mean 'lay'?)" in p.stderr
    p = run_cli("kwic", "co-production", "--where", "source_type=Lay", "-f", "csv", db=db, check=0)
    assert "did you mean 'lay'?" in p.stderr
    p = run_cli("kwic", "co-production", "--where", "colour=red", db=db)
    assert p.returncode == 2
    p = run_cli("ledger", "--status", "bogus", db=db)
    assert p.returncode == 2 and "ingested" in p.stderr
