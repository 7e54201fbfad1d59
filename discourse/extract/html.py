"""HTML files (.html, .htm, and markdown files that are really HTML): main text only.

Two readers run on every page:

* **lxml-clean**: the document body with scripts, styles, ``<nav>``, ``<aside>``,
  forms, ARIA navigation/banner/footer landmarks, hidden elements, and page-level
  ``<header>``/``<footer>`` (not those inside ``<article>``/``<main>``/``<section>``)
  removed; if the page has one ``<main>`` (or ``role="main"``), only that.
  Block elements become line breaks, so words are never glued together.
* **trafilatura** (``include_comments=False, include_tables=True, favor_recall=True``),
  which also removes page furniture that is not marked up as such.

Which text is kept: trafilatura drops most headings (``<h1>``-``<h4>``) even with
``favor_recall``: on the uk_manifestos_2005_2010 HTML-in-.mkd files it kept
0/15, 6/78 and 9/100 headings while keeping 98-99.5% of the words, and headings
are where a policy concept is named. So

* if trafilatura's text has at least 85% of the lxml-clean words, the page has
  little furniture to remove and the lxml-clean text is kept (``extractor="lxml"``);
* if trafilatura removes more than 2,000 words (more than page furniture ever is),
  it has lost body text of a long document: lxml-clean is kept (``"lxml"``);
* otherwise trafilatura's text is kept (``extractor="trafilatura"``);
* if trafilatura returns nothing, lxml-clean is kept;
* a page libxml2 cannot read with its default limits (over 256 levels of nesting, a text node over
  10 MB) is parsed again with ``huge_tree`` and trafilatura is not asked (it would stop short where
  libxml2 did); a page over 5 MB skips trafilatura too. Past 2,048 levels even ``huge_tree`` stops,
  and the page is read by :func:`flat_text`, a parser-free reader (``extractor="html-flat"``).

The file is decoded by :func:`discourse.textio.decode_html` (a ``<meta charset>``
declaration wins over a legacy-encoding guess).

``embedded`` gets the ``<title>`` and a date from ``<meta>`` (``date``,
``dc.date``, ``dcterms.date``, ``dcterms.created``, ``article:published_time``)
when present: they rank lowest in metadata precedence.
"""

from __future__ import annotations

import re
from typing import Any

import lxml
import lxml.html
from lxml import etree

from ..errors import ExtractError
from ..textio import decode_html, normalise_newlines, read_nonempty
from ..types import Extracted

KEEP_IF_TRAFILATURA_KEEPS = 0.85  # share of lxml-clean words
MAX_TRAFILATURA_DROP = 2000  # words
MAX_TRAFILATURA_CHARS = 5_000_000  # a bigger page is a data dump, not a web page with furniture: lxml-clean only

LXML_VERSION = ".".join(str(p) for p in etree.LXML_VERSION[:3])

_DROP_ALWAYS = (
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "math",
    "nav",
    "aside",
    "form",
    "button",
    "select",
    "iframe",
    "object",
    "embed",
    "canvas",
    "head",
)
_DROP_XPATH = (
    "//*[@hidden] | //*[@aria-hidden='true']"
    " | //*[@role='navigation' or @role='banner' or @role='contentinfo' or @role='search']"
)
_BLOCK = {
    "address",
    "article",
    "blockquote",
    "body",
    "caption",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "html",
    "li",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "tfoot",
    "thead",
    "tr",
    "ul",
}
_CELL = {"td", "th"}
_WS = re.compile(r"\s{2,}|[^\S ]")  # = \s+ -> " ", without rewriting every single space
_META_DATES = ("date", "dc.date", "dcterms.date", "dcterms.created", "dc.date.issued", "article:published_time")


