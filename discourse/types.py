"""Small frozen dataclasses that travel between stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Extracted:
    """What an extractor returns for one document.

    ``pages`` is the raw text of each page (one element for formats that have
    no pages). ``front_matter`` holds metadata found inside the file that ranks
    above command-line flags (YAML front matter, table columns). ``embedded``
    holds metadata the file format carries that ranks lowest (``title`` and
    ``date`` from a PDF Info dict, .docx core properties, HTML ``<title>`` and
    ``<meta>``). ``encoding`` is the detected encoding of a text-based file.
    ``quality`` holds the extractor's own quality figures (merged into the
    normaliser's). ``running_lines=False`` says the pages are not printed pages
    (the Hansard columns of a speech): no running headers or footers to remove.
    """

    pages: list[str]
    extractor: str
    extractor_version: str
    front_matter: dict[str, Any] = field(default_factory=dict)
    embedded: dict[str, Any] = field(default_factory=dict)
    encoding: str | None = None
    quality: dict[str, Any] = field(default_factory=dict)
    running_lines: bool = True


@dataclass(frozen=True)
class Normalised:
    """Normalised text of a document, with the page boundaries kept.

    ``page_starts[i]`` is the character offset in ``text`` where page i+1 starts
    (``page_starts[0] == 0``). ``quality`` holds extraction-quality figures.
    """

    text: str
    page_starts: list[int]
    quality: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Source:
    """One input to ingest: a file, or one row of a table file.

    ``path`` is the absolute POSIX path of the file; ``key`` is the ledger key
    (``path`` for a file, ``path#row=N`` for a table row). ``manifest`` is the
    manifest row for this file (without the file column), or ``{}``.
    """

    path: str
    key: str
    manifest: dict[str, Any] = field(default_factory=dict)
    row: int | None = None


@dataclass(frozen=True)
class Prepared:
    """One document as a worker returns it to the writer: normalised, tokenised
    and ready to store (picklable, so it crosses the process pool).

    ``docbin`` is the spaCy ``DocBin`` of the tokens, ``nlp`` the pipeline
    fingerprint; ``words`` and ``ws_words`` are the two word counts;
    ``pages`` the number of pages extracted. The extractor's metadata is kept
    as it came (``front_matter``, ``embedded``, ``encoding``) so the writer can
    resolve it, and re-resolve it later from :attr:`raw_meta`.
    """

    doc_id: str
    text: str
    page_starts: list[int]
    quality: dict[str, Any]
    docbin: bytes
    n_tokens: int
    words: int
    ws_words: int
    nlp: str
    extractor: str
    extractor_version: str
    front_matter: dict[str, Any]
    embedded: dict[str, Any]
    encoding: str | None
    pages: int
    # The positional index of the tokens (discourse.nlp.doc_arrays): the document's own type strings,
    # the packed arrays and the number of tokens; the writer maps the strings to the store's vocabulary.
    index: tuple[list[str], bytes, int] | None = None

    @property
    def raw_meta(self) -> dict[str, Any]:
        """What the store keeps to re-resolve the metadata without re-extracting."""
        return {"front_matter": self.front_matter, "embedded": self.embedded, "encoding": self.encoding}


@dataclass(frozen=True)
class WorkFailure:
    """Why a worker could not prepare an input: the ledger ``status``
    (``failed``, ``no-text``, ``skipped``) and a one-line ``reason``."""

    status: str
    reason: str


#: What a worker returns for one input.
WorkResult = Prepared | WorkFailure
