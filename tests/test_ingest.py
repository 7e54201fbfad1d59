"""Ingest end to end on real fixtures: library calls and the real CLI."""

import csv
import io
import os
import signal
import sqlite3
import subprocess
import time

import pytest
import spacy

from discourse.ingest import ingest
from discourse.nlp import count_words, doc_from_bytes
from discourse.store import Store

from .conftest import BIN, FIX, ROOT, run_cli

ING = FIX / "ingest"
DUP_KEPT = "building-the-future-shaping-our-social-work-identity.md"
DUP_OTHER = "perceptions-of-social-work-education-and-practice.md"


def _ingest(db, paths, jobs=1, **kw):
    with Store.open(db) as s:
        return ingest(s, [str(p) for p in paths], jobs=jobs, **kw)


def _docs(db):
    with Store.open(db) as s:
        return {d["doc_id"]: d for d in s.documents()}


def test_manifest_metadata_duplicates_and_rerun(tmp_path):
    db = tmp_path / "c.db"
    res = _ingest(db, [ING / "lay", ING / "gov"], manifest=str(ING / "MANIFEST.csv"))
    assert res.counts() == {"ingested": 3, "duplicate": 1}
    docs = _docs(db)
    assert len(docs) == 3
    by_name = {os.path.basename(d["path"]): d for d in docs.values()}
    assert DUP_KEPT in by_name and DUP_OTHER not in by_name
    d = by_name["co-production-week-2018.md"]
    assert (d["date"], d["year"], d["date_source"], d["source_type"]) == ("2018-11-26", 2018, "manifest", "lay")
    assert d["title"] == "Co-production Week 2018"
    assert d["metadata"]["licence"].startswith("CC BY-NC-SA")
    # front matter is metadata, not text
    with Store.open(db) as s:
        text, starts = s.text(d["doc_id"])
        assert not text.startswith("---") and starts == [0]
        assert "co-production" in text.lower()
        assert abs(d["ws_words"] - int(d["metadata"]["body_words"])) <= 0.01 * int(d["metadata"]["body_words"])
        # tokens are stored once and give the same word count
        doc = doc_from_bytes(s.docbin(d["doc_id"]), spacy.blank("en").vocab)
        assert doc.text == text and count_words(doc) == d["words"]
    # a second run adds nothing and re-reads nothing
    res2 = _ingest(db, [ING / "lay", ING / "gov"], manifest=str(ING / "MANIFEST.csv"))
    assert res2.counts() == {"unchanged": 3, "duplicate": 1}
    assert _docs(db).keys() == docs.keys()


