"""Validate a lexicon by hand: draw a stratified sample of mentions, then score the labels.

Content analysts check a dictionary by reading a random sample of its hits
("validate, validate, validate": Grimmer, J. & Stewart, B. M. (2013). Text as
data. *Political Analysis* 21(3), 267–297). Three steps:

1. :func:`draw_sample` and :func:`write_sample` (``discourse sample``): a
   stratified random sample of the mentions of each concept, one CSV row per
   mention with its keyword-in-context line and an empty ``label`` column.
2. ``discourse label`` (:mod:`discourse.label`) or any editor fills the label
   column with yes, no or unsure.
3. :func:`validate_sample` (``discourse validate``): stores the labels keyed by
   ``mention_id`` (:mod:`discourse.store.labels`) and reports precision per
   concept with a Wilson interval and, for two coders, their agreement.

A ``mention_id`` is ``f"{doc_id}:{start_char}-{end_char}"``: the document (a
hash of its normalised text) and the span. It survives re-matching and lexicon
edits; a label whose span is no longer a mention of its concept under the
current lexicon is kept in the store and reported, not scored.
"""

from __future__ import annotations

import csv
import os
import random
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .annotate import ensure_mentions
from .errors import DiscourseError, UsageError
from .kwic import check_concept
from .measures.agreement import cohen_kappa, krippendorff_alpha_nominal, wilson_interval
from .report.export import write_rows
from .store import Store, now_iso
from .store.contexts import MentionContext, mention_contexts
from .store.labels import LabelRow, labels_joined, mention_id, parse_mention_id, upsert_labels
from .store.query import DOC_FILTER_COLUMNS

SAMPLE_HEAD = ["mention_id", "concept", "doc_id", "title", "date", "year"]
SAMPLE_TAIL = ["page", "left", "match", "right", "excluded", "label"]
VALIDATE_COLUMNS = [
    "measure",
    "concept",
    "coder",
    "mentions",
    "by",
    "group",
    "n",
    "yes",
    "no",
    "unsure",
    "value",
    "ci_low",
    "ci_high",
]
DISAGREEMENT_COLUMNS = ["mention_id", "concept", "coder_a", "label_a", "coder_b", "label_b", "left", "match", "right"]
#: A group gets its own precision row from this many yes/no labels.
MIN_GROUP_LABELS = 20
_ANSWERS = {
    "yes": "yes",
    "y": "yes",
    "true": "yes",
    "1": "yes",
    "no": "no",
    "n": "no",
    "false": "no",
    "0": "no",
    "unsure": "unsure",
    "u": "unsure",
    "?": "unsure",
}


# -- sampling ------------------------------------------------------------------------------------


def allocate(sizes: Sequence[int], n: int) -> list[int]:
    """Split a sample of ``n`` over strata of ``sizes``: proportional, at least 1 per non-empty stratum.

    The rule: ``n`` is capped at the total. If ``n`` is at least the number of
    non-empty strata, each of them first gets 1; otherwise the ``n`` largest get 1
    (ties: the first listed). Every further unit goes, one at a time, to the stratum
    with the largest shortfall ``n·size/total − allocated`` that still has mentions
    left (ties: the larger stratum, then the first listed). Without the minimum this
    is the largest-remainder (Hamilton) apportionment of ``n``.
    """
    total = sum(sizes)
    n = max(0, min(n, total))
    alloc = [0] * len(sizes)
    if n == 0:
        return alloc
    nonempty = sorted((i for i, s in enumerate(sizes) if s > 0), key=lambda i: (-sizes[i], i))
    for i in nonempty[:n]:
        alloc[i] = 1
    for _ in range(n - sum(alloc)):
        open_ = [i for i in nonempty if alloc[i] < sizes[i]]
        best = max(open_, key=lambda i: (n * sizes[i] / total - alloc[i], sizes[i], -i))
        alloc[best] += 1
    return alloc


@dataclass
class Sample:
    """The rows of a sample file, its columns and notes for the user."""

    columns: list[str]
    rows: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)


