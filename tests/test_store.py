import sqlite3

import pytest

from discourse.errors import StoreError
from discourse.store import MentionRow, Store, page_of
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
        with pytest.raises(RuntimeError), s.transaction():
            s.ledger_put("/x", "/x", "failed", "boom")
            raise RuntimeError("interrupted")
        assert s.ledger_get("/x") is None


# -- named queries: the store is the only owner of SQL ------------------------------------------


def _doc(s, doc_id, *, path=None, source_type="lay", year=2020, pages=1, words=10, metadata=None):
    row = {
        "doc_id": doc_id,
        "path": path or f"/c/{doc_id}.txt",
        "title": doc_id,
        "date": str(year) if year else None,
        "year": year,
        "date_source": "cli" if year else "none",
        "source_type": source_type,
        "metadata": metadata or {},
        "extractor": "text",
        "extractor_version": "1",
        "pages": pages,
        "words": words,
        "ws_words": words,
        "chars": 5 * words,
        "ingested_at": "2024-01-01T00:00:00Z",
    }
    s.insert_document(row, "x " * words, [0], "nlp", words, b"")


def _mention(doc_id, concept, start, *, variant="co-production", excluded=False, reason=None):
    return MentionRow(
        doc_id=doc_id,
        concept=concept,
        variant=variant,
        start_char=start,
        end_char=start + len(variant),
        start_token=start // 2,
        end_token=start // 2 + 1,
        page=1,
        sent_start=0,
        sent_end=start + 40,
        excluded=excluded,
        exclude_reason=reason,
    )


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "c.db") as s:
        with s.transaction():
            _doc(s, "d1", path="/c/b.txt", metadata={"corpus": "x", "region": "north"})
            _doc(
                s,
                "d2",
                path="/c/a.txt",
                source_type="government",
                year=2010,
                pages=3,
                words=30,
                metadata={"corpus": "y", "tier": 1},
            )
            _doc(s, "d3", source_type=None, year=None)
        yield s


def test_mentions_are_written_by_column_and_read_back(store):
    assert store.unmatched_documents("k") == ["d1", "d2", "d3"]
    with store.transaction():
        store.register_lexicon("k", "lex", "1", "/lex.yaml", "{}")
        store.register_lexicon("k", "other", "2", "/other.yaml", "{}")  # the first registration is kept
        store.insert_mentions(
            "k",
            [
                _mention("d2", "co-production", 50),
                _mention("d1", "co-production", 30, variant="Co-Production"),
                _mention("d1", "co-production", 10),
                _mention("d1", "partnership", 20, variant="partnership", excluded=True, reason="a name"),
            ],
        )
        store.record_mention_runs("k", [("d1", 3), ("d2", 1)])
    assert store.unmatched_documents("k") == ["d3"]
    assert store.unmatched_documents("other") == ["d1", "d2", "d3"]
    assert list(store.mention_counts("k")) == [("d1", "co-production", 2), ("d2", "co-production", 1)]
    assert list(store.kept_mentions("k")) == [
        ("d1", "co-production", 5, 6, "co-production", 10, 23),
        ("d1", "co-production", 15, 16, "Co-Production", 30, 43),
        ("d2", "co-production", 25, 26, "co-production", 50, 63),
    ]
    assert sorted(store.attested_variants("k")) == [
        ("co-production", "Co-Production", False, "d1"),
        ("co-production", "co-production", False, "d1"),
        ("co-production", "co-production", False, "d2"),
        ("partnership", "partnership", True, "d1"),
    ]
    assert list(store.mention_counts("other")) == []


def test_kwic_rows_join_documents_and_filter(store):
    with store.transaction():
        store.insert_mentions(
            "k", [_mention("d1", "c", 10), _mention("d2", "c", 5), _mention("d1", "c", 2, excluded=True, reason="r")]
        )
    rows = store.kwic_rows("k", "c")
    assert [(r["path"], r["start_char"]) for r in rows] == [("/c/a.txt", 5), ("/c/b.txt", 10)]
    assert rows[0]["source_type"] == "government" and rows[0]["year"] == 2010 and rows[0]["excluded"] == 0
    rows = store.kwic_rows("k", "c", "d.source_type = ?", ["lay"], include_excluded=True)
    assert [(r["start_char"], r["excluded"], r["exclude_reason"]) for r in rows] == [(2, 1, "r"), (10, 0, None)]
    assert store.kwic_rows("k", "other") == []


