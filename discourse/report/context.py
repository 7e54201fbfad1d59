"""The context tables: collocates and ambiguity, from the words around each kept mention.

Both read mentions placed on the stored words (:mod:`.tokens`) and group them
by the cell of their document (:class:`.grouping.Grouped`). Ambiguity also
reads each mention's lexicon term, sense cluster and frames (:mod:`.meaning`).
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import measures as M
from ..chars import DASHES_TO_MINUS, JOINERS
from ..errors import DiscourseError
from ..measures.agreement import wilson_interval
from ..measures.ambiguity import term_form_entropy
from ..measures.collocation import direction, is_collocate
from .grouping import Cell, Grouped, Table
from .meaning import ConceptMeaning, MeaningAccess
from .options import (
    COLLOCATE_WINDOW,
    COLLOCATES_PER_CELL,
    CONTEXT_WINDOW,
    FRAME_RATES,
    MIN_COLLOCATE_FREQ,
    N_SAMPLES,
    PER_MENTIONS,
    ReportOptions,
)
from .tokens import Mention, TokenAccess

Embed = Callable[[Sequence[str]], np.ndarray]


def collocates(
    g: Grouped,
    opts: ReportOptions,
    mentions: dict[str, list[Mention]],
    tokens: TokenAccess,
    on_step: Callable[[int, int], None] | None = None,
) -> Table:
    """The words most strongly associated (by log-likelihood) with each concept in each cell.

    Collocates are surface forms, lower-cased (``--lemma``: lemmas), with
    hyphenated compounds kept whole ("co-design"); punctuation, numbers,
    single letters, URL pieces and ``--stopwords`` are left out
    (:func:`~discourse.measures.collocation.is_collocate`). ``direction``
    says whether the collocate is seen more (attraction) or less (repulsion)
    often than chance predicts. ``on_step(done, total)`` is called per cell.
    """
    out, small = Table(), 0
    # only the documents with mentions need their units again (for windows): the rest are counted and dropped,
    # which keeps memory to the mentioned documents (6.5M words: 1,069 MB peak when every document was kept)
    with_mentions = {m.doc_id for ms in mentions.values() for m in ms}
    units = CollocateUnits(tokens, lemma=opts.lemma, stopwords=load_stopwords(opts.stopwords), keep=with_mentions)
    form = "lemma" if opts.lemma else "surface"
    freq: dict[int, Counter[str]] = {}
    where = {c: _cells_of(g, mentions.get(c, [])) for c in g.concepts}
    for k, cell in enumerate(g.cells):
        if on_step:
            on_step(k, len(g.cells))
        n = int(g.words[cell.docs].sum())
        for concept in g.concepts:
            ms = [m for m, w in zip(mentions.get(concept, []), where[concept], strict=True) if w == k]
            if len(ms) < opts.min_count:
                small += bool(ms)
                continue
            if k not in freq:
                freq[k] = Counter()
                for i in cell.docs:
                    freq[k].update(units.frequencies(g.docs[i].doc_id))
            for coll, s in _scored(ms, freq[k], n, units)[:COLLOCATES_PER_CELL]:
                out.rows.append(
                    g.row(
                        concept,
                        cell.by,
                        cell.period,
                        docs=len(cell.docs),
                        words=n,
                        mentions=len(ms),
                        collocate=coll,
                        collocate_form=form,
                        direction=direction(s.observed, s.expected),
                        observed=s.observed,
                        expected=s.expected,
                        mi=s.mi,
                        mi3=s.mi3,
                        t=s.t,
                        logdice=s.logdice,
                        ll=s.ll,
                    )
                )
    if on_step:
        on_step(len(g.cells), len(g.cells))
    if small:
        out.note(
            f"collocates: {small} concept x cell(s) with fewer than --min-count {opts.min_count} mentions left out"
        )
    out.note(
        f"collocates: {form} forms, lower-cased, hyphenated compounds whole; stoplist: {opts.stopwords}; "
        "punctuation, numbers, single letters and URL pieces left out; direction = attraction if observed > "
        "expected, else repulsion"
    )
    return out


def _cells_of(g: Grouped, ms: list[Mention]) -> list[int]:
    """The cell index of each mention's document."""
    return [int(g.cell_of[g.row_of[m.doc_id]]) for m in ms]