def check_by(store: Store, by: Sequence[str]) -> list[str]:
    """The ``--by`` columns, each a document column or a metadata key used in the store."""
    cols = [c.strip() for c in by if c.strip()]
    unknown = [c for c in cols if c not in DOC_FILTER_COLUMNS and c not in store.metadata_keys()]
    if unknown:
        raise UsageError(
            f"--by {','.join(unknown)}: not a document column or a metadata key in {store.path}",
            hint="see `discourse docs` for the columns",
        )
    return cols


def sample_columns(by: Sequence[str]) -> list[str]:
    """``mention_id,concept,doc_id,title,date,year,<by>...,page,left,match,right,excluded,label``."""
    return SAMPLE_HEAD + [c for c in by if c not in SAMPLE_HEAD + SAMPLE_TAIL] + SAMPLE_TAIL


def draw_sample(
    store: Store,
    lexicon,
    concepts: Sequence[str],
    n: int,
    *,
    by: Sequence[str] = (),
    where: list[str] | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    include_excluded: bool = False,
    seed: int = 0,
    window: int = 10,
    model: str | None = None,
) -> Sample:
    """A stratified random sample of ``n`` mentions of each concept (see :func:`allocate`).

    Strata are the values of the ``by`` columns (one stratum without ``by``). The
    same store, lexicon, options, concepts (in the same order) and ``seed`` give
    the same sample. Rows come concept by concept, in random order within each.
    """
    for c in concepts:
        check_concept(lexicon, c)
    by = check_by(store, by) if by else []
    key = ensure_mentions(store, lexicon, model=model)
    rng = random.Random(seed)
    sample = Sample(sample_columns(by), [])
    for concept in concepts:
        frame = mention_contexts(
            store, key, concept, where=where, year_from=year_from, year_to=year_to, include_excluded=include_excluded
        )
        strata: dict[tuple[str, ...], list[MentionContext]] = {}
        for mc in frame:
            strata.setdefault(tuple(mc.by_value(c) for c in by), []).append(mc)
        keys = sorted(strata)
        alloc = allocate([len(strata[k]) for k in keys], n)
        picked = [mc for k, a in zip(keys, alloc, strict=True) for mc in rng.sample(strata[k], a)]
        rng.shuffle(picked)
        sample.rows.extend(_sample_row(mc, by, window) for mc in picked)
        if len(frame) < n:
            sample.notes.append(f"{concept}: only {len(frame)} mention(s), all taken")
        if by:
            drawn = (f"{'/'.join(k) or '(none)'}: {a} of {len(strata[k])}" for k, a in zip(keys, alloc, strict=True))
            sample.notes.append(f"{concept} by {','.join(by)}: " + "; ".join(drawn))
    return sample


def _sample_row(mc: MentionContext, by: Sequence[str], window: int) -> dict[str, Any]:
    left, match, right = mc.window_parts(window)
    row: dict[str, Any] = {
        "mention_id": mention_id(mc.doc_id, mc.start_char, mc.end_char),
        "concept": mc.concept,
        "doc_id": mc.doc_id,
        "title": mc.title,
        "date": mc.date,
        "year": mc.year,
        "page": mc.page,
        "left": left,
        "match": match,
        "right": right,
        "excluded": mc.excluded,
        "label": None,
    }
    for c in by:
        row.setdefault(c, mc.by_value(c))
    return row


# -- sample files --------------------------------------------------------------------------------


def check_new_file(path: str | os.PathLike, force: bool = False) -> None:
    """Refuse to overwrite ``path`` unless ``force``; its folder must exist."""
    p = Path(path)
    if p.exists() and not force:
        raise DiscourseError(f"{p}: already exists", hint="pass --force to overwrite it")
    if not p.parent.is_dir():
        raise DiscourseError(f"{p}: no such folder {p.parent}")


