"""One concept described in full, for ``discourse lexicon show --concept ID``:
its terms with their expanded forms (grouped by term and counted), context
and unless patterns, exclusions, codebook, precision block and filter."""

from __future__ import annotations

import contextlib
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Concept, Lexicon, Term

WIDTH = 100


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(
        " ".join(text.split()), WIDTH, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False
    ) or [indent]


def _term_lines(t: Term) -> list[str]:
    kind = "lemma" if t.lemma else "phrase"
    flags = [kind] + (["case-sensitive"] if t.match_case else [])
    n = len(t.written)
    out = [f"  {t.text}  ({', '.join(flags)}; line {t.line}; {n} form{'s' if n != 1 else ''})"]
    out += _wrap(", ".join(t.written), "      ")
    out += [f"      only if: {p.text}" + (" [scope: text]" if p.scope == "text" else "") for p in t.context]
    out += [f"      unless: {p.text}" + (" [scope: text]" if p.scope == "text" else "") for p in t.unless]
    return out


def _codebook_lines(c: Concept) -> list[str]:
    cb = c.codebook
    if cb is None:
        return ["Codebook: none (add a 'codebook:' block: definition, include, exclude)"]
    out = ["Codebook:", *_wrap(cb.definition, "  ")]
    for head, notes in (("Include", cb.include), ("Exclude", cb.exclude)):
        if notes:
            out.append(f"  {head}:")
            for note in notes:
                lines = _wrap(note, "      ")
                out += ["    - " + lines[0][6:], *lines[1:]]
    return out


def _precision_lines(c: Concept, base: Path) -> list[str]:
    p = c.precision
    if p is None:
        return ["Precision: not validated (no 'precision:' block; see discourse validate)"]
    sample = p.sample
    if sample:
        with contextlib.suppress(ValueError):
            sample = str(Path(sample).relative_to(base))
    lo, hi = p.interval
    line = f"Precision: {p.estimate:.3f} (Wilson 95% {lo:.3f}-{hi:.3f}), {p.yes} of {p.n} labelled mentions"
    out = [line + (f"; sample {sample}" if sample else "")]
    if p.note:
        out += _wrap(p.note, "  ")
    return out


def describe_concept(lexicon: Lexicon, cid: str) -> str:
    """The text ``lexicon show --concept`` prints. Raises KeyError for an unknown id."""
    c = lexicon.concept(cid)
    base = Path(lexicon.path).resolve().parent
    forms = sum(len(t.written) for t in c.terms)
    out = [f"{c.id}: {c.label} (family {c.family}; {lexicon.path}:{c.line})"]
    if c.description:
        out += _wrap(c.description, "  ")
    out += ["", f"Terms: {len(c.terms)} term{'s' if len(c.terms) != 1 else ''}, {forms} forms"]
    for t in c.terms:
        out += _term_lines(t)
    out += ["", f"Exclusions: {len(c.excludes) or 'none'}"]
    for e in c.excludes:
        scope = " [scope: text]" if e.pattern.scope == "text" else ""
        out += [f"  - {e.pattern.text}{scope}", f"      reason: {e.reason}"]
    out += ["", *_codebook_lines(c), "", *_precision_lines(c, base)]
    if c.filter:
        try:
            shown = str(Path(c.filter).relative_to(base))
        except ValueError:
            shown = c.filter
        out.append(
            f"Filter: {shown} (sha256 {c.filter_sha256[:12]}); rejected mentions are excluded as 'classifier (p=...)'"
        )
    else:
        out.append("Filter: none")
    return "\n".join(out) + "\n"
