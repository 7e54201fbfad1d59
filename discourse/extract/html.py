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
* if trafilatura returns nothing, lxml-clean is kept.

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
_WS = re.compile(r"\s+")
_META_DATES = ("date", "dc.date", "dcterms.date", "dcterms.created", "dc.date.issued", "article:published_time")


def _parse(html: str):
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        # ValueError: a str with an XML encoding declaration
        try:
            return lxml.html.document_fromstring(html.encode("utf-8"))
        except Exception:
            raise ExtractError(f"cannot parse HTML ({exc})") from None


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
    parts: list[str] = []

    def walk(node, pre: bool) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        tag = tag.lower()
        in_pre = pre or tag == "pre"
        if tag in _BLOCK or tag == "br":
            parts.append("\n")
        elif tag in _CELL:
            parts.append(" ")
        if node.text and tag:
            parts.append(node.text if in_pre else _WS.sub(" ", node.text))
        for child in node:
            walk(child, in_pre)
            if child.tail:
                parts.append(child.tail if in_pre else _WS.sub(" ", child.tail))
        if tag in _BLOCK:
            parts.append("\n")
        elif tag in _CELL:
            parts.append(" ")

    walk(el, False)
    text = "".join(parts)
    lines = [ln.strip() for ln in text.split("\n")]
    out: list[str] = []
    for ln in lines:
        if ln or (out and out[-1]):
            out.append(ln)
    return "\n".join(out).strip()


def lxml_clean_text(html: str) -> str:
    """The lxml-clean text of an HTML string (see the module docstring)."""
    return _text_of(_clean(_parse(html)))


def html_to_text(html: str) -> tuple[str, str, str, dict[str, Any]]:
    """Main text of an HTML string: ``(text, extractor, extractor_version, embedded)``."""
    root = _parse(html)
    embedded = _embedded(root)
    clean = _text_of(_clean(root))
    n_clean = len(clean.split())
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