def _atomic_write(path: Path, write, *, overwrite: bool) -> None:
    """Write via ``write(fh)`` to a temporary file beside ``path``, then move it into place.

    Without ``overwrite`` the move is a hard link, which fails if ``path`` appeared
    meanwhile (where the file system has no hard links: an existence check, then a rename).
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        if overwrite:
            os.replace(tmp, path)
            return
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise DiscourseError(f"{path}: already exists", hint="pass --force to overwrite it") from None
        except OSError:
            check_new_file(path)
            os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_sample(path: str | os.PathLike, sample: Sample, *, force: bool = False) -> int:
    """Write the sample as CSV (the export conventions of ``-f csv``) atomically; return the rows.

    Refuses an existing file unless ``force``.
    """
    p = Path(path)
    check_new_file(p, force)
    _atomic_write(p, lambda fh: write_rows(sample.columns, sample.rows, "csv", fh), overwrite=force)
    return len(sample.rows)


@dataclass
class SampleFile:
    """A sample CSV as read: its columns in order and every row as strings."""

    path: Path
    columns: list[str]
    rows: list[dict[str, str]]

    def save(self) -> None:
        """Write the rows back atomically, every column and the row order as they were."""

        def write(fh) -> None:
            w = csv.DictWriter(fh, fieldnames=self.columns, lineterminator="\n")
            w.writeheader()
            w.writerows(self.rows)

        _atomic_write(self.path, write, overwrite=True)


def read_sample(path: str | os.PathLike, require: Iterable[str] = ("mention_id", "concept")) -> SampleFile:
    """Read a sample CSV; the ``require`` columns must be there."""
    p = Path(path)
    try:
        with open(p, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            columns = list(reader.fieldnames or [])
            rows = [{c: (r.get(c) or "") for c in columns} for r in reader]
    except FileNotFoundError:
        raise DiscourseError(f"{p}: no such file") from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DiscourseError(f"{p}: cannot read the sample: {exc}") from None
    missing = [c for c in require if c not in columns]
    if missing:
        raise DiscourseError(f"{p}: no column {', '.join(missing)}", hint="a sample file from `discourse sample`")
    return SampleFile(p, columns, rows)


def parse_label(value: str) -> str | None:
    """A label cell as yes, no or unsure (y/n/u, true/false and 1/0 too); ``None`` if empty."""
    v = value.strip().lower()
    if not v:
        return None
    if v not in _ANSWERS:
        raise ValueError(value)
    return _ANSWERS[v]


# -- validation ----------------------------------------------------------------------------------


@dataclass
class Validation:
    """What ``discourse validate`` reports: rows of :data:`VALIDATE_COLUMNS`, disagreements, notes."""

    rows: list[dict[str, Any]]
    disagreements: list[dict[str, Any]]
    notes: list[str]
    stored: int


@dataclass(frozen=True)
class _Unit:
    mention_id: str
    concept: str
    row: dict[str, str]
    labels: tuple[str | None, ...]  # one per coder


def _file_units(sf: SampleFile, coders: Sequence[str]) -> list[_Unit]:
    """One unit per (mention_id, concept) of the file, with each coder's label; errors name the line."""
    units: list[_Unit] = []
    seen: dict[tuple[str, str], int] = {}
    for i, row in enumerate(sf.rows):
        line = i + 2
        mid, concept = row["mention_id"].strip(), row["concept"].strip()
        if parse_mention_id(mid) is None:
            raise DiscourseError(f"{sf.path}:{line}: mention_id {mid!r} is not DOC:START-END")
        if (mid, concept) in seen:
            raise DiscourseError(f"{sf.path}:{line}: mention {mid} ({concept}) is also on line {seen[(mid, concept)]}")
        seen[(mid, concept)] = line
        labels = []
        for c in coders:
            try:
                labels.append(parse_label(row[c]))
            except ValueError:
                raise DiscourseError(f"{sf.path}:{line}: {c} {row[c]!r} is not yes, no or unsure (y, n, u)") from None
        units.append(_Unit(mid, concept, row, tuple(labels)))
    return units


