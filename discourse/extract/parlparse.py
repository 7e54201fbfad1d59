"""ParlParse (TheyWorkForYou) ``<publicwhip>`` debate files: one record per speech, or per debate.

Schema (mysociety/parlparse, ``scrapedxml/debates``, ``lords``, ``westminhall`` ...)::

    <publicwhip scraperversion="a" latest="yes">
      <major-heading id="uk.org.publicwhip/debate/2015-06-02a.300.0" colnum="300">Health</major-heading>
      <minor-heading id="uk.org.publicwhip/debate/2015-06-02a.300.1" colnum="300">Social Care</minor-heading>
      <speech id="uk.org.publicwhip/debate/2015-06-02a.300.2" speakername="Jane Smith"
              person_id="uk.org.publicwhip/person/10001" colnum="300" time="14:30:00">
        <p pid="a300.2/1">...</p>
      </speech>
      <speech id="..." nospeaker="true" colnum="301"><p>Hon. Members: Hear, hear!</p></speech>
      <division id="..." divnumber="12" colnum="302"><divisioncount .../><mplist vote="aye">...</mplist></division>
    </publicwhip>

* The house comes from the id: ``/debate/`` House of Commons, ``/lords/`` House of Lords,
  ``/westminhall/`` Westminster Hall, ``/wrans/`` written answers, ``/wms/`` written statements.
* Column numbers (``colnum``, also in the id: ``2015-06-02a.300.2`` is col. 300) label the pages.
  A speech that Hansard's column break split into two ``<speech>`` elements (the same speaker,
  nothing between, a new column) is joined back into one speech with two pages, col. 300 and 301.
* Procedural text is kept out and counted: ``nospeaker="true"`` speeches (interjections such as
  "Hon. Members: Hear, hear!", "Question put and agreed to."), ``<division>`` lists,
  ``<p class="italic">`` stage directions and bracketed ``[<i>Interruption.</i>]`` markers.
* Written answers (``wrans``) have ``<ques>`` and ``<reply>`` instead of ``<speech>``: read alike.
* Older files name the speaker by membership (``speakerid="uk.org.publicwhip/member/40289"``),
  newer ones by person (``person_id``); both are resolved through the members file.
* A file marked ``latest="no"`` (superseded by a later letter, ``debates2015-06-02b.xml``) is skipped.

Party by date comes from the ParlParse members file ``people.json`` (Popolo: ``persons``,
``memberships`` with ``person_id``, ``on_behalf_of_id``, ``start_date``, ``end_date``, and
``organizations`` naming the parties), passed as ``ingest --members people.json``. Without it
the party is blank and each speech says why in ``party_note``.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element

from ..errors import UnsupportedError, UsageError
from .parl import DEBATE_PARTY_NOTE, ParlFile, ParlReader, Unit, local, merge_units, text_of, to_record

__all__ = ["HOUSES", "Members", "read_parlparse"]

#: The house (or kind of record) of each id prefix ``uk.org.publicwhip/<prefix>/...``.
HOUSES = {
    "debate": "House of Commons",
    "lords": "House of Lords",
    "westminhall": "Westminster Hall",
    "wrans": "Written answers",
    "wms": "Written ministerial statements",
    "standing": "Public Bill Committee",
    "ni": "Northern Ireland Assembly",
    "spor": "Scottish Parliament",
    "sp": "Scottish Parliament",
    "senedd": "Senedd",
}
_ID_RE = re.compile(r"^uk\.org\.publicwhip/([a-z]+)/(\d{4}-\d{2}-\d{2})[a-z]?\.([^.]+)\.(\d+)$")
_CHAIR_RE = re.compile(
    r"^(?:(?:the|mr|madam|mrs|ms)\s+)?(?:deputy\s+|lord\s+)?(?:speaker|chair(?:man|woman)?|deputy chair(?:man)?)\b"
    r"|^the (?:chairman|deputy chairman|chair) of ways and means",
    re.I,
)
#: Elements read as speeches: ``<speech>``; in written answers (``wrans``) ``<ques>`` and ``<reply>``.
_SPEECHES = ("speech", "ques", "reply")
_NO_MEMBERS = "no members file (ingest --members people.json) was given"


def _within(date: str | None, start: str | None, end: str | None) -> bool:
    """Whether a (partial) ISO ``date`` lies in ``[start, end]``; missing bounds are open."""
    if not date:
        return False
    if start and date[: len(start)] < start[: len(date)]:
        return False
    return not (end and date[: len(end)] > end[: len(date)])


@dataclass
class Members:
    """The ParlParse members file, indexed: names and party memberships by person, by date."""

    names: dict[str, list[tuple[str | None, str | None, str]]] = field(default_factory=dict)
    parties: dict[str, list[tuple[str | None, str | None, str, str]]] = field(default_factory=dict)
    membership_person: dict[str, str] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)
    orgs: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str) -> Members:
        """Read ``people.json``; a :class:`UsageError` for a missing or malformed file."""
        try:
            with open(path, "rb") as fh:
                data = json.loads(fh.read())
        except OSError as exc:
            raise UsageError(f"--members {path}: cannot read ({exc.strerror or exc})") from None
        except (ValueError, RecursionError) as exc:
            raise UsageError(f"--members {path}: not JSON ({str(exc).splitlines()[0][:120]})") from None
        if not isinstance(data, dict) or not isinstance(data.get("memberships"), list):
            raise UsageError(
                f"--members {path}: not a ParlParse people.json (no 'memberships' list)",
                hint="pass members/people.json from mysociety/parlparse",
            )
        m = cls()
        for org in data.get("organizations") or []:
            if isinstance(org, dict) and org.get("id"):
                m.orgs[str(org["id"])] = str(org.get("name") or org["id"])
        for person in data.get("persons") or []:
            if isinstance(person, dict) and person.get("id"):
                m._add_person(person)
        redirect_memberships = {}
        for ms in data["memberships"]:
            if not isinstance(ms, dict) or not ms.get("id"):
                continue
            if ms.get("redirect"):
                redirect_memberships[str(ms["id"])] = str(ms["redirect"])
                continue
            pid = str(ms.get("person_id") or "")
            m.membership_person[str(ms["id"])] = pid
            party = ms.get("on_behalf_of_id")
            if pid and party:
                entry = (ms.get("start_date") or None, ms.get("end_date") or None, str(party), str(ms["id"]))
                m.parties.setdefault(pid, []).append(entry)
        for mid, target in redirect_memberships.items():
            if target in m.membership_person:
                m.membership_person[mid] = m.membership_person[target]
        return m

    def _add_person(self, person: dict[str, Any]) -> None:
        pid = str(person["id"])
        if person.get("redirect"):
            self.redirects[pid] = str(person["redirect"])
            return
        for n in person.get("other_names") or []:
            if isinstance(n, dict) and n.get("note") == "Main":
                self.names.setdefault(pid, []).append((n.get("start_date"), n.get("end_date"), _name(n)))

    def person(self, person_id: str | None, member_id: str | None) -> str:
        """The person id for a ``person_id`` or a membership ``speakerid`` (redirects followed)."""
        pid = person_id or self.membership_person.get(member_id or "", "")
        return self.redirects.get(pid, pid)

    def name(self, pid: str, date: str | None) -> str:
        names = self.names.get(pid, [])
        return next((n for s, e, n in names if _within(date, s, e)), names[0][2] if names else "")

    def party(self, pid: str, date: str | None) -> str:
        for start, end, party, _mid in self.parties.get(pid, []):
            if _within(date, start, end):
                return self.orgs.get(party, party)
        return ""


def _name(n: dict[str, Any]) -> str:
    """A display name from a Popolo name record (MPs: given + family; peers: their title)."""
    if n.get("lordname") or n.get("lordofname"):
        title = " ".join(str(n[k]) for k in ("honorific_prefix", "lordname") if n.get(k))
        if not n.get("lordname") and n.get("surname"):
            title = f"{title} {n['surname']}".strip()
        return f"{title} of {n['lordofname']}" if n.get("lordofname") else title
    return " ".join(str(n[k]) for k in ("given_name", "family_name") if n.get(k))


# --- reading a file -------------------------------------------------------------------------


@dataclass
class _State:
    path: str
    members: Members | None
    date: str | None = None
    major: str = ""
    minor: str = ""
    section: str = ""
    sections: list[tuple[str, str]] = field(default_factory=list)
    units: list[tuple[int, Unit]] = field(default_factory=list)
    pending: int = 0
    joinable: bool = False  # the last element was a speech: a continuation may join it

    @property
    def title(self) -> str:
        return " — ".join(x for x in (self.major, self.minor) if x)


def _paragraphs(speech: Element) -> tuple[list[str], int]:
    """The speech's paragraphs and the number of procedural pieces left out."""
    paras: list[str] = []
    procedural = 0
    for p in speech:
        if local(p.tag) != "p":
            continue
        if "italic" in (p.get("class") or "").split():
            procedural += 1
            continue
        buf = [p.text or ""]
        for child in p:
            tail = child.tail or ""
            if local(child.tag) == "i" and buf[-1].rstrip().endswith("[") and tail.lstrip().startswith("]"):
                procedural += 1
                buf[-1] = buf[-1].rstrip()[:-1]
                buf.append(tail.lstrip()[1:])
                continue
            buf.append("".join(child.itertext()))
            buf.append(tail)
        text = " ".join("".join(buf).split())
        if text:
            paras.append(text)
    if not any(local(p.tag) == "p" for p in speech):
        text = text_of(speech)
        if text:
            paras.append(text)
    return paras, procedural


