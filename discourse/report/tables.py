"""Report tables: stored mentions and documents -> tidy, long tables of measures.

Every table starts with ``concept,<by columns>,period`` (trend has no period)
and has a fixed column order (:data:`TABLE_COLUMNS`). A *cell* is one
combination of ``--by`` values and one period. Rules (see README "Report"):

- zeros are data: every concept x cell row is emitted, zero counts included;
- blank instead of misleading: a derived statistic is ``None`` (an empty
  field) when it would mislead, and a note saying why goes to stderr.

The numbers come from the pure functions in :mod:`discourse.measures`; this
module only groups documents and mentions into cells and calls them.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable

from .. import measures as M
from ..annotate import ensure_mentions, fold_variant
from ..errors import UsageError
from ..store import Store
from ..store.query import DOC_FILTER_COLUMNS, doc_where

TABLES = ("prominence", "counts", "keyness", "collocates", "trend", "ambiguity")

TABLE_COLUMNS = {
    "prominence": ["docs", "docs_with", "count", "words", "per_10k", "per_10k_doc_mean", "doc_freq", "dp",
                   "dp_norm", "juilland_d", "share_of_voice"],
    "counts": ["doc_id", "count", "words"],
    "keyness": ["reference", "count_a", "words_a", "docs_a", "count_b", "words_b", "docs_b", "g2", "p_value",
                "log_ratio", "pct_diff"],
    "collocates": ["collocate", "observed", "expected", "mi", "mi3", "t", "logdice", "ll"],
    "trend": ["n_periods", "mk_s", "mk_z", "mk_p", "kendall_tau", "sen_slope"],
    "ambiguity": ["mentions", "sample_k", "variants", "variant_entropy", "collocate_entropy", "apd", "apd_low",
                  "apd_high", "jsd_vs_rest"],
}

COLLOCATE_WINDOW = 5      # tokens each side of a mention
CONTEXT_WINDOW = 20       # tokens each side, for ambiguity contexts
COLLOCATES_PER_CELL = 50  # most strongly associated (by ll) collocates kept per concept x cell
MIN_COLLOCATE_FREQ = 2    # a collocate must co-occur at least this often to be listed
N_SAMPLES = 200
SVD_DIMS = 100


@dataclass(frozen=True)
class ReportOptions:
    by: tuple[str, ...] = ("source_type",)
    period: str = "year"
    year_from: int | None = None
    year_to: int | None = None
    where: tuple[str, ...] = ()
    reference: str = "government"
    min_count: int = 5
    sample_k: int = 30
    seed: int = 0

    def columns(self, table: str) -> list[str]:
        head = ["concept", *self.by] + ([] if table == "trend" else ["period"])
        return head + TABLE_COLUMNS[table]


@dataclass
class _Doc:
    doc_id: str
    words: int
    year: int | None
    by: tuple[str, ...]
    period: str
    start: int | None  # first year of the period (None for 'all')


@dataclass
class Report:
    """Documents and mentions grouped into cells, ready for the tables."""

    store: Store
    lexicon: Any
    opts: ReportOptions
    key: str
    docs: list[_Doc]
    counts: dict[tuple[str, str], int]            # (doc_id, concept) -> count of kept mentions
    notes: list[str] = field(default_factory=list)
    # Caches, filled on first use by the token-level tables.
    _tokens: dict[str, tuple] = field(default_factory=dict, repr=False)   # doc_id -> (lemmas, index)
    _vocab_obj: Any = field(default=None, repr=False)
    _mention_cache: dict | None = field(default=None, repr=False)
    _embed_fn: Any = field(default=None, repr=False)

    # -- cells -------------------------------------------------------------------
    def cells(self) -> list[tuple[tuple[str, ...], str]]:
        seen = {}
        for d in self.docs:
            seen[(d.by, d.period)] = d.start
        return sorted(seen, key=lambda c: (c[0], seen[c] if seen[c] is not None else -1, c[1]))

    def docs_in(self, by: tuple[str, ...], period: str) -> list[_Doc]:
        return [d for d in self.docs if d.by == by and d.period == period]

    def note(self, msg: str) -> None:
        if msg not in self.notes:
            self.notes.append(msg)

    # -- tables ------------------------------------------------------------------
    def table(self, name: str) -> list[dict[str, Any]]:
        if name not in TABLES:
            raise UsageError(f"unknown table {name!r}", hint="one of: " + ", ".join(TABLES))
        return getattr(self, f"_{name}")()

    def _row(self, concept: str, by: tuple[str, ...], period: str | None, **vals) -> dict[str, Any]:
        row = {"concept": concept, **dict(zip(self.opts.by, by))}
        if period is not None:
            row["period"] = period
        row.update(vals)
        return row

    def _prominence(self) -> list[dict[str, Any]]:
        families = self.lexicon.families()
        family_of = {c.id: c.family for c in self.lexicon.concepts}
        rows = []
        few_docs = 0
        for by, period in self.cells():
            docs = self.docs_in(by, period)
            words = [d.words for d in docs]
            totals = {c.id: sum(self.counts.get((d.doc_id, c.id), 0) for d in docs) for c in self.lexicon.concepts}
            for c in self.lexicon.concepts:
                counts = [self.counts.get((d.doc_id, c.id), 0) for d in docs]
                count = sum(counts)
                family_total = sum(totals[x] for x in families[family_of[c.id]])
                disp = len(docs) >= 2
                few_docs += not disp
                rows.append(self._row(
                    c.id, by, period, docs=len(docs), docs_with=sum(1 for x in counts if x), count=count,
                    words=sum(words), per_10k=M.per_10k(count, sum(words)) or 0.0,
                    per_10k_doc_mean=M.per_10k_doc_mean(counts, words),
                    doc_freq=M.doc_freq(sum(1 for x in counts if x), len(docs)) or 0.0,
                    dp=M.dp(counts, words) if disp else None, dp_norm=M.dp_norm(counts, words) if disp else None,
                    juilland_d=M.juilland_d(counts, words) if disp else None,
                    share_of_voice=M.share_of_voice(count, family_total)))
        if few_docs:
            self.note(f"prominence: dp, dp_norm and juilland_d are blank in {few_docs} row(s) whose cell has "
                      "fewer than 2 documents")
        if any(r["count"] == 0 and r["docs"] >= 2 for r in rows):
            self.note("prominence: dispersion is blank where a concept has no mentions in the cell")
        return rows

    def _counts(self) -> list[dict[str, Any]]:
        rows = []
        for c in self.lexicon.concepts:
            for by, period in self.cells():
                for d in sorted(self.docs_in(by, period), key=lambda d: d.doc_id):
                    rows.append(self._row(c.id, by, period, doc_id=d.doc_id,
                                          count=self.counts.get((d.doc_id, c.id), 0), words=d.words))
        return rows

    def _keyness(self) -> list[dict[str, Any]]:
        ref = self.opts.reference
        groups = sorted({d.by[0] for d in self.docs})
        if ref not in groups:
            raise UsageError(f"--reference {ref!r} is not a value of {self.opts.by[0]}",
                             hint="values: " + ", ".join(repr(g) for g in groups))
        agg = self._aggregate()
        rows, small = [], 0
        for by, period in self.cells():
            if by[0] == ref:
                continue
            ref_cell = ((ref, *by[1:]), period)
            if ref_cell not in agg:
                self.note(f"keyness: no {ref!r} documents in period {period} for {by}; rows left out")
                continue
            for c in self.lexicon.concepts:
                a, na, da = agg[(by, period)][c.id], agg[(by, period)]["_words"], agg[(by, period)]["_docs"]
                b, nb, db = agg[ref_cell][c.id], agg[ref_cell]["_words"], agg[ref_cell]["_docs"]
                enough = a + b >= self.opts.min_count
                small += not enough
                g2 = M.log_likelihood_g2(a, b, na, nb) if enough else None
                rows.append(self._row(
                    c.id, by, period, reference=ref, count_a=a, words_a=na, docs_a=da, count_b=b, words_b=nb,
                    docs_b=db, g2=g2, p_value=M.p_value(g2) if enough else None,
                    log_ratio=M.log_ratio(a, b, na, nb) if enough else None,
                    pct_diff=M.pct_diff(a, b, na, nb) if enough else None))
        if small:
            self.note(f"keyness: statistics blank in {small} row(s) where count_a + count_b < "
                      f"--min-count {self.opts.min_count}")
        return rows

    def _aggregate(self) -> dict[tuple, dict[str, int]]:
        agg: dict[tuple, dict[str, int]] = {}
        for d in self.docs:
            cell = agg.setdefault((d.by, d.period), defaultdict(int))
            cell["_words"] += d.words
            cell["_docs"] += 1
            for c in self.lexicon.concepts:
                cell[c.id] += self.counts.get((d.doc_id, c.id), 0)
        return agg

    def _trend(self) -> list[dict[str, Any]]:
        rows, blank = [], 0
        series: dict[tuple, list[tuple[int, float]]] = defaultdict(list)
        starts = {(d.by, d.period): d.start for d in self.docs}
        for (by, period), cell in self._aggregate().items():
            if starts[(by, period)] is None:
                continue
            for c in self.lexicon.concepts:
                series[(c.id, by)].append((starts[(by, period)], M.per_10k(cell[c.id], cell["_words"]) or 0.0))
        bys = sorted({d.by for d in self.docs})
        for c in self.lexicon.concepts:
            for by in bys:
                pts = sorted(series.get((c.id, by), []))
                x = [v for _, v in pts]
                t = [s for s, _ in pts]
                mk = M.mann_kendall(x) if len(x) >= 4 else None
                blank += mk is None
                rows.append(self._row(c.id, by, None, n_periods=len(x), mk_s=mk.s if mk else None,
                                      mk_z=mk.z if mk else None, mk_p=mk.p if mk else None,
                                      kendall_tau=M.kendall_tau_b(x) if mk else None,
                                      sen_slope=M.sen_slope(x, t) if mk else None))
        if blank:
            self.note(f"trend: blank in {blank} row(s) with fewer than 4 periods or no variation")
        return rows

    # -- token-level tables ---------------------------------------------------------
    def _doc_tokens(self, doc_id: str):
        """(lower-cased lemmas of word tokens, token index -> word index) for one document."""
        if doc_id not in self._tokens:
            from ..nlp import doc_from_bytes

            doc = doc_from_bytes(self.store.docbin(doc_id), self._vocab())
            lemmas, index = [], {}
            for tok in doc:
                if tok.is_punct or tok.is_space:
                    continue
                index[tok.i] = len(lemmas)
                lemmas.append(tok.lemma_ or tok.lower_)
            self._tokens[doc_id] = (lemmas, index)
        return self._tokens[doc_id]

    def _vocab(self):
        if self._vocab_obj is None:
            import spacy

            self._vocab_obj = spacy.blank("en").vocab
        return self._vocab_obj

    def _mentions(self) -> dict[str, list[tuple[str, int, int, str]]]:
        """concept -> kept mentions (doc_id, first word index, last word index + 1, folded variant)."""
        if self._mention_cache is not None:
            return self._mention_cache
        ids = {d.doc_id for d in self.docs}
        out: dict[str, list] = defaultdict(list)
        for r in self.store.conn.execute(
                "SELECT doc_id, concept, start_token, end_token, variant FROM mentions WHERE lexicon_hash=? "
                "AND excluded=0 ORDER BY doc_id, start_char", (self.key,)):
            if r[0] not in ids:
                continue
            _, index = self._doc_tokens(r[0])
            words = [index[i] for i in range(r[2], r[3]) if i in index]
            if not words:
                continue
            out[r[1]].append((r[0], words[0], words[-1] + 1, fold_variant(r[4])))
        self._mention_cache = out
        return out

    def _windows(self, doc_id: str, spans: Iterable[tuple[int, int]], w: int) -> list[str]:
        """Lemmas within ``w`` word tokens of any span, each position counted once, spans masked."""
        lemmas, _ = self._doc_tokens(doc_id)
        masked, pos = set(), set()
        for a, b in spans:
            masked.update(range(a, b))
            pos.update(range(max(0, a - w), a))
            pos.update(range(b, min(len(lemmas), b + w)))
        return [lemmas[i] for i in sorted(pos - masked)]

    def _cell_of(self) -> dict[str, tuple]:
        return {d.doc_id: (d.by, d.period) for d in self.docs}

    def _collocates(self) -> list[dict[str, Any]]:
        mentions = self._mentions()
        cell_of = self._cell_of()
        freq: dict[tuple, Counter] = {}
        rows, small = [], 0
        for by, period in self.cells():
            docs = self.docs_in(by, period)
            n = sum(d.words for d in docs)
            for c in self.lexicon.concepts:
                ms = [m for m in mentions.get(c.id, []) if cell_of[m[0]] == (by, period)]
                if len(ms) < self.opts.min_count:
                    small += bool(ms)
                    continue
                if (by, period) not in freq:
                    f = Counter()
                    for d in docs:
                        f.update(self._doc_tokens(d.doc_id)[0])
                    freq[(by, period)] = f
                observed = Counter()
                per_doc = defaultdict(list)
                for doc_id, a, b, _ in ms:
                    per_doc[doc_id].append((a, b))
                for doc_id, spans in per_doc.items():
                    observed.update(self._windows(doc_id, spans, COLLOCATE_WINDOW))
                scored = []
                for coll, o in observed.items():
                    if o < MIN_COLLOCATE_FREQ:
                        continue
                    s = M.collocation_scores(o, len(ms), freq[(by, period)][coll], n, span=2 * COLLOCATE_WINDOW)
                    if s is not None:
                        scored.append((coll, s))
                scored.sort(key=lambda x: (-(x[1].ll or 0), x[0]))
                for coll, s in scored[:COLLOCATES_PER_CELL]:
                    rows.append(self._row(c.id, by, period, collocate=coll, observed=s.observed,
                                          expected=s.expected, mi=s.mi, mi3=s.mi3, t=s.t, logdice=s.logdice,
                                          ll=s.ll))
        if small:
            self.note(f"collocates: {small} concept x cell(s) with fewer than --min-count {self.opts.min_count} "
                      "mentions left out")
        return rows

    def _ambiguity(self) -> list[dict[str, Any]]:
        import numpy as np

        mentions = self._mentions()
        cell_of = self._cell_of()
        k_opt, mc = self.opts.sample_k, self.opts.min_count
        embed = self._embedder()
        rows, small = [], 0
        for c in self.lexicon.concepts:
            ms_all = mentions.get(c.id, [])
            colls_all = [self._windows(m[0], [(m[1], m[2])], COLLOCATE_WINDOW) for m in ms_all]
            for by, period in self.cells():
                idx = [i for i, m in enumerate(ms_all) if cell_of[m[0]] == (by, period)]
                n = len(idx)
                row = dict(mentions=n, sample_k=None, variants=len({ms_all[i][3] for i in idx}),
                           variant_entropy=None, collocate_entropy=None, apd=None, apd_low=None, apd_high=None,
                           jsd_vs_rest=None)
                if n >= mc:
                    variants = [ms_all[i][3] for i in idx]
                    colls = [colls_all[i] for i in idx]
                    if n >= k_opt:
                        samples = M.subsample_indices(n, k_opt, N_SAMPLES, self.opts.seed)
                        row["sample_k"] = k_opt
                    else:
                        samples = np.arange(n)[None, :]
                        row["sample_k"] = n
                    ve = M.summarise_samples(M.label_entropy([variants[j] for j in s]) for s in samples)
                    ce = M.summarise_samples(
                        M.shannon_entropy(Counter(w for j in s for w in colls[j])) for s in samples)
                    row["variant_entropy"] = ve[0] if ve else None
                    row["collocate_entropy"] = ce[0] if ce else None
                    if n >= k_opt:
                        vecs = embed([self._context(ms_all[i]) for i in idx])
                        apd = M.summarise_samples(M.average_pairwise_cosine_distance(vecs[s]) for s in samples)
                        if apd:
                            row["apd"], row["apd_low"], row["apd_high"] = apd
                    rest = Counter(w for i, m in enumerate(ms_all) if cell_of[m[0]][1] == period
                                   and cell_of[m[0]][0] != by for w in colls_all[i])
                    n_rest = sum(1 for m in ms_all if cell_of[m[0]][1] == period and cell_of[m[0]][0] != by)
                    if n_rest >= mc:
                        row["jsd_vs_rest"] = M.jensen_shannon_dicts(Counter(w for cl in colls for w in cl), rest)
                else:
                    small += bool(n)
                rows.append(self._row(c.id, by, period, **row))
        if small:
            self.note(f"ambiguity: entropies, apd and jsd blank in {small} row(s) with fewer than --min-count "
                      f"{mc} mentions (apd needs --sample-k {k_opt})")
        return rows

    def _context(self, m: tuple[str, int, int, str]) -> str:
        lemmas, _ = self._doc_tokens(m[0])
        a, b = m[1], m[2]
        return " ".join(lemmas[max(0, a - CONTEXT_WINDOW):a] + lemmas[b:b + CONTEXT_WINDOW])

    def _embedder(self):
        """TF-IDF -> TruncatedSVD fitted on passages of the selected corpus; returns a transform."""
        if self._embed_fn is not None:
            return self._embed_fn
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import make_pipeline

        passages = []
        for d in sorted(self.docs, key=lambda d: d.doc_id):
            lemmas = self._doc_tokens(d.doc_id)[0]
            passages.extend(" ".join(lemmas[i:i + 2 * CONTEXT_WINDOW]) for i in range(0, len(lemmas), 2 * CONTEXT_WINDOW))
        tfidf = TfidfVectorizer(sublinear_tf=True, min_df=2, max_features=50_000, token_pattern=r"(?u)\b\w[\w'-]*\b")
        x = tfidf.fit_transform(passages)
        dims = max(1, min(SVD_DIMS, x.shape[0] - 1, x.shape[1] - 1))
        svd = TruncatedSVD(n_components=dims, random_state=self.opts.seed)
        svd.fit(x)
        pipe = make_pipeline(tfidf, svd)
        self._embed_fn = pipe.transform
        return pipe.transform


# ---------------------------------------------------------------------------


_RANGE = re.compile(r"^(\d{4})(?:-(\d{4}))?$")


def period_of(period: str) -> tuple[callable, str]:
    """Return ``f(year) -> (label, start) | None`` for a ``--period`` value, and its kind."""
    p = period.strip()
    if p == "all":
        return (lambda y: ("all", None)), "all"
    if p == "year":
        return (lambda y: None if y is None else (str(y), y)), "year"
    m = re.fullmatch(r"(\d+)-year", p)
    if m:
        n = int(m.group(1))
        if n < 1:
            raise UsageError(f"--period {period!r}: N must be at least 1")
        return (lambda y: None if y is None else (f"{y // n * n}-{y // n * n + n - 1}", y // n * n)), "bins"
    ranges = []
    for part in p.split(","):
        m = _RANGE.match(part.strip())
        if not m:
            raise UsageError(f"--period {period!r}: expected year, N-year, all or Y1-Y2,Y3-Y4",
                             hint="e.g. --period 5-year or --period 2008-2012,2013-2017")
        a, b = int(m.group(1)), int(m.group(2) or m.group(1))
        if b < a:
            raise UsageError(f"--period {period!r}: range {part} ends before it starts")
        ranges.append((a, b, part.strip()))

    def in_range(y):
        if y is None:
            return None
        for a, b, label in ranges:
            if a <= y <= b:
                return label, a
        return None

    return in_range, "ranges"


def build_report(store: Store, lexicon, opts: ReportOptions, *, model: str | None = None) -> Report:
    """Select documents, assign cells, and load the kept-mention counts."""
    if opts.min_count < 0 or opts.sample_k < 2:
        raise UsageError("--min-count must be >= 0 and --sample-k >= 2")
    key = ensure_mentions(store, lexicon, model=model)
    cond, params = doc_where(list(opts.where), opts.year_from, opts.year_to, alias="documents")
    fn, kind = period_of(opts.period)
    docs, no_year, outside = [], 0, 0
    for d in store.documents(cond, params):
        p = fn(d["year"])
        if p is None:
            if d["year"] is None:
                no_year += 1
            else:
                outside += 1
            continue
        by = tuple(_by_value(d, col) for col in opts.by)
        docs.append(_Doc(d["doc_id"], d["words"], d["year"], by, p[0], p[1]))
    counts: dict[tuple[str, str], int] = {}
    for doc_id, concept, n in store.conn.execute(
            "SELECT doc_id, concept, count(*) FROM mentions WHERE lexicon_hash=? AND excluded=0 "
            "GROUP BY doc_id, concept", (key,)):
        counts[(doc_id, concept)] = n
    rep = Report(store, lexicon, opts, key, docs, counts)
    if no_year:
        rep.note(f"{no_year} document(s) without a year left out (use --period all to include them)")
    if outside:
        rep.note(f"{outside} document(s) outside the --period ranges left out")
    if not docs:
        rep.note("no documents match the selection")
    return rep


def _by_value(doc: dict[str, Any], col: str) -> str:
    v = doc.get(col) if col in DOC_FILTER_COLUMNS else doc["metadata"].get(col)
    return "" if v is None else str(v)


def check_by(store: Store, by: Iterable[str]) -> tuple[str, ...]:
    """``--by`` takes document metadata columns only."""
    cols = tuple(c.strip() for c in by if c.strip())
    if not cols:
        raise UsageError("--by needs at least one column")
    known = set(DOC_FILTER_COLUMNS)
    for (meta,) in store.conn.execute("SELECT DISTINCT metadata FROM documents LIMIT 10000"):
        known.update(json.loads(meta))
    for c in cols:
        if c not in known:
            raise UsageError(f"--by {c!r} is not a document metadata column",
                             hint="available: " + ", ".join(sorted(known)))
    return cols
