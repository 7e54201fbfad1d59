"""ParlaMint (Parla-CLARIN TEI) sittings: one record per ``<u>`` utterance, or per debate section.

Schema (ParlaMint encoding guidelines, https://clarin-eric.github.io/ParlaMint/): a sitting is a
``<TEI>`` whose ``<body>`` holds ``<div type="debateSection">`` sections with a ``<head>``,
utterances ``<u who="#PersonId" ana="#chair|#regular|#guest">`` made of ``<seg>`` paragraphs,
and procedural elements ``<note>``, ``<kinesic>``, ``<vocal>``, ``<incident>`` and ``<gap>``
(with a ``<desc>``), between utterances or inside a ``<seg>``. Linguistically annotated
``.ana`` files have ``<s>``/``<w>``/``<pc>`` tokens in each ``<seg>``; the text is rebuilt
from them (a space after each token unless it has ``join="right"``). ``<pb n="..."/>`` page
breaks, where a corpus has them, become pages labelled with ``n``.

Speakers and parties come from the corpus ``<listPerson>`` and ``<listOrg>``: a person's
``<affiliation ref="#party.X" from=... to=...>`` to an ``<org role="politicalParty">`` (else
``role="parliamentaryGroup"``) valid on the sitting's date. They are looked for in the file's
own ``teiHeader`` (a self-contained file), then beside the file and up to two folders above it:
``*listPerson*.xml`` / ``*listOrg*.xml`` (ParlaMint 3 and later, included by the corpus root
with ``xi:include``) or a ``ParlaMint-XX.xml`` corpus root that holds them inline (earlier
releases). The house is the ``<org>`` named by the ``<meeting corresp="#parliament.HC">`` of the
``titleStmt``, else ``lower``/``upper`` from its ``ana`` (``#parla.lower``, ``#parla.upper``).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element

from ..errors import UnsupportedError
from .parl import (
    DEBATE_PARTY_NOTE,
    XML_NS,
    ParlFile,
    ParlReader,
    Unit,
    local,
    merge_units,
    parse_xml,
    sniff,
    text_of,
    to_record,
)

__all__ = ["Lists", "read_parlamint"]

PROCEDURAL = {"note", "kinesic", "vocal", "incident", "gap"}
_SKIP = {"linkGrp", "link", "desc", "head", "fw"}
_TOKENS = {"w", "pc"}
_ROLES = ("chair", "regular", "guest")
_ID = f"{{{XML_NS}}}id"
_LANG = f"{{{XML_NS}}}lang"
_ROOT_NAME = re.compile(r"^ParlaMint-[A-Za-z]{2}(?:-[A-Za-z0-9]{2,3})?(?:\.ana)?\.xml$")
#: The largest corpus root read for inline speaker lists (earlier ParlaMint releases).
MAX_ROOT_BYTES = 200 << 20


def _within(date: str | None, frm: str | None, to: str | None) -> bool:
    """Whether a (partial) ISO ``date`` lies in ``[frm, to]``; missing bounds are open."""
    if not date:
        return frm is None and to is None
    if frm and date[: len(frm)] < frm[: len(date)]:
        return False
    return not (to and date[: len(to)] > to[: len(date)])


@dataclass
class Lists:
    """Speakers and organisations: ``persons[id] = (name, [(org id, role, from, to)])``,
    ``orgs[id] = (role, name, abbreviation)``."""

    persons: dict[str, tuple[str, list[tuple[str, str, str | None, str | None]]]] = field(default_factory=dict)
    orgs: dict[str, tuple[str, str, str]] = field(default_factory=dict)

    def add(self, el: Element) -> None:
        """Add every ``<person>`` and ``<org>`` found under ``el`` (earlier entries win)."""
        for p in el.iter():
            tag = local(p.tag)
            if tag == "person" and p.get(_ID) and p.get(_ID) not in self.persons:
                self.persons[p.get(_ID, "")] = (_person_name(p), _affiliations(p))
            elif tag == "org" and p.get(_ID) and p.get(_ID) not in self.orgs:
                self.orgs[p.get(_ID, "")] = (p.get("role", ""), *_org_names(p))

    def party(self, who: str, date: str | None) -> tuple[str, str]:
        """``(party name, org id)`` of ``who`` on ``date``; ``("", "")`` if none."""
        affs = self.persons.get(who, ("", []))[1]
        for wanted in ("politicalParty", "parliamentaryGroup"):
            for ref, _role, frm, to in affs:
                org = self.orgs.get(ref)
                if org and org[0] == wanted and _within(date, frm, to):
                    return org[1] or org[2] or ref, ref
        return "", ""


def _person_name(p: Element) -> str:
    for pn in p:
        if local(pn.tag) != "persName":
            continue
        fore = [text_of(c) for c in pn if local(c.tag) == "forename"]
        sur = [text_of(c) for c in pn if local(c.tag) in ("surname", "addName", "nameLink")]
        name = " ".join(x for x in fore + sur if x)
        return name or text_of(pn)
    return p.get(_ID, "")


def _affiliations(p: Element) -> list[tuple[str, str, str | None, str | None]]:
    return [
        ((a.get("ref") or "").lstrip("#"), a.get("role", ""), a.get("from"), a.get("to"))
        for a in p
        if local(a.tag) == "affiliation" and a.get("ref")
    ]


def _org_names(org: Element) -> tuple[str, str]:
    names = [n for n in org if local(n.tag) == "orgName"]
    full = [n for n in names if n.get("full", "yes") == "yes"]
    english = [n for n in full if n.get(_LANG) == "en"]
    abbr = [n for n in names if n.get("full") == "abb"]
    picks = english or full or names
    return (text_of(picks[0]) if picks else ""), (text_of(abbr[0]) if abbr else "")


# --- finding the corpus lists -------------------------------------------------------------


def _lists_beside(path: str, reader: ParlReader) -> Lists:
    """The listPerson/listOrg content found beside ``path`` and up to two folders above (cached)."""
    lists = Lists()
    folder = os.path.dirname(os.path.abspath(path))
    for _ in range(3):
        if folder not in reader.lists_cache:
            reader.lists_cache[folder] = _lists_in(folder)
        found: Lists = reader.lists_cache[folder]
        for pid, person in found.persons.items():
            lists.persons.setdefault(pid, person)
        for oid, org in found.orgs.items():
            lists.orgs.setdefault(oid, org)
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    return lists


def _lists_in(folder: str) -> Lists:
    lists = Lists()
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return lists
    for name in names:
        full = os.path.join(folder, name)
        if not name.endswith(".xml") or not os.path.isfile(full):
            continue
        is_list = "listPerson" in name or "listOrg" in name
        if not is_list and not (_ROOT_NAME.match(name) and os.path.getsize(full) <= MAX_ROOT_BYTES):
            continue
        try:
            with open(full, "rb") as fh:
                data = fh.read()
            kind, root = sniff(data[:65536])
            if kind == "parlamint-meta" or (kind == "parlamint" and root == "teiCorpus"):
                tree = parse_xml(data, name)
                header = next((c for c in tree if local(c.tag) == "teiHeader"), tree)
                lists.add(header)
        except Exception:  # an unreadable list file leaves parties blank, with a note per speech
            continue
    return lists


# --- reading a sitting --------------------------------------------------------------------


def _header(tei: Element) -> Element | None:
    return next((c for c in tei if local(c.tag) == "teiHeader"), None)


def _sitting_date(header: Element | None) -> str | None:
    if header is None:
        return None
    for el in header.iter():
        if local(el.tag) == "setting":
            for d in el.iter():
                if local(d.tag) == "date" and d.get("when"):
                    return d.get("when", "")[:10]
    for el in header.iter():
        if local(el.tag) == "date" and el.get("when") and re.match(r"\d{4}-\d{2}-\d{2}", el.get("when", "")):
            return el.get("when", "")[:10]
    return None


def _house(header: Element | None, lists: Lists) -> str:
    if header is None:
        return ""
    meetings = [m for m in header.iter() if local(m.tag) == "meeting"]
    for m in meetings:
        ref = (m.get("corresp") or "").lstrip("#").split()
        if ref and ref[0] in lists.orgs and lists.orgs[ref[0]][1]:
            return lists.orgs[ref[0]][1]
    for m in meetings:
        tokens = (m.get("ana") or "").split()
        for token, house in (("#parla.lower", "lower house"), ("#parla.upper", "upper house")):
            if token in tokens:
                return house
    return ""


class _Text:
    """Collects the paragraphs of one utterance, split into pages at ``<pb>``."""

    def __init__(self, label: str | None):
        self.pages: list[list[str]] = [[]]
        self.labels: list[str | None] = [label]
        self.buf: list[str] = []
        self.procedural = 0

    def flush(self) -> None:
        para = " ".join("".join(self.buf).split())
        if para:
            self.pages[-1].append(para)
        self.buf = []

    def page_break(self, label: str | None) -> None:
        self.flush()
        if self.pages[-1]:
            self.pages.append([])
            self.labels.append(label)
        else:
            self.labels[-1] = label

    def mixed(self, el: Element) -> None:
        """Plain TEI: text and inline elements; procedural ones are counted and left out."""
        self.buf.append(el.text or "")
        for child in el:
            self._child(child, tokens=False)
            self.buf.append(child.tail or "")

    def tokens(self, el: Element) -> None:
        """Annotated TEI: ``<w>``/``<pc>`` tokens, joined as their ``join`` attribute says."""
        for child in el:
            self._child(child, tokens=True)

    def _child(self, child: Element, tokens: bool) -> None:
        tag = local(child.tag)
        if tag in PROCEDURAL:
            self.procedural += 1
            if tokens:
                self.buf.append(" ")
        elif tag == "pb":
            self.page_break(child.get("n"))
        elif tag in _SKIP or not tag:
            return
        elif tokens and tag in _TOKENS:
            surface = child.text if len(child) else "".join(child.itertext())
            self.buf.append((surface or "") + ("" if child.get("join") == "right" else " "))
        elif tokens:
            self.tokens(child)
            if tag == "s":
                self.buf.append(" ")
        else:
            self.mixed(child)


def _utterance(u: Element, label: str | None) -> _Text:
    out = _Text(label)
    paras = {id(c) for c in u if local(c.tag) in ("seg", "p", "ab")}
    if not paras:  # text straight inside <u>
        has_tokens = any(local(d.tag) in _TOKENS for d in u.iter())
        (out.tokens if has_tokens else out.mixed)(u)
        out.flush()
        return out
    for c in u:
        tag = local(c.tag)
        if tag in PROCEDURAL:
            out.procedural += 1
        elif tag == "pb":
            out.page_break(c.get("n"))
        elif id(c) in paras:
            has_tokens = any(local(d.tag) in _TOKENS for d in c.iter())
            (out.tokens if has_tokens else out.mixed)(c)
            out.flush()
    return out


@dataclass
class _Sitting:
    name: str
    date: str | None
    house: str
    lists: Lists
    units: list[tuple[int, Unit]] = field(default_factory=list)  # (section number, unit)
    sections: list[tuple[str, str]] = field(default_factory=list)  # (section key, title)
    pending: int = 0  # procedural elements before the first utterance
    page: str | None = None


def _speech(s: _Sitting, u: Element, n: int, title: str) -> Unit:
    who = (u.get("who") or "").lstrip("#")
    text = _utterance(u, s.page)
    s.page = text.labels[-1]
    person = s.lists.persons.get(who)
    party, party_id = s.lists.party(who, s.date)
    meta: dict[str, Any] = {
        "date": s.date,
        "title": title or s.name,
        "house": s.house,
        "debate": title,
        "speaker": person[0] if person else who,
        "speaker_id": who,
        "party": party,
        "party_id": party_id,
        "role": next((r for r in _ROLES if f"#{r}" in (u.get("ana") or "").split()), ""),
        "format": "parlamint",
    }
    if not party:
        why = "speaker not in the corpus listPerson" if not person else "no party affiliation on this date"
        meta["party_note"] = why if s.lists.persons else "no ParlaMint listPerson found beside the file"
    pages = ["\n\n".join(p) for p in text.pages]
    labels = [lab or "" for lab in text.labels] if any(text.labels) else None
    key = f"speech={u.get(_ID) or f'{s.name}.u{n}'}"
    return Unit(key, pages, labels, meta, procedural=text.procedural, page_unit="p")


def _walk(s: _Sitting, el: Element, title: str, section: int) -> None:
    """Read the utterances of a body or section in document order; nested sections recurse."""
    heads = [text_of(h) for h in el if local(h.tag) == "head"]
    if local(el.tag) == "div":
        title = " — ".join(x for x in heads if x) or title
        s.sections.append((el.get(_ID) or f"{s.name}.div{len(s.sections)}", title))
        section = len(s.sections) - 1
    for child in el:
        tag = local(child.tag)
        if tag == "div":
            _walk(s, child, title, section)
        elif tag == "u":
            s.units.append((section, _speech(s, child, len(s.units) + 1, title)))
            s.units[-1][1].procedural += s.pending
            s.pending = 0
        elif tag in PROCEDURAL:
            if s.units:
                s.units[-1][1].procedural += 1
            else:
                s.pending += 1
        elif tag == "pb":
            s.page = child.get("n")


def _read_tei(tei: Element, path: str, reader: ParlReader, beside: Lists) -> list[tuple[int, Unit]]:
    header = _header(tei)
    lists = Lists()
    if header is not None:
        lists.add(header)
    for pid, person in beside.persons.items():
        lists.persons.setdefault(pid, person)
    for oid, org in beside.orgs.items():
        lists.orgs.setdefault(oid, org)
    name = tei.get(_ID) or os.path.splitext(os.path.basename(path))[0]
    s = _Sitting(name=name, date=_sitting_date(header), house=_house(header, lists), lists=lists)
    s.sections.append((f"{name}.body", ""))
    for part in tei.iter():
        if local(part.tag) == "body":
            _walk(s, part, "", 0)
    return [(i, u) for i, u in s.units] if reader.unit == "speech" else _debates(s)


def _debates(s: _Sitting) -> list[tuple[int, Unit]]:
    out = []
    for n, (key, _title) in enumerate(s.sections):
        speeches = [u for i, u in s.units if i == n]
        if not speeches:
            continue
        first = speeches[0].meta
        meta = {k: first.get(k) for k in ("date", "title", "house", "debate", "format")}
        meta["speeches"] = len(speeches)
        meta["speakers"] = len({u.meta.get("speaker_id") for u in speeches})
        meta["party_note"] = DEBATE_PARTY_NOTE
        out.append((n, merge_units(speeches, f"debate={key}", meta)))
    return out


def read_parlamint(tree: Element, path: str, reader: ParlReader) -> ParlFile:
    """The records of one ParlaMint file (a sitting, or a self-contained ``teiCorpus``)."""
    teis = [tree] if local(tree.tag) == "TEI" else [c for c in tree if local(c.tag) == "TEI"]
    if not teis:
        raise UnsupportedError(
            "ParlaMint corpus root: its sittings are read from their own files (ingest the corpus folder)"
        )
    beside = _lists_beside(path, reader)
    corpus_header = _header(tree) if local(tree.tag) == "teiCorpus" else None
    if corpus_header is not None:
        own = Lists()
        own.add(corpus_header)
        own.persons.update({k: v for k, v in beside.persons.items() if k not in own.persons})
        own.orgs.update({k: v for k, v in beside.orgs.items() if k not in own.orgs})
        beside = own
    out = ParlFile()
    for tei in teis:
        for _n, unit in _read_tei(tei, path, reader, beside):
            out.records.append(to_record(unit, "parlamint"))
    if not out.records:
        raise UnsupportedError("TEI file without <u> utterances: not a ParlaMint / Parla-CLARIN transcript")
    return out
