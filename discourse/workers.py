"""The worker side of ingest: pure functions of their inputs that extract, normalise and tokenise one
document and return it (:class:`~discourse.types.Prepared` or :class:`~discourse.types.WorkFailure`).
They never touch the store; :mod:`discourse.ingest` schedules them and writes what they return.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from typing import Any, TypeVar

from . import __version__
from .errors import ExtractError, NoTextError
from .extract.parl import RecordRef, load_record
from .types import Extracted, Normalised, Prepared, WorkFailure, WorkResult

T = TypeVar("T")


# ---------------------------------------------------------------------------
# Worker side: pure functions of their inputs; they never touch the store.

_NLP = None


def _nlp():
    global _NLP
    if _NLP is None:
        from .nlp import make_nlp

        _NLP = make_nlp()
    return _NLP


def _init_worker(parent: int | None = None) -> None:  # pragma: no cover - runs in child processes
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    _die_with_parent(parent)
    _nlp()


def _die_with_parent(parent: int | None) -> None:  # pragma: no cover - runs in child processes
    """Ask Linux to SIGKILL this worker when its parent dies (``kill -9`` of ingest left workers running).

    ``prctl(PR_SET_PDEATHSIG, SIGKILL)``; a no-op where prctl is not available.
    """
    import ctypes
    import ctypes.util
    import signal

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    # The parent died before prctl took effect: this worker was handed to init. (Not when ingest itself
    # is PID 1, as in a container; under forkserver the parent is the server, so only init counts.)
    if parent not in (None, 1) and os.getppid() == 1:
        os._exit(1)


def prepare(ext: Extracted) -> Prepared:
    """Normalise and tokenise one extracted document (runs in a worker)."""
    from .nlp import NLP_VERSION, count_words, count_ws_words, doc_arrays, doc_to_bytes, tokenise
    from .normalise import normalise_pages

    norm = normalise_pages(ext.pages) if ext.running_lines else _normalise_each(ext.pages)
    if not norm.text.strip():
        if ext.extractor.startswith("pdfminer"):
            raise NoTextError("no text layer (scanned or printed page?): needs OCR")
        raise ExtractError("no text after extraction")
    doc = next(tokenise(_nlp(), [norm.text]))
    return Prepared(
        doc_id=doc_id_of(norm.text),
        text=norm.text,
        page_starts=norm.page_starts,
        quality={**norm.quality, **ext.quality},
        docbin=doc_to_bytes(doc),
        index=doc_arrays(doc),
        n_tokens=len(doc),
        words=count_words(doc),
        ws_words=count_ws_words(norm.text),
        nlp=NLP_VERSION,
        extractor=ext.extractor,
        extractor_version=ext.extractor_version,
        front_matter=ext.front_matter,
        embedded=ext.embedded,
        encoding=ext.encoding,
        pages=len(ext.pages),
    )


def _normalise_each(pages: list[str]) -> Normalised:
    """Normalise pages one by one and join them: for pages that are not printed pages (the Hansard
    columns of a speech), where a line repeated at column edges is speech, not a running header."""
    from .normalise import normalise_pages

    parts = [normalise_pages([p]) for p in pages] or [normalise_pages([""])]
    starts, pos = [], 0
    for part in parts:
        starts.append(pos)
        pos += len(part.text) + 2
    quality = {k: sum(part.quality[k] for part in parts) for k in parts[0].quality}
    return Normalised(text="\n\n".join(part.text for part in parts), page_starts=starts, quality=quality)


def _work_file(path: str) -> WorkResult:
    from .extract import extract

    return _guard(lambda: prepare(extract(path)))


def _work_row(text: str | ExtractError | RecordRef, meta: dict[str, Any]) -> WorkResult:
    def run() -> Prepared:
        if isinstance(text, ExtractError):  # a bad row: read_table yields its error in place
            raise text
        if isinstance(text, RecordRef):  # a record of a multi-record file (a parliamentary speech)
            return prepare(load_record(text))
        return prepare(Extracted(pages=[text], extractor="table", extractor_version=__version__, front_matter=meta))

    return _guard(run)


def _work_pdf_chunk(path: str, pages: list[int]) -> Extracted | WorkFailure:
    from .extract.pdf import extract_pdf

    return _guard(lambda: extract_pdf(path, pages))


def _work_pdf_count(path: str) -> int | WorkFailure:
    from .extract.pdf import pdf_page_count

    return _guard(lambda: pdf_page_count(path))


def _work_pdf_finish(ext: Extracted) -> WorkResult:
    from .extract.pdf import require_text_layer

    def run() -> Prepared:
        require_text_layer(ext.pages)
        return prepare(ext)

    return _guard(run)


def _guard(fn: Callable[[], T]) -> T | WorkFailure:
    """Run ``fn``; turn any exception into a one-line :class:`WorkFailure`."""
    try:
        return fn()
    except ExtractError as exc:
        return WorkFailure(exc.status, exc.message)
    except MemoryError:
        return WorkFailure("failed", "out of memory")
    except Exception as exc:  # a bug or a hostile file: report it, keep the batch going
        return WorkFailure("failed", f"{type(exc).__name__}: {exc}".splitlines()[0][:300])


def doc_id_of(text: str) -> str:
    """Stable document id: the first 16 hex digits of sha256 of the normalised text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
