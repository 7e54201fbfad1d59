"""Parliamentary debates (issue 17): ParlaMint TEI and ParlParse XML, read speech by speech.

Fixtures in tests/fixtures/parl/ are hand-written to the published schemas (see its README).
The end-to-end tests run the real CLI into a real SQLite store.
"""

import csv
import io
import time

import pytest

from discourse.errors import ExtractError, UnsupportedError, UsageError
from discourse.extract.parl import PROCEDURAL_KEY, ParlReader, RecordRef, load_record, parse_xml, sniff
from discourse.store import Store

from .conftest import FIX, run_cli

PARL = FIX / "parl"
PP = PARL / "parlparse"
PEOPLE = PP / "people.json"
PP_DAY = PP / "debates2015-06-02a.xml"
GB = PARL / "parlamint-gb"
GB_COMMONS = GB / "2015" / "ParlaMint-GB_2015-06-02-commons.xml"
XX = PARL / "parlamint-self" / "ParlaMint-XX_2016-03-01-lower.ana.xml"
HOSTILE = PARL / "hostile"


def _records(path, unit="speech", members=None):
    f = ParlReader(unit, str(members) if members else None).read(str(path))
    return {k: e for k, e in f.records}, f.notes


def _text(ext):
    return "\n\n".join(ext.pages)


# --- recognising and parsing safely --------------------------------------------------------


def test_sniff_by_content_not_name():
    tei = b'<?xml version="1.0"?>\n<!-- c --><TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="x">'
    assert sniff(tei) == ("parlamint", "TEI")
    assert sniff(b'<teiCorpus xmlns="http://www.tei-c.org/ns/1.0">') == ("parlamint", "teiCorpus")
    assert sniff(b'<listPerson xmlns="http://www.tei-c.org/ns/1.0">') == ("parlamint-meta", "listPerson")
    assert sniff(PP_DAY.read_bytes()[:4096]) == ("parlparse", "publicwhip")  # after an internal DTD
    assert sniff(b'<?xml version="1.0"?><rss version="2.0">') == ("unknown", "rss")
    assert sniff(b"<TEI>") == ("unknown", "TEI")  # TEI outside the TEI namespace is not ParlaMint
    assert sniff("<publicwhip/>".encode("utf-16")) == ("parlparse", "publicwhip")


def test_one_character_entities_are_accepted_and_expansion_refused():
    ok = b'<!DOCTYPE publicwhip [\n<!ENTITY pound "&#163;">\n<!-- n -->\n<!ENTITY e "\xc3\xa9">]>\n<p>&pound;5 &e; &amp;</p>'
    assert parse_xml(ok, "ok.xml").text == "£5 é &"
    t0 = time.perf_counter()
    with pytest.raises(ExtractError, match=r"billion-laughs.xml: XML entity 'lol' expands to more than one"):
        parse_xml((HOSTILE / "billion-laughs.xml").read_bytes(), "billion-laughs.xml")
    assert time.perf_counter() - t0 < 2
    with pytest.raises(ExtractError, match="refused"):
        parse_xml((HOSTILE / "external-entity.xml").read_bytes(), "external-entity.xml")
    with pytest.raises(ExtractError, match="external DTD; refused"):
        parse_xml(b'<!DOCTYPE TEI SYSTEM "tei.dtd"><TEI/>', "x.xml")
    with pytest.raises(ExtractError, match="not well-formed"):
        parse_xml(b"<p>&undeclared;</p>", "x.xml")
    with pytest.raises(ExtractError, match="ENTITY % pe"):
        parse_xml(b'<!DOCTYPE p [<!ENTITY % pe "x">]><p/>', "x.xml")


def test_unknown_xml_and_metadata_files():
    reader = ParlReader()
    with pytest.raises(ExtractError) as exc:
        reader.read(str(HOSTILE / "unknown-root.xml"))
    assert exc.value.status == "failed" and "root element <rss>" in exc.value.message
    assert "\n" not in exc.value.message
    for path, why in [
        (GB / "ParlaMint-GB-listPerson.xml", "metadata file"),
        (GB / "ParlaMint-GB.xml", "corpus root"),
        (PP / "debates2015-06-01a.xml", "superseded"),
    ]:
        with pytest.raises(UnsupportedError, match=why):
            reader.read(str(path))


# --- ParlParse ----------------------------------------------------------------------------