def _parse_with(html: str, huge: bool):
    parser = lxml.html.HTMLParser(huge_tree=huge)
    try:
        root = lxml.html.document_fromstring(html, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        # ValueError: a str with an XML encoding declaration
        try:
            root = lxml.html.document_fromstring(html.encode("utf-8"), parser=parser)
        except Exception:
            raise ExtractError(f"cannot parse HTML ({exc})") from None
    return root, [e.message for e in parser.error_log]


def _parse(html: str):
    """The parsed page, and how often libxml2 stopped short of the end (0, 1 or 2 parse limits hit).

    libxml2 stops at 256 levels of nesting, and at a text node over 10 MB, keeping what it read so
    far and saying so only in its error log: a page nested 300 deep kept 5,080 of 210,000 words,
    and a 50 MB one-line page kept none. Such a page is parsed again with ``huge_tree`` (2,048
    levels, no size limit); if that still stops short, the caller falls back to :func:`flat_text`.
    """
    root, errors = _parse_with(html, huge=False)
    if not any(_LIMIT_HIT.search(e) for e in errors):
        return root, 0
    root, errors = _parse_with(html, huge=True)
    return root, 2 if any(_LIMIT_HIT.search(e) for e in errors) else 1


_LIMIT_HIT = re.compile(r"Excessive depth|limit exceeded|XML_PARSE_HUGE", re.I)
_FLAT_DROP = re.compile(r"<(script|style|noscript|template)\b[^>]*>.*?</\1\s*>", re.I | re.S)
_FLAT_BLOCK = re.compile(r"</?(?:p|div|br|h[1-6]|li|ul|ol|tr|table|section|article|main|blockquote|pre)\b[^>]*>", re.I)
_FLAT_TAG = re.compile(r"<[^>]*>")


def flat_text(html: str) -> str:
    """The text of an HTML string without a parser: scripts and styles dropped, block tags become
    line breaks, other tags are removed, entities decoded. Linear in the length of the page; used
    only where the parser gave up (see :func:`_parse`), so page furniture is kept."""
    import html as _html

    text = _FLAT_BLOCK.sub("\n", _FLAT_DROP.sub(" ", html))
    text = _html.unescape(_FLAT_TAG.sub("", text))
    lines = (_WS.sub(" ", ln).strip() for ln in text.split("\n"))
    return "\n".join(ln for ln in lines if ln)


def _embedded(root) -> dict[str, Any]:
    out: dict[str, Any] = {}
    title = root.findtext(".//title")
    if title and title.strip():
        out["title"] = _WS.sub(" ", title).strip()
    for meta in root.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").strip().lower()
        content = (meta.get("content") or "").strip()
        if name in _META_DATES and content and "date" not in out:
            out["date"] = content
    return out


def _drop(el) -> None:
    el.drop_tree()  # keeps the element's tail text


def _clean(root):
    for el in list(root.iter(*_DROP_ALWAYS)):
        if el.getparent() is not None:
            _drop(el)
    for el in root.xpath(_DROP_XPATH):
        if el.getparent() is not None:
            _drop(el)
    for el in list(root.iter("header", "footer")):
        if el.getparent() is None:
            continue
        if not any(a.tag in ("article", "main", "section") for a in el.iterancestors()):
            _drop(el)
    for el in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        if el.getparent() is not None:
            _drop(el)
    mains = root.xpath("//main | //*[@role='main']")
    if len(mains) == 1:
        return mains[0]
    body = root.find("body")
    return body if body is not None else root


def _text_of(el) -> str:
    """The text of ``el``: block elements on lines of their own, cells apart. Iterative, so a page
    nested thousands of elements deep cannot exhaust the interpreter's recursion limit."""
    parts: list[str] = []
    # (node, in <pre>, entering?) -- leaving a node adds its closing break, then its tail
    stack: list[tuple[Any, bool, bool]] = [(el, False, True)]
    while stack:
        node, pre, entering = stack.pop()
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        if entering:
            in_pre = pre or tag == "pre"
            if tag in _BLOCK or tag == "br":
                parts.append("\n")
            elif tag in _CELL:
                parts.append(" ")
            if node.text and tag:
                parts.append(node.text if in_pre else _WS.sub(" ", node.text))
            stack.append((node, pre, False))
            stack.extend((child, in_pre, True) for child in reversed(node))
            continue
        if tag in _BLOCK:
            parts.append("\n")
        elif tag in _CELL:
            parts.append(" ")
        if node is not el and node.tail:
            parts.append(node.tail if pre else _WS.sub(" ", node.tail))
    text = "".join(parts)
    lines = [ln.strip() for ln in text.split("\n")]
    out: list[str] = []
    for ln in lines:
        if ln or (out and out[-1]):
            out.append(ln)
    return "\n".join(out).strip()


def lxml_clean_text(html: str) -> str:
    """The lxml-clean text of an HTML string (see the module docstring)."""
    return _text_of(_clean(_parse(html)[0]))


def html_to_text(html: str) -> tuple[str, str, str, dict[str, Any]]:
    """Main text of an HTML string: ``(text, extractor, extractor_version, embedded)``."""
    root, limits = _parse(html)
    embedded = _embedded(root)
    if limits == 2:
        return flat_text(html), "html-flat", LXML_VERSION, embedded
    clean = _text_of(_clean(root))
    n_clean = len(clean.split())
    if limits or len(html) > MAX_TRAFILATURA_CHARS:  # trafilatura parses with libxml2's default limits
        return clean, "lxml", LXML_VERSION, embedded
    try:
        import trafilatura

        traf = (
            trafilatura.extract(
                html,
                include_comments=False,
                include_tables=True,
                favor_recall=True,
                deduplicate=False,
                output_format="txt",
            )
            or ""
        )
        traf_version = trafilatura.__version__
    except Exception:  # trafilatura raising on odd input must not lose the document
        traf, traf_version = "", ""
    n_traf = len(traf.split())
    use_traf = n_traf > 0 and n_traf < KEEP_IF_TRAFILATURA_KEEPS * n_clean and n_clean - n_traf <= MAX_TRAFILATURA_DROP
    if use_traf:
        return traf.strip(), "trafilatura", traf_version, embedded
    return clean, "lxml", LXML_VERSION, embedded


def extract_html(path: str) -> Extracted:
    """Extract the main text of an .html/.htm file (one page)."""
    text, encoding = decode_html(read_nonempty(path))
    text = normalise_newlines(text)
    page, extractor, version, embedded = html_to_text(text)
    return Extracted(
        pages=[page],
        extractor=extractor,
        extractor_version=version,
        embedded=embedded,
        encoding=encoding,
    )
