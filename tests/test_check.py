"""Issue 15: `discourse check` finds each kind of damage in a real store, and exits 1 on a failure."""

import shutil
import sqlite3

import pytest

from discourse.check import FAIL, OK, SKIP, WARN, check_store
from discourse.store import Store
from discourse.store import check as store_check
from discourse.store.labels import LabelRow, upsert_labels
from discourse.store.schema import SCHEMA_VERSION

from .conftest import FIX, run_cli

ING = FIX / "ingest"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A real store: the ingest fixtures, matched by `report`, with one label on a real mention."""
    db = tmp_path_factory.mktemp("check") / "built.db"
    run_cli("ingest", ING / "lay", ING / "gov", "--manifest", ING / "MANIFEST.csv", "-j", "1", db=db, check=0)
    run_cli("report", "prominence", "--period", "all", "-f", "csv", db=db, check=0)
    with Store.open(db) as s:
        doc_id, start, end, concept = s.conn.execute(
            "SELECT doc_id, start_char, end_char, concept FROM mentions ORDER BY doc_id, start_char LIMIT 1"
        ).fetchone()
        with s.transaction():
            upsert_labels(s, [LabelRow(f"{doc_id}:{start}-{end}", concept, "label", "yes")], "2026-01-01T00:00:00Z")
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return db


@pytest.fixture
def db(built, tmp_path):
    out = tmp_path / "s.db"
    shutil.copy(built, out)
    return out


def _raw(db, *sql):
    """Damage the store behind discourse's back (raw sqlite3: no foreign keys, no cascade)."""
    con = sqlite3.connect(db, isolation_level=None)
    for s in sql:
        con.execute(s)
    con.close()


def _status(db):
    return {f.check: (f.status, f.count) for f in check_store(str(db)).findings}


