"""``discourse show``, ``docs --where/--columns``, ``--columns`` everywhere and ``discourse columns``.

A real SQLite store is filled directly (documents with manifest metadata and
quality figures, mentions and the mention runs that tell ``ensure_mentions``
nothing is left to match), then the real CLI runs in process.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from discourse.annotate import mention_key
from discourse.cli import app
from discourse.lexicon import load_lexicon
from discourse.store import MentionRow, Store

TEXT = "Co-production matters [if funded]. See [the full report](https://example.org/r). We co-produce plans."


def _mention(doc_id: str, word: str, excluded: bool = False) -> MentionRow:
    s = TEXT.index(word)
    return MentionRow(doc_id, "co-production", word, s, s + len(word), 0, 1, 1, 0, len(TEXT), excluded, None)


@pytest.fixture
def db(tmp_path):
    lex = load_lexicon()
    path = tmp_path / "c.db"
    docs = [
        ("a1b2c3d4e5f60001", "government", 2012, {"collection": "NHS", "party": "Labour"}),
        ("a1b2ffff00000002", "lay", 2019, {"collection": "IRISS", "speaker": "J. Smith"}),
    ]
    with Store.open(path) as s, s.transaction():
        for doc_id, st, year, meta in docs:
            s.insert_document(
                {
                    "doc_id": doc_id,
                    "path": f"/c/{st}.txt",
                    "title": f"{st} doc",
                    "date": str(year),
                    "year": year,
                    "date_source": "manifest",
                    "source_type": st,
                    "metadata": meta,
                    "quality": {"replacement_chars": 0, "text_ratio": 0.98},
                    "extractor": "text",
                    "extractor_version": "1",
                    "pages": 1,
                    "words": 14,
                    "ws_words": 14,
                    "chars": len(TEXT),
                    "ingested_at": "2024-01-01T00:00:00Z",
                },
                TEXT,
                [0],
                "nlp",
                20,
                b"",
            )
            s.ledger_put(f"/in/{st}.txt", f"/c/{st}.txt", "ingested", doc_id=doc_id)
        key = mention_key(lex)
        s.insert_mentions(key, [_mention(d[0], "Co-production") for d in docs] + [_mention(docs[0][0], "co-produce")])
        s.record_mention_runs(key, [(docs[0][0], 2), (docs[1][0], 1)])
    return path


def run(*args):
    return CliRunner().invoke(app, [*map(str, args)])


def test_show_prints_every_stored_field(db):
    r = run("show", "a1b2c3", "--db", db, "-f", "csv")
    assert r.exit_code == 0, r.output
    rows = {(x["section"], x["field"]): x["value"] for x in csv.DictReader(io.StringIO(r.stdout))}
    assert rows[("document", "doc_id")] == "a1b2c3d4e5f60001"
    assert rows[("document", "chars")] == str(len(TEXT))
    assert rows[("metadata", "collection")] == "NHS" and rows[("metadata", "party")] == "Labour"
    assert rows[("quality", "text_ratio")] == "0.98"
    assert rows[("input", "key")] == "/in/government.txt"
    assert rows[("mentions", "co-production")] == "2"


def test_show_finds_a_document_by_path_or_input_key(db):
    for ref in ("/c/lay.txt", "/in/lay.txt", "a1b2ffff00000002"):
        r = run("show", ref, "--db", db, "-f", "json")
        assert r.exit_code == 0, r.output
        assert {"section": "document", "field": "doc_id", "value": "a1b2ffff00000002"} in json.loads(r.stdout)


def test_show_unknown_and_ambiguous_ids(db):
    r = run("show", "zzzz", "--db", db)
    assert r.exit_code == 1 and "Error: no document 'zzzz'" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 2  # the error and its hint
    r = run("show", "a1b2", "--db", db)
    assert r.exit_code == 2 and "names 2 documents" in r.stderr
    r = run("show", "a1b2", "--where", "source_type=lay", "--db", db, "-f", "csv")
    assert r.exit_code == 0 and "a1b2ffff00000002" in r.stdout


def test_show_text_marks_mentions_in_a_pipe(db):
    r = run("show", "a1b2c3", "--text", "--db", db)
    assert r.exit_code == 0, r.output
    assert r.stdout == (
        "[[Co-production]] matters [if funded]. See [the full report](https://example.org/r). "
        "We [[co-produce]] plans.\n"
    )


def test_docs_where_and_all_columns(db):
    r = run("docs", "--db", db, "-f", "csv", "--where", "collection=IRISS", "--columns", "all")
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(rows) == 1 and rows[0]["speaker"] == "J. Smith" and rows[0]["collection"] == "IRISS"
    assert {"party", "chars", "doc_id"} <= set(rows[0])
    r = run("docs", "--db", db, "-f", "csv", "--columns", "party,doc_id")
    assert r.stdout.splitlines() == ["party,doc_id", "Labour,a1b2c3d4e5f60001", ",a1b2ffff00000002"]
    r = run("docs", "--db", db, "--where", "colection=NHS")
    assert r.exit_code == 2 and "did you mean collection" in r.stderr


def test_columns_option_picks_orders_and_rejects(db):
    r = run("stats", "--db", db, "-f", "csv", "--columns", "words,source_type")
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines() == ["words,source_type", "14,government", "14,lay"]
    r = run("ledger", "--db", db, "-f", "tsv", "--columns", "path,bogus")
    assert r.exit_code == 2
    assert "'bogus' is not a column" in r.stderr and "columns: path, status, reason" in r.stderr
    r = run("kwic", "co-production", "--db", db, "-f", "csv", "--columns", "match,doc_id")
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[:2] == ["match,doc_id", "Co-production,a1b2c3d4e5f60001"]


@pytest.mark.parametrize(
    "args",
    [
        ["docs", "-f", "xml"],
        ["ledger", "--status", "bogus"],
        ["report", "nosuchtable"],
        ["kwic", "co-production", "--sort", "middle"],
        ["columns", "nosuchtable"],
    ],
)
def test_fixed_choice_options_reject_other_values(db, args):
    r = run(*args, *([] if args[0] == "columns" else ["--db", db]))
    assert r.exit_code == 2, r.output
    assert "is not one of" in r.stderr


def test_columns_command_describes_a_table(db):
    r = run("columns", "collocates", "-f", "csv")
    assert r.exit_code == 0, r.output
    rows = {x["column"]: x for x in csv.DictReader(io.StringIO(r.stdout))}
    assert "attraction" in rows["direction"]["description"] and rows["mi"]["type"] == "log2"


def test_show_text_at_a_terminal_is_highlighted_through_the_pager(db):
    """stdout a pseudo-terminal: Rich styles (no [[ ]] marks), through $PAGER (here cat)."""
    import os
    import pty
    import subprocess

    from .conftest import BIN

    master, slave = pty.openpty()
    env = {**os.environ, "PAGER": "cat", "MANPAGER": "cat", "TERM": "xterm", "COLUMNS": "120"}
    p = subprocess.Popen(
        [str(BIN), "show", "a1b2c3", "--text", "--db", str(db)], stdout=slave, stderr=subprocess.PIPE, env=env
    )
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    p.wait(timeout=60)
    os.close(master)
    text = out.decode("utf-8", "replace")
    assert p.returncode == 0
    assert "[[" not in text and "\x1b[" in text  # styled, not marked
    assert "Co-production" in text and "[if funded]" in text and "[the full report](https://example.org/r)" in text
