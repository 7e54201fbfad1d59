"""Plain-text and markdown files: YAML front matter, HTML in disguise.

The file is read and decoded by :mod:`discourse.textio` (encoding detection and
refusal of binary content are described there).

YAML front matter: a block at the very top of the file that opens with a line
``---`` and closes with ``---`` (or ``...``), whose first content line looks like
``key: value`` (a key without spaces). It is metadata, never text: it is parsed with ``yaml.safe_load``
into ``Extracted.front_matter`` (dates become ISO strings, lists stay lists) and
removed from the body. If the block is not valid YAML, or not a mapping, it is
still kept out of the text, and ``front_matter`` holds only
``{"_warnings": ["front matter is not valid YAML (...); ignored"]}``;
:func:`discourse.sources.resolve_metadata` turns those into warnings naming the file.
A leading ``---`` block that does not look like ``key: value`` (a markdown rule
above a paragraph) is left in the text.

Markdown and reStructuredText are kept as written (markup characters do not hurt
word matching; the words themselves are left intact). A markdown file that is
really HTML (``<html>``, ``<!doctype html>``, or a document that starts with a
block tag such as ``<h1>`` and closes block tags on at least a fifth of its
lines, see :func:`looks_like_html`) is passed to the HTML extractor;
the extractor name is then ``text+trafilatura`` or ``text+lxml``.

Line endings are normalised to ``\\n``.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from .. import __version__
from ..textio import YamlLimitError, decode_bytes, jsonable, normalise_newlines, read_nonempty, safe_yaml
from ..types import Extracted

EXTRACTOR = "text"
EXTRACTOR_VERSION = __version__

# --- front matter -----------------------------------------------------------

#: Front matter longer than this is not parsed (a warning; the body is still read). Real front
#: matter is a few hundred characters; Iriss transcripts' longest is under 2,000.
MAX_FRONT_MATTER_CHARS = 65_536
_FM_OPEN = re.compile(r"\A---[ \t]*\n")
_FM_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)
# "key: value" (a key without spaces, optionally quoted): what front matter starts with
_KEY_LINE = re.compile(r"""^(?:[A-Za-z_][\w.-]*|"[^"]+"|'[^']+')[ \t]*:(?:\s|$)""")


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Split YAML front matter off the top of ``text`` (newlines already ``\\n``).

    Returns ``(front_matter, body)``. ``body`` is everything after the closing
    ``---`` line. Never raises: bad YAML gives ``{"_warnings": [...]}``.
    """
    m = _FM_OPEN.match(text)
    if not m:
        return {}, text
    close = _FM_CLOSE.search(text, m.end())
    if not close:
        return {}, text
    block = text[m.end() : close.start()]
    first = next((ln for ln in block.split("\n") if ln.strip() and not ln.lstrip().startswith("#")), None)
    if first is None:
        return {}, _after(text, close.end())  # empty (or comments-only) front matter
    if not _KEY_LINE.match(first):
        return {}, text  # a markdown rule above prose, not front matter
    body = _after(text, close.end())
    if len(block) > MAX_FRONT_MATTER_CHARS:  # PyYAML reads ~0.1 MB/s: 3 MB of it took minutes
        return {
            "_warnings": [f"front matter refused ({len(block):,} characters, over {MAX_FRONT_MATTER_CHARS:,}); ignored"]
        }, body
    try:
        data = safe_yaml(block)
    except YamlLimitError as exc:
        return {"_warnings": [f"front matter refused ({exc}); ignored"]}, body
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 2}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).split("\n")[0]
        return {"_warnings": [f"front matter is not valid YAML ({where}{problem}); ignored"]}, body
    if data is None:
        return {}, body
    if not isinstance(data, dict):
        return {"_warnings": [f"front matter is a YAML {type(data).__name__}, not key: value pairs; ignored"]}, body
    return jsonable(data), body


def _after(text: str, end: int) -> str:
    # drop the newline that ends the closing fence line
    return text[end + 1 :] if text[end : end + 1] == "\n" else text[end:]


# --- HTML sniffing ----------------------------------------------------------

_HTML_START = re.compile(
    r"\A(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
    r"<(?:!doctype\s+html|html|head|body|h[1-6]|p|div|table|ul|ol|section|article|main|header|title|meta)[\s>/]",
    re.I | re.S,
)
_CLOSING = re.compile(r"</(?:p|h[1-6]|div|li|td|table|body|html|section|article)\s*>", re.I)


def looks_like_html(text: str) -> bool:
    """True if a .txt/.md file is really an HTML document: it starts with
    ``<html>``/``<!doctype html>``, or with a block tag and closes block tags on
    at least a fifth of its lines. Inline HTML inside markdown does not count."""
    head = text.lstrip()[:4096]
    if not _HTML_START.match(head):
        return False
    if re.match(r"(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]", head, re.I | re.S):
        return True
    sample = text[:200_000]
    closing = len(_CLOSING.findall(sample))
    lines = sum(1 for ln in sample.split("\n") if ln.strip())
    # an HTML fragment closes a block on most lines (0.87 in the 2010 Lib Dem
    # manifesto); a README that opens with <p align="center"> does not
    return closing >= 2 and closing >= 0.2 * lines


# --- the extractor ----------------------------------------------------------


def extract_text(path: str) -> Extracted:
    """Extract a .txt/.md/.mkd/.mdown/.markdown/.rst file (one page)."""
    text, encoding = decode_bytes(read_nonempty(path))
    text = normalise_newlines(text)
    front_matter, body = split_front_matter(text)
    if looks_like_html(body):
        from .html import html_to_text

        page, extractor, version, embedded = html_to_text(body)
        return Extracted(
            pages=[page],
            extractor=f"text+{extractor}",
            extractor_version=version,
            front_matter=front_matter,
            embedded=embedded,
            encoding=encoding,
        )
    return Extracted(
        pages=[body],
        extractor=EXTRACTOR,
        extractor_version=EXTRACTOR_VERSION,
        front_matter=front_matter,
        encoding=encoding,
    )
