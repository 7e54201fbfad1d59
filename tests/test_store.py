import sqlite3

import pytest

from discourse.errors import StoreError
from discourse.store import Store, page_of
from discourse.store.schema import SCHEMA_VERSION


def test_new_store_is_wal_and_versioned(tmp_path):
    db = tmp_path / "c.db"
    with Store.open(db) as s:
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.schema_version == SCHEMA_VERSION
    with Store.open(db) as s:  # reopening applies nothing and keeps the version
        assert s.schema_version == SCHEMA_VERSION


def test_store_from_newer_version_is_refused(tmp_path):
    db = tmp_path / "c.db"
    Store.open(db).close()
    con = sqlite3.connect(db)
    con.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    con.close()
    with pytest.raises(StoreError, match="newer"):
        Store.open(db)


def test_missing_store_is_an_error_for_readers(tmp_path):
    with pytest.raises(StoreError, match="no corpus store"):
        Store.open(tmp_path / "none.db", create=False)


def test_page_of_maps_offsets_to_pages():
    starts = [0, 100, 250]
    assert page_of(starts, 0) == 1
    assert page_of(starts, 99) == 1
    assert page_of(starts, 100) == 2
    assert page_of(starts, 249) == 2
    assert page_of(starts, 10_000) == 3


def test_failed_transaction_writes_nothing(tmp_path):
    with Store.open(tmp_path / "c.db") as s:
        with pytest.raises(RuntimeError):
            with s.transaction():
                s.ledger_put("/x", "/x", "failed", "boom")
                raise RuntimeError("interrupted")
        assert s.ledger_get("/x") is None
