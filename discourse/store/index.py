"""SQL of the positional index: a vocabulary, token arrays per document, posting lists.

Layout (migration 6; chosen by measurement, see README "The index"):

- ``vocab``: one row per type string (lower-cased forms and lemmas share it);
  ``type_id`` is what the arrays hold.
- ``token_index``: per document a compact number ``doc_no`` and one BLOB of
  :func:`discourse.nlp.pack_arrays` (lower and lemma type ids, start and end
  character offsets as int32, one flag byte per token).
- ``postings``: per lower-cased type, the (doc_no, position) of every
  occurrence as interleaved int32 pairs, in text order. Built after ingest
  (and on first use when stale). ``index_meta.postings_of`` records the
  documents they were built from as "count:sum of doc_no"; doc_no is never
  reused, so any insert or delete changes it.
- ``compiled_lexicons``: a lexicon's compiled term variants (JSON), keyed by
  its content hash, so a warm run does not tokenise the terms again.

Everything lives in the one SQLite file that ``--db`` names.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from . import Store

INDEX_MIGRATION = """
CREATE TABLE vocab (
    type_id INTEGER PRIMARY KEY,
    string  TEXT NOT NULL UNIQUE
);
CREATE TABLE token_index (
    doc_no   INTEGER PRIMARY KEY AUTOINCREMENT,  -- document number (never reused), used by postings
    doc_id   TEXT NOT NULL UNIQUE REFERENCES documents(doc_id) ON DELETE CASCADE,
    n_tokens INTEGER NOT NULL,
    arrays   BLOB NOT NULL               -- discourse.nlp.pack_arrays: lower, lemma, start, end (int32), flags (uint8)
);
CREATE TABLE postings (
    type_id INTEGER PRIMARY KEY,         -- a lower-cased type (vocab)
    n       INTEGER NOT NULL,            -- occurrences
    data    BLOB NOT NULL                -- int32 pairs (doc_no, token position), in text order
);
CREATE TABLE index_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE compiled_lexicons (
    content_hash TEXT PRIMARY KEY,       -- discourse.lexicon.Lexicon.content_hash (+ compiler version)
    compiled     TEXT NOT NULL,          -- JSON: every term's variants and written forms
    created_at   TEXT NOT NULL
);
"""


class IndexSQL:
    """The index tables of one store."""

    def __init__(self, store: Store):
        self.store = store
        self.conn = store.conn
        self._ids: dict[str, int] | None = None
        self._max = -1

    # -- vocabulary ------------------------------------------------------------
    def strings(self) -> list[str]:
        """type_id -> string, as a list (ids are dense from 1; 0 is unused)."""
        rows = self.conn.execute("SELECT type_id, string FROM vocab ORDER BY type_id").fetchall()
        out = [""] * ((rows[-1][0] + 1) if rows else 1)
        for i, s in rows:
            out[i] = s
        return out

    def type_ids(self, strings: list[str]) -> list[int]:
        """The type id of each string, adding new ones (inside the caller's transaction).

        The string -> id map is cached; it is reloaded whenever the table's
        largest id is not the one this writer last saw (a rolled-back
        transaction, or another writer)."""
        top = self.conn.execute("SELECT coalesce(max(type_id), 0) FROM vocab").fetchone()[0]
        if self._ids is None or top != self._max:
            self._ids = {s: i for i, s in self.conn.execute("SELECT type_id, string FROM vocab")}
            self._max = top
        ids = self._ids
        new = [s for s in dict.fromkeys(strings) if s not in ids]
        if new:
            first = self._max + 1
            self.conn.executemany(
                "INSERT INTO vocab(type_id, string) VALUES (?, ?)", [(first + k, s) for k, s in enumerate(new)]
            )
            for k, s in enumerate(new):
                ids[s] = first + k
            self._max = first + len(new) - 1
        return [ids[s] for s in strings]

    # -- token arrays ----------------------------------------------------------
    def put(self, doc_id: str, n_tokens: int, blob: bytes) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO token_index(doc_id, n_tokens, arrays) VALUES (?, ?, ?)", (doc_id, n_tokens, blob)
        )

    def get(self, doc_id: str) -> tuple[int, int, bytes] | None:
        """(doc_no, n_tokens, arrays) of a document, or None if it is not indexed."""
        r = self.conn.execute("SELECT doc_no, n_tokens, arrays FROM token_index WHERE doc_id=?", (doc_id,)).fetchone()
        return (r[0], r[1], r[2]) if r else None

    def all(self) -> Iterator[tuple[int, str, int, bytes]]:
        """(doc_no, doc_id, n_tokens, arrays) of every indexed document, by doc_no."""
        yield from self.conn.execute("SELECT doc_no, doc_id, n_tokens, arrays FROM token_index ORDER BY doc_no")

    def doc_ids(self) -> dict[int, str]:
        return dict(self.conn.execute("SELECT doc_no, doc_id FROM token_index").fetchall())

    def unindexed(self) -> list[str]:
        """Documents that have a DocBin but no token arrays yet."""
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT t.doc_id FROM tokens t LEFT JOIN token_index x ON x.doc_id = t.doc_id "
                "WHERE x.doc_id IS NULL ORDER BY t.doc_id"
            )
        ]

    def clear(self) -> None:
        self.conn.execute("DELETE FROM token_index")
        self.conn.execute("DELETE FROM postings")

    # -- postings ----------------------------------------------------------------
    def _signature(self) -> str:
        n, total = self.conn.execute("SELECT count(*), coalesce(sum(doc_no), 0) FROM token_index").fetchone()
        return f"{n}:{total}"

    def postings_stale(self) -> bool:
        r = self.conn.execute("SELECT value FROM index_meta WHERE key='postings_of'").fetchone()
        return (r[0] if r else None) != self._signature()

    def put_postings(self, rows: Iterable[tuple[int, int, bytes]]) -> None:
        """Replace every posting list (call inside a transaction)."""
        self.conn.execute("DELETE FROM postings")
        self.conn.executemany("INSERT INTO postings(type_id, n, data) VALUES (?, ?, ?)", rows)
        self.conn.execute(
            "INSERT OR REPLACE INTO index_meta(key, value) VALUES ('postings_of', ?)", (self._signature(),)
        )

    def postings(self, type_ids: Iterable[int]) -> Iterator[tuple[int, bytes]]:
        """(type_id, data) of the given types that occur."""
        ids = sorted(set(type_ids))
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            yield from self.conn.execute(
                f"SELECT type_id, data FROM postings WHERE type_id IN ({','.join('?' * len(chunk))})", chunk
            )

    def type_counts(self) -> Iterator[tuple[int, int]]:
        yield from self.conn.execute("SELECT type_id, n FROM postings")

    # -- compiled lexicons -----------------------------------------------------------
    def compiled_lexicon(self, key: str) -> object | None:
        r = self.conn.execute("SELECT compiled FROM compiled_lexicons WHERE content_hash=?", (key,)).fetchone()
        return json.loads(r[0]) if r else None

    def compiled_lexicons(self) -> Iterator[object]:
        """Every cached compilation (of any lexicon file), newest first."""
        for (c,) in self.conn.execute("SELECT compiled FROM compiled_lexicons ORDER BY created_at DESC"):
            yield json.loads(c)

    def put_compiled_lexicon(self, key: str, compiled: object, now: str) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO compiled_lexicons(content_hash, compiled, created_at) VALUES (?, ?, ?)",
            (key, json.dumps(compiled, ensure_ascii=False, separators=(",", ":")), now),
        )
