"""The count tables: prominence, counts, keyness and trend, each a function of a :class:`Grouped`.

Zeros are data (every concept x cell row is emitted); a statistic that would
mislead is ``None`` and the table carries a note saying why.
"""

from __future__ import annotations

from typing import Any

from .. import measures as M
from ..errors import UsageError
from .grouping import Grouped, Table
from .options import ReportOptions


def prominence(g: Grouped, lexicon: Any, opts: ReportOptions) -> Table:
    """Frequency, dispersion and share of voice of each concept in each cell."""
    family_of = {c.id: c.family for c in lexicon.concepts}
    families = lexicon.families()
    rivals = [[g.concepts.index(x) for x in families[family_of[c]]] for c in g.concepts]
    out, few_docs = Table(), 0
    for cell in g.cells:
        counts, words = g.counts[cell.docs], g.words[cell.docs].tolist()
        totals, n_words, n_docs = counts.sum(axis=0), sum(words), len(cell.docs)
        disp = n_docs >= 2
        for j, concept in enumerate(g.concepts):
            col = counts[:, j].tolist()
            count, docs_with = sum(col), sum(1 for x in col if x)
            few_docs += not disp
            out.rows.append(g.row(
                concept, cell.by, cell.period, docs=n_docs, docs_with=docs_with, count=count, words=n_words,
                per_10k=M.per_10k(count, n_words) or 0.0, per_10k_doc_mean=M.per_10k_doc_mean(col, words),
                doc_freq=M.doc_freq(docs_with, n_docs) or 0.0,
                dp=M.dp(col, words) if disp else None, dp_norm=M.dp_norm(col, words) if disp else None,
                juilland_d=M.juilland_d(col, words) if disp else None,
                share_of_voice=M.share_of_voice(count, int(totals[rivals[j]].sum()))))
    if few_docs:
        out.note(f"prominence: dp, dp_norm and juilland_d are blank in {few_docs} row(s) whose cell has "
                 "fewer than 2 documents")
    if any(r["count"] == 0 and r["docs"] >= 2 for r in out.rows):
        out.note("prominence: dispersion is blank where a concept has no mentions in the cell")
    return out


def counts(g: Grouped, lexicon: Any, opts: ReportOptions) -> Table:
    """One row per concept x document: its count of kept mentions and its words."""
    out = Table()
    for j, concept in enumerate(g.concepts):
        for cell in g.cells:
            for i in sorted(cell.docs.tolist(), key=lambda i: g.docs[i].doc_id):
                out.rows.append(g.row(concept, cell.by, cell.period, doc_id=g.docs[i].doc_id,
                                      count=int(g.counts[i, j]), words=g.docs[i].words))
    return out


def keyness(g: Grouped, lexicon: Any, opts: ReportOptions) -> Table:
    """Each cell against the cell of the --reference group with the same other --by values and period."""
    ref = opts.reference
    groups = sorted({d.by[0] for d in g.docs})
    if ref not in groups:
        raise UsageError(f"--reference {ref!r} is not a value of {g.by_cols[0]}",
                         hint="values: " + ", ".join(repr(x) for x in groups))
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
            out.rows.append(g.row(
                concept, cell.by, cell.period, reference=ref, count_a=a, words_a=na, docs_a=ndocs[k], count_b=b,
                words_b=nb, docs_b=ndocs[r], g2=g2, p_value=M.p_value(g2) if enough else None,
                log_ratio=M.log_ratio(a, b, na, nb) if enough else None,
                pct_diff=M.pct_diff(a, b, na, nb) if enough else None))
    if small:
        out.note(f"keyness: statistics blank in {small} row(s) where count_a + count_b < "
                 f"--min-count {opts.min_count}")
    return out


def trend(g: Grouped, lexicon: Any, opts: ReportOptions) -> Table:
    """Mann-Kendall, Kendall's tau-b and Sen's slope of per_10k over the periods, per concept x --by group."""
    totals, words = g.cell_counts().tolist(), g.cell_words().tolist()
    out, blank = Table(), 0
    for j, concept in enumerate(g.concepts):
        for by in sorted({c.by for c in g.cells}):
            pts = sorted((c.start, M.per_10k(totals[k][j], words[k]) or 0.0)
                         for k, c in enumerate(g.cells) if c.by == by and c.start is not None)
            x = [v for _, v in pts]
            mk = M.mann_kendall(x) if len(x) >= 4 else None
            blank += mk is None
            out.rows.append(g.row(concept, by, None, n_periods=len(x), mk_s=mk.s if mk else None,
                                  mk_z=mk.z if mk else None, mk_p=mk.p if mk else None,
                                  kendall_tau=M.kendall_tau_b(x) if mk else None,
                                  sen_slope=M.sen_slope(x, [s for s, _ in pts]) if mk else None))
    if blank:
        out.note(f"trend: blank in {blank} row(s) with fewer than 4 periods or no variation")
    return out

