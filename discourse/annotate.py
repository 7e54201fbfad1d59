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
    store: Store,
    lexicon,
    *,
    model: str | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    scheduler: str | None = None,
) -> str:
    """Match every document not yet matched with ``lexicon``; return the mention key.

    With a Dask ``scheduler`` (``local:N``, ``tcp://...``; default ``$DISCOURSE_SCHEDULER``) the
    batches are matched by Dask workers, each reading the store's index from the shared filesystem
    (:func:`match_remote`); this process writes every batch, as it does locally.
    """
    from .dask_pool import scheduler_from

    key = mention_key(lexicon, model)
    todo = store.unmatched_documents(key)
    _register(store, lexicon, key, model)
    if not todo:
        return key
    scheduler = scheduler_from(scheduler)
    state = _MatchState.build(store, lexicon, model)
    batches = [todo[i : i + BATCH] for i in range(0, len(todo), BATCH)]
    done = 0

    def write(rows: list[MentionRow], runs: list[tuple[str, int]]) -> None:
        nonlocal done
        with store.transaction():
            store.insert_mentions(key, rows)
            store.record_mention_runs(key, runs)
        done += len(runs)
        if on_progress:
            on_progress(done, len(todo))

    if scheduler is None:
        for batch in batches:
            write(*state.match(batch))
        return key
    from .dask_pool import DaskSupervisor
    from .errors import DiscourseError
    from .pool import Limits, Lost

    with DaskSupervisor(scheduler, Limits(file_timeout=None)) as pool:
        for batch in batches:
            # documents where no term can start have no mentions: recorded here, not sent
            write([], [(d, 0) for d in batch if not state.may_match(d)])
            send = [d for d in batch if state.may_match(d)]
            if send:
                pool.submit(match_remote, store.path, lexicon, model, send)
        for _ticket, res in pool.results():
            if isinstance(res, Lost):
                raise DiscourseError(f"matching on {scheduler} failed: {res.reason}; run again to resume")
            write(*res)
    return key


class _MatchState:
    """What matching a batch needs: the compiled lexicon, the index reader, the optional model, and
    the documents where some term can start (from the postings; the rest have no mentions)."""

    def __init__(self, store: Store, lexicon, model: str | None) -> None:
        from .index import IndexReader
        from .match import Matcher

        self.store, self.lexicon = store, lexicon
        self.nlp = None
        if model:
            from .nlp import make_nlp

            self.nlp = make_nlp(model)
        self.matcher = Matcher(lexicon)
        self.reader = IndexReader(store)
        starts_ids = [i for i, s in enumerate(self.reader.strings) if s and self.matcher.can_start(s)]
        self.maybe = self.reader.docs_with(starts_ids) if not model else None

    @classmethod
    def build(cls, store: Store, lexicon, model: str | None) -> _MatchState:
        return cls(store, lexicon, model)

    def may_match(self, doc_id: str) -> bool:
        return self.maybe is None or doc_id in self.maybe

    def match(self, batch: list[str]) -> tuple[list[MentionRow], list[tuple[str, int]]]:
        from .filters import apply_filters

        rows: list[MentionRow] = []
        runs: list[tuple[str, int]] = []
        for doc_id in batch:
            if not self.may_match(doc_id):
                runs.append((doc_id, 0))
                continue
            text, starts = self.store.text(doc_id)
            doc = _model_doc(self.nlp, text) if self.nlp is not None else self.reader.doc(doc_id, text)
            found = apply_filters(self.lexicon, text, self.matcher(doc))  # trained sense filters ('filter:')
            rows.extend(mention_row(doc_id, m, starts) for m in found)
            runs.append((doc_id, len(found)))
        return rows, runs


_REMOTE: dict[tuple, _MatchState] = {}


def match_remote(db_path: str, lexicon, model: str | None, batch: list[str]):
    """Match ``batch`` on a Dask worker: the store is opened from the shared filesystem (read only in
    effect: nothing is written), the lexicon compiled once per worker process and lexicon."""
    k = (db_path, lexicon.content_hash, model)
    state = _REMOTE.get(k)
    if state is None:
        _REMOTE.clear()
        state = _REMOTE[k] = _MatchState(Store.open(db_path, create=False), lexicon, model)
    return state.match(batch)


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