def _mentioned_doc(db):
    con = sqlite3.connect(db)
    doc = con.execute("SELECT doc_id FROM mentions GROUP BY doc_id ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    n = con.execute("SELECT count(*) FROM mentions WHERE doc_id=?", (doc,)).fetchone()[0]
    con.close()
    return doc, n


def test_a_sound_store_passes(db):
    st = _status(db)
    assert {s for s, _ in st.values()} == {OK}, st
    assert st["documents"] == (OK, 3) and st["schema"] == (OK, SCHEMA_VERSION)
    p = run_cli("check", db=db, check=0)
    assert p.stdout.splitlines()[0] == "check,status,count,detail"
    assert "integrity,ok,0,PRAGMA integrity_check: ok" in p.stdout
    assert p.stderr.strip() == f"{db}: {len(st)} checks, 0 failed, 0 warnings"
    picked = run_cli("check", "--columns", "status,check", db=db, check=0).stdout.splitlines()
    assert picked[0] == "status,check" and "ok,integrity" in picked


def test_a_deleted_document_leaves_orphans_that_fail(db):
    doc, n = _mentioned_doc(db)
    _raw(db, f"DELETE FROM documents WHERE doc_id='{doc}'")
    st = _status(db)
    assert st["orphans: mentions"] == (FAIL, n)
    assert st["orphans: texts"] == (FAIL, 1) and st["orphans: tokens"] == (FAIL, 1)
    assert st["orphans: mention_runs"] == (FAIL, 1)
    assert st["ledger: gone documents"][0] == FAIL
    assert st["labels"][0] in (OK, WARN)  # the label was on the first document in doc_id order
    p = run_cli("check", "--format", "jsonl", db=db, check=1)
    assert f'"check": "orphans: mentions", "status": "FAIL", "count": {n}' in p.stdout
    assert f"{n} mentions rows whose document is gone" in p.stdout
    assert "failed" in p.stderr and "Traceback" not in p.stderr


def test_missing_tokens_and_text_fail(db):
    doc, _ = _mentioned_doc(db)
    _raw(db, f"DELETE FROM tokens WHERE doc_id='{doc}'", f"DELETE FROM texts WHERE doc_id='{doc}'")
    st = _status(db)
    assert st["missing: tokens"] == (FAIL, 1) and st["missing: texts"] == (FAIL, 1)
    run_cli("check", db=db, check=1)


def test_ledger_against_documents(db):
    doc, _ = _mentioned_doc(db)
    _raw(db, f"DELETE FROM ledger WHERE doc_id='{doc}' AND status='ingested'")
    assert _status(db)["ledger: documents"] == (FAIL, 1)
    _raw(db, f"DELETE FROM ledger_events WHERE doc_id='{doc}'")
    assert _status(db)["ledger: history"] == (FAIL, 1)
    _raw(db, "UPDATE ledger SET doc_id='0000000000000000' WHERE rowid IN (SELECT rowid FROM ledger LIMIT 1)")
    assert _status(db)["ledger: gone documents"] == (FAIL, 1)
    run_cli("check", db=db, check=1)


def test_a_label_whose_mention_is_gone_is_a_warning(db):
    _raw(
        db,
        "INSERT INTO labels(mention_id,concept,coder,label,labelled_at) "
        "VALUES ('0000000000000000:1-5','co-production','label','no','2026-01-01T00:00:00Z')",
    )
    assert _status(db)["labels"] == (WARN, 1)
    p = run_cli("check", "-f", "csv", db=db, check=0)  # a warning is not a failure
    assert "labels,warn,1,1 labels whose mention no longer exists" in p.stdout
    assert p.stderr.strip().endswith("0 failed, 1 warning")


def test_schema_version_is_read_not_migrated(db):
    _raw(db, f"PRAGMA user_version={SCHEMA_VERSION - 1}")
    assert _status(db)["schema"] == (WARN, SCHEMA_VERSION - 1)
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION - 1  # check wrote nothing
    con.close()
    _raw(db, "PRAGMA user_version=99")
    assert _status(db)["schema"] == (FAIL, 99)
    p = run_cli("check", db=db, check=1)
    assert "newer than this discourse" in p.stdout


def test_a_damaged_file_fails_integrity(db):
    con = sqlite3.connect(db)
    page = con.execute("PRAGMA page_size").fetchone()[0]
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name='mentions'").fetchone()[0]
    con.close()
    with open(db, "r+b") as fh:  # scribble over the header of the mentions table's root page
        fh.seek((root - 1) * page)
        fh.write(b"\x0d\xff\xff\x7f\xff\xff\xff\xff")
    st = _status(db)
    assert st["integrity"][0] == FAIL
    p = run_cli("check", db=db, check=1)
    assert "Traceback" not in p.stderr


def test_not_a_store_and_no_store(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database, just some text " * 200)
    assert _status(junk)["integrity"][0] == FAIL
    p = run_cli("check", db=junk, check=1)
    assert "not a database" in p.stdout
    p = run_cli("check", db=tmp_path / "nothing.db", check=1)
    assert p.stderr.startswith(f"Error: {tmp_path / 'nothing.db'}: no corpus store here")
    assert not (tmp_path / "nothing.db").exists()


def test_an_older_store_skips_what_its_schema_lacks(tmp_path):
    db = tmp_path / "v1.db"
    con = sqlite3.connect(db)
    from discourse.store.schema import MIGRATIONS

    con.executescript(MIGRATIONS[0])
    con.execute("PRAGMA user_version=1")
    con.close()
    st = _status(db)
    assert st["labels"] == (SKIP, None) and st["orphans: mentions"] == (SKIP, None)
    assert st["schema"] == (WARN, 1) and st["orphans: tokens"] == (OK, 0)


def test_a_table_added_to_doc_references_is_checked(db, monkeypatch):
    _raw(db, "CREATE TABLE extra (doc_id TEXT, x INTEGER)", "INSERT INTO extra VALUES ('gone', 1), ('gone', 2)")
    monkeypatch.setattr(store_check, "DOC_REFERENCES", [*store_check.DOC_REFERENCES, ("extra", "doc_id")])
    assert _status(db)["orphans: extra"] == (FAIL, 2)


def test_stale_postings_are_a_warning(db):
    _raw(db, "DELETE FROM index_meta WHERE key='postings_of'")  # as an ingest killed before it rebuilt them
    assert _status(db)["index: postings"][0] == WARN
    run_cli("check", db=db, check=0)
