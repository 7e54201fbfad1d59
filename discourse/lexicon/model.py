"""The loaded lexicon: terms, exclusions, concepts and the lexicon itself."""

from __future__ import annotations

import json
from dataclasses import dataclass

from .patterns import Pattern

DEFAULT_FAMILY = "default"


@dataclass(frozen=True)
class Term:
    """One term. ``variants`` are word sequences (normalised keys; original
    case when ``match_case``); the last word of a wildcard term ends in '*'.
    ``written`` holds the same sequences with the term's own separators, for
    display."""

    text: str
    lemma: bool = False
    match_case: bool = False
    context: tuple[Pattern, ...] = ()
    line: int = 0
    variants: tuple[tuple[str, ...], ...] = ()
    unless: tuple[Pattern, ...] = ()
    written: tuple[str, ...] = ()


@dataclass(frozen=True)
class Exclude:
    pattern: Pattern
    reason: str
    line: int = 0


@dataclass(frozen=True)
class Codebook:
    """The coding rules that labels follow: a definition and include/exclude
    notes, each with a short quoted example. Documentation only: it does not
    change what matches, nor the lexicon's content hash."""

    definition: str
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class Precision:
    """What a concept was validated on: ``yes`` of ``n`` labelled mentions
    were the concept. ``sample`` is the labelled file (resolved against the
    lexicon's folder); ``interval`` the Wilson 95% interval. Documentation
    only: it does not change the content hash."""

    n: int
    yes: int
    estimate: float
    interval: tuple[float, float]
    sample: str = ""
    note: str = ""


@dataclass(frozen=True)
class Concept:
    id: str
    label: str
    family: str
    description: str
    terms: tuple[Term, ...]
    excludes: tuple[Exclude, ...] = ()
    sources: tuple[str, ...] = ()
    line: int = 0
    codebook: Codebook | None = None
    precision: Precision | None = None
    filter: str | None = None  # a trained filter's JSON file (absolute path)
    filter_sha256: str = ""  # ... and the SHA-256 of its bytes (part of the content hash)


@dataclass(frozen=True)
class Lexicon:
    name: str
    version: int
    path: str
    concepts: tuple[Concept, ...]
    content_hash: str
    description: str = ""
    canonical_json: str = ""  # the canonical JSON that content_hash is the hash of

    def canonical(self) -> object:
        """The parsed lexicon content that :attr:`content_hash` identifies."""
        return json.loads(self.canonical_json) if self.canonical_json else None

    def families(self) -> dict[str, list[str]]:
        """family -> concept ids, both in lexicon order."""
        out: dict[str, list[str]] = {}
        for c in self.concepts:
            out.setdefault(c.family, []).append(c.id)
        return out

    def concept(self, cid: str) -> Concept:
        for c in self.concepts:
            if c.id == cid:
                return c
        raise KeyError(cid)

    @property
    def ids(self) -> list[str]:
        return [c.id for c in self.concepts]
