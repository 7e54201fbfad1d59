"""Annotate: stored tokens -> concept mentions, cached per lexicon content hash.

Matching runs over the tokens stored at ingest (no re-extraction, no
re-tokenising). Mentions are stored under the lexicon's content hash, so every
command that needs them calls :func:`ensure_mentions`, which matches only the
documents not yet matched with that lexicon: ``ingest`` then ``report`` just
works, a new document is matched once, and an edited lexicon gets its own set.
Each batch of documents is committed in one transaction with its
``mention_runs`` rows, so an interrupted run resumes where it stopped.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import TYPE_CHECKING

from .store import MentionRow, Store, page_of

if TYPE_CHECKING:
    from .match import Mention

BATCH = 25


def mention_key(lexicon, model: str | None = None) -> str:
    """The key mentions are stored under: the lexicon hash (plus the model, if one is named)."""
    if not model:
        return lexicon.content_hash
    return hashlib.sha256(f"{lexicon.content_hash}\0{model}".encode()).hexdigest()


def ensure_mentions(
    store: Store, lexicon, *, model: str | None = None, on_progress: Callable[[int, int], None] | None = None
) -> str:
    """Match every document not yet matched with ``lexicon``; return the mention key."""
    key = mention_key(lexicon, model)
    todo = store.unmatched_documents(key)
    _register(store, lexicon, key, model)
    if not todo:
        return key
    from .index import IndexReader
    from .filters import apply_filters
    from .match import Matcher

    nlp = None
    if model:
        from .nlp import make_nlp

        nlp = make_nlp(model)
    matcher = Matcher(lexicon)
    reader = IndexReader(store)
    # Documents where no term can start (from the postings) have no mentions: not even loaded.
    starts_ids = [i for i, s in enumerate(reader.strings) if s and matcher.can_start(s)]
    maybe = reader.docs_with(starts_ids) if not model else set(todo)
    done = 0
    for i in range(0, len(todo), BATCH):
        batch = todo[i : i + BATCH]
        rows: list[MentionRow] = []
        runs: list[tuple[str, int]] = []
        for doc_id in batch:
            if doc_id not in maybe:
                runs.append((doc_id, 0))
                continue
            text, starts = store.text(doc_id)
            found = matcher(_model_doc(nlp, text) if nlp is not None else reader.doc(doc_id, text))
            found = apply_filters(lexicon, text, found)  # trained sense filters (lexicon 'filter:')
            rows.extend(mention_row(doc_id, m, starts) for m in found)
            runs.append((doc_id, len(found)))
        with store.transaction():
            store.insert_mentions(key, rows)
            store.record_mention_runs(key, runs)
        done += len(batch)
        if on_progress:
            on_progress(done, len(todo))
    return key


def _model_doc(nlp, text: str):
    from .nlp import set_lemmas

    return set_lemmas(nlp(text)) if "lemmatizer" not in nlp.pipe_names else nlp(text)


def mention_row(doc_id: str, m: Mention, page_starts: list[int]) -> MentionRow:
    """The stored row of a matcher's mention in ``doc_id`` (pages from ``page_starts``)."""
    return MentionRow(
        doc_id=doc_id,
        concept=m.concept,
        variant=m.variant,
        start_char=m.start_char,
        end_char=m.end_char,
        start_token=m.start_token,
        end_token=m.end_token,
        page=page_of(page_starts, m.start_char),
        sent_start=m.sent_start_char,
        sent_end=m.sent_end_char,
        excluded=m.excluded,
        exclude_reason=m.exclude_reason,
    )


def _register(store: Store, lexicon, key: str, model: str | None) -> None:
    content = json.dumps({"lexicon": lexicon.canonical(), "model": model}, ensure_ascii=False, sort_keys=True)
    with store.transaction():
        store.register_lexicon(key, lexicon.name, str(lexicon.version), str(lexicon.path), content)


_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2212"})


def fold_variant(text: str) -> str:
    """A mention's variant for counting: lower-cased, every dash a hyphen-minus, whitespace folded.

    Spaced, closed and hyphenated forms stay distinct ("co production",
    "coproduction", "co-production"); a hyphen split over a line break
    ("co-\\nproduction") folds to the hyphenated form.
    """
    s = " ".join(text.lower().translate(_DASHES).split())
    return s.replace("- ", "-")
