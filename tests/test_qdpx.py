"""``discourse export qdpx`` / ``import qdpx``: a REFI-QDA project read back by pyqdpx, and codes brought back (issue 14)."""

from __future__ import annotations

import csv
import io
import sqlite3
import uuid
import zipfile
from xml.etree import ElementTree as ET

import pytest

from .conftest import run_cli
from .present_corpus import HOSTILE_TITLE, build_store

NS = {"q": "urn:QDA-XML:project:1.0"}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("qdpx")
    db = build_store(root)
    out = root / "project.qdpx"
    p = run_cli("export", "qdpx", out, db=db)
    assert p.returncode == 0, p.stderr[-2000:]
    return root, db, out, p.stderr


def _mentions(db):
    con = sqlite3.connect(db)
    rows = con.execute(
        "SELECT doc_id, concept, start_char, end_char, variant FROM mentions WHERE excluded = 0 ORDER BY 1, 3"
    ).fetchall()
    docs = dict(con.execute("SELECT doc_id, title FROM documents"))
    texts = dict(con.execute("SELECT doc_id, text FROM texts"))
    con.close()
    return rows, docs, texts


def test_round_trip_through_pyqdpx(project):
    from pyqdpx import QDPX  # an independent reader (PyPI), not our code

    _, db, out, stderr = project
    rows, docs, texts = _mentions(db)
    qde = QDPX(str(out)).get_project()
    sources = qde.sources
    # every document is a source, with or without mentions, and its text survives
    assert sorted(s.name for s in sources.values()) == sorted(docs.values())
    by_name = {s.name: s for s in sources.values()}
    # codes: concepts nested under their families
    codes = qde.codes
    fam = {c.name: c for c in codes.values() if c.parent is None}
    assert {"transformation", "participation"} <= set(fam)
    assert "co-production" in {c.name for c in fam["transformation"].children}
    assert all(not c.is_codable for c in fam.values())
    # every kept mention is a coded selection with its concept's code and span
    got = set()
    for doc_id, title in docs.items():
        src = by_name[title]
        for sel in src.coded_selections.values():
            got.add((doc_id, sel.code.name, sel.start, sel.end))
            if not any(ord(ch) > 0xFFFF for ch in texts[doc_id]):
                # pyqdpx imitates NVivo (UTF-16 units); with BMP-only text both counts agree
                assert (
                    " ".join(sel.text.split()).lower() == " ".join(texts[doc_id][sel.start : sel.end].split()).lower()
                )
        if not any(ord(ch) > 0xFFFF for ch in texts[doc_id]):
            assert src.text_content == texts[doc_id]
    assert got == {(d, c, a, b) for d, c, a, b, _ in rows}
    assert f"{len(docs)} sources" in stderr and f"{len(rows)} coded selections" in stderr


def test_positions_count_code_points(project):
    _, db, out, _ = project
    rows, docs, texts = _mentions(db)
    emoji = next(d for d, t in docs.items() if t.startswith("Emoji"))
    with zipfile.ZipFile(out) as zf:
        root = ET.fromstring(zf.read("project.qde"))
        src = next(s for s in root.iterfind(".//q:TextSource", NS) if s.get("name").startswith("Emoji"))
        text = zf.read(f"Sources/{src.get('guid')}.txt").decode("utf-8")
    assert text == texts[emoji]
    sels = src.findall("q:PlainTextSelection", NS)
    assert sels
    for s in sels:
        a, b = int(s.get("startPosition")), int(s.get("endPosition"))
        assert text[a:b].lower().replace("-", "") in ("coproduction", "personal budgets")  # code points: exact
    # the same span in UTF-16 units is further on: that is what NVivo would count
    from discourse.qdpx import utf16_offset

    first = int(sels[0].get("startPosition"))
    assert utf16_offset(text, first) == first + sum(1 for ch in text[:first] if ord(ch) > 0xFFFF) > first


