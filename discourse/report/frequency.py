"""The count tables: prominence, counts, keyness and trend, each a function of a :class:`Grouped`.

Zeros are data (every concept x cell row is emitted); a statistic that would
mislead is ``None`` and the table carries a note saying why.
"""

from __future__ import annotations

import zlib
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from .. import measures as M
from ..errors import UsageError
from ..measures.adjust import adjusted_count
from .grouping import Cell, Grouped, Table
from .options import ADJUST_COLUMNS, ReportOptions


def prominence(g: Grouped, lexicon: Any, opts: ReportOptions) -> Table:
    """Frequency, dispersion and share of voice of each concept in each cell, with bootstrap intervals."""
    member = _family_members(g, lexicon)  # concepts x families, 0/1
    fam_of = member.argmax(axis=1)
    out, few_docs = Table(), 0
    for cell in g.cells:
        counts, words = g.counts[cell.docs], g.words[cell.docs].tolist()
        fam_totals = (counts @ member).sum(axis=0)
        n_words, n_docs = sum(words), len(cell.docs)
        disp = n_docs >= 2
        ci = _cell_intervals(g, cell, counts @ member, opts) if disp and opts.bootstrap else None
        for j, concept in enumerate(g.concepts):
            col = counts[:, j].tolist()
            count, docs_with = sum(col), sum(1 for x in col if x)
            few_docs += not disp
            rate_ci, share_ci = ci(j, fam_of[j]) if ci and count else (None, None)
            adj = _adjusted(lexicon, concept, j, count, n_words, ci if count else None, opts) if opts.adjust else {}
            out.rows.append(
                g.row(
                    concept,
                    cell.by,
                    cell.period,
                    docs=n_docs,
                    docs_with=docs_with,
                    count=count,
                    words=n_words,
                    per_10k=M.per_10k(count, n_words) or 0.0,
                    per_10k_low=rate_ci[0] if rate_ci else None,
                    per_10k_high=rate_ci[1] if rate_ci else None,
                    per_10k_doc_mean=M.per_10k_doc_mean(col, words),
                    doc_freq=M.doc_freq(docs_with, n_docs) or 0.0,
                    dp=M.dp(col, words) if disp else None,
                    dp_norm=M.dp_norm(col, words) if disp else None,
                    juilland_d=M.juilland_d(col, words) if disp else None,
                    share_of_voice=M.share_of_voice(count, int(fam_totals[fam_of[j]])),
                    share_low=share_ci[0] if share_ci else None,
                    share_high=share_ci[1] if share_ci else None,
                    **adj,
                )
            )
    _prominence_notes(out, few_docs, opts)
    _precision_notes(out, lexicon, g.concepts, opts)
    return out


def _adjusted(lexicon: Any, concept: str, j: int, count: int, words: int, ci: Any, opts: ReportOptions) -> dict:
    """The --adjust cells of one row: the concept's precision block and the precision-adjusted
    count and rate (:func:`discourse.measures.adjust.adjusted_count`); blank without a block."""
    prec = _precision_of(lexicon, concept)
    if prec is None:
        return dict.fromkeys(ADJUST_COLUMNS)
    boot = ci.samples(j) if ci is not None else (None, None)
    seed = np.random.SeedSequence([opts.seed, zlib.crc32(concept.encode("utf-8")), 9])
    a = adjusted_count(count, words, prec.yes, prec.n, boot[0], boot[1], seed=seed)
    return {
        "precision": prec.estimate,
        "precision_low": prec.interval[0],
        "precision_high": prec.interval[1],
        "precision_n": prec.n,
        "count_adj": a.count_adj,
        "count_adj_low": a.count_adj_low,
        "count_adj_high": a.count_adj_high,
        "per_10k_adj": a.per_10k_adj,
        "per_10k_adj_low": a.per_10k_adj_low,
        "per_10k_adj_high": a.per_10k_adj_high,
    }


def _precision_of(lexicon: Any, concept: str) -> Any:
    try:
        return lexicon.concept(concept).precision
    except (KeyError, AttributeError):
        return None


def _precision_notes(out: Table, lexicon: Any, concepts: list[str], opts: ReportOptions) -> None:
    """One note per concept with a precision block (what its counts were validated to), and which have none."""
    missing = []
    for c in concepts:
        p = _precision_of(lexicon, c)
        if p is None:
            missing.append(c)
            continue
        src = f"; {Path(p.sample).name}" if p.sample else ""
        # the lexicon's note (how it was measured, held-out figures) is often a paragraph: then a pointer to it
        about = ""
        if p.note:
            about = "; " + (
                p.note if len(p.note) <= 100 else f"how it was measured: discourse lexicon show --concept {c}"
            )
        out.note(
            f"precision: {c} {p.estimate:.3f} (Wilson 95% {p.interval[0]:.3f}-{p.interval[1]:.3f}; "
            f"{p.yes} of {p.n} labelled mentions{src}){about}"
        )
    if opts.adjust and missing:
        out.note(
            "prominence: precision, count_adj and per_10k_adj are blank for "
            + ", ".join(missing)
            + ": no labels (no 'precision:' block in the lexicon)"
        )
    if opts.adjust and len(missing) < len(concepts):
        out.note(
            "prominence: count_adj = precision x count; its 95% interval combines a Beta(yes+1, no+1) draw of "
            "the precision with each document-bootstrap replicate (blank where the count or bootstrap is)"
        )