def validate_sample(
    store: Store,
    lexicon,
    path: str | os.PathLike,
    *,
    coders: Sequence[str] = ("label",),
    by: Sequence[str] = (),
    model: str | None = None,
) -> Validation:
    """Store the labels of a sample file and score them against the current mentions.

    Labels are upserted keyed by (mention_id, concept, coder), the coder being the
    column's name. Precision per concept and coder is ``yes / (yes + no)`` with a 95%
    Wilson interval (:func:`~discourse.measures.agreement.wilson_interval`); unsure
    labels are counted, not scored. Only labels whose span is still a mention of its
    concept under ``lexicon`` are scored: kept mentions, and (a separate row) mentions
    an exclude rule now removes. With ``by``, each group with at least
    :data:`MIN_GROUP_LABELS` yes/no labels gets its own row. With two coders:
    percent agreement, Cohen's kappa and Krippendorff's alpha (nominal) per concept,
    over every unit both coded, and the list of disagreements.
    """
    coders = [c.strip() for c in coders if c.strip()]
    if not 1 <= len(coders) <= 2:
        raise UsageError(f"--coders {','.join(coders)}: give one or two label columns")
    sf = read_sample(path, require=("mention_id", "concept", *coders))
    units = _file_units(sf, coders)
    key = ensure_mentions(store, lexicon, model=model)
    source = str(sf.path.resolve())
    labels = [
        LabelRow(u.mention_id, u.concept, coder, lab, source)
        for u in units
        for coder, lab in zip(coders, u.labels, strict=True)
        if lab is not None
    ]
    with store.transaction():
        stored = upsert_labels(store, labels, now_iso())
    wanted = {(u.mention_id, u.concept) for u in units}
    joined = [
        r
        for r in labels_joined(store, key, [u.mention_id for u in units], coders)
        if (r["mention_id"], r["concept"]) in wanted
    ]
    groups = {col: _group_values(store, sf, units, col) for col in by}
    rows = _precision_rows(joined, lexicon, coders, groups)
    notes = _notes(units, joined, coders, lexicon, groups, rows)
    disagreements: list[dict[str, Any]] = []
    if len(coders) == 2:
        rows += _agreement_rows(units, coders, lexicon)
        disagreements = _disagreements(units, coders)
    return Validation(rows, disagreements, notes, stored)


def _concept_order(lexicon, concepts: Iterable[str]) -> list[str]:
    order = {c: i for i, c in enumerate(lexicon.ids)}
    return sorted(set(concepts), key=lambda c: (order.get(c, len(order)), c))


def _group_values(store: Store, sf: SampleFile, units: list[_Unit], col: str) -> dict[str, str]:
    """mention_id -> the unit's ``col`` value: the file's column, else its document's field."""
    if col in sf.columns:
        return {u.mention_id: u.row[col] for u in units}
    if col not in DOC_FILTER_COLUMNS and col not in store.metadata_keys():
        raise UsageError(f"--by {col}: not a column of {sf.path} nor a document column or metadata key")
    docs: dict[str, dict[str, Any] | None] = {}
    out = {}
    for u in units:
        doc_id = u.mention_id.rsplit(":", 1)[0]
        if doc_id not in docs:
            docs[doc_id] = store.document(doc_id)
        d = docs[doc_id]
        v = None if d is None else (d.get(col) if col in DOC_FILTER_COLUMNS else d["metadata"].get(col))
        out[u.mention_id] = "" if v is None else str(v)
    return out


def _precision_row(concept: str, coder: str, mentions: str, by: str, group: str, labels: list[str]) -> dict[str, Any]:
    yes, no, unsure = (labels.count(x) for x in ("yes", "no", "unsure"))
    ci = wilson_interval(yes, yes + no)
    return {
        "measure": "precision",
        "concept": concept,
        "coder": coder,
        "mentions": mentions,
        "by": by,
        "group": group,
        "n": yes + no,
        "yes": yes,
        "no": no,
        "unsure": unsure,
        "value": yes / (yes + no) if yes + no else None,
        "ci_low": ci[0] if ci else None,
        "ci_high": ci[1] if ci else None,
    }


