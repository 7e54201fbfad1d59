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
    holds metadata the file format carries that ranks lowest (PDF Info dict:
    ``title``, ``date``).
    """

    pages: list[str]
    extractor: str
    extractor_version: str
    front_matter: dict[str, Any] = field(default_factory=dict)
    embedded: dict[str, Any] = field(default_factory=dict)
    encoding: str | None = None


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