def _family_members(g: Grouped, lexicon: Any) -> np.ndarray:
    families = sorted({c.family for c in lexicon.concepts})
    family_of = {c.id: families.index(c.family) for c in lexicon.concepts}
    member = np.zeros((len(g.concepts), len(families)), dtype=np.int64)
    for j, c in enumerate(g.concepts):
        member[j, family_of[c]] = 1
    return member


def _cell_intervals(g: Grouped, cell: Cell, fam_counts: np.ndarray, opts: ReportOptions):
    """Resample the cell's documents once; return ``f(concept, family) -> (rate interval, share interval)``.

    Counts, family totals and words come from the same resamples, so a share's
    numerator and denominator move together. The seed is ``--seed`` combined
    with a checksum of the cell's labels, so a cell's interval does not depend
    on which other cells the selection holds.
    """
    counts = g.counts[cell.docs]
    words = g.words[cell.docs][:, None]
    key = "\x1f".join((*cell.by, cell.period)).encode("utf-8")
    seed = np.random.SeedSequence([opts.seed, zlib.crc32(key)])
    sums = M.cluster_bootstrap_sums(np.hstack([counts, fam_counts, words]), opts.bootstrap, seed)
    k, w = counts.shape[1], sums[:, -1]

    class Intervals:
        def __call__(self, j: int, f: int):
            rate = M.ratio_interval(sums[:, j], w, scale=10_000)
            share = M.ratio_interval(sums[:, j], sums[:, k + f])
            return rate, share

        def samples(self, j: int) -> tuple[np.ndarray, np.ndarray]:
            """The bootstrap replicates of concept j's count and of the words."""
            return sums[:, j], w

    return Intervals()


def _prominence_notes(out: Table, few_docs: int, opts: ReportOptions) -> None:
    if few_docs:
        out.note(
            f"prominence: dp, dp_norm, juilland_d and the intervals are blank in {few_docs} row(s) whose "
            "cell has fewer than 2 documents"
        )
    if any(r["count"] == 0 and r["docs"] >= 2 for r in out.rows):
        out.note("prominence: dispersion and intervals are blank where a concept has no mentions in the cell")
    if any(r["share_of_voice"] is None for r in out.rows):
        out.note("prominence: share_of_voice is blank where no concept of the family is mentioned in the cell (0/0)")
    if opts.bootstrap:
        out.note(
            f"prominence: 95% intervals from {opts.bootstrap} document-level bootstrap resamples per cell "
            f"(percentile method, --seed {opts.seed})"
        )
    else:
        out.note("prominence: intervals are blank because --bootstrap is 0")


def counts(g: Grouped, lexicon: Any, opts: ReportOptions) -> Table:
    """One row per concept x document: its count of kept mentions and its words."""
    out = Table()
    for j, concept in enumerate(g.concepts):
        for cell in g.cells:
            for i in sorted(cell.docs.tolist(), key=lambda i: g.docs[i].doc_id):
                out.rows.append(
                    g.row(
                        concept,
                        cell.by,
                        cell.period,
                        doc_id=g.docs[i].doc_id,
                        count=int(g.counts[i, j]),
                        words=g.docs[i].words,
                    )
                )
    return out


