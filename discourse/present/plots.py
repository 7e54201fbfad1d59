"""``discourse plot``: one figure from a report, its caption naming corpus, lexicon and filters."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..report.tables import Report
from . import figures as F

SENSE_CONCEPTS = 4  # plot / page: senses of at most this many concepts (the most mentioned ones)
SENSE_SAMPLE = 400  # mentions per concept given to the sense clustering (an even random sample above it)


def caption(rep: Report) -> str:
    """Corpus, lexicon, grouping and filters of a report, in one line."""
    o = rep.opts
    store = Path(rep.store.path).name
    parts = [
        f"Corpus: {store} ({len(rep.grouped.docs)} documents selected)",
        f"lexicon: {rep.lexicon.name} v{rep.lexicon.version} ({rep.lexicon.content_hash[:12]})",
        f"by: {','.join(o.by)}",
        f"period: {o.period}",
    ]
    if o.year_from is not None or o.year_to is not None:
        parts.append(f"years: {o.year_from or '…'}–{o.year_to or '…'}")
    parts.append("where: " + (" AND ".join(o.where) if o.where else "all documents"))
    return "; ".join(parts) + "."


def sense_rows(rep: Report, concepts: list[str] | None = None, *, limit: int = SENSE_CONCEPTS) -> dict[str, Any]:
    """Senses (and frames) of the most mentioned concepts, as ``discourse senses`` / ``frames`` give them.

    Returns ``{"senses": rows, "lines": {concept: lines}, "frames": rows, "notes": [...]}``. A concept
    with more than :data:`SENSE_SAMPLE` mentions is clustered on a seeded random sample of them (noted).
    """
    from ..frames import find_frames
    from ..senses import SenseOptions, find_senses
    from ..store.contexts import mention_contexts

    o = rep.opts
    if concepts is None:
        counts = rep.grouped.counts.sum(axis=0)
        ranked = sorted(range(len(rep.grouped.concepts)), key=lambda j: -counts[j])
        concepts = [rep.grouped.concepts[j] for j in ranked if counts[j] > 0][:limit]
    out: dict[str, Any] = {"senses": [], "lines": {}, "frames": [], "notes": []}
    selected = set(rep.grouped.row_of)
    for c in concepts:
        ctx = [
            m
            for m in mention_contexts(
                rep.store, rep.key, c, where=list(o.where), year_from=o.year_from, year_to=o.year_to
            )
            if not m.excluded and m.doc_id in selected
        ]
        frames = find_frames(ctx, c, by=o.by[0])
        out["frames"].extend(frames.rows)
        if len(ctx) > SENSE_SAMPLE:
            out["notes"].append(f"senses of {c}: a random sample of {SENSE_SAMPLE} of its {len(ctx)} mentions")
            ctx = sorted(random.Random(o.seed).sample(ctx, SENSE_SAMPLE), key=lambda m: m.mention_id)
        res = find_senses(ctx, c, SenseOptions(by=o.by[0], seed=o.seed))
        out["senses"].extend(res.rows)
        out["lines"][c] = res.lines
        out["notes"].extend(res.notes)
    return out


def make_figure(rep: Report, kind: str, *, concepts: list[str] | None = None):
    """The matplotlib figure ``kind`` (one of :data:`figures.PLOTS`) of ``rep``."""
    if kind not in F.PLOTS:
        raise UsageError(f"unknown plot {kind!r}", hint="one of: " + ", ".join(F.PLOTS))
    cap = caption(rep)
    by = rep.opts.by
    if kind == "senses":
        found = sense_rows(rep, concepts)
        for n in found["notes"]:
            rep.note(n)
        return F.senses_figure(found["senses"], cap)
    if kind == "trend" and rep.opts.period.strip() == "all":
        raise UsageError("plot trend needs more than one period", hint="use --period year or N-year")
    rows = rep.table(F.PLOT_TABLE[kind])
    if concepts:
        rows = [r for r in rows if r["concept"] in concepts]
    if kind == "prominence":
        return F.prominence_figure(rows, by, cap)
    if kind == "ambiguity":
        return F.ambiguity_figure(rows, by, cap)
    if kind == "dispersion":
        return F.dispersion_figure(rows, by, cap)
    if kind == "trend":
        return F.trend_figure(rows, by, cap)
    fams = {f: [c for c in ids if not concepts or c in concepts] for f, ids in rep.lexicon.families().items()}
    return F.share_figure(rows, by, cap, fams)


def check_plot_output(output: str | Path) -> None:
    """``-o`` ends in .svg, .png or .pdf and can be written (checked before any work)."""
    from ..report.write import check_output

    if Path(output).suffix.lower().lstrip(".") not in F.PLOT_FORMATS:
        raise UsageError(f"-o {output}: the file name must end in .svg, .png or .pdf")
    check_output(output)


def plot(rep: Report, kind: str, output: str | Path, *, concepts: list[str] | None = None) -> Path:
    """Draw plot ``kind`` of ``rep`` and write it to ``output`` (.svg, .png or .pdf)."""
    check_plot_output(output)
    return F.save_figure(make_figure(rep, kind, concepts=concepts), output)
