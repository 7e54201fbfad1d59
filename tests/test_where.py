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


def test_where_not_equal_and_contains():
    from discourse.store.query import doc_where, parse_where

    assert parse_where(["a=b!=c", "title~Care", "party!=Lab"]) == [
        ("a", "=", "b!=c"),
        ("title", "~", "Care"),
        ("party", "!=", "Lab"),
    ]
    cond, _params = doc_where(["source_type=lay", "source_type=press", "party!=Lab", "title~care"], alias="d")
    assert cond.count(" = ? OR ") == 1 and "IS NULL OR" in cond and "instr(lower(" in cond


def test_where_operators_select_documents(tmp_path):
    import sqlite3

    from discourse.ingest import ingest
    from discourse.store import Store
    from discourse.store.query import doc_where

    for name, st in (("care-act.txt", "government"), ("budget-news.txt", "press"), ("pod.txt", "lay")):
        (tmp_path / name).write_text(f"{name} co-production text.\n")
        with Store.open(str(tmp_path / "s.db")) as store:
            ingest(store, [str(tmp_path / name)], cli={"source_type": st, "date": "2020"}, jobs=1)
    conn = sqlite3.connect(tmp_path / "s.db")

    def titles(*where):
        cond, params = doc_where(list(where), alias="d")
        return sorted(r[0] for r in conn.execute(f"SELECT title FROM documents d WHERE {cond}", params))

    assert titles("source_type!=press") == ["care-act", "pod"]
    assert titles("title~BUDGET") == ["budget-news"]
    assert titles("title~budget", "title~care") == ["budget-news", "care-act"]  # same key: OR
    assert titles("source_type!=press", "source_type!=lay") == ["care-act"]  # each != AND-ed
    assert titles("source_type=lay", "source_type!=press", "source_type=government") == ["care-act", "pod"]