def test_zip_members_never_leave_the_project(project):
    _, _, out, _ = project
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        qde = zf.read("project.qde").decode("utf-8")
    assert names[0] == "project.qde"
    for n in names[1:]:
        assert n.startswith("Sources/") and ".." not in n and uuid.UUID(n[8:-4])
    # the hostile title is only an attribute value, escaped
    root = ET.fromstring(qde)
    assert HOSTILE_TITLE in {s.get("name") for s in root.iterfind(".//q:TextSource", NS)}
    assert "<script>" not in qde


def test_export_filters(project, tmp_path):
    _, db, _, _ = project
    out = tmp_path / "lay.qdpx"
    run_cli("export", "qdpx", out, "--concepts", "co-production", "--where", "source_type=press", db=db, check=0)
    with zipfile.ZipFile(out) as zf:
        root = ET.fromstring(zf.read("project.qde"))
    names = {c.get("name") for c in root.iterfind(".//q:Code", NS)}
    assert names == {"transformation", "co-production"}
    assert len(root.findall(".//q:TextSource", NS)) == 1
    assert run_cli("export", "qdpx", tmp_path / "x.zip", db=db).returncode == 2


def test_import_brings_new_codes_back(project, tmp_path):
    from pyqdpx import QDPX

    root, db, out, _ = project
    coded = tmp_path / "coded.qdpx"
    coded.write_bytes(out.read_bytes())
    q = QDPX(str(coded))
    qde = q.get_project()
    user = next(iter(qde.users.values()))
    from pyqdpx import Code

    tokenism = Code(name="tokenism", qde_instance=qde)
    no = Code(name="no", qde_instance=qde)
    rows, docs, texts = _mentions(db)
    # a researcher codes the first co-production mention of the hostile document as tokenism, and another as a false hit
    hostile = next(d for d, t in docs.items() if t == HOSTILE_TITLE)
    src = next(s for s in qde.sources.values() if s.name == HOSTILE_TITLE)
    cp = [r for r in rows if r[0] == hostile and r[1] == "co-production"]
    src.add_selection(cp[0][2], cp[0][3], tokenism, user)
    src.add_selection(cp[1][2] - 3, cp[1][3] + 2, no, user)  # a wider selection still overlaps the mention
    q.save_project()
    p = run_cli("import", "qdpx", coded, "-f", "csv", db=db)
    assert p.returncode == 0, p.stderr
    got = list(csv.DictReader(io.StringIO(p.stdout)))
    assert {(r["code"], r["concept"], r["label"]) for r in got} == {
        ("tokenism", "co-production", ""),
        ("no", "co-production", "no"),
    }
    assert "column qda:tokenism: yes in 1 document(s)" in p.stderr and "stored 1 label(s)" in p.stderr
    # the column groups a report
    rep = run_cli(
        "report",
        "prominence",
        "--by",
        "qda:tokenism",
        "--period",
        "all",
        "--bootstrap",
        "0",
        "-f",
        "csv",
        db=db,
        check=0,
    )
    groups = {r["qda:tokenism"] for r in csv.DictReader(io.StringIO(rep.stdout))}
    assert groups == {"yes", "no"}
    # the label is a stored label of that mention
    con = sqlite3.connect(db)
    lab = con.execute("SELECT mention_id, label, coder FROM labels").fetchall()
    con.close()
    assert lab == [(f"{hostile}:{cp[1][2]}-{cp[1][3]}", "no", "qdpx")]


def test_import_refuses_entities(tmp_path, project):
    _, db, _, _ = project
    bad = tmp_path / "bad.qdpx"
    bomb = '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><Project xmlns="urn:QDA-XML:project:1.0">&b;</Project>'
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("project.qde", bomb)
    p = run_cli("import", "qdpx", bad, db=db)
    assert p.returncode == 1 and "entities" in p.stderr and "Traceback" not in p.stderr
    notzip = tmp_path / "x.qdpx"
    notzip.write_text("hello")
    p = run_cli("import", "qdpx", notzip, db=db)
    assert p.returncode == 1 and "cannot read" in p.stderr
