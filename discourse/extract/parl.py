"""Parliamentary debates: ParlaMint TEI and ParlParse (TheyWorkForYou) XML, read as records.

A ``.xml`` file is recognised by its content, never by its name (:func:`sniff`):

* ParlaMint / Parla-CLARIN TEI: root ``<TEI>`` (one sitting) or ``<teiCorpus>`` in the TEI
  namespace, read by :mod:`discourse.extract.parlamint`;
* ParlParse: root ``<publicwhip>``, read by :mod:`discourse.extract.parlparse`;
* ParlaMint metadata files (``<listPerson>``, ``<listOrg>``, ``<taxonomy>``) and a corpus root
  that only ``xi:include``-s its sittings are skipped (their content is used for the sittings);
* any other XML fails with a one-line error naming its root element.

:meth:`ParlReader.read` turns one file into :class:`ParlFile`: a list of ``(key suffix,
Extracted)`` records, one per speech (or per debate with ``unit="debate"``). Each record's
``front_matter`` holds date, title (the debate heading), house, debate, speaker, speaker_id,
party, role ...; its pages are the Hansard columns the speech spans (``embedded["page_labels"]``,
``embedded["page_unit"] = "col"``) so a KWIC line can cite "col. 300". Procedural text
(stage directions, notes, division lists, interjection markers) is left out of the text and
counted in ``quality["procedural_removed"]``.

Safe parsing (:func:`parse_xml`): no external entities, no DTD is loaded, no entity expands to
more than one character. ParlParse files declare their named characters in an internal DTD
subset (``<!ENTITY pound "&#163;">``): such a subset is accepted only when every declaration
is one character, and the references are replaced before parsing; anything else in a DTD
(an entity whose value is longer, parameter entities, ``SYSTEM``/``PUBLIC`` identifiers),
for instance the "billion laughs", is refused with a one-line error. The parser itself is
:mod:`defusedxml` with DTDs and entities forbidden.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element

from .. import __version__
from ..errors import ExtractError, UnsupportedError
from ..types import Extracted

__all__ = [
    "DEBATE_PARTY_NOTE",
    "PROCEDURAL_KEY",
    "ParlFile",
    "ParlReader",
    "RecordRef",
    "Unit",
    "load_record",
    "local",
    "parse_xml",
    "sniff",
    "text_of",
]

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
UNITS = ("speech", "debate")
#: The quality figure that counts the procedural elements left out of the text.
PROCEDURAL_KEY = "procedural_removed"
#: Why a debate (``unit="debate"``) has no party.
DEBATE_PARTY_NOTE = "a debate has speakers of several parties: ingest with --unit speech to compare parties"
#: Bytes of the file read to find the root element and any DTD.
HEAD_BYTES = 1 << 16
#: Most entities an internal DTD subset may declare (ParlParse declares about 40).
MAX_ENTITIES = 500


# --- safe parsing -----------------------------------------------------------------------

_DOCTYPE_RE = re.compile(rb"<!DOCTYPE\s+[\w:.-]+\s*", re.I)
_ENTITY_DECL_RE = re.compile(rb"""<!ENTITY\s+([A-Za-z_][\w.-]*)\s+(?:"([^"]*)"|'([^']*)')\s*>""")
_COMMENT_RE = re.compile(rb"<!--.*?-->", re.S)
_CHAR_REF_RE = re.compile(rb"&#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}));")
_ENTITY_REF_RE = re.compile(rb"&([A-Za-z_][\w.-]*);")
_PREDEFINED = {b"amp", b"lt", b"gt", b"quot", b"apos"}


def _single_char(value: bytes) -> bytes | None:
    """The character reference an entity value stands for, if it is exactly one character."""
    m = _CHAR_REF_RE.fullmatch(value)
    if m:
        code = int(m.group(1), 16) if m.group(1) else int(m.group(2))
        return f"&#{code};".encode() if 0 < code <= 0x10FFFF else None
    try:
        text = value.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if len(text) == 1 and text not in "&<%":
        return f"&#{ord(text)};".encode()
    return None


def _internal_subset(data: bytes, start: int, name: str) -> tuple[int, dict[bytes, bytes]]:
    """Read an internal DTD subset beginning at ``start`` (just after ``[``).

    Returns the offset just past the closing ``]>`` and the entities it declares, each as a
    numeric character reference. Raises :class:`ExtractError` for anything else.
    """
    entities: dict[bytes, bytes] = {}
    pos = start
    while True:
        while pos < len(data) and data[pos : pos + 1].isspace():
            pos += 1
        if data.startswith(b"]", pos):
            end = re.compile(rb"\]\s*>").match(data, pos)
            if not end:
                break
            return end.end(), entities
        comment = _COMMENT_RE.match(data, pos)
        if comment:
            pos = comment.end()
            continue
        decl = _ENTITY_DECL_RE.match(data, pos)
        if not decl:
            what = data[pos : pos + 40].split(b">")[0].decode("latin-1", "replace")
            raise ExtractError(f"{name}: XML DTD declaration {what!r}... refused (only one-character entities)")
        value = decl.group(2) if decl.group(2) is not None else decl.group(3)
        ref = _single_char(value)
        if ref is None:
            ent = decl.group(1).decode("ascii", "replace")
            raise ExtractError(
                f"{name}: XML entity {ent!r} expands to more than one character; refused "
                "(entity expansion, as in a 'billion laughs' file, is not allowed)"
            )
        entities[decl.group(1)] = ref
        if len(entities) > MAX_ENTITIES:
            raise ExtractError(f"{name}: XML DTD declares over {MAX_ENTITIES} entities; refused")
        pos = decl.end()
    raise ExtractError(f"{name}: XML DTD subset is not closed within the first {HEAD_BYTES} bytes; refused")


