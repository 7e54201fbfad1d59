"""The context tables: collocates and ambiguity, from the words around each kept mention.

Both read mentions placed on the stored words (:mod:`.tokens`) and group them
by the cell of their document (:class:`.grouping.Grouped`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .. import measures as M
from .grouping import Grouped, Table
from .options import COLLOCATE_WINDOW, COLLOCATES_PER_CELL, CONTEXT_WINDOW, MIN_COLLOCATE_FREQ, N_SAMPLES, ReportOptions
from .tokens import Mention, TokenAccess

Embed = Callable[[Sequence[str]], np.ndarray]


def collocates(g: Grouped, opts: ReportOptions, mentions: dict[str, list[Mention]], tokens: TokenAccess) -> Table:
    """The lemmas most strongly associated (by log-likelihood) with each concept in each cell."""
    out, small = Table(), 0
    freq: dict[int, Counter[str]] = {}
    where = {c: _cells_of(g, mentions.get(c, [])) for c in g.concepts}
    for k, cell in enumerate(g.cells):
        n = int(g.words[cell.docs].sum())
        for concept in g.concepts:
            ms = [m for m, w in zip(mentions.get(concept, []), where[concept], strict=True) if w == k]
            if len(ms) < opts.min_count:
                small += bool(ms)
                continue
            if k not in freq:
                freq[k] = Counter()
                for i in cell.docs:
                    freq[k].update(tokens.lemmas(g.docs[i].doc_id))
            for coll, s in _scored(ms, freq[k], n, tokens)[:COLLOCATES_PER_CELL]:
                out.rows.append(
                    g.row(
                        concept,
                        cell.by,
                        cell.period,
                        docs=len(cell.docs),
                        words=n,
                        mentions=len(ms),
                        collocate=coll,
                        observed=s.observed,
                        expected=s.expected,
                        mi=s.mi,
                        mi3=s.mi3,
                        t=s.t,
                        logdice=s.logdice,
                        ll=s.ll,
                    )
                )
    if small:
        out.note(
            f"collocates: {small} concept x cell(s) with fewer than --min-count {opts.min_count} mentions left out"
        )
    return out


def _cells_of(g: Grouped, ms: list[Mention]) -> list[int]:
    """The cell index of each mention's document."""
    return [int(g.cell_of[g.row_of[m.doc_id]]) for m in ms]


def _scored(ms: list[Mention], freq: Counter[str], n: int, tokens: TokenAccess) -> list[tuple[str, Any]]:
    """Collocates seen at least MIN_COLLOCATE_FREQ times around ``ms``, strongest (by ll) first."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for m in ms:
        spans.setdefault(m.doc_id, []).append((m.start, m.end))
    observed: Counter[str] = Counter()
    for doc_id, doc_spans in spans.items():
        observed.update(tokens.window(doc_id, doc_spans, COLLOCATE_WINDOW))
    scored = []
    for coll, o in observed.items():
        if o < MIN_COLLOCATE_FREQ:
            continue
        s = M.collocation_scores(o, len(ms), freq[coll], n, span=2 * COLLOCATE_WINDOW)
        if s is not None:
            scored.append((coll, s))
    scored.sort(key=lambda x: (-(x[1].ll or 0), x[0]))
    return scored


def ambiguity(
    g: Grouped, opts: ReportOptions, mentions: dict[str, list[Mention]], tokens: TokenAccess, embed: Embed
) -> Table:
    """Variant and collocate entropy, apd of the contexts, and JSD against the other groups, per cell."""
    out, small = Table(), 0
    for concept in g.concepts:
        ms = mentions.get(concept, [])
        where = _cells_of(g, ms)
        colls = [tokens.window(m.doc_id, [(m.start, m.end)], COLLOCATE_WINDOW) for m in ms]
        for k, cell in enumerate(g.cells):
            idx = [i for i, w in enumerate(where) if w == k]
            small += 0 < len(idx) < opts.min_count
            row = _ambiguity_row(g, opts, k, idx, ms, where, colls, tokens, embed)
            out.rows.append(
                g.row(concept, cell.by, cell.period, docs=len(cell.docs), words=int(g.words[cell.docs].sum()), **row)
            )
    if small:
        out.note(
            f"ambiguity: entropies, apd and jsd blank in {small} row(s) with fewer than --min-count "
            f"{opts.min_count} mentions (apd needs --sample-k {opts.sample_k})"
        )
    return out


def _ambiguity_row(
    g: Grouped,
    opts: ReportOptions,
    k: int,
    idx: list[int],
    ms: list[Mention],
    where: list[int],
    colls: list[list[str]],
    tokens: TokenAccess,
    embed: Embed,
) -> dict[str, Any]:
    """The ambiguity measures of the mentions ``idx`` (indices into ``ms``), all in cell ``k``."""
    n, k_opt = len(idx), opts.sample_k
    row: dict[str, Any] = dict(
        mentions=n,
        sample_k=None,
        variants=len({ms[i].variant for i in idx}),
        variant_entropy=None,
        collocate_entropy=None,
        apd=None,
        apd_low=None,
        apd_high=None,
        jsd_vs_rest=None,
    )
    if n < opts.min_count:
        return row
    variants = [ms[i].variant for i in idx]
    cell_colls = [colls[i] for i in idx]
    samples = M.subsample_indices(n, k_opt, N_SAMPLES, opts.seed) if n >= k_opt else np.arange(n)[None, :]
    assert samples is not None  # n >= k_opt
    row["sample_k"] = min(n, k_opt)
    ve = M.summarise_samples(M.label_entropy([variants[j] for j in s]) for s in samples)
    ce = M.summarise_samples(M.shannon_entropy(Counter(w for j in s for w in cell_colls[j])) for s in samples)
    row["variant_entropy"] = ve[0] if ve else None
    row["collocate_entropy"] = ce[0] if ce else None
    if n >= k_opt:
        vecs = embed([tokens.context(ms[i], CONTEXT_WINDOW) for i in idx])
        apd = M.summarise_samples(M.average_pairwise_cosine_distance(vecs[s]) for s in samples)
        if apd:
            row["apd"], row["apd_low"], row["apd_high"] = apd
    cell = g.cells[k]
    rest = [i for i, w in enumerate(where) if g.cells[w].period == cell.period and g.cells[w].by != cell.by]
    if len(rest) >= opts.min_count:
        row["jsd_vs_rest"] = M.jensen_shannon_dicts(
            Counter(w for cl in cell_colls for w in cl), Counter(w for i in rest for w in colls[i])
        )
    return row
