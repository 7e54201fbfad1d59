"""Errors that carry a one-line message, an optional hint and an exit code.

The CLI turns any :class:`DiscourseError` into ``Error: <message>`` plus an
optional ``Hint: <hint>`` line on stderr and exits with ``code``.
"""

from __future__ import annotations


class DiscourseError(Exception):
    """Base class. ``code`` is the process exit code the CLI uses (1)."""

    code = 1

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.message


class UsageError(DiscourseError):
    """Bad command-line usage (exit code 2)."""

    code = 2


class ExtractError(DiscourseError):
    """An input could not be read. Ledger status ``failed``; the batch goes on."""

    status = "failed"


class NoTextError(ExtractError):
    """A PDF (or other file) has no text layer. Ledger status ``no-text``."""

    status = "no-text"


class UnsupportedError(ExtractError):
    """A file type discourse does not read. Ledger status ``skipped``."""

    status = "skipped"


class ManifestError(DiscourseError):
    """A manifest CSV that cannot be used (message names file:line)."""


class LexiconError(DiscourseError):
    """A lexicon file that cannot be used (message names file:line)."""


class StoreError(DiscourseError):
    """The corpus store cannot be opened or is from a newer version."""
