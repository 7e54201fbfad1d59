"""Look at stored mentions: keyword-in-context rows and the variants attested in the corpus."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .annotate import ensure_mentions, fold_variant
from .errors import DiscourseError
from .store import Store
from .store.query import doc_where

KWIC_COLUMNS = [
    "doc_id",
    "title",
    "date",
    "year",
    "source_type",
    "page",
    "left",
    "match",
    "right",
    "concept",
    "variant",
    "excluded",
    "exclude_reason",
    "start_char",
    "end_char",
    "path",
]
ATTESTED_COLUMNS = ["concept", "family", "variant", "count", "excluded", "docs"]


def check_concept(lexicon, concept: str) -> None:
    ids = [c.id for c in lexicon.concepts]
    if concept not in ids:
        raise DiscourseError(
            f"unknown concept {concept!r} in lexicon {lexicon.name}", hint="available: " + ", ".join(ids)
        )


def page_labels(doc: dict[str, Any] | None) -> tuple[list[str], str]:
    """A document's page labels and their unit (``(["300", "301"], "col")`` for a Hansard speech),
    kept by the extractor in ``raw_meta.embedded``; ``([], "")`` when its pages are just numbered."""
    embedded = ((doc or {}).get("raw_meta") or {}).get("embedded") or {}
    labels = embedded.get("page_labels")
    if not isinstance(labels, list):
        return [], ""
    return [str(x) for x in labels], str(embedded.get("page_unit") or "p")


def cite_page(page: int, labels: list[str], unit: str) -> int | str:
    """The page as a reader cites it: ``"col. 300"`` for Hansard column 300, else the page number."""
    if 1 <= page <= len(labels) and labels[page - 1]:
        return f"{unit}. {labels[page - 1]}"
    return page


def context(text: str, start: int, end: int, window: int) -> tuple[str, str, str]:
    """``window`` whitespace-separated words left and right of text[start:end], each folded to one line."""
    left_words = text[max(0, start - 40 * window - 200) : start].split()
    right_words = text[end : end + 40 * window + 200].split()
    left = " ".join(left_words[-window:]) if window else ""
    right = " ".join(right_words[:window]) if window else ""
    return left, " ".join(text[start:end].split()), right


def kwic(
    store: Store,
    lexicon,
    concept: str,
    *,
    window: int = 10,
    where: list[str] | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    sort: str | None = None,
    limit: int | None = None,
    include_excluded: bool = False,
    model: str | None = None,
) -> Iterator[dict[str, Any]]:
    check_concept(lexicon, concept)
    key = ensure_mentions(store, lexicon, model=model)
    cond, params = doc_where(where, year_from, year_to, alias="d")
    rows = store.kwic_rows(key, concept, cond, params, include_excluded=include_excluded)
    texts: dict[str, str] = {}
    labels: list[str] = []
    unit = ""
    out = []
    for r in rows:
        if r["doc_id"] not in texts:
            texts.clear()  # rows come grouped by document
            texts[r["doc_id"]] = store.text(r["doc_id"])[0]
            labels, unit = page_labels(store.document(r["doc_id"]))
        left, match, right = context(texts[r["doc_id"]], r["start_char"], r["end_char"], window)
        out.append(
            {
                "doc_id": r["doc_id"],
                "title": r["title"],
                "date": r["date"],
                "year": r["year"],
                "source_type": r["source_type"],
                "page": cite_page(r["page"], labels, unit),
                "left": left,
                "match": match,
                "right": right,
                "concept": r["concept"],
                "variant": fold_variant(r["variant"]),
                "excluded": bool(r["excluded"]),
                "exclude_reason": r["exclude_reason"],
                "start_char": r["start_char"],
                "end_char": r["end_char"],
                "path": r["path"],
            }
        )
    return _sorted(out, sort, limit)


def _sorted(out: list[dict[str, Any]], sort: str | None, limit: int | None) -> Iterator[dict[str, Any]]:
    if sort == "left":
        out.sort(key=lambda x: [w.lower() for w in reversed(x["left"].split())])
    elif sort == "right":
        out.sort(key=lambda x: [w.lower() for w in x["right"].split()])
    elif sort == "date":
        out.sort(key=lambda x: (x["date"] or "9999", x["path"], x["start_char"]))
    return iter(out[:limit] if limit else out)


def term_lexicon(pattern: str):
    """A one-concept lexicon for one ad hoc term in the lexicon's term language.

    ``PATTERN`` is a phrase (hyphen, space and closed-up variants and line
    breaks match as in a lexicon; a final ``*`` is a wildcard; ``(a|b) c`` is
    alternation), ``lemma:WORDS`` for every inflected form, or
    ``case:Words`` to match the case as written. The concept's id is the
    pattern itself.
    """
    import hashlib

    from .lexicon import Concept, Lexicon, Term, compile_term

    text, lemma, case = pattern.strip(), False, False
    if text.startswith("lemma:"):
        text, lemma = text[len("lemma:") :].strip(), True
    elif text.startswith("case:"):
        text, case = text[len("case:") :].strip(), True
    try:
        variants, written = compile_term(text, lemma=lemma, match_case=case)
    except ValueError as e:
        raise DiscourseError(
            f"--term {pattern!r}: {e}", hint="e.g. --term co-production, 'lemma:budget', 'co-produc*'"
        ) from None
    term = Term(text=text, lemma=lemma, match_case=case, variants=variants, written=written)
    concept = Concept(id=pattern, label=pattern, family="search", description="", terms=(term,))
    digest = hashlib.sha256(f"adhoc\0{pattern}".encode()).hexdigest()
    return Lexicon(name="ad hoc", version=1, path="", concepts=(concept,), content_hash=digest)


def _cached_term_lexicon(store: Store, pattern: str):
    """:func:`term_lexicon`, with ad hoc term tokenisations kept in the store (as a lexicon's are), so a
    repeated ``kwic --term`` does not load spaCy's tokenizer."""
    from .lexicon import terms as T
    from .nlp import NLP_VERSION
    from .store import now_iso

    key = f"adhoc-term-splits\0{NLP_VERSION}"
    cached = store.index.compiled_lexicon(key)
    known = cached.get("splits", {}) if isinstance(cached, dict) else {}
    for text, words in known.items():
        T.SPLITS.setdefault(text, tuple(words))
    before = set(T.SPLITS)
    lex = term_lexicon(pattern)
    new = {t: list(T.SPLITS[t]) for t in set(T.SPLITS) - before}
    if new:
        with store.transaction():
            store.index.put_compiled_lexicon(key, {"splits": {**known, **new}}, now_iso())
    return lex


def kwic_term(
    store: Store,
    pattern: str,
    *,
    window: int = 10,
    where: list[str] | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    sort: str | None = None,
    limit: int | None = None,
) -> Iterator[dict[str, Any]]:
    """Keyword-in-context rows for an ad hoc term (see :func:`term_lexicon`), matched on the index.

    Same columns as :func:`kwic`; nothing is stored. Only the documents the
    postings show the term's first word in are read."""
    from .index import IndexReader
    from .match import Matcher
    from .store import page_of

    matcher = Matcher(_cached_term_lexicon(store, pattern))
    reader = IndexReader(store)
    maybe = reader.docs_with(i for i, w in enumerate(reader.strings) if w and matcher.can_start(w))
    cond, params = doc_where(where, year_from, year_to)
    out: list[dict[str, Any]] = []
    for d in store.documents(cond, params):
        if d["doc_id"] not in maybe:
            continue
        text, starts = store.text(d["doc_id"])
        labels, unit = page_labels(d)
        for m in matcher(reader.doc(d["doc_id"], text)):
            left, match, right = context(text, m.start_char, m.end_char, window)
            out.append(
                {
                    "doc_id": d["doc_id"],
                    "title": d["title"],
                    "date": d["date"],
                    "year": d["year"],
                    "source_type": d["source_type"],
                    "page": cite_page(page_of(starts, m.start_char), labels, unit),
                    "left": left,
                    "match": match,
                    "right": right,
                    "concept": pattern,
                    "variant": fold_variant(m.variant),
                    "excluded": False,
                    "exclude_reason": None,
                    "start_char": m.start_char,
                    "end_char": m.end_char,
                    "path": d["path"],
                }
            )
    return _sorted(out, sort, limit)


def attested_variants(store: Store, lexicon) -> list[dict[str, Any]]:
    """The variants of each concept found in the corpus (folded, see :func:`fold_variant`).

    One row per (concept, variant) with :data:`ATTESTED_COLUMNS`: kept and
    excluded mention counts and the number of documents; ordered by the
    lexicon's concept order, then most kept mentions first, then variant.
    """
    key = ensure_mentions(store, lexicon)
    counts: dict[tuple[str, str], list[Any]] = {}
    for concept, variant, excluded, doc_id in store.attested_variants(key):
        c = counts.setdefault((concept, fold_variant(variant)), [0, 0, set()])
        c[1 if excluded else 0] += 1
        c[2].add(doc_id)
    order = {c.id: i for i, c in enumerate(lexicon.concepts)}
    ranked = sorted(counts.items(), key=lambda kv: (order.get(kv[0][0], 99), -kv[1][0], kv[0][1]))
    return [
        {
            "concept": concept,
            "family": lexicon.concept(concept).family,
            "variant": variant,
            "count": kept,
            "excluded": excluded,
            "docs": len(docs),
        }
        for (concept, variant), (kept, excluded, docs) in ranked
    ]