def _scored(ms: list[Mention], freq: Counter[str], n: int, units: CollocateUnits) -> list[tuple[str, Any]]:
    """Collocates seen at least MIN_COLLOCATE_FREQ times around ``ms``, strongest (by ll) first."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for m in ms:
        spans.setdefault(m.doc_id, []).append((m.start, m.end))
    observed: Counter[str] = Counter()
    for doc_id, doc_spans in spans.items():
        observed.update(units.window(doc_id, doc_spans, COLLOCATE_WINDOW))
    scored = []
    for coll, o in observed.items():
        if o < MIN_COLLOCATE_FREQ:
            continue
        s = M.collocation_scores(o, len(ms), freq[coll], n, span=2 * COLLOCATE_WINDOW)
        if s is not None:
            scored.append((coll, s))
    scored.sort(key=lambda x: (-(x[1].ll or 0), x[0]))
    return scored


STOPWORDS_FILE = "stopwords-en.txt"


def load_stopwords(spec: str) -> frozenset[str]:
    """``default``: the shipped English stoplist (``discourse/report/stopwords-en.txt``); ``none``: no
    stoplist; otherwise a UTF-8 file with one word per line (``#`` starts a comment), lower-cased."""
    if spec == "none":
        return frozenset()
    try:
        if spec == "default":
            from importlib import resources

            text = (resources.files(__package__) / STOPWORDS_FILE).read_text(encoding="utf-8")
        else:
            with open(spec, encoding="utf-8") as fh:
                text = fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise DiscourseError(f"--stopwords {spec}: cannot be read ({getattr(exc, 'strerror', None) or exc})") from None
    return frozenset(w for line in text.splitlines() if (w := line.split("#", 1)[0].strip().lower()))


def speaker_label(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is a transcript's speaker label: 1-3 capitals ("SJ", "KD") that open a
    line ("SJ I work for ...") or come before a colon ("JB: ..."), not a word of what was said."""
    word = text[start:end]
    if not (word.isalpha() and word.isupper() and len(word) <= 3):
        return False
    line_start = text.rfind("\n", 0, start) + 1
    return not text[line_start:start].strip() or text[end : end + 1] == ":"


class CollocateUnits:
    """Each document's collocate candidates by word position: hyphenated compounds whole, filtered.

    A compound is a run of words joined by a hyphen or dash with no space
    ("co-design", "well-being"); every word of it maps to the whole
    compound, counted once per window. The unit is the lower-cased text as
    written (hyphens folded to ``-``) or, with ``lemma``, the words' lemmas
    joined by ``-``; a unit :func:`~discourse.measures.collocation.is_collocate`
    rejects, or a :func:`speaker_label`, is None.
    """

    def __init__(
        self, tokens: TokenAccess, *, lemma: bool, stopwords: frozenset[str], keep: Iterable[str] | None = None
    ):
        """``keep``: the documents whose units are kept once made (those with mentions); None: all."""
        self.tokens, self.lemma, self.stopwords = tokens, lemma, stopwords
        self.keep = None if keep is None else set(keep)
        self._docs: dict[str, tuple[list[str | None], list[int]]] = {}
        self._unit: dict[str, str] = {}  # one string object per distinct unit

    def units(self, doc_id: str) -> tuple[list[str | None], list[int]]:
        """(unit of each word position, compound number of each word position)."""
        got = self._docs.get(doc_id)
        if got is not None:
            return got
        keep_doc = self.keep is None or doc_id in self.keep
        dw = self.tokens.words(doc_id, keep=keep_doc)
        lemmas, starts, ends = dw.lemmas, dw.starts.tolist(), dw.ends.tolist()
        text, _ = self.tokens.store.text(doc_id)
        units: list[str | None] = []
        group: list[int] = []
        i, g, n = 0, 0, len(lemmas)
        while i < n:
            j = i
            while j + 1 < n and starts[j + 1] == ends[j] + 1 and text[ends[j]] in JOINERS:
                j += 1
            if self.lemma:
                unit = "-".join(lemmas[i : j + 1])
            else:
                unit = text[starts[i] : ends[j]].lower().translate(DASHES_TO_MINUS)
            label = j == i and speaker_label(text, starts[i], ends[i])
            kept = self._unit.setdefault(unit, unit) if is_collocate(unit, self.stopwords) and not label else None
            units.extend([kept] * (j + 1 - i))
            group.extend([g] * (j + 1 - i))
            i, g = j + 1, g + 1
        if keep_doc:
            self._docs[doc_id] = (units, group)
        return units, group

    def frequencies(self, doc_id: str) -> Counter[str]:
        """How often each unit occurs in the document (a compound once)."""
        units, group = self.units(doc_id)
        return Counter(u for i, u in enumerate(units) if u is not None and (i == 0 or group[i - 1] != group[i]))

    def window(self, doc_id: str, spans: Iterable[tuple[int, int]], w: int) -> list[str]:
        """Units within ``w`` words of any span, each compound once; compounds touching a span left out."""
        units, group = self.units(doc_id)
        masked: set[int] = set()
        pos: set[int] = set()
        for a, b in spans:
            masked.update(group[a:b])
            pos.update(range(max(0, a - w), a))
            pos.update(range(b, min(len(units), b + w)))
        seen = {group[i] for i in pos} - masked
        first = {}
        for i in sorted(pos):
            if group[i] in seen and group[i] not in first:
                first[group[i]] = units[i]
        return [u for u in first.values() if u is not None]


SUBSAMPLED = (
    "term_entropy",
    "form_entropy",
    "sense_entropy",
    "effective_senses",
    "outlier_share",
    "collocate_entropy",
    "apd",
    "apd_low",
    "apd_high",
)
FRAME_COLUMNS = tuple(f"{name}_per_1k{end}" for _, name in FRAME_RATES for end in ("", "_low", "_high"))


@dataclass
class _ConceptData:
    """One concept's mentions in the selection and what each carries, aligned (index i = mention i)."""

    ms: list[Mention]
    where: list[int]  # cell index of each mention
    colls: list[list[str]]  # lemmas within COLLOCATE_WINDOW words
    meaning: ConceptMeaning  # term, frames, definition cluster and sense of each mention


def ambiguity(
    g: Grouped,
    opts: ReportOptions,
    mentions: dict[str, list[Mention]],
    tokens: TokenAccess,
    embed: Embed,
    meaning: MeaningAccess,
    on_step: Callable[[int, int], None] | None = None,
) -> Table:
    """How many names, forms, senses and contexts each concept has in each cell, and how often it is talked about.

    Size-dependent measures (term, form, sense and collocate entropy,
    effective senses, outlier share, apd) are means over :data:`N_SAMPLES`
    random subsamples of exactly ``--sample-k`` of the cell's mentions, the
    same subsamples for all of them, and blank (with a note) in a cell with
    fewer mentions. Frame rates take every mention, with a 95% interval
    (:func:`_frame_rates`). See README "Report" for each column.
    """
    out, why, senses = Table(), Counter[str](), []
    for done, concept in enumerate(g.concepts):
        if on_step:
            on_step(done, len(g.concepts))
        ms = mentions.get(concept, [])
        where = _cells_of(g, ms)
        cm = (
            meaning.concept(concept, ms, senses=max(Counter(where).values()) >= opts.sample_k)
            if ms
            else ConceptMeaning([], [], [])
        )
        for n in cm.notes:
            out.note(n)
        if cm.summary:
            senses.append(cm.summary)
        colls = [tokens.window(m.doc_id, [(m.start, m.end)], COLLOCATE_WINDOW) for m in ms]
        cd = _ConceptData(ms, where, colls, cm)
        for k, cell in enumerate(g.cells):
            idx = [i for i, w in enumerate(where) if w == k]
            row = _ambiguity_row(g, opts, concept, k, idx, cd, tokens, embed, why)
            out.rows.append(
                g.row(concept, cell.by, cell.period, docs=len(cell.docs), words=int(g.words[cell.docs].sum()), **row)
            )
    if on_step:
        on_step(len(g.concepts), len(g.concepts))
    _ambiguity_notes(out, why, opts, senses)
    return out


def _ambiguity_row(
    g: Grouped,
    opts: ReportOptions,
    concept: str,
    k: int,
    idx: list[int],
    cd: _ConceptData,
    tokens: TokenAccess,
    embed: Embed,
    why: Counter[str],
) -> dict[str, Any]:
    """The ambiguity measures of the mentions ``idx`` (indices into ``cd.ms``), all in cell ``k``.

    ``why`` counts the reasons for blank fields, for the notes.
    """
    n = len(idx)
    row: dict[str, Any] = dict(
        docs_with=len({cd.ms[i].doc_id for i in idx}),
        mentions=n,
        sample_k=None,
        variants=len({cd.ms[i].variant for i in idx}),
        terms=len({cd.meaning.terms[i] for i in idx}),
    )
    row.update(dict.fromkeys((*SUBSAMPLED, "jsd_vs_rest", *FRAME_COLUMNS, "distinct_definitions")))
    if n == 0:
        why["empty"] += 1
        return row
    row.update(_frame_rates(opts, concept, g.cells[k], idx, cd))
    if n >= opts.sample_k:
        row.update(_subsampled(opts, idx, cd, tokens, embed, why))
    else:
        why["below_k"] += 1
    row["jsd_vs_rest"] = _jsd_vs_rest(g, opts, k, idx, cd, why)
    return row


def _mean(values: Iterable[float | None]) -> float | None:
    s = M.summarise_samples(values)
    return s[0] if s else None


def _subsampled(
    opts: ReportOptions, idx: list[int], cd: _ConceptData, tokens: TokenAccess, embed: Embed, why: Counter[str]
) -> dict[str, Any]:
    """The size-dependent measures, on the same :data:`N_SAMPLES` subsamples of ``--sample-k`` mentions.

    term and form entropy: :func:`~discourse.measures.ambiguity.term_form_entropy`
    of (term, folded variant) per subsample, so they add up to the variant
    entropy; collocate entropy: of the lemmas within COLLOCATE_WINDOW words of
    the subsample's mentions; apd: of their CONTEXT_WINDOW contexts embedded.
    """
    samples = M.subsample_indices(len(idx), opts.sample_k, N_SAMPLES, opts.seed)
    assert samples is not None  # len(idx) >= sample_k
    pairs = [(cd.meaning.terms[i], cd.ms[i].variant) for i in idx]
    colls = [cd.colls[i] for i in idx]
    split = [term_form_entropy(pairs[j] for j in s) for s in samples]
    row: dict[str, Any] = {
        "sample_k": opts.sample_k,
        "term_entropy": _mean(tf[0] for tf in split if tf),
        "form_entropy": _mean(tf[1] for tf in split if tf),
        "collocate_entropy": _mean(M.shannon_entropy(Counter(w for j in s for w in colls[j])) for s in samples),
    }
    row.update(_sense_measures(cd.meaning, idx, samples, why))
    vecs = embed([tokens.context(cd.ms[i], CONTEXT_WINDOW) for i in idx])
    apd = M.summarise_samples(M.average_pairwise_cosine_distance(vecs[s]) for s in samples)
    if apd:
        row["apd"], row["apd_low"], row["apd_high"] = apd
    else:
        why["apd"] += 1
    return row


def _sense_measures(cm: ConceptMeaning, idx: list[int], samples: np.ndarray, why: Counter[str]) -> dict[str, Any]:
    """sense_entropy (bits, subsample mean), effective_senses = 2 ** sense_entropy, and the outlier share.

    HDBSCAN's outliers (sense -1) count as ONE category: a mention that fits
    no cluster adds to the entropy as one more (large) sense, not as a sense
    of its own each. outlier_share is over all the cell's mentions.
    """
    if cm.senses is None:
        why["no_senses"] += 1
        return {}
    labels = [-1 if cm.senses[i] is None else cm.senses[i] for i in idx]
    h = _mean(M.label_entropy([labels[j] for j in s]) for s in samples)
    return {
        "sense_entropy": h,
        "effective_senses": None if h is None else 2.0**h,
        "outlier_share": labels.count(-1) / len(labels),
    }


def _frame_rates(opts: ReportOptions, concept: str, cell: Cell, idx: list[int], cd: _ConceptData) -> dict[str, Any]:
    """Per 1,000 mentions, those whose sentence carries each frame, with a 95% interval; distinct definitions.

    A mention counts once per frame (:class:`discourse.frames.FrameMatcher`
    gives at most one hit per frame). The interval is a document-level
    bootstrap (percentile; ``--bootstrap`` resamples of the documents that
    mention the concept in the cell; seed ``--seed`` and the cell's labels)
    where those documents are 2 or more and ``0 < k < n``; otherwise the Wilson
    score interval (one document cannot be resampled, and with k = 0 or k = n
    every resample gives the same rate, a zero-width interval).
    """
    docs = sorted({cd.ms[i].doc_id for i in idx})
    pos = {d: r for r, d in enumerate(docs)}
    per_doc = np.zeros((len(docs), len(FRAME_RATES) + 1))  # frame counts, then mentions
    for i in idx:
        r = pos[cd.ms[i].doc_id]
        per_doc[r, -1] += 1
        for j, (frame, _) in enumerate(FRAME_RATES):
            per_doc[r, j] += frame in cd.meaning.frames[i]
    sums = None
    if len(docs) >= 2 and opts.bootstrap:
        key = "\x1f".join((concept, *cell.by, cell.period)).encode("utf-8")
        sums = M.cluster_bootstrap_sums(per_doc, opts.bootstrap, np.random.SeedSequence([opts.seed, zlib.crc32(key)]))
    n, row = len(idx), {}
    for j, (_, name) in enumerate(FRAME_RATES):
        k = int(per_doc[:, j].sum())
        ci = M.ratio_interval(sums[:, j], sums[:, -1], scale=PER_MENTIONS) if sums is not None and 0 < k < n else None
        if ci is None:
            low, high = wilson_interval(k, n) or (0.0, 1.0)
            ci = (PER_MENTIONS * low, PER_MENTIONS * high)
        row[f"{name}_per_1k"] = PER_MENTIONS * k / n
        row[f"{name}_per_1k_low"], row[f"{name}_per_1k_high"] = ci
    row["distinct_definitions"] = len({d for i in idx if (d := cd.meaning.definition[i]) is not None})
    return row


def _jsd_vs_rest(
    g: Grouped, opts: ReportOptions, k: int, idx: list[int], cd: _ConceptData, why: Counter[str]
) -> float | None:
    """JSD of the cell's collocates against those of the other --by groups' mentions in the same period."""
    if len(idx) < opts.min_count:
        why["jsd_few"] += 1
        return None
    cell = g.cells[k]
    rest = [i for i, w in enumerate(cd.where) if g.cells[w].period == cell.period and g.cells[w].by != cell.by]
    if len(rest) < opts.min_count:
        why["jsd_rest"] += 1
        return None
    return M.jensen_shannon_dicts(
        Counter(w for i in idx for w in cd.colls[i]), Counter(w for i in rest for w in cd.colls[i])
    )


def _ambiguity_notes(out: Table, why: Counter[str], opts: ReportOptions, senses: list[str]) -> None:
    """One note per reason a field is blank, and how senses and frame intervals were had."""
    k, m = opts.sample_k, opts.min_count
    if why["empty"]:
        out.note(f"ambiguity: every measure blank in {why['empty']} row(s) with no mentions")
    if why["below_k"]:
        out.note(
            f"ambiguity: sample_k, {', '.join(c for c in SUBSAMPLED if not c.startswith('apd_'))} blank in "
            f"{why['below_k']} row(s) with fewer than --sample-k {k} mentions: they are means over {N_SAMPLES} "
            f"random subsamples of exactly {k} mentions, so that cells of different sizes compare"
        )
    if why["no_senses"]:
        out.note(
            f"ambiguity: sense_entropy, effective_senses, outlier_share blank in {why['no_senses']} row(s) (see above)"
        )
    if why["apd"]:
        out.note(f"ambiguity: apd blank in {why['apd']} row(s) where fewer than 2 contexts had words to embed")
    if why["jsd_few"]:
        out.note(f"ambiguity: jsd_vs_rest blank in {why['jsd_few']} row(s) with fewer than --min-count {m} mentions")
    if why["jsd_rest"]:
        out.note(
            f"ambiguity: jsd_vs_rest blank in {why['jsd_rest']} row(s) whose period has fewer than --min-count {m} "
            "mentions in the other --by groups"
        )
    if senses:
        out.note(
            f"ambiguity: senses clustered once per concept over all its mentions in the selection (as `discourse "
            f"senses --seed {opts.seed}`), outliers (-1) counted as one sense: " + "; ".join(senses)
        )
    boot = (
        f"a document-level bootstrap ({opts.bootstrap} resamples of the documents that mention the concept, "
        f"percentile, --seed {opts.seed}) where they are >= 2 and 0 < k < n, else the Wilson score interval"
    )
    out.note(
        f"ambiguity: *_per_{PER_MENTIONS // 1000}k = mentions whose sentence carries the frame (discourse frames) "
        f"per {PER_MENTIONS:,} mentions; 95% intervals: " + (boot if opts.bootstrap else "Wilson (--bootstrap 0)")
    )
