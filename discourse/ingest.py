"""Ingest: sources -> extract -> normalise -> tokenise -> store.

Work is spread over ``jobs`` processes. Workers extract, normalise and tokenise
and *return* the prepared document; only this process writes to the store, one
transaction per document, so an interrupted run leaves a consistent store and
re-running the same command completes the job (finished files are
``unchanged``). Large PDFs are split into page ranges so that one long
document does not leave the other workers idle.

The result does not depend on ``jobs`` or on the order in which results
arrive: each document is a pure function of its file, and when two files share
one normalised text the lexicographically first path is kept.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from .errors import ExtractError
from .extract.parl import RecordRef
from .index import ensure_index, put_tokens
from .normalise import glyph_loss_warning
from .pool import Limits, Lost, Supervisor
from .sources import SKIP_REASONS, abs_path, merge_metadata, resolve_metadata
from .store import Store, now_iso
from .store.lock import ingest_lock
from .types import Extracted, Prepared, Source, WorkFailure, WorkResult

if TYPE_CHECKING:
    from .dask_pool import DaskSupervisor

T = TypeVar("T")

# A PDF with more pages than this is split into chunks of PDF_CHUNK pages when jobs > 1.
PDF_SPLIT_MIN_PAGES = 16
PDF_CHUNK = 8
# ... and at most this many chunks per worker: a 5,000-page PDF in 625 chunks of 8 re-walked its
# page tree 625 times (290 s with --jobs 2, 79 s with --jobs 1).
PDF_CHUNKS_PER_WORKER = 4

OK_STATUSES = ("ingested", "duplicate", "unchanged", "skipped")
UNMATCHED_SHOWN = 10  # manifest rows named in the warning; the rest are counted


@dataclass(frozen=True)
class Outcome:
    """What happened to one input."""

    key: str
    status: str
    reason: str | None = None
    doc_id: str | None = None
    pages: int = 0


@dataclass
class IngestResult:
    outcomes: list[Outcome] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)  # manifest rows (absolute paths) that matched no input

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status not in OK_STATUSES]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for o in self.outcomes:
            out[o.status] = out.get(o.status, 0) + 1
        return out


# The worker side (extract, normalise, tokenise one document) is in discourse.workers.
from .workers import (  # noqa: E402
    _init_worker,
    _work_file,
    _work_pdf_chunk,
    _work_pdf_count,
    _work_pdf_finish,
    _work_row,
)


def file_sha256(path: str) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
            size += len(block)
    return h.hexdigest(), size


# ---------------------------------------------------------------------------
# Parent side: planning, scheduling and the single writer.


@dataclass
class _Task:
    """One unit of work: a file, a table row, or a big PDF extracted in chunks."""

    source: Source
    sha: str
    size: int
    kind: Literal["file", "row", "pdf"]
    # kind "row": read_table's text (or the row's error) and metadata; or one parliamentary record
    row_text: str | ExtractError | RecordRef = ""
    row_meta: dict[str, Any] = field(default_factory=dict)
    # kind "pdf": its pages are counted in a worker, then it is extracted whole or in chunks:
    # the pages of each chunk, and the chunks extracted so far (None once one failed)
    page_ranges: list[list[int]] = field(default_factory=list)
    chunks: dict[int, Extracted] | None = field(default_factory=dict)


class Ingester:
    """Ingest sources into a store. Use :func:`ingest` for the one-call form."""

    def __init__(
        self,
        store: Store,
        *,
        cli: dict[str, Any] | None = None,
        text_column: str | None = None,
        jobs: int | None = None,
        on_event: Callable[[str, Any], None] | None = None,
        unit: str = "speech",
        members: str | None = None,
        limits: Limits | None = None,
        scheduler: str | None = None,
    ):
        from .extract.parl import ParlReader

        self.parl = ParlReader(unit, members)  # parliamentary XML; a bad members file stops here
        self.store = store
        self.cli = {k: v for k, v in (cli or {}).items() if v is not None}
        self.text_column = text_column
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.limits = limits or Limits()
        self.scheduler = scheduler  # None: the local process pool; 'local:N' or 'tcp://...': Dask
        self.workers = self.jobs  # the number of workers that share a big PDF's chunks
        self.on_event = on_event or (lambda kind, payload: None)
        self.result = IngestResult()

    # -- events --------------------------------------------------------------
    def _emit_outcome(self, o: Outcome) -> None:
        self.result.outcomes.append(o)
        self.on_event("outcome", o)

    def _warn(self, msg: str) -> None:
        self.result.warnings.append(msg)
        self.on_event("warning", msg)

    def unmatched_rows(self, manifest: str, rows: list[str]) -> None:
        """Warn about manifest rows that match no input (the first few named), and add each to the
        ledger history as an ``unmatched`` event, so ``ledger --history --status unmatched`` lists them."""
        folder = os.path.dirname(abs_path(manifest)) + "/"
        names = [k[len(folder) :] if k.startswith(folder) else k for k in rows]
        more = f" and {len(names) - UNMATCHED_SHOWN} more" if len(names) > UNMATCHED_SHOWN else ""
        self.result.unmatched = list(rows)
        self._warn(
            f"{manifest}: {len(rows)} of its rows match no input, so their metadata was not used: "
            f"{', '.join(names[:UNMATCHED_SHOWN])}{more} (`discourse ledger --history --status unmatched` lists them)"
        )
        with self.store.transaction():
            for k in rows:
                self.store.ledger_event(k, k, "unmatched", f"a row of manifest {abs_path(manifest)}, not an input")

    # -- planning --------------------------------------------------------------
    def run(self, sources: list[Source], missing: Iterable[tuple[str, str]] = ()) -> IngestResult:
        for path, reason in missing:
            status = "skipped" if reason in SKIP_REASONS else "failed"
            with self.store.transaction():
                self.store.ledger_put(path, path, status, reason)
            self._emit_outcome(Outcome(path, status, reason))
        tasks = self._plan(sources)
        self.on_event("total", len(tasks))
        self._run(tasks)
        ensure_index(self.store)  # postings of the documents just stored (and arrays of any older ones)
        return self.result

    def _plan(self, sources: list[Source]) -> list[_Task]:
        from .extract import RECORD_SUFFIXES, TABLE_SUFFIXES

        tasks: list[_Task] = []
        for src in sources:
            try:
                too_big = self.limits.too_big(os.path.getsize(src.path))
            except OSError:
                too_big = None  # file_sha256 reports it
            if too_big:
                self._record_error(src, None, None, "failed", too_big)
                continue
            try:
                sha, size = file_sha256(src.path)
            except OSError as exc:
                self._record_error(src, None, None, "failed", f"cannot read: {exc.strerror or exc}")
                continue
            suffix = Path(src.path).suffix.lower()
            if suffix in TABLE_SUFFIXES and self.text_column:
                tasks.extend(self._plan_table(src, sha, size, self.text_column))
                continue
            if suffix in RECORD_SUFFIXES:
                tasks.extend(self._plan_records(src, sha, size))
                continue
            if self._unchanged(src, sha):
                continue
            split = suffix == ".pdf" and (self.jobs > 1 or self.scheduler is not None)
            tasks.append(_Task(src, sha, size, "pdf" if split else "file"))
        return tasks

    def _plan_table(self, src: Source, sha: str, size: int, text_column: str) -> list[_Task]:
        from .extract.table import read_table

        tasks = []
        try:
            rows = list(read_table(src.path, text_column))
        except ExtractError as exc:
            self._record_error(src, sha, size, exc.status, exc.message)
            return []
        if not rows:  # a header and nothing below it: say so in the ledger
            self._record_error(src, sha, size, "skipped", "a table with a header but no rows")
            return []
        for row, text, meta in rows:
            key = f"{src.key}#row={row}"
            rsrc = Source(path=src.path, key=key, manifest=src.manifest, row=row)
            if self._unchanged(rsrc, sha):
                continue
            tasks.append(_Task(rsrc, sha, size, "row", row_text=text, row_meta=meta))
        return tasks

    def _plan_records(self, src: Source, sha: str, size: int) -> list[_Task]:
        """A parliamentary XML file: one task per speech (or debate), keyed ``path#speech=ID``."""
        try:
            refs, notes = self.parl.refs(src.path)
        except ExtractError as exc:
            self._record_error(src, sha, size, exc.status, exc.message)
            return []
        for note in notes:
            if note not in self.result.warnings:
                self._warn(note)
        tasks = []
        for ref in refs:  # the worker reads the record again: this process keeps no speech text
            rsrc = Source(path=src.path, key=f"{src.key}#{ref.key}", manifest=src.manifest)
            if not self._unchanged(rsrc, sha):
                tasks.append(_Task(rsrc, sha, size, "row", row_text=ref))
        return tasks

    def _unchanged(self, src: Source, sha: str) -> bool:
        """Handle an input whose bytes are already in the ledger. True if handled."""
        old = self.store.ledger_get(src.key)
        if old is None or old.sha256 != sha:
            return False
        if old.status == "no-text":
            self._emit_outcome(Outcome(src.key, "no-text", old.reason))
            return True
        if old.status not in ("ingested", "unchanged", "duplicate") or not old.doc_id:
            return False
        doc = self.store.document(old.doc_id)
        if doc is None:
            return False
        with self.store.transaction():
            if doc["path"] == src.key:
                raw = doc["raw_meta"]
                fields = self._resolve(src, raw.get("front_matter", {}), raw.get("embedded", {}))
                self.store.update_document(old.doc_id, merge_metadata(doc, fields, src.key))
                self.store.ledger_put(
                    src.key, src.path, "unchanged", None, old.doc_id, sha, old.size, old.extractor_version
                )
                status, reason = "unchanged", None
            else:
                status, reason = "duplicate", f"same text as {doc['path']}"
                self.store.ledger_put(
                    src.key, src.path, status, reason, old.doc_id, sha, old.size, old.extractor_version
                )
        self._emit_outcome(Outcome(src.key, status, reason, old.doc_id))
        return True

    # -- scheduling --------------------------------------------------------------
    def _run(self, tasks: list[_Task]) -> None:
        """Run the tasks in :attr:`jobs` supervised workers (:mod:`discourse.pool`), committing each
        result as it arrives. A big PDF's pages are counted in a worker (a hostile page tree must not
        hang the parent), then it is extracted in chunks spread over the workers."""
        order = sorted(tasks, key=lambda t: (t.kind != "pdf", t.source.key))  # big PDFs first
        steps: dict[int, tuple[_Task, str, int | None]] = {}  # ticket -> (task, step, chunk number)
        with self._pool() as pool:

            def send(t: _Task, step: str, chunk: int | None, fn: Callable, *args: Any) -> None:
                steps[pool.submit(fn, *args)] = (t, step, chunk)

            for t in order:
                if t.kind == "pdf":
                    send(t, "count", None, _work_pdf_count, t.source.path)
                elif t.kind == "row":
                    send(t, "doc", None, _work_row, t.row_text, t.row_meta)
                else:
                    send(t, "doc", None, _work_file, t.source.path)
            for ticket, res in pool.results():
                t, step, chunk = steps.pop(ticket)
                res = self._failure(res) if isinstance(res, (Lost, WorkFailure)) else res
                if step == "count" and isinstance(res, int) and res > PDF_SPLIT_MIN_PAGES:
                    size = max(PDF_CHUNK, -(-res // (self.workers * PDF_CHUNKS_PER_WORKER)))
                    t.page_ranges = [list(range(i, min(i + size, res))) for i in range(0, res, size)]
                    for i, pages in enumerate(t.page_ranges):
                        send(t, "chunk", i, _work_pdf_chunk, t.source.path, pages)
                elif step == "count" and isinstance(res, int):
                    send(t, "doc", None, _work_file, t.source.path)
                elif step == "chunk":
                    merged = self._chunk_done(t, chunk or 0, res)
                    if merged is not None:
                        send(t, "doc", None, _work_pdf_finish, merged)
                else:  # a document, or a failure to count a PDF's pages
                    self._commit(t, res)

    def _pool(self) -> Supervisor | DaskSupervisor:
        """The local supervised pool, or a Dask cluster when a scheduler is named (``--scheduler``)."""
        if self.scheduler is None:
            return Supervisor(self.jobs, self.limits, _init_worker, (os.getpid(),))
        from .dask_pool import DaskSupervisor

        pool = DaskSupervisor(self.scheduler, self.limits)
        self.workers = pool._slots()
        return pool

    def _failure(self, res: Lost | WorkFailure) -> WorkFailure:
        """A lost task (timed out, worker died) as a failed file; out of memory names the limit."""
        if isinstance(res, Lost):
            return WorkFailure("failed", res.reason)
        if res.reason == "out of memory" and self.limits.worker_memory_mb:
            cap = self.limits.worker_memory_mb
            return WorkFailure(res.status, f"out of memory (over the worker limit of {cap} MB: --worker-memory-mb)")
        return res

    def _chunk_done(self, t: _Task, chunk: int, res: Extracted | WorkFailure) -> Extracted | None:
        """Keep one extracted chunk of a big PDF; the merged document once all are in.

        The first chunk that fails records the PDF as failed; later chunks are ignored.
        """
        if t.chunks is None:  # an earlier chunk already failed
            return None
        if isinstance(res, WorkFailure):
            t.chunks = None
            self._commit(t, res)
            return None
        t.chunks[chunk] = res
        self.on_event("pages", len(res.pages))
        if len(t.chunks) < len(t.page_ranges):
            return None
        return _merge_chunks([t.chunks[i] for i in range(len(t.page_ranges))])

    # -- the single writer ---------------------------------------------------------
    def _record_error(self, src: Source, sha: str | None, size: int | None, status: str, reason: str) -> None:
        with self.store.transaction():
            old = self.store.ledger_get(src.key)
            if old and old.doc_id:
                self._release(old.doc_id, src.key)
            self.store.ledger_put(src.key, src.path, status, reason, None, sha, size)
        self._emit_outcome(Outcome(src.key, status, reason))

    def _resolve(self, src: Source, front_matter: dict, embedded: dict) -> dict[str, Any]:

        r = resolve_metadata(
            path=src.key, manifest=src.manifest, front_matter=front_matter, cli=self.cli, embedded=embedded
        )
        for w in r.warnings:
            self._warn(w)
        return {
            "title": r.title,
            "date": r.date,
            "year": r.year,
            "date_source": r.date_source,
            "source_type": r.source_type,
            "metadata": r.metadata,
        }

    def _commit(self, t: _Task, res: WorkResult) -> None:
        src = t.source
        if isinstance(res, WorkFailure):
            self._record_error(src, t.sha, t.size, res.status, res.reason)
            return
        self.on_event("pages", 0 if t.kind == "pdf" else res.pages)  # a PDF's chunks reported theirs
        fields = self._resolve(src, res.front_matter, res.embedded)
        with self.store.transaction():
            old = self.store.ledger_get(src.key)
            if old and old.doc_id and old.doc_id != res.doc_id:
                self._release(old.doc_id, src.key)
            status, reason = self._store_document(src, res, fields)
            self.store.ledger_put(src.key, src.path, status, reason, res.doc_id, t.sha, t.size, res.extractor_version)
        lost = glyph_loss_warning(res.quality, len(res.text))
        if lost and status == "ingested":
            self._warn(f"{src.key}: {lost}")
        self._emit_outcome(Outcome(src.key, status, reason, res.doc_id, res.pages))

    def _store_document(self, src: Source, res: Prepared, fields: dict[str, Any]) -> tuple[str, str | None]:
        """Write the document, or settle which source keeps it; ``(status, reason)`` for ``src``.

        When two sources share one text, the key that sorts first keeps it.
        """
        doc_id = res.doc_id
        kept = self.store.doc_path(doc_id)
        if kept is None:
            row = {
                "doc_id": doc_id,
                "path": src.key,
                **fields,
                "raw_meta": res.raw_meta,
                "extractor": res.extractor,
                "extractor_version": res.extractor_version,
                "pages": res.pages,
                "words": res.words,
                "ws_words": res.ws_words,
                "chars": len(res.text),
                "quality": res.quality,
                "ingested_at": now_iso(),
            }
            self.store.insert_document(row, res.text, res.page_starts, res.nlp, res.n_tokens, res.docbin)
            if res.index is not None:
                put_tokens(self.store, doc_id, *res.index)
        elif kept == src.key:
            self.store.update_document(doc_id, fields)
        elif src.key < kept:
            # This path sorts first: it becomes the kept source, the other a duplicate.
            self.store.update_document(doc_id, {"path": src.key, **fields, "raw_meta": res.raw_meta})
            prev = self.store.ledger_get(kept)
            if prev is not None:
                self.store.ledger_put(
                    kept,
                    prev.path,
                    "duplicate",
                    f"same text as {src.key}",
                    doc_id,
                    prev.sha256,
                    prev.size,
                    prev.extractor_version,
                )
        else:
            return "duplicate", f"same text as {kept}"
        return "ingested", None

    def _release(self, doc_id: str, key: str) -> None:
        """``key`` no longer yields ``doc_id``: hand the document to a duplicate, or drop it."""
        if self.store.doc_path(doc_id) != key:
            return
        others = self.store.ledger_keys_for_doc(doc_id, key)
        if not others:
            self.store.delete_document(doc_id)
            return
        new_key = others[0]
        self.store.update_document(doc_id, {"path": new_key})
        row = self.store.ledger_get(new_key)
        if row is not None:  # it is: ledger_keys_for_doc just read it in this transaction
            self.store.ledger_put(
                new_key, row.path, "ingested", None, doc_id, row.sha256, row.size, row.extractor_version
            )


def _merge_chunks(chunks: list[Extracted]) -> Extracted:
    first = chunks[0]
    pages = [p for c in chunks for p in c.pages]
    return Extracted(
        pages=pages,
        extractor=first.extractor,
        extractor_version=first.extractor_version,
        front_matter=first.front_matter,
        embedded=first.embedded,
        encoding=first.encoding,
        quality=_merge_quality([c.quality for c in chunks]),
    )


def _merge_quality(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """The chunks' extractor quality figures as one document's: numbers add, lists join."""
    out: dict[str, Any] = {}
    for q in parts:
        for k, v in q.items():
            out[k] = out.get(k, [] if isinstance(v, list) else 0) + v
    return out


def ingest(
    store: Store,
    paths: list[str],
    *,
    manifest: str | None = None,
    stdin_lines: Iterable[str] | None = None,
    cli: dict[str, Any] | None = None,
    text_column: str | None = None,
    jobs: int | None = None,
    on_event: Callable[[str, Any], None] | None = None,
    unit: str = "speech",
    members: str | None = None,
    limits: Limits | None = None,
    scheduler: str | None = None,
) -> IngestResult:
    """Ingest files, folders or ``-`` (paths on ``stdin_lines``) into ``store``.

    ``text_column`` makes .csv/.jsonl files one document per row. Parliamentary XML
    (ParlaMint, ParlParse) gives one document per speech, or per debate with
    ``unit="debate"``; ``members`` is a ParlParse ``people.json`` giving party by date.
    """
    from .sources import discover

    unmatched: list[str] = []
    sources, missing = discover(paths, manifest=manifest, stdin_lines=stdin_lines, unmatched=unmatched)
    ing = Ingester(
        store,
        cli=cli,
        text_column=text_column,
        jobs=jobs,
        on_event=on_event,
        unit=unit,
        members=members,
        limits=limits,
        scheduler=scheduler,
    )
    # One ingest at a time per store: a second one waits here (see discourse.store.lock).
    with ingest_lock(store.path, on_wait=ing._warn):
        if manifest and unmatched:
            ing.unmatched_rows(manifest, unmatched)
        return ing.run(sources, missing)