def _speaker(st: _State, speech: Element) -> dict[str, Any]:
    printed = " ".join((speech.get("speakername") or "").split()).rstrip(":")
    office = speech.get("speakeroffice") or ""
    m = re.match(r"^(.*\S)\s*\((.+)\)$", printed)
    name = printed
    if m:
        office, name = office or m.group(1), m.group(2)
    person_id = speech.get("person_id") if speech.get("person_id") not in (None, "", "unknown") else None
    member_id = speech.get("speakerid") if speech.get("speakerid") not in (None, "", "unknown") else None
    meta: dict[str, Any] = {"speaker": name, "office": office}
    meta["role"] = "chair" if _CHAIR_RE.match(office or printed) else "regular"
    if st.members is None:
        meta["speaker_id"] = person_id or member_id or ""
        meta["party_note"] = _NO_MEMBERS
        return meta
    pid = st.members.person(person_id, member_id)
    meta["speaker_id"] = pid or member_id or ""
    meta["speaker"] = st.members.name(pid, st.date) or name if pid else name
    meta["party"] = st.members.party(pid, st.date) if pid else ""
    if not meta["party"]:
        meta["party_note"] = (
            "speaker not identified in the source (no person_id)"
            if not pid
            else "no party membership on this date in the members file"
        )
    return meta