def _precision_rows(
    joined: list[dict[str, Any]], lexicon, coders: Sequence[str], groups: dict[str, dict[str, str]]
) -> list[dict[str, Any]]:
    rows = []
    for concept in _concept_order(lexicon, (r["concept"] for r in joined)):
        for coder in coders:
            for status in ("kept", "excluded"):
                mine = [r for r in joined if r["concept"] == concept and r["coder"] == coder and r["current"] == status]
                if not mine:
                    continue
                rows.append(_precision_row(concept, coder, status, "", "", [r["label"] for r in mine]))
                for col, values in groups.items():
                    by_group: dict[str, list[str]] = {}
                    for r in mine:
                        by_group.setdefault(values[r["mention_id"]], []).append(r["label"])
                    for group in sorted(by_group):
                        labels = by_group[group]
                        if sum(lab != "unsure" for lab in labels) >= MIN_GROUP_LABELS:
                            rows.append(_precision_row(concept, coder, status, col, group, labels))
    return rows


def _agreement_rows(units: list[_Unit], coders: Sequence[str], lexicon) -> list[dict[str, Any]]:
    concepts = _concept_order(lexicon, (u.concept for u in units))
    rows = []
    for concept in [*concepts, "(all)"] if len(concepts) > 1 else concepts:
        mine = [u for u in units if concept in ("(all)", u.concept)]
        a = [u.labels[0] for u in mine]
        b = [u.labels[1] for u in mine]
        both = [(x, y) for x, y in zip(a, b, strict=True) if x is not None and y is not None]
        base = {"concept": concept, "coder": ",".join(coders), "n": len(both)}
        agree = sum(x == y for x, y in both) / len(both) if both else None
        rows += [
            {**base, "measure": "percent_agreement", "value": agree},
            {**base, "measure": "cohen_kappa", "value": cohen_kappa(a, b)},
            {**base, "measure": "krippendorff_alpha", "value": krippendorff_alpha_nominal([a, b])},
        ]
    return rows


def _disagreements(units: list[_Unit], coders: Sequence[str]) -> list[dict[str, Any]]:
    return [
        {
            "mention_id": u.mention_id,
            "concept": u.concept,
            "coder_a": coders[0],
            "label_a": u.labels[0],
            "coder_b": coders[1],
            "label_b": u.labels[1],
            "left": u.row.get("left", ""),
            "match": u.row.get("match", ""),
            "right": u.row.get("right", ""),
        }
        for u in units
        if u.labels[0] is not None and u.labels[1] is not None and u.labels[0] != u.labels[1]
    ]


def _notes(
    units: list[_Unit],
    joined: list[dict[str, Any]],
    coders: Sequence[str],
    lexicon,
    groups: dict[str, dict[str, str]],
    rows: list[dict[str, Any]],
) -> list[str]:
    notes = []
    for i, coder in enumerate(coders):
        blank = sum(u.labels[i] is None for u in units)
        if blank:
            notes.append(f"{coder}: {blank} of {len(units)} row(s) not labelled yet")
    gone = sorted({(r["mention_id"], r["concept"]) for r in joined if r["current"] is None})
    if gone:
        notes.append(
            f"{len(gone)} labelled mention(s) no longer match their concept under lexicon {lexicon.name} "
            f"v{lexicon.version} (span or concept changed, or the document is not in the store): "
            "their labels are kept in the store but not scored"
        )
    for col, values in groups.items():
        shown = {r["group"] for r in rows if r["by"] == col}
        small = sorted({v for v in values.values()} - shown)
        if small:
            notes.append(
                f"--by {col}: group(s) with fewer than {MIN_GROUP_LABELS} yes/no labels not shown: "
                + ", ".join(g or "(none)" for g in small)
            )
    return notes
