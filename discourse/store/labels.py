"""Hand labels of mentions (``discourse validate``): every SQL statement they need.

A label is keyed by ``mention_id`` = ``f"{doc_id}:{start_char}-{end_char}"``: the
document (a hash of its normalised text) and the character span. Neither the
mention key (the lexicon hash) nor a row id enters it, so labels outlive
re-matching and lexicon edits. A label *joins* a current mention when a mention
under the current mention key has the same document, span and concept.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import DiscourseError

if TYPE_CHECKING:
    from . import Store

LABELS = ("yes", "no", "unsure")
_MENTION_ID = re.compile(r"^(?P<doc>[^:\s]+):(?P<start>\d+)-(?P<end>\d+)$")
# The mention_id of a row of ``mentions`` (alias m), as SQL.
_MENTION_ID_SQL = "m.doc_id || ':' || m.start_char || '-' || m.end_char"


def mention_id(doc_id: str, start_char: int, end_char: int) -> str:
    """The stable id of a mention: ``f"{doc_id}:{start_char}-{end_char}"``."""
    return f"{doc_id}:{start_char}-{end_char}"


def parse_mention_id(value: str) -> tuple[str, int, int] | None:
    """``(doc_id, start_char, end_char)`` of a mention id, or ``None`` if it is not one."""
    m = _MENTION_ID.match(value.strip())
    if not m or int(m["end"]) < int(m["start"]):
        return None
    return m["doc"], int(m["start"]), int(m["end"])


@dataclass(frozen=True)
class LabelRow:
    """One row of the ``labels`` table."""

    mention_id: str
    concept: str
    coder: str
    label: str  # yes | no | unsure
    source: str | None = None


def upsert_labels(store: Store, rows: Iterable[LabelRow], labelled_at: str) -> int:
    """Insert or replace each (mention_id, concept, coder)'s label; return how many rows.

    Call inside ``store.transaction()``. A label that is not yes, no or unsure is an error.
    """
    items = []
    for r in rows:
        if r.label not in LABELS:
            raise DiscourseError(
                f"{r.source or 'labels'}: label {r.label!r} of {r.mention_id} is not yes, no or unsure"
            )
        items.append((r.mention_id, r.concept, r.coder, r.label, r.source, labelled_at))
    store.conn.executemany(
        "INSERT INTO labels(mention_id,concept,coder,label,source,labelled_at) VALUES (?,?,?,?,?,?) "
        "ON CONFLICT(mention_id,concept,coder) DO UPDATE SET label=excluded.label, source=excluded.source, "
        "labelled_at=excluded.labelled_at",
        items,
    )
    return len(items)


def labels_joined(store: Store, key: str, mention_ids: Iterable[str], coders: Iterable[str]) -> list[dict[str, Any]]:
    """The stored labels of ``mention_ids`` by ``coders``, each joined to the current mention.

    One dict per label with ``mention_id, concept, coder, label, source, labelled_at``
    and ``current``: ``None`` if no mention under ``key`` has that span and concept
    any more, else ``"kept"`` or ``"excluded"`` (an exclude rule now removes it).
    Ordered by mention_id, concept and coder.
    """
    ids = json.dumps(sorted(set(mention_ids)))
    who = json.dumps(sorted(set(coders)))
    sql = (
        "WITH l AS (SELECT * FROM labels WHERE mention_id IN (SELECT value FROM json_each(?)) "
        "AND coder IN (SELECT value FROM json_each(?))), "
        "docs AS (SELECT DISTINCT substr(mention_id, 1, instr(mention_id, ':') - 1) AS doc_id FROM l), "
        f"cur AS (SELECT {_MENTION_ID_SQL} AS mention_id, m.concept, max(m.excluded = 0) AS kept FROM mentions m "
        "WHERE m.mention_key = ? AND m.doc_id IN (SELECT doc_id FROM docs) GROUP BY 1, 2) "
        "SELECT l.mention_id, l.concept, l.coder, l.label, l.source, l.labelled_at, "
        "CASE WHEN cur.kept IS NULL THEN NULL WHEN cur.kept THEN 'kept' ELSE 'excluded' END AS current "
        "FROM l LEFT JOIN cur ON cur.mention_id = l.mention_id AND cur.concept = l.concept "
        "ORDER BY l.mention_id, l.concept, l.coder"
    )
    return [dict(r) for r in store.conn.execute(sql, (ids, who, key))]


def count_labels(store: Store) -> int:
    """Every stored label, of any coder."""
    return store.conn.execute("SELECT count(*) FROM labels").fetchone()[0]


def concept_labels(store: Store, concept: str, coder: str = "label") -> list[LabelRow]:
    """Every stored label of ``concept`` by ``coder``, ordered by mention_id (for ``filter train --db``)."""
    rows = store.conn.execute(
        "SELECT mention_id, concept, coder, label, source FROM labels WHERE concept = ? AND coder = ? "
        "ORDER BY mention_id",
        (concept, coder),
    )
    return [LabelRow(r[0], r[1], r[2], r[3], r[4]) for r in rows]