def _speech(st: _State, speech: Element) -> None:
    sid = speech.get("id") or ""
    m = _ID_RE.match(sid)
    col = speech.get("colnum") or (m.group(3) if m else "")
    paras, procedural = _paragraphs(speech)
    meta = {
        "date": st.date,
        "title": st.title or os.path.splitext(os.path.basename(st.path))[0],
        "house": HOUSES.get(m.group(1), m.group(1)) if m else "",
        "debate": st.title,
        "time": speech.get("time") or "",
        "format": "parlparse",
        **_speaker(st, speech),
    }
    last = st.units[-1][1] if st.units else None
    same = last is not None and (last.meta.get("speaker_id") or last.meta.get("speaker")) == (
        meta.get("speaker_id") or meta.get("speaker")
    )
    if st.joinable and last is not None and same and last.labels and col and col != last.labels[-1]:
        last.pages.append("\n\n".join(paras))  # Hansard's column break split one speech in two
        last.labels.append(col)
        last.procedural += procedural
        return
    key = f"speech={sid.rsplit('/', 1)[-1] or len(st.units) + 1}"
    unit = Unit(key, ["\n\n".join(paras)], [col] if col else None, meta, procedural + st.pending, "col")
    st.pending = 0
    st.units.append((len(st.sections) - 1, unit))
    st.joinable = True


def _heading(st: _State, el: Element, major: bool) -> None:
    text = text_of(el)
    if major:
        st.major, st.minor = text, ""
    else:
        st.minor = text
    st.sections.append(((el.get("id") or "").rsplit("/", 1)[-1] or f"h{len(st.sections)}", st.title))
    st.joinable = False


def _procedural(st: _State) -> None:
    if st.units:
        st.units[-1][1].procedural += 1
    else:
        st.pending += 1
    st.joinable = False


def read_parlparse(tree: Element, path: str, reader: ParlReader) -> ParlFile:
    """The records of one ``<publicwhip>`` file."""
    if tree.get("latest") == "no":
        raise UnsupportedError('superseded ParlParse file (latest="no"): a later version of this day replaces it')
    st = _State(path=path, members=reader.members)
    for el in tree.iter():
        m = _ID_RE.match(el.get("id") or "")
        if m:
            st.date = m.group(2)
            break
    if st.date is None:
        found = re.search(r"(\d{4}-\d{2}-\d{2})", os.path.basename(path))
        st.date = found.group(1) if found else None
    st.sections.append(("start", ""))
    for el in tree:
        tag = local(el.tag)
        if tag in ("major-heading", "minor-heading"):
            _heading(st, el, tag == "major-heading")
        elif tag in _SPEECHES and el.get("nospeaker") != "true":
            _speech(st, el)
        elif tag in (*_SPEECHES, "division"):
            _procedural(st)
    units = st.units if reader.unit == "speech" else _debates(st)
    out = ParlFile(records=[to_record(u, "parlparse") for _n, u in units])
    if not out.records:
        raise UnsupportedError("ParlParse file without speeches")
    if st.members is None:
        out.notes.append(f"party left blank for ParlParse speeches: {_NO_MEMBERS}")
    return out


def _debates(st: _State) -> list[tuple[int, Unit]]:
    out = []
    for n, (key, _title) in enumerate(st.sections):
        speeches = [u for i, u in st.units if i == n]
        if not speeches:
            continue
        first = speeches[0].meta
        meta = {k: first.get(k) for k in ("date", "title", "house", "debate", "format")}
        meta["speeches"] = len(speeches)
        meta["speakers"] = len({u.meta.get("speaker_id") or u.meta.get("speaker") for u in speeches})
        meta["party_note"] = DEBATE_PARTY_NOTE
        out.append((n, merge_units(speeches, f"debate={key}", meta)))
    return out
