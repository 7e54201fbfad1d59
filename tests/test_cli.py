"""The library calls behind ``stats``, ``lexicon show --attested`` and ``kwic``, in process.

The store is filled directly (documents, mentions and the mention runs that
tell ``ensure_mentions`` there is nothing left to match), so no spaCy
pipeline is loaded.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from discourse.annotate import mention_key, mention_row
from discourse.cli import app
from discourse.kwic import ATTESTED_COLUMNS, attested_variants, kwic
from discourse.lexicon import load_lexicon
from discourse.match import Mention
from discourse.store import MentionRow, Store

TEXT = "Co-production matters. We co-produce plans, and coproduction of services is not a film co-production."


def _span(word: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(word, start + 1)
    return start, start + len(word)


def _row(doc_id: str, concept: str, word: str, nth: int = 0, excluded: bool = False) -> MentionRow:
    s, e = _span(word, nth)
    return MentionRow(
        doc_id=doc_id,
        concept=concept,
        variant=TEXT[s:e],
        start_char=s,
        end_char=e,
        start_token=0,
        end_token=1,
        page=1,
        sent_start=0,
        sent_end=len(TEXT),
        excluded=excluded,
        exclude_reason="a film" if excluded else None,
    )


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


@pytest.fixture
def db(tmp_path, lexicon):
    path = tmp_path / "c.db"
    key = mention_key(lexicon)
    with Store.open(path) as s, s.transaction():
        for doc_id, st, year in [("d1", "government", 2012), ("d2", "lay", 2019)]:
            s.insert_document(
                {
                    "doc_id": doc_id,
                    "path": f"/c/{doc_id}.txt",
                    "title": doc_id,
                    "date": str(year),
                    "year": year,
                    "date_source": "cli",
                    "source_type": st,
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
            s.ledger_put(f"/c/{doc_id}.txt", f"/c/{doc_id}.txt", "ingested", doc_id=doc_id)
        s.ledger_put("/c/bad.pdf", "/c/bad.pdf", "failed", "broken")
        s.insert_mentions(
            key,
            [
                _row("d1", "co-production", "Co-production"),
                _row("d1", "co-production", "co-produce"),
                _row("d1", "co-production", "coproduction"),
                _row("d1", "co-production", "co-production", excluded=True),  # "a film co-production"
                _row("d2", "co-production", "Co-production"),
                _row("d2", "partnership", "services"),
            ],
        )
        s.record_mention_runs(key, [("d1", 4), ("d2", 2)])
    return path


def test_attested_variants_are_folded_counted_and_ordered(db, lexicon):
    with Store.open(db) as s:
        rows = attested_variants(s, lexicon)
    assert [list(r) for r in rows] == [ATTESTED_COLUMNS] * len(rows)
    assert [(r["concept"], r["variant"], r["count"], r["excluded"], r["docs"]) for r in rows] == [
        ("co-production", "co-production", 2, 1, 2),  # "Co-production" twice, folded; one excluded
        ("co-production", "co-produce", 1, 0, 1),
        ("co-production", "coproduction", 1, 0, 1),
        ("partnership", "services", 1, 0, 1),  # later in the lexicon, so after co-production
    ]
    assert rows[0]["family"] == lexicon.concept("co-production").family


def test_kwic_reads_rows_through_the_store(db, lexicon):
    with Store.open(db) as s:
        rows = list(kwic(s, lexicon, "co-production", window=2))
        assert [(r["doc_id"], r["match"], r["excluded"]) for r in rows] == [
            ("d1", "Co-production", False),
            ("d1", "co-produce", False),
            ("d1", "coproduction", False),
            ("d2", "Co-production", False),
        ]
        assert rows[1]["left"] == "matters. We" and rows[1]["right"] == "plans, and"
        assert rows[2]["variant"] == "coproduction" and rows[2]["path"] == "/c/d1.txt"
        rows = list(kwic(s, lexicon, "co-production", where=["source_type=government"], include_excluded=True))
        assert [(r["start_char"], r["excluded"], r["exclude_reason"]) for r in rows] == [
            (0, False, None),
            (26, False, None),
            (48, False, None),
            (_span("co-production")[0], True, "a film"),
        ]


def test_mention_row_is_built_by_column_name():
    m = Mention(
        concept="c",
        variant="co-production",
        start_char=120,
        end_char=133,
        start_token=30,
        end_token=33,
        sent_start_char=100,
        sent_end_char=160,
        excluded=True,
        exclude_reason="why",
        term="co-production",
    )
    assert mention_row("d1", m, [0, 50, 110]) == MentionRow(
        doc_id="d1",
        concept="c",
        variant="co-production",
        start_char=120,
        end_char=133,
        start_token=30,
        end_token=33,
        page=3,
        sent_start=100,
        sent_end=160,
        excluded=True,
        exclude_reason="why",
    )


def test_stats_and_attested_commands(db):
    runner = CliRunner()
    r = runner.invoke(app, ["stats", "--db", str(db), "--format", "csv"])
    assert r.exit_code == 0, r.output
    assert r.stdout == ("source_type,year,docs,pages,words,ws_words\ngovernment,2012,1,1,14,14\nlay,2019,1,1,14,14\n")
    assert "total: 2 documents, 2 pages, 28 words; ledger: 1 failed, 2 ingested" in r.stderr

    r = runner.invoke(app, ["lexicon", "show", "--attested", "--db", str(db), "--format", "json"])
    assert r.exit_code == 0, r.output
    got = json.loads(r.stdout)
    assert list(got[0]) == ATTESTED_COLUMNS
    assert [(g["variant"], g["count"]) for g in got][:2] == [("co-production", 2), ("co-produce", 1)]


def test_ledger_command_filters_by_status(db):
    r = CliRunner().invoke(app, ["ledger", "--status", "failed", "--db", str(db), "--format", "csv"])
    assert r.exit_code == 0, r.output
    header, *rows = r.stdout.splitlines()
    assert header == "path,status,reason,doc_id,sha256,size,updated_at"
    assert len(rows) == 1 and rows[0].startswith("/c/bad.pdf,failed,broken,,,,")


def test_year_bounds_are_usage_errors_not_overflow(tmp_path):
    from .conftest import run_cli

    # issue 16: --from 99999999999999999999 was an OverflowError traceback from SQLite
    p = run_cli("report", "prominence", "--from", "99999999999999999999", db=tmp_path / "s.db")
    assert p.returncode == 2 and "Traceback" not in p.stderr and "--from" in p.stderr


def test_every_command_that_writes_a_table_takes_columns():
    """--format means rows; --columns picks and orders them (README, pipeline conventions)."""
    import typer.main

    def walk(cmd, path):
        if hasattr(cmd, "commands"):
            for name, sub in cmd.commands.items():
                yield from walk(sub, [*path, name])
        else:
            yield " ".join(path), {o for p in cmd.params for o in getattr(p, "opts", [])}

    commands = dict(walk(typer.main.get_command(app), []))
    # `columns` explains the columns: its own rows are that explanation, not data
    lacking = [n for n, opts in commands.items() if "--format" in opts and "--columns" not in opts and n != "columns"]
    assert lacking == []