def test_corpus_stats_and_ledger_counts(store):
    with store.transaction():
        store.ledger_put("/c/a.txt", "/c/a.txt", "ingested", doc_id="d2")
        store.ledger_put("/c/b.txt", "/c/b.txt", "ingested", doc_id="d1")
        store.ledger_put("/c/z.pdf", "/c/z.pdf", "no-text", "scanned")
    st = store.corpus_stats()
    assert st.rows == [
        {"source_type": "government", "year": 2010, "docs": 1, "pages": 3, "words": 30, "ws_words": 30},
        {"source_type": "lay", "year": 2020, "docs": 1, "pages": 1, "words": 10, "ws_words": 10},
        {"source_type": None, "year": None, "docs": 1, "pages": 1, "words": 10, "ws_words": 10},
    ]
    assert (st.documents, st.pages, st.words) == (3, 5, 50)
    assert st.ledger == store.ledger_status_counts() == {"ingested": 2, "no-text": 1}
    assert st.summary() == "total: 3 documents, 5 pages, 50 words; ledger: 2 ingested, 1 no-text"


def test_corpus_stats_of_an_empty_store(tmp_path):
    with Store.open(tmp_path / "c.db") as s:
        st = s.corpus_stats()
    assert (st.rows, st.documents, st.pages, st.words, st.ledger) == ([], 0, 0, 0, {})
    assert st.summary() == "total: 0 documents, 0 pages, 0 words; ledger: "


def test_metadata_keys_cover_every_document(store):
    assert store.metadata_keys() == {"corpus", "region", "tier"}
    with store.transaction():  # no cap on the number of documents read
        for i in range(10_050):
            store.conn.execute(
                "INSERT INTO documents(doc_id,path,date_source,metadata,extractor,extractor_version,pages,words,"
                "ws_words,chars,ingested_at) VALUES (?,?,'none','{}','t','1',1,1,1,1,'')",
                (f"e{i:05d}", f"/e/{i}"),
            )
        _doc(s=store, doc_id="last", metadata={"late_key": "v"})
    assert store.metadata_keys() == {"corpus", "region", "tier", "late_key"}


def test_ledger_keys_for_doc_and_rows_by_status(store):
    with store.transaction():
        for key, status, doc in [
            ("/c/b", "duplicate", "d1"),
            ("/c/a", "ingested", "d1"),
            ("/c/c", "duplicate", "d1"),
            ("/c/x", "ingested", "d2"),
        ]:
            store.ledger_put(key, key, status, doc_id=doc)
    assert store.ledger_keys_for_doc("d1", "/c/a") == ["/c/b", "/c/c"]
    assert store.ledger_keys_for_doc("d1", "/c/none") == ["/c/a", "/c/b", "/c/c"]
    assert store.ledger_keys_for_doc("d9", "/c/a") == []
    assert [r.key for r in store.ledger_rows("duplicate")] == ["/c/b", "/c/c"]
    assert [r.key for r in store.ledger_rows()] == ["/c/a", "/c/b", "/c/c", "/c/x"]