def test_parlparse_speeches_party_by_date_and_columns():
    recs, notes = _records(PP_DAY, members=PEOPLE)
    assert notes == []
    assert len(recs) == 6  # 8 <speech> elements: one interjection left out, one split speech joined
    first = recs["speech=2015-06-02a.300.2"].front_matter
    assert first["speaker"] == "Anna Example" and first["party"] == "Labour"
    assert first["house"] == "House of Commons" and first["date"] == "2015-06-02"
    assert first["title"] == first["debate"] == "Adult Social Care — Personal Budgets"
    # the Minister's speech crosses from col. 300 into col. 301: one speech, two pages
    minister = recs["speech=2015-06-02a.300.3"]
    assert "speech=2015-06-02a.301.0" not in recs
    assert minister.embedded == {"page_labels": ["300", "301"], "page_unit": "col"}
    assert minister.front_matter["columns"] == "300-301"
    assert minister.front_matter["speaker"] == "Brian Sample"
    assert minister.front_matter["office"] == "The Minister of State, Department of Health"
    assert minister.front_matter["party"] == "Conservative"
    assert minister.pages[1].startswith("the ordinary way")
    assert "Interruption" not in _text(minister) and "£5 million" in _text(minister)
    # party by date: Clara left Labour on 2014-12-31
    assert recs["speech=2015-06-02a.301.3"].front_matter["party"] == "Independent"
    chair = recs["speech=2015-06-02a.301.2"].front_matter
    assert chair["role"] == "chair" and chair["speaker"] == "Edith Chairperson"
    unlisted = recs["speech=2015-06-02a.303.0"].front_matter
    assert "party" not in unlisted and unlisted["party_note"] == "no party membership on this date in the members file"
    # procedural text is out of every speech and counted: [Interruption.], "Hon. Members: Hear, hear!",
    # the italic "Question put and agreed to." and the division list
    all_text = " ".join(_text(e) for e in recs.values())
    for gone in ("Hear, hear", "Question put", "Example, Anna", "Sample, Brian"):
        assert gone not in all_text
    assert sum(e.quality[PROCEDURAL_KEY] for e in recs.values()) == 4


def test_parlparse_without_members_leaves_party_blank_with_a_note():
    recs, notes = _records(PP_DAY)
    assert notes and "--members" in notes[0]
    for ext in recs.values():
        assert "party" not in ext.front_matter
        assert "--members people.json" in ext.front_matter["party_note"]
    assert recs["speech=2015-06-02a.300.2"].front_matter["speaker_id"] == "uk.org.publicwhip/person/90001"


def test_parlparse_older_membership_ids_and_written_answers(tmp_path):
    wrans = tmp_path / "answers2015-06-04a.xml"
    wrans.write_text(
        '<?xml version="1.0" encoding="ISO-8859-1"?>\n<publicwhip>\n'
        '<major-heading id="uk.org.publicwhip/wrans/2015-06-04a.10.0">Social Care</major-heading>\n'
        '<ques id="uk.org.publicwhip/wrans/2015-06-04a.10.1" speakername="Clara Placeholder" '
        'speakerid="uk.org.publicwhip/member/91014" colnum="10W"><p>To ask about direct payments.</p></ques>\n'
        '<reply id="uk.org.publicwhip/wrans/2015-06-04a.10.2" speakername="Brian Sample" '
        'speakerid="uk.org.publicwhip/member/91012" colnum="10W"><p>Direct payments rose.</p></reply>\n'
        "</publicwhip>\n",
        encoding="latin-1",
    )
    recs, _ = _records(wrans, members=PEOPLE)
    q, a = recs.values()
    assert q.front_matter["speaker_id"] == "uk.org.publicwhip/person/90004"  # membership id -> person
    assert (q.front_matter["party"], a.front_matter["party"]) == ("Independent", "Conservative")
    assert q.front_matter["house"] == "Written answers" and q.embedded["page_labels"] == ["10W"]


def test_bad_members_file_is_a_usage_error(tmp_path):
    bad = tmp_path / "people.json"
    bad.write_text('{"persons": []}')
    with pytest.raises(UsageError, match=r"not a ParlParse people\.json"):
        ParlReader("speech", str(bad))
    with pytest.raises(UsageError, match="cannot read"):
        ParlReader("speech", str(tmp_path / "missing.json"))


def test_debate_unit_joins_speeches_and_keeps_counts():
    speeches, _ = _records(PP_DAY, members=PEOPLE)
    debates, _ = _records(PP_DAY, unit="debate", members=PEOPLE)
    assert list(debates) == ["debate=2015-06-02a.300.1", "debate=2015-06-02a.302.0"]
    first = debates["debate=2015-06-02a.300.1"]
    assert first.front_matter["speeches"] == 4 and "party" not in first.front_matter
    assert first.front_matter["party_note"].startswith("a debate has speakers of several parties")
    assert first.embedded["page_labels"] == ["300", "301"]
    assert sum(e.quality[PROCEDURAL_KEY] for e in debates.values()) == sum(
        e.quality[PROCEDURAL_KEY] for e in speeches.values()
    )
    joined = " ".join(_text(e) for e in debates.values()).split()
    assert joined == " ".join(_text(e) for e in speeches.values()).split()