def _strip_doctype(data: bytes, name: str) -> bytes:
    """``data`` without its DOCTYPE, its one-character entity references replaced by character
    references; raises :class:`ExtractError` for a DTD that could expand or load anything."""
    m = _DOCTYPE_RE.search(data, 0, HEAD_BYTES)
    if not m:
        return data
    pos = m.end()
    if data.startswith(b"[", pos):
        end, entities = _internal_subset(data, pos + 1, name)
    elif re.compile(rb"(SYSTEM|PUBLIC)\b").match(data, pos):
        raise ExtractError(f"{name}: XML DOCTYPE names an external DTD; refused (nothing is loaded)")
    else:
        close = data.find(b">", pos, pos + 200)
        if close < 0:
            raise ExtractError(f"{name}: malformed XML DOCTYPE")
        end, entities = close + 1, {}
    body = data[: m.start()] + data[end:]
    if not entities:
        return body

    def sub(ref: re.Match[bytes]) -> bytes:
        return entities.get(ref.group(1), ref.group(0))

    return _ENTITY_REF_RE.sub(sub, body)


def parse_xml(data: bytes, name: str) -> Element:
    """Parse XML bytes safely (see the module docstring); one-line :class:`ExtractError` on failure."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    body = _strip_doctype(data, name)
    try:
        return fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise ExtractError(f"{name}: unsafe XML refused ({type(exc).__name__})") from None
    except ParseError as exc:
        raise ExtractError(f"{name}: not well-formed XML ({exc})") from None
    except RecursionError:
        raise ExtractError(f"{name}: XML nested too deeply") from None


# --- sniffing ---------------------------------------------------------------------------

_ROOT_RE = re.compile(rb"<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)(\s[^>]*)?/?>", re.S)
_SKIP_RE = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>)", re.S)


def _decode_head(head: bytes) -> bytes:
    """The head as ASCII-compatible bytes (UTF-16 files are re-encoded)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", "ignore").encode("utf-8", "replace")
    return head.removeprefix(b"\xef\xbb\xbf")


def sniff(head: bytes) -> tuple[str, str]:
    """``(kind, root)`` from the first bytes of an XML file.

    ``kind`` is ``"parlamint"`` (root ``TEI``/``teiCorpus`` in the TEI namespace),
    ``"parlamint-meta"`` (``listPerson``, ``listOrg``, ``taxonomy``), ``"parlparse"``
    (``publicwhip``) or ``"unknown"``; ``root`` is the root element's name (``""`` if none).
    """
    data = _decode_head(head)
    pos = 0
    while True:
        m = _SKIP_RE.match(data, pos)
        if not m or m.end() == pos:
            break
        pos = m.end()
    root = _ROOT_RE.match(data, pos + (len(data[pos:]) - len(data[pos:].lstrip())))
    if not root:
        return "unknown", ""
    name = root.group(2).decode("ascii", "replace")
    attrs = root.group(3) or b""
    if name == "publicwhip":
        return "parlparse", name
    if name in ("TEI", "teiCorpus") and TEI_NS.encode() in attrs:
        return "parlamint", name
    if name in ("listPerson", "listOrg", "taxonomy") and TEI_NS.encode() in attrs:
        return "parlamint-meta", name
    return "unknown", name


# --- element helpers --------------------------------------------------------------------