def test_version_2_store_upgrades_in_place_to_mention_key(tmp_path):
    from discourse.store import _split_sql
    from discourse.store.schema import MIGRATIONS

    db = tmp_path / "v2.db"
    con = sqlite3.connect(db)
    for script in MIGRATIONS[:2]:
        for stmt in _split_sql(script):
            con.execute(stmt)
    con.execute("PRAGMA user_version=2")
    con.execute(
        "INSERT INTO documents(doc_id,path,date_source,extractor,extractor_version,pages,words,ws_words,"
        "chars,ingested_at) VALUES ('d1','/c/a','none','text','1',1,9,9,40,''), "
        "('d2','/c/b','none','text','1',1,9,9,40,'')"
    )
    con.execute(
        "INSERT INTO lexicons(lexicon_hash,name,version,path,content,created_at) "
        "VALUES ('k','lex','1','/l.yaml','{}','')"
    )
    con.execute("INSERT INTO mention_runs(lexicon_hash,doc_id,n) VALUES ('k','d1',2)")
    con.execute(
        "INSERT INTO mentions VALUES ('k','d1','c','co-production',10,23,2,5,1,0,40,0,NULL), "
        "('k','d1','c','coproduction',30,42,7,8,1,0,40,1,'why')"
    )
    con.commit()
    con.close()

    with Store.open(db) as s:
        assert s.schema_version == SCHEMA_VERSION >= 3
        for table in ("lexicons", "mention_runs", "mentions"):
            cols = [r[1] for r in s.conn.execute(f"PRAGMA table_info({table})")]
            assert "mention_key" in cols and "lexicon_hash" not in cols
        indexed = {
            r[0]: r[1]
            for r in s.conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type='index' AND tbl_name='mentions' AND sql IS NOT NULL"
            )
        }
        assert all("mention_key" in sql for sql in indexed.values()) and len(indexed) == 2
        assert s.unmatched_documents("k") == ["d2"]
        assert list(s.mention_counts("k")) == [("d1", "c", 1)]
        assert list(s.kept_mentions("k")) == [("d1", "c", 2, 5, "co-production", 10, 23)]
        assert sorted(s.attested_variants("k")) == [
            ("c", "co-production", False, "d1"),
            ("c", "coproduction", True, "d1"),
        ]
        with s.transaction():  # new rows go in under the renamed column, next to the old ones
            s.register_lexicon("k", "other", "2", "/x.yaml", "{}")
            s.insert_mentions("k", [MentionRow("d2", "c", "co-produced", 0, 11, 0, 1, 1, 0, 20, False, None)])
            s.record_mention_runs("k", [("d2", 1)])
        assert list(s.mention_counts("k")) == [("d1", "c", 1), ("d2", "c", 1)]
        assert s.conn.execute("SELECT name FROM lexicons WHERE mention_key='k'").fetchone()[0] == "lex"
    with Store.open(db) as s:  # reopening applies nothing more
        assert s.schema_version == SCHEMA_VERSION


def test_two_processes_creating_one_store_do_not_race(tmp_path):
    import subprocess
    import sys

    code = "import sys; from discourse.store import Store; Store.open(sys.argv[1]).close()"
    for trial in range(6):
        db = tmp_path / f"race{trial}.db"
        procs = [subprocess.Popen([sys.executable, "-c", code, str(db)], stderr=subprocess.PIPE) for _ in range(3)]
        errs = [p.communicate()[1].decode() for p in procs]
        assert all(p.returncode == 0 for p in procs), errs


def test_ledger_keeps_history(tmp_path):
    from discourse.ingest import ingest

    (tmp_path / "a.txt").write_text("Co-production with carers.\n")
    with Store.open(str(tmp_path / "s.db")) as store:
        ingest(store, [str(tmp_path / "a.txt")], jobs=1)
        ingest(store, [str(tmp_path / "a.txt")], jobs=1)
        (tmp_path / "a.txt").write_text("Co-production with carers, changed.\n")
        ingest(store, [str(tmp_path / "a.txt")], jobs=1)
        assert [e["status"] for e in store.ledger_history()] == ["ingested", "unchanged", "ingested"]
        assert [r.status for r in store.ledger_rows()] == ["ingested"]


def test_switching_to_wal_waits_out_a_lock_the_busy_handler_does_not(tmp_path):
    """SQLite returns SQLITE_BUSY at once (no busy handler) when two connections both upgrade a lock;
    a connection with timeout=0 has no busy handler either, so it stands in for that case here."""
    import sqlite3
    import threading

    from discourse.store import _enable_wal

    db = str(tmp_path / "w.db")
    holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    holder.execute("CREATE TABLE t(x)")
    holder.execute("BEGIN EXCLUSIVE")
    conn = sqlite3.connect(db, timeout=0, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        conn.execute("PRAGMA journal_mode=WAL")
    threading.Timer(0.3, lambda: holder.execute("COMMIT")).start()  # the lock is released while we wait
    _enable_wal(conn, wait=10)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