# --- ParlaMint ----------------------------------------------------------------------------


def test_parlamint_component_uses_the_corpus_lists_beside_it():
    recs, _ = _records(GB_COMMONS)
    assert len(recs) == 6
    u1 = recs["speech=ParlaMint-GB_2015-06-02-commons.u1"].front_matter
    assert (u1["speaker"], u1["party"], u1["house"], u1["role"]) == (
        "Anna Example",
        "Labour",
        "House of Commons",
        "regular",
    )
    assert u1["date"] == "2015-06-02" and u1["debate"] == "Adult Social Care: Personal Budgets"
    # party by date from listPerson: Labour until 2014-12-31, then Independent
    assert recs["speech=ParlaMint-GB_2015-06-02-commons.u4"].front_matter["party"] == "Independent"
    chair = recs["speech=ParlaMint-GB_2015-06-02-commons.u3"].front_matter
    assert chair["role"] == "chair" and chair["party_note"] == "no party affiliation on this date"
    guest = recs["speech=ParlaMint-GB_2015-06-02-commons.u6"].front_matter
    assert guest["role"] == "guest" and guest["party_note"] == "speaker not in the corpus listPerson"
    u2 = recs["speech=ParlaMint-GB_2015-06-02-commons.u2"]
    assert "Interruption" not in _text(u2) and "organisations and I hope" in _text(u2)
    all_text = " ".join(_text(e) for e in recs.values())
    assert "Hear, hear" not in all_text and "Question put" not in all_text and "omitted" not in all_text
    # two notes, two vocals (one inside a seg) and a gap
    assert sum(e.quality[PROCEDURAL_KEY] for e in recs.values()) == 5
    lords, _ = _records(GB / "2015" / "ParlaMint-GB_2015-06-03-lords.xml")
    (peer,) = lords.values()
    assert (peer.front_matter["house"], peer.front_matter["party"]) == ("House of Lords", "Crossbench")


def test_parlamint_self_contained_annotated_file():
    recs, _ = _records(XX)
    u1 = recs["speech=ParlaMint-XX_2016-03-01-lower.u1"]
    assert u1.pages == ["We want co-production, not consultation.", "The Ministry's partnership board."]
    assert u1.embedded == {"page_labels": ["", "17"], "page_unit": "p"}
    assert u1.front_matter["party"] == "Green Group"  # the English orgName of a parliamentary group
    assert u1.front_matter["house"] == "lower house"  # from <meeting ana="#parla.lower">
    u2 = recs["speech=ParlaMint-XX_2016-03-01-lower.u2"].front_matter
    assert u2["party"] == "Green Group"  # Social Democrats ended 2015-12-31
    assert u1.quality[PROCEDURAL_KEY] == 2  # <kinesic> inside the seg, <incident> after the utterance


def test_record_refs_are_read_again_from_the_file(tmp_path):
    reader = ParlReader("speech", str(PEOPLE))
    refs, notes = reader.refs(str(PP_DAY))
    assert notes == [] and [r.key for r in refs][:2] == ["speech=2015-06-02a.300.2", "speech=2015-06-02a.300.3"]
    ext = load_record(refs[1])  # as a worker does: the file is read again, once
    assert ext.front_matter["party"] == "Conservative" and ext.embedded["page_labels"] == ["300", "301"]
    gone = RecordRef(str(PP_DAY), "speech=2015-06-02a.999.9", "speech", str(PEOPLE))
    with pytest.raises(ExtractError, match="no longer in the file"):
        load_record(gone)


# --- end to end: the real CLI into a real store --------------------------------------------


def _rows(out: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(out)))