def local(tag: Any) -> str:
    """An element's name without its namespace (``""`` for comments and processing instructions)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def text_of(el: Element) -> str:
    """All the text inside ``el``, whitespace folded."""
    return " ".join("".join(el.itertext()).split())


# --- records ----------------------------------------------------------------------------


@dataclass
class Unit:
    """One speech (or debate) as a reader found it, before it becomes a record."""

    key: str
    pages: list[str]
    labels: list[str] | None
    meta: dict[str, Any]
    procedural: int = 0
    page_unit: str = "col"


@dataclass
class ParlFile:
    """What one file yields: ``records`` as ``(key suffix, Extracted)`` and file-level ``notes``."""

    records: list[tuple[str, Extracted]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def column_span(labels: list[str]) -> str:
    """``"300"`` or ``"300-301"`` (first and last label; ``""`` for none)."""
    if not labels:
        return ""
    return labels[0] if len(labels) == 1 or labels[0] == labels[-1] else f"{labels[0]}-{labels[-1]}"


def to_record(unit: Unit, extractor: str) -> tuple[str, Extracted]:
    """The ``(key suffix, Extracted)`` of one unit; metadata with empty values dropped."""
    meta = {k: v for k, v in unit.meta.items() if v not in (None, "", [])}
    embedded: dict[str, Any] = {}
    if unit.labels:
        embedded = {"page_labels": list(unit.labels), "page_unit": unit.page_unit}
        known = [lab for lab in unit.labels if lab]
        meta.setdefault("columns" if unit.page_unit == "col" else "source_pages", column_span(known))
    ext = Extracted(
        pages=unit.pages or [""],
        extractor=extractor,
        extractor_version=__version__,
        front_matter=meta,
        embedded=embedded,
        quality={PROCEDURAL_KEY: unit.procedural},
        running_lines=False,
    )
    return unit.key, ext


def merge_units(units: list[Unit], key: str, meta: dict[str, Any]) -> Unit:
    """Join several speeches into one debate: pages with equal labels are joined, not repeated."""
    pages: list[str] = []
    labels: list[str] = []
    for u in units:
        for i, page in enumerate(u.pages):
            label = u.labels[i] if u.labels else ""
            if labels and labels[-1] == label:
                pages[-1] = f"{pages[-1]}\n\n{page}" if pages[-1] else page
            else:
                pages.append(page)
                labels.append(label)
    return Unit(
        key=key,
        pages=pages,
        labels=labels if any(labels) else None,
        meta=meta,
        procedural=sum(u.procedural for u in units),
        page_unit=units[0].page_unit if units else "col",
    )


@dataclass(frozen=True)
class RecordRef:
    """A light reference to one record of a file, sent to a worker instead of the record's text:
    the worker reads the file again (once: :func:`load_record` keeps the last file's records), so
    the ingest process does not hold every speech of a large download at once."""

    path: str
    key: str
    unit: str = "speech"
    members: str | None = None


_READERS: dict[tuple[str, str | None], ParlReader] = {}
_LAST: dict[tuple[str, str, str | None], dict[str, Extracted]] = {}


def load_record(ref: RecordRef) -> Extracted:
    """The record ``ref`` names, read from its file (the last file read is kept, one per process)."""
    cache_key = (ref.path, ref.unit, ref.members)
    if cache_key not in _LAST:
        reader_key = (ref.unit, ref.members)
        if reader_key not in _READERS:
            _READERS[reader_key] = ParlReader(ref.unit, ref.members)
        records = dict(_READERS[reader_key].read(ref.path).records)
        _LAST.clear()
        _LAST[cache_key] = records
    try:
        return _LAST[cache_key][ref.key]
    except KeyError:
        raise ExtractError(f"{os.path.basename(ref.path)}: record {ref.key} is no longer in the file") from None


class ParlReader:
    """Reads parliamentary XML files for one ingest run (members data and ParlaMint lists cached).

    ``unit`` is ``"speech"`` or ``"debate"``; ``members`` the path of a ParlParse
    ``people.json`` (Popolo) file giving party by date, or ``None``.
    """

    def __init__(self, unit: str = "speech", members: str | None = None):
        if unit not in UNITS:
            raise ValueError(f"unit must be one of {', '.join(UNITS)}")
        self.unit = unit
        self.members_path = members
        self.members: Any = None  # discourse.extract.parlparse.Members, loaded now so a bad file stops the run
        if members:
            from .parlparse import Members

            self.members = Members.load(members)
        self.lists_cache: dict[str, Any] = {}

    def refs(self, path: str) -> tuple[list[RecordRef], list[str]]:
        """The records of ``path`` as :class:`RecordRef` (and the file's notes); raises as :meth:`read`."""
        parsed = self.read(path)
        refs = [RecordRef(path, key, self.unit, self.members_path) for key, _ext in parsed.records]
        return refs, parsed.notes

    def read(self, path: str) -> ParlFile:
        """The records of one file; raises :class:`ExtractError` (failed) or
        :class:`UnsupportedError` (skipped) for the whole file."""
        name = os.path.basename(path)
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            raise ExtractError(f"cannot read file: {exc.strerror or exc}") from None
        if not data.strip():
            raise ExtractError("empty file (0 bytes)" if not data else "empty XML file")
        kind, root = sniff(data[:HEAD_BYTES])
        if kind == "unknown":
            what = f"root element <{root}>" if root else "no root element found"
            raise ExtractError(
                f"{name}: XML not recognised ({what}): discourse reads ParlaMint TEI (<TEI>, <teiCorpus>) "
                "and ParlParse (<publicwhip>) XML",
                hint="convert other XML to .txt, .html or .jsonl",
            )
        if kind == "parlamint-meta":
            raise UnsupportedError(f"ParlaMint <{root}> metadata file: used for the sittings beside it, not a text")
        tree = parse_xml(data, name)
        if kind == "parlparse":
            from .parlparse import read_parlparse

            return read_parlparse(tree, path, self)
        from .parlamint import read_parlamint

        return read_parlamint(tree, path, self)
