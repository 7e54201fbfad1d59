"""Documents as rows (``discourse docs``) and one document in full (``discourse show``).

- :func:`document_table`: the stored documents selected by ``--where`` and
  ``--from``/``--to``, one row each, with every metadata key as a column of
  its own (``docs --columns all``).
- :func:`find_document`: a doc_id, a unique prefix of one, the stored path or
  an input path (ledger key) -> the one document it names.
- :func:`document_fields`: every stored field of one document (columns,
  metadata, quality figures, raw metadata, the inputs it came from and its
  mention counts) as (section, field, value) rows.
- :func:`marked_text`: its text cut into plain and mention pieces, so a
  caller can highlight the mentions (the CLI: a Rich style at a terminal,
  ``[[...]]`` in a pipe).
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..errors import DiscourseError, UsageError
from ..store import DOC_COLUMNS, Store
from ..store.query import check_where, doc_ref_where, doc_where

#: The columns ``docs`` writes by default (every stored column but ``chars``).
DOCS_DEFAULT = [c for c in DOC_COLUMNS if c != "chars"]
#: The columns of the terminal table of ``docs``.
DOCS_TABLE = ["doc_id", "title", "date", "source_type", "pages", "words", "extractor"]
#: The columns of ``show``.
SHOW_COLUMNS = ["section", "field", "value"]
#: Marks around a mention in plain (piped) ``show --text``.
MARK_OPEN, MARK_CLOSE = "[[", "]]"


@dataclass
class DocumentTable:
    """Rows of ``docs``: ``columns`` by default, ``available`` for ``--columns`` (metadata keys included)."""

    columns: list[str]
    available: list[str]
    rows: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)


def meta_column(key: str) -> str:
    """The column name of metadata ``key``: the key itself, or ``metadata.KEY`` if a document column has it."""
    return f"metadata.{key}" if key in DOC_COLUMNS else key


def document_table(
    store: Store, where: list[str] | None = None, year_from: int | None = None, year_to: int | None = None
) -> DocumentTable:
    """The documents ``where`` selects, each with its columns and its metadata keys flattened."""
    notes = check_where(store, where)
    cond, params = doc_where(where, year_from, year_to)
    keys = sorted(store.metadata_keys())
    rows = []
    for d in store.documents(cond, params):
        meta = d.get("metadata") or {}
        rows.append({**{c: d.get(c) for c in DOC_COLUMNS}, **{meta_column(k): meta.get(k) for k in keys}})
    return DocumentTable(DOCS_DEFAULT, [*DOC_COLUMNS, *(meta_column(k) for k in keys)], rows, notes)


def find_document(store: Store, ref: str, where: list[str] | None = None) -> dict[str, Any]:
    """The document ``ref`` names: doc_id, unique doc_id prefix, stored path or input path.

    With ``where`` (``--where`` filters), only the documents it selects are
    candidates. A ref that names no document is an error (exit 1); one that
    names several is a usage error (exit 2) listing them.
    """
    for msg in check_where(store, where):
        raise DiscourseError(msg)
    wcond, wparams = doc_where(where)
    refs = [ref] + ([os.path.abspath(ref)] if os.path.abspath(ref) != ref else [])
    for r in refs:
        cond, params = doc_ref_where(r)
        found = list(store.documents(f"{cond} AND {wcond}", [*params, *wparams]))
        exact = [d for d in found if d["doc_id"] == r or d["path"] == r]
        if len(exact) == 1 or len(found) == 1:
            return exact[0] if len(exact) == 1 else found[0]
        if len(found) > 1:
            ids = ", ".join(d["doc_id"] for d in found[:8]) + (", ..." if len(found) > 8 else "")
            raise UsageError(f"{ref!r} names {len(found)} documents ({ids})", hint="give more of the doc_id")
    raise DiscourseError(
        f"no document {ref!r} in {store.path}" + (" matching --where" if where else ""),
        hint="give a doc_id (or its first characters) or a path from `docs`",
    )


def document_fields(
    store: Store, doc: dict[str, Any], mention_key: str | None = None, lexicon: Any = None
) -> list[dict[str, Any]]:
    """Every stored field of ``doc`` as rows of :data:`SHOW_COLUMNS`, in a fixed order.

    Sections: ``document`` (the stored columns), ``metadata`` (manifest and
    front-matter fields), ``quality`` (extraction-quality figures),
    ``raw_meta`` (metadata as extracted), ``input`` (each ledger key whose
    text this is) and, with a lexicon, ``mentions`` (kept and excluded
    mentions per concept).
    """
    rows = [{"section": "document", "field": c, "value": doc.get(c)} for c in DOC_COLUMNS]
    for section in ("metadata", "quality", "raw_meta"):
        value = doc.get(section) or {}
        rows += [{"section": section, "field": k, "value": value[k]} for k in sorted(value)]
    inputs = store.ledger_keys_for_doc(doc["doc_id"], exclude_key="")
    rows += [{"section": "input", "field": "key", "value": k} for k in inputs]
    if mention_key is not None and lexicon is not None:
        kept, excluded = Counter[str](), Counter[str]()
        for m in mentions_of(store, mention_key, lexicon, doc["doc_id"]):
            (excluded if m["excluded"] else kept)[m["concept"]] += 1
        for c in lexicon.concepts:
            if kept[c.id] or excluded[c.id]:
                value = f"{kept[c.id]}" + (f" (+{excluded[c.id]} excluded)" if excluded[c.id] else "")
                rows.append({"section": "mentions", "field": c.id, "value": value})
    return rows


def mentions_of(store: Store, mention_key: str, lexicon: Any, doc_id: str) -> list[dict[str, Any]]:
    """Every mention (kept and excluded) of every concept in one document, in text order."""
    out: list[dict[str, Any]] = []
    for c in lexicon.concepts:
        out += store.kwic_rows(mention_key, c.id, "d.doc_id = ?", [doc_id], include_excluded=True)
    return sorted(out, key=lambda m: (m["start_char"], m["end_char"]))


@dataclass(frozen=True)
class Piece:
    """A run of a document's text: plain (``concept`` None) or one mention."""

    text: str
    concept: str | None = None
    excluded: bool = False


def marked_text(text: str, mentions: list[dict[str, Any]]) -> list[Piece]:
    """``text`` cut at the mentions (overlaps: the earlier one wins), in order."""
    pieces: list[Piece] = []
    pos = 0
    for m in mentions:
        s, e = m["start_char"], m["end_char"]
        if s < pos or e <= s:
            continue
        if s > pos:
            pieces.append(Piece(text[pos:s]))
        pieces.append(Piece(text[s:e], m["concept"], bool(m["excluded"])))
        pos = e
    if pos < len(text):
        pieces.append(Piece(text[pos:]))
    return pieces


def plain_marked(pieces: list[Piece]) -> str:
    """The text with each mention in ``[[...]]`` (an excluded one as ``[[...|excluded]]``)."""
    return "".join(
        p.text if p.concept is None else f"{MARK_OPEN}{p.text}{'|excluded' if p.excluded else ''}{MARK_CLOSE}"
        for p in pieces
    )