def keyness(g: Grouped, lexicon: Any, opts: ReportOptions) -> Table:
    """Each cell against the cell of the --reference group with the same other --by values and period."""
    ref = opts.reference
    groups = sorted({d.by[0] for d in g.docs})
    if ref not in groups:
        raise UsageError(
            f"--reference {ref!r} is not a value of {g.by_cols[0]}",
            hint="values: " + ", ".join(repr(x) for x in groups),
        )
    totals, words = g.cell_counts().tolist(), g.cell_words().tolist()
    ndocs = [len(c.docs) for c in g.cells]
    out, small = Table(), 0
    for k, cell in enumerate(g.cells):
        if cell.by[0] == ref:
            continue
        r = g.index.get(((ref, *cell.by[1:]), cell.period))
        if r is None:
            out.note(f"keyness: no {ref!r} documents in period {cell.period} for {cell.by}; rows left out")
            continue
        for j, concept in enumerate(g.concepts):
            a, na, b, nb = totals[k][j], words[k], totals[r][j], words[r]
            enough = a + b >= opts.min_count
            small += not enough
            g2 = M.log_likelihood_g2(a, b, na, nb) if enough else None
            out.rows.append(
                g.row(
                    concept,
                    cell.by,
                    cell.period,
                    reference=ref,
                    count_a=a,
                    words_a=na,
                    docs_a=ndocs[k],
                    count_b=b,
                    words_b=nb,
                    docs_b=ndocs[r],
                    g2=g2,
                    p_value=M.p_value(g2) if enough else None,
                    q_value=None,
                    log_ratio=M.log_ratio(a, b, na, nb) if enough else None,
                    pct_diff=M.pct_diff(a, b, na, nb) if enough else None,
                )
            )
    for row, q in zip(out.rows, M.bh_qvalues([r["p_value"] for r in out.rows]), strict=True):
        row["q_value"] = q
    if any(r["count_a"] == 0 or r["count_b"] == 0 for r in out.rows if r["log_ratio"] is not None):
        out.note(
            "keyness: where one count is 0, log_ratio and pct_diff add half an occurrence per mean corpus "
            "size to both rates, so their sign follows the observed difference (README: Keyness)"
        )
    if small:
        out.note(f"keyness: statistics blank in {small} row(s) where count_a + count_b < --min-count {opts.min_count}")
    return out


def trend(g: Grouped, lexicon: Any, opts: ReportOptions) -> Table:
    """Mann-Kendall, Kendall's tau-b and Sen's slope of per_10k over the periods, per concept x --by group.

    Each row says how many periods, documents and words the series rests on,
    and ``min_p``, the smallest p that many periods can give. A note flags a
    group whose document mix (folder or collection column) changes across periods.
    """
    if g.cells and all(c.start is None for c in g.cells):
        raise UsageError(
            "report trend needs several periods; --period all pools every year into one",
            hint="use --period year, --period 5-year or --period Y1-Y2,Y3-Y4,...",
        )
    totals, words = g.cell_counts().tolist(), g.cell_words().tolist()
    out, blank = Table(), 0
    groups = sorted({c.by for c in g.cells})
    for j, concept in enumerate(g.concepts):
        for by in groups:
            ks = sorted((c.start, k) for k, c in enumerate(g.cells) if c.by == by and c.start is not None)
            x = [M.per_10k(totals[k][j], words[k]) or 0.0 for _, k in ks]
            mk = M.mann_kendall(x) if len(x) >= 4 else None
            blank += mk is None
            out.rows.append(
                g.row(
                    concept,
                    by,
                    None,
                    n_periods=len(x),
                    docs=sum(len(g.cells[k].docs) for _, k in ks),
                    words=sum(words[k] for _, k in ks),
                    mk_s=mk.s if mk else None,
                    mk_z=mk.z if mk else None,
                    mk_p=mk.p if mk else None,
                    min_p=M.mk_min_p(len(x)),
                    kendall_tau=M.kendall_tau_b(x) if mk else None,
                    sen_slope=M.sen_slope(x, [s for s, _ in ks]) if mk else None,
                )
            )
    if blank:
        out.note(f"trend: blank in {blank} row(s) with fewer than 4 periods or no variation")
    if any(r["n_periods"] and r["n_periods"] < 6 for r in out.rows):
        out.note(
            "trend: with 4 periods no series can reach p < 0.09, with 5 none below 0.03; min_p gives the "
            "floor for each row's number of periods"
        )
    for by in groups:
        _composition_note(out, g, by)
    return out


def _composition_note(out: Table, g: Grouped, by: tuple[str, ...]) -> None:
    """Flag a --by group whose documents come from different folders or collections in different periods."""
    cells = sorted((c for c in g.cells if c.by == by and c.start is not None), key=lambda c: c.start or 0)
    if len(cells) < 2:
        return
    columns = sorted({col for c in cells for i in c.docs for col, _ in g.docs[i].mix})
    for col in columns:
        mixes = {c.period: Counter(dict(g.docs[i].mix).get(col, "") for i in c.docs) for c in cells}
        shift = M.composition_shift(mixes)
        if shift is None or shift[0] < M.composition.SHIFT_THRESHOLD:
            continue
        d, a, b = shift
        top_a, top_b = mixes[a].most_common(1)[0][0], mixes[b].most_common(1)[0][0]
        group = ",".join(by) or "all"
        where = (
            f"--by {col} or --where {col}=..."
            if col != "folder"
            else "a collection column in the manifest, then --by collection"
        )
        out.note(
            f"trend: the documents of {group} change composition across periods ({col}: mostly "
            f"{top_a!r} in {a}, {top_b!r} in {b}; total variation {d:.2f}); a trend may reflect the "
            f"change of sources, not of discourse. Try {where}"
        )
        return
