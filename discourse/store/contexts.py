"""Mentions of one concept with their documents and text: the input of ``senses`` and ``frames``.

All the SQL these commands need lives here. The mention-key column of the
``mentions`` table is being renamed (``lexicon_hash`` -> ``mention_key``);
:func:`mention_key_column` reads the schema at run time so the query works on
stores from before and after that migration.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .query import DOC_FILTER_COLUMNS, doc_where

if TYPE_CHECKING:
    from . import Store


@dataclass(frozen=True)
class MentionContext:
    """One stored mention, its document's metadata and (a shared reference to) the document text.

    ``mention_id`` is ``f"{doc_id}:{start_char}-{end_char}"`` (as in labels): stable across runs and
    stores, since doc_id is a hash of the document's normalised text.
    """

    mention_id: str
    doc_id: str
    concept: str
    variant: str
    start_char: int
    end_char: int
    sent_start: int
    sent_end: int
    page: int
    excluded: bool
    exclude_reason: str | None
    title: str | None
    date: str | None
    year: int | None
    source_type: str | None
    path: str
    metadata: dict[str, Any] = field(default_factory=dict)
    text: str = field(default="", repr=False, compare=False)

    @property
    def sentence(self) -> str:
        """The stored sentence (capped at +-60 tokens at ingest), folded to one line."""
        return " ".join(self.text[self.sent_start : self.sent_end].split())

    @property
    def match(self) -> str:
        """The matched text, folded to one line."""
        return " ".join(self.text[self.start_char : self.end_char].split())

    def sentence_parts(self) -> tuple[str, str, str]:
        """(left, match, right) within the stored sentence, each folded to one line."""
        s, a, b, e = self.sent_start, self.start_char, self.end_char, self.sent_end
        if not s <= a <= b <= e:  # a sentence cap that cut the mention: fall back to the mention alone
            s, e = a, b
        return (" ".join(self.text[s:a].split()), self.match, " ".join(self.text[b:e].split()))

    def window_parts(self, window: int) -> tuple[str, str, str]:
        """(left, match, right): ``window`` whitespace-separated words each side of the mention.

        The same rule as ``discourse kwic --window`` (words, not tokens; the
        text is read at most 40 characters per word plus 200 each side).
        """
        a, b = self.start_char, self.end_char
        left = self.text[max(0, a - 40 * window - 200) : a].split()
        right = self.text[b : b + 40 * window + 200].split()
        return (" ".join(left[-window:]) if window else "", self.match, " ".join(right[:window]) if window else "")

    def by_value(self, col: str) -> str:
        """The value of a ``--by`` column: a document column or a metadata field ('' if missing)."""
        if col in DOC_FILTER_COLUMNS:
            v = {
                "doc_id": self.doc_id,
                "path": self.path,
                "title": self.title,
                "date": self.date,
                "year": self.year,
                "source_type": self.source_type,
            }.get(col)
        else:
            v = self.metadata.get(col)
        return "" if v is None else str(v)


def mention_key_column(store: Store) -> str:
    """The name of the mentions table's key column: ``mention_key`` or (older stores) ``lexicon_hash``."""
    cols = {r[1] for r in store.conn.execute("PRAGMA table_info(mentions)")}
    return "mention_key" if "mention_key" in cols else "lexicon_hash"


def mention_contexts(
    store: Store,
    key: str,
    concept: str,
    *,
    where: list[str] | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    include_excluded: bool = False,
) -> list[MentionContext]:
    """Every mention of ``concept`` stored under ``key`` in the selected documents.

    Documents are selected as every command selects them (``--where``,
    ``--from``, ``--to``: :func:`discourse.store.query.doc_where`). Mentions an
    exclude rule removed are left out unless ``include_excluded``. Rows are
    ordered by document path, then offset; each document's text is read once.
    """
    import json

    col = mention_key_column(store)
    cond, params = doc_where(where, year_from, year_to, alias="d")
    sql = (
        "SELECT m.doc_id, m.concept, m.variant, m.start_char, m.end_char, m.sent_start, m.sent_end, m.page, "
        "m.excluded, m.exclude_reason, d.title, d.date, d.year, d.source_type, d.path, d.metadata "
        f"FROM mentions m JOIN documents d ON d.doc_id = m.doc_id WHERE m.{col}=? AND m.concept=? "
        + ("" if include_excluded else "AND m.excluded=0 ")
        + f"AND {cond} ORDER BY d.path, m.doc_id, m.start_char, m.end_char"
    )
    texts: dict[str, str] = {}
    out = []
    for r in store.conn.execute(sql, [key, concept, *params]).fetchall():
        doc_id = r["doc_id"]
        if doc_id not in texts:
            texts[doc_id] = store.text(doc_id)[0]
        meta = r["metadata"]
        out.append(
            MentionContext(
                mention_id=f"{doc_id}:{r['start_char']}-{r['end_char']}",
                doc_id=doc_id,
                concept=r["concept"],
                variant=r["variant"],
                start_char=r["start_char"],
                end_char=r["end_char"],
                sent_start=r["sent_start"],
                sent_end=r["sent_end"],
                page=r["page"],
                excluded=bool(r["excluded"]),
                exclude_reason=r["exclude_reason"],
                title=r["title"],
                date=r["date"],
                year=r["year"],
                source_type=r["source_type"],
                path=r["path"],
                metadata=json.loads(meta) if isinstance(meta, str) else (meta or {}),
                text=texts[doc_id],
            )
        )
    return out
