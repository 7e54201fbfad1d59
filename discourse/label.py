"""The terminal labeller behind ``discourse label``: one mention at a time, saved after every answer.

Each row of a sample file (:func:`discourse.validate.write_sample`) is shown
with its wider context read from the store (:data:`CONTEXT_WORDS` words each
side, the match highlighted), the concept's codebook (definition, include and
exclude notes) and its label and description from the
lexicon. Keys: ``y`` yes (it is the concept), ``n`` no, ``u`` unsure, ``b``
back one row, ``q`` quit. At a terminal a single keystroke answers; from a
pipe, each line's first character does (so a script can feed ``y\\nn\\n...``),
and the end of input quits.

The file is written back atomically after every answer (temporary file, then
``os.replace``), keeping every other column and the row order; a new coder
column is added at the end. A run starts at the first unlabelled row, so
quitting and starting again resumes. After an answer the labeller moves to
the next unlabelled row (``b`` then an answer revises a row and returns).

Corpus text is never read as Rich markup: it goes into :class:`rich.text.Text`
objects, so a transcript's ``[brackets]`` print as they are.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TextIO

from rich.console import Console
from rich.text import Text

from .errors import UsageError
from .kwic import context
from .store import Store
from .store.labels import parse_mention_id
from .validate import SampleFile, read_sample

#: Words of context shown on each side of the match.
CONTEXT_WORDS = 60
KEYS = {"y": "yes", "n": "no", "u": "unsure"}
PROMPT = "[y]es  [n]o  [u]nsure  [b]ack  [q]uit > "

KeyReader = Callable[[str], "str | None"]


@dataclass
class LabelRun:
    """How a labelling run ended."""

    path: str
    coder: str
    total: int
    labelled: int
    answered: int

    def summary(self) -> str:
        return (
            f"{self.path}: {self.labelled} of {self.total} row(s) labelled in column {self.coder} "
            f"({self.answered} answered now)"
        )


def read_key(prompt: str, stream: TextIO | None = None, out: TextIO | None = None) -> str | None:
    """Show ``prompt`` and read one answer: a keystroke at a terminal, else a line's first character.

    Returns the lower-cased key ('' for an empty line), or ``None`` at the end of input.
    """
    stream = stream or sys.stdin
    out = out or sys.stdout
    key = _keystroke(stream, prompt, out)
    if key is None:  # not a terminal: read a line
        out.write(prompt)
        out.flush()
        line = stream.readline()
        if not line:
            out.write("\n")
            return None
        key = line.strip()[:1]
    out.write(key + "\n")
    out.flush()
    if key == "\x04":  # Ctrl-D at a terminal
        return None
    return key.lower()


def _keystroke(stream: TextIO, prompt: str, out: TextIO) -> str | None:
    """Show ``prompt`` and read one keystroke from a terminal; ``None`` (and no prompt) if not a terminal.

    The terminal is in cbreak mode (no echo, no Enter needed; Ctrl-C still interrupts) from
    before the prompt until the key is read, and keys typed early are kept, not flushed.
    """
    try:
        if not stream.isatty():
            return None
        import termios
        import tty
    except (ImportError, AttributeError, ValueError):
        return None
    fd = stream.fileno()
    old = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd, termios.TCSANOW)
        out.write(prompt)
        out.flush()
        return os.read(fd, 1).decode("utf-8", "replace") or "\x04"
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, old)


def label_file(
    path: str | os.PathLike,
    store: Store | None,
    lexicon,
    *,
    coder: str = "label",
    words: int = CONTEXT_WORDS,
    keys: KeyReader | None = None,
    console: Console | None = None,
) -> LabelRun:
    """Label the rows of a sample file in column ``coder``, one at a time, until done or ``q``.

    ``keys(prompt)`` returns each answer (default :func:`read_key`); ``store``
    supplies the wider context (``None``, or a document not in it: the sample's
    own left/match/right).
    """
    sf = read_sample(path)
    coder = coder.strip()
    if not coder:
        raise UsageError("--coder: give a column name")
    if coder not in sf.columns:
        sf.columns.append(coder)
        for r in sf.rows:
            r[coder] = ""
    keys = keys or read_key
    console = console or Console(highlight=False, soft_wrap=False)
    view = _View(sf, store, lexicon, coder, words, console)
    answered = 0
    i = _next_unlabelled(sf, coder, -1)
    while i is not None:
        view.show(i)
        key = keys(PROMPT)
        if key is None or key == "q":
            break
        if key == "b":
            i = max(0, i - 1)
        elif key in KEYS:
            sf.rows[i][coder] = KEYS[key]
            sf.save()
            answered += 1
            i = _next_unlabelled(sf, coder, i)
        else:
            console.print("Press y (yes), n (no), u (unsure), b (back) or q (quit).")
    labelled = sum(bool(r[coder].strip()) for r in sf.rows)
    if i is None:
        console.print(f"All {len(sf.rows)} row(s) are labelled.")
    return LabelRun(str(sf.path), coder, len(sf.rows), labelled, answered)


def _next_unlabelled(sf: SampleFile, coder: str, after: int) -> int | None:
    """The first unlabelled row after ``after``, else the first one at all; ``None`` when none is left."""
    n = len(sf.rows)
    for j in [*range(after + 1, n), *range(0, after + 1)]:
        if not sf.rows[j][coder].strip():
            return j
    return None


class _View:
    """Draws one row: position, concept, document, the wider context with the match highlighted."""

    def __init__(self, sf: SampleFile, store: Store | None, lexicon, coder: str, words: int, console: Console):
        self.sf, self.store, self.lexicon, self.coder, self.words, self.console = (
            sf,
            store,
            lexicon,
            coder,
            words,
            console,
        )
        self._text: tuple[str, str | None] = ("", None)  # (doc_id, text) of the last document read

    def show(self, i: int) -> None:
        row = self.sf.rows[i]
        c = self.console
        c.rule(Text(f"{i + 1}/{len(self.sf.rows)}  {row.get('concept', '')}"), style="dim")
        concept = self._concept(row.get("concept", ""))
        if concept is not None:
            c.print(Text.assemble((concept.label, "bold"), ": ", concept.description.strip()))
            self._codebook(concept)
        doc = " · ".join(v for v in (row.get("title"), row.get("date"), f"page {row.get('page')}") if v)
        c.print(Text(doc, style="dim"))
        left, match, right, source = self._context(row)
        c.print(Text.assemble("… " + left + " ", (match, "bold reverse"), " " + right + " …"))
        if source:
            c.print(Text(source, style="dim"))
        current = row[self.coder].strip()
        if current:
            c.print(Text(f"current {self.coder}: {current}", style="yellow"))

    def _codebook(self, concept: Any) -> None:
        """The concept's coding rules (its lexicon ``codebook:``): definition, include and exclude notes."""
        cb = getattr(concept, "codebook", None)
        if cb is None:
            return
        c = self.console
        c.print(Text.assemble(("codebook: ", "bold"), cb.definition))
        for head, notes, style in (("yes if", cb.include, "green"), ("no if", cb.exclude, "red")):
            for note in notes:
                c.print(Text.assemble(("  " + head + ": ", style), note))

    def _concept(self, cid: str) -> Any:
        try:
            return self.lexicon.concept(cid) if self.lexicon is not None else None
        except KeyError:
            return None

    def _context(self, row: dict[str, str]) -> tuple[str, str, str, str]:
        """(left, match, right, a note on where the context came from)."""
        span = parse_mention_id(row.get("mention_id", ""))
        text = self._doc_text(span[0]) if span else None
        if span is None or text is None or span[2] > len(text):
            return row.get("left", ""), row.get("match", ""), row.get("right", ""), "(context from the sample file)"
        left, match, right = context(text, span[1], span[2], self.words)
        return left, match, right, ""

    def _doc_text(self, doc_id: str) -> str | None:
        if self._text[0] != doc_id:
            text = None
            if self.store is not None and self.store.document(doc_id) is not None:
                text = self.store.text(doc_id)[0]
            self._text = (doc_id, text)
        return self._text[1]