def test_corrected_manifest_takes_effect_on_unchanged_files(tmp_path):
    db = tmp_path / "c.db"
    _ingest(db, [ING / "gov"], manifest=str(ING / "MANIFEST.csv"))
    # the same files, named by absolute path in a corrected manifest elsewhere
    fixed = tmp_path / "MANIFEST.csv"
    with open(ING / "MANIFEST.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        r["file"] = str((ING / r["file"]).resolve())
        r["source_type"] = "guidance"
    with open(fixed, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    res = _ingest(db, [ING / "gov"], manifest=str(fixed))
    assert res.counts() == {"unchanged": 1}
    (d,) = _docs(db).values()
    assert d["source_type"] == "guidance"


def test_duplicate_keeps_first_path_whatever_the_order(tmp_path):
    db = tmp_path / "c.db"
    _ingest(db, [ING / "lay" / DUP_OTHER])
    res = _ingest(db, [ING / "lay" / DUP_KEPT])
    assert res.counts() == {"ingested": 1}
    (d,) = _docs(db).values()
    assert d["path"].endswith(DUP_KEPT)
    with Store.open(db) as s:
        rows = {os.path.basename(r.key): r for r in s.ledger_rows()}
    assert rows[DUP_OTHER].status == "duplicate" and rows[DUP_OTHER].doc_id == d["doc_id"]


def test_result_does_not_depend_on_jobs(tmp_path):
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    demo = ROOT / "corpora" / "demo"
    _ingest(a, [demo / "government", demo / "lay"], jobs=1)
    _ingest(b, [demo / "lay", demo / "government"], jobs=2)
    da, dbb = _docs(a), _docs(b)
    assert da.keys() == dbb.keys()
    with Store.open(a) as sa, Store.open(b) as sb:
        for k in da:
            assert sa.text(k) == sb.text(k)
            assert da[k]["words"] == dbb[k]["words"]


def test_bad_inputs_get_ledger_rows_and_the_rest_is_kept(tmp_path):
    db = tmp_path / "c.db"
    p = run_cli("ingest", ING / "bad", ING / "gov", tmp_path / "missing.txt", "--jobs", "1", db=db)
    assert p.returncode == 3, p.stderr
    err = p.stderr
    assert "empty.txt: empty file" in err
    assert "image-named.txt: binary" in err
    assert "missing.txt" in err
    assert p.stdout == ""
    led = {
        os.path.basename(r["path"]): r
        for r in csv.DictReader(io.StringIO(run_cli("ledger", "--format", "csv", db=db, check=0).stdout))
    }
    assert led["empty.txt"]["status"] == "failed"
    assert led["image-named.txt"]["status"] == "failed"
    assert led["notes.xyz"]["status"] == "skipped" and led["notes.xyz"]["reason"]
    assert led["missing.txt"]["status"] == "failed"
    assert led["cp1252-care-to-learn.txt"]["status"] == "ingested"
    assert led["care-to-learn.md"]["status"] == "ingested"
    with Store.open(db) as s:
        text, _ = s.text(led["cp1252-care-to-learn.txt"]["doc_id"])
    assert "£160" in text and "It’s called “Care to Learn” – payments" in text


def test_bad_pdfs_get_ledger_rows_and_good_pdfs_are_kept(tmp_path):
    pdf = FIX / "pdf"
    bad = {
        "truncated_behaviour_change_response.pdf": ("failed", "not a readable PDF"),
        "encrypted_password.pdf": ("failed", "encrypted PDF (needs a password)"),
        "empty.pdf": ("failed", "empty"),
        "po_horizon_response_p1_notext.pdf": ("no-text", "needs OCR"),
    }
    good = ["behaviour_change_response_p1-2.pdf", "encrypted_empty_user_password.pdf"]
    db = tmp_path / "c.db"
    p = run_cli("ingest", *[pdf / n for n in [*bad, *good]], "-j", "2", db=db)
    assert p.returncode == 3
    for name in bad:  # one line per failed input, naming the file and the reason
        assert sum(1 for ln in p.stderr.splitlines() if name in ln and ln.startswith("Error:")) == 1
    led = {
        os.path.basename(r["path"]): r
        for r in csv.DictReader(io.StringIO(run_cli("ledger", "-f", "csv", db=db, check=0).stdout))
    }
    for name, (status, reason) in bad.items():
        assert led[name]["status"] == status and reason in led[name]["reason"], led[name]
    for name in good:
        assert led[name]["status"] in ("ingested", "duplicate")
    with Store.open(db) as s:
        assert s.count_documents() >= 1


def test_cli_docs_stats_ledger_formats(tmp_path):
    db = tmp_path / "c.db"
    run_cli("ingest", ING / "lay", "--manifest", ING / "MANIFEST.csv", "-j", "1", db=db, check=0)
    out = run_cli("docs", "--format", "csv", db=db, check=0).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 2
    for col in (
        "doc_id",
        "path",
        "title",
        "date",
        "year",
        "date_source",
        "source_type",
        "pages",
        "words",
        "ws_words",
        "extractor",
    ):
        assert col in rows[0]
    # piped output defaults to CSV; DISCOURSE_DB is honoured
    out2 = run_cli("docs", env={"DISCOURSE_DB": str(db)}, check=0).stdout
    assert out2 == out
    js = run_cli("docs", "--format", "jsonl", db=db, check=0).stdout.splitlines()
    assert len(js) == 2
    st = list(csv.DictReader(io.StringIO(run_cli("stats", "-f", "csv", db=db, check=0).stdout)))
    assert st and st[0]["source_type"] == "lay" and int(st[0]["docs"]) >= 1
    assert run_cli("docs", "--format", "xml", db=db).returncode == 2
    miss = run_cli("docs", db=tmp_path / "none.db")
    assert miss.returncode == 1 and miss.stderr.startswith("Error:")


def test_stdin_paths(tmp_path):
    db = tmp_path / "c.db"
    paths = "\n".join(str(p) for p in sorted((ING / "lay").iterdir())) + "\n"
    p = run_cli("ingest", "-", "-j", "1", db=db, input=paths, check=0)
    assert "3 inputs: 2 ingested, 1 duplicate" in p.stderr
    with Store.open(db) as s:
        assert s.count_documents() == 2


@pytest.mark.slow
def test_sigkill_midway_then_rerun_completes(tmp_path):
    db = tmp_path / "c.db"
    demo = ROOT / "corpora" / "demo"
    total = sum(1 for _ in demo.rglob("*") if _.is_file() and _.suffix in (".md", ".pdf") and _.parent != demo)
    env = dict(os.environ)
    proc = subprocess.Popen(
        [
            str(BIN),
            "ingest",
            str(demo / "government"),
            str(demo / "lay"),
            "--manifest",
            str(demo / "MANIFEST.csv"),
            "--jobs",
            "1",
            "--db",
            str(db),
        ],
        stderr=subprocess.DEVNULL,
        env=env,
    )
    deadline = time.time() + 120
    n = 0
    while time.time() < deadline:
        time.sleep(0.05)
        if db.exists():
            try:
                con = sqlite3.connect(db, timeout=1)
                n = con.execute("SELECT count(*) FROM documents").fetchone()[0]
                con.close()
            except sqlite3.OperationalError:
                continue
            if n >= 2:
                break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 2 <= n < total, "the kill should land midway"
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    run_cli("ingest", demo / "government", demo / "lay", "--manifest", demo / "MANIFEST.csv", db=db, check=0)
    with Store.open(db) as s:
        assert s.count_documents() == total
        assert {r.status for r in s.ledger_rows()} <= {"ingested", "unchanged"}