@pytest.mark.slow
def test_cli_parlparse_members_report_by_party_and_kwic_columns(tmp_path):
    db = tmp_path / "c.db"
    p = run_cli("ingest", PP, "--members", PEOPLE, "-j", "1", db=db, check=0)
    assert "7 ingested" in p.stderr and "superseded" in p.stderr
    with Store.open(db) as s:
        docs = list(s.documents())
    by_speaker = {d["metadata"]["speaker"]: d for d in docs}
    clara = [d for d in docs if d["metadata"]["speaker"] == "Clara Placeholder"]
    assert {d["metadata"]["house"] for d in clara} == {"House of Commons", "Westminster Hall"}
    assert {d["metadata"].get("party") for d in clara} == {"Independent"}
    minister = by_speaker["Brian Sample"]
    assert minister["metadata"]["party"] == "Conservative" and minister["pages"] == 2
    assert minister["date"] == "2015-06-02" and minister["date_source"] == "front-matter"
    assert minister["quality"][PROCEDURAL_KEY] == 2 and minister["quality"]["running_lines_removed"] == 0
    rep = _rows(run_cli("report", "prominence", "--by", "party", "--format", "csv", db=db, check=0).stdout)
    co = {r["party"]: r for r in rep if r["concept"] == "co-production"}
    assert {"Labour", "Conservative", "Independent", "Speaker"} <= set(co)
    assert co["Conservative"]["count"] == "2" and co["Labour"]["count"] == "1"
    rep = _rows(run_cli("report", "prominence", "--by", "house", "--format", "csv", db=db, check=0).stdout)
    assert {r["house"] for r in rep} == {"House of Commons", "Westminster Hall"}
    kw = _rows(run_cli("kwic", "personal-budgets", "--format", "csv", db=db, check=0).stdout)
    pages = {(r["title"], r["page"], r["match"].lower()) for r in kw}
    assert ("Adult Social Care — Personal Budgets", "col. 301", "personal budgets") in pages
    assert ("Adult Social Care — Personal Budgets", "col. 300", "personal budgets") in pages
    kw = _rows(run_cli("kwic", "co-production", "--format", "csv", db=db, check=0).stdout)
    assert {r["page"] for r in kw} == {"col. 300", "col. 302", "col. 303", "col. 1WH"}
    # a second run reads the files again but stores nothing new
    p = run_cli("ingest", PP, "--members", PEOPLE, "-j", "1", db=db, check=0)
    assert "7 unchanged" in p.stderr


@pytest.mark.slow
def test_cli_parlamint_report_by_party_and_house(tmp_path):
    db = tmp_path / "c.db"
    p = run_cli("ingest", GB, XX, "-j", "2", db=db, check=0)
    assert "9 ingested, 3 skipped" in p.stderr
    rep = _rows(run_cli("report", "prominence", "--by", "party", "--format", "csv", db=db, check=0).stdout)
    co = {r["party"]: r for r in rep if r["concept"] == "co-production"}
    assert {"Labour", "Conservative", "Crossbench", "Green Group"} <= set(co)
    rep = _rows(run_cli("report", "prominence", "--by", "house", "--format", "csv", db=db, check=0).stdout)
    assert {r["house"] for r in rep} == {"House of Commons", "House of Lords", "lower house"}


@pytest.mark.slow
def test_cli_debate_unit_and_bad_options(tmp_path):
    db = tmp_path / "c.db"
    p = run_cli("ingest", PP_DAY, "--members", PEOPLE, "--unit", "debate", "-j", "1", db=db, check=0)
    assert "2 ingested" in p.stderr
    with Store.open(db) as s:
        assert sorted(d["metadata"]["speeches"] for d in s.documents()) == [2, 4]
    p = run_cli("ingest", PP_DAY, "--unit", "sitting", db=tmp_path / "x.db")
    assert p.returncode != 0 and "--unit" in p.stderr
    p = run_cli("ingest", PP_DAY, "--members", tmp_path / "none.json", db=tmp_path / "x.db")
    assert p.returncode == 2 and "--members" in p.stderr and "Traceback" not in p.stderr  # a usage error


@pytest.mark.slow
def test_cli_hostile_xml_fails_one_line_and_the_batch_goes_on(tmp_path):
    db = tmp_path / "c.db"
    t0 = time.perf_counter()
    p = run_cli("ingest", HOSTILE, GB / "2015" / "ParlaMint-GB_2015-06-03-lords.xml", "-j", "1", db=db)
    assert time.perf_counter() - t0 < 60
    assert p.returncode == 3 and "Traceback" not in p.stderr, p.stderr
    ledger = {r["path"].rsplit("/", 1)[-1]: r for r in _rows(run_cli("ledger", db=db, check=0).stdout)}
    assert ledger["billion-laughs.xml"]["status"] == "failed"
    assert "more than one character" in ledger["billion-laughs.xml"]["reason"]
    assert ledger["external-entity.xml"]["status"] == "failed"
    assert "root element <rss>" in ledger["unknown-root.xml"]["reason"]
    assert ledger["ParlaMint-GB_2015-06-03-lords.xml#speech=ParlaMint-GB_2015-06-03-lords.u1"]["status"] == "ingested"
