"""Per-mention labels for the ambiguity table: the lexicon term, the sense cluster and the frames.

For each concept, :class:`MeaningAccess` reads the concept's kept mentions in
the selected documents from the store (:func:`discourse.store.contexts.mention_contexts`),
places each on the stored words, and pairs it with the report's own mention
(same document and word span), so every label below lines up with the
mentions the other ambiguity measures use:

- **term**: which name of the lexicon the matched text is (:class:`TermIndex`);
- **sense**: the mention's cluster from :func:`discourse.senses.find_senses`,
  run ONCE per concept over all its mentions in the selection (every group
  and period together, so sense ids mean the same in every cell), with the
  options of ``discourse senses`` (stored sentence, TF-IDF/LSA, HDBSCAN
  ``min_cluster_size`` 5) and ``--seed``. Outliers keep the id -1;
- **frames**: the frames :class:`discourse.frames.FrameMatcher` finds in the
  mention's sentence (at most one hit per frame), and the definition cluster
  of :func:`discourse.frames.find_frames` (run once per concept) where the
  mention carries a definitional row.

``discourse.senses`` and ``discourse.frames`` (and with them BERTopic, HDBSCAN
and spaCy's Matcher) are imported only here, inside the methods, so the other
report tables never load them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..annotate import fold_variant
from ..errors import DiscourseError
from ..lexicon import Concept, compile_term, expand_alternation, norm_key, split_words
from ..store import Store
from ..store.contexts import MentionContext, mention_contexts
from .options import ReportOptions
from .tokens import Mention, TokenAccess

if TYPE_CHECKING:
    from ..frames import FrameMatcher

UNKNOWN_TERM = "?"  # a matched text no term of the lexicon accounts for (a note counts them)


def term_name(alternative: str) -> str:
    """The name an alternative of a term stands for: what :data:`TermIndex` counts as one term.

    The alternative's words, each lower-cased and lemmatised with the ingest
    lookup table, joined with nothing between them, with the British and
    American ``-ise``/``-ize`` (``-yse``/``-yze``) spellings folded together
    (``iz`` -> ``is``, ``yz`` -> ``ys``); a wildcard keeps its ``*``. So
    "self-directed budget" and "self directed budget", "personalisation",
    "personalization" and "personalisations" each name one term, while
    "personal budget" and "individual budget" name two.
    """
    from ..nlp import lemma_of

    star = alternative.endswith("*")
    words = split_words(alternative[:-1] if star else alternative)
    key = "".join(lemma_of(norm_key(w)) for w in words).replace("iz", "is").replace("yz", "ys")
    return key + ("*" if star else "")


def _flat(text: str) -> str:
    """Lower-cased, joiners and whitespace removed: how a matched text and a term variant are compared."""
    return "".join(norm_key(text).split())


class TermIndex:
    """Which term of a concept a matched text belongs to.

    A term of the lexicon may stand for several names: its alternation
    ("(personal|individual) budget") is, as the lexicon format says,
    shorthand for several terms. Each alternative of each term is expanded
    with :func:`discourse.lexicon.compile_term` (inflections included); a
    matched text belongs to the FIRST alternative, in lexicon order (terms,
    then alternatives), one of whose variants it spells: the same words
    compared without case, joiners or spaces, or (a wildcard variant) starting
    with its prefix. That is the matcher's own tie rule (the concept's first
    term wins). The alternative's :func:`term_name` is the term. ``context``
    and ``unless`` are not re-checked: the match already passed them.
    """

    def __init__(self, concept: Concept):
        self.entries: list[tuple[str, bool, str]] = []  # (flat variant, wildcard, term name)
        for t in concept.terms:
            for alt in expand_alternation(t.text):
                try:
                    variants, _ = compile_term(alt, t.lemma, t.match_case)
                except ValueError:
                    continue
                name = term_name(alt)
                for v in variants:
                    wild = v[-1].endswith("*")
                    self.entries.append(("".join(v).rstrip("*").lower(), wild, name))
        self._cache: dict[str, str] = {}

    def name(self, variant: str) -> str:
        """The term of a matched text (folded or as written); :data:`UNKNOWN_TERM` if none."""
        if variant not in self._cache:
            key = _flat(fold_variant(variant))
            self._cache[variant] = next(
                (n for flat, wild, n in self.entries if key == flat or (wild and key.startswith(flat))), UNKNOWN_TERM
            )
        return self._cache[variant]


@dataclass
class ConceptMeaning:
    """Labels of a concept's mentions, aligned with the report's mention list (index i = mention i)."""

    terms: list[str]
    frames: list[frozenset[str]]  # the frames of the mention's sentence
    definition: list[int | None]  # definition cluster of the definitional row the mention carries
    senses: list[int | None] | None = None  # sense id (-1: outlier); None: senses not computed
    notes: list[str] = field(default_factory=list)
    summary: str = ""  # "k sense(s), o/n outliers", for the table's note


class MeaningAccess:
    """Term, sense and frame labels of each concept's mentions in a report's selection."""

    def __init__(
        self, store: Store, key: str, lexicon: Any, opts: ReportOptions, tokens: TokenAccess, doc_ids: set[str]
    ):
        self.store, self.key, self.lexicon, self.opts = store, key, lexicon, opts
        self.tokens, self.doc_ids = tokens, doc_ids
        self._matcher: FrameMatcher | None = None

    def concept(self, concept: str, ms: Sequence[Mention], senses: bool) -> ConceptMeaning:
        """Labels of ``ms`` (the report's mentions of ``concept``); sense clusters only if ``senses``."""
        index = TermIndex(self.lexicon.concept(concept))
        ctx = [
            c
            for c in mention_contexts(
                self.store,
                self.key,
                concept,
                where=list(self.opts.where),
                year_from=self.opts.year_from,
                year_to=self.opts.year_to,
            )
            if c.doc_id in self.doc_ids
        ]
        aligned = self._align(ctx, ms)
        out = ConceptMeaning(
            terms=[index.name(m.variant) for m in ms],
            frames=self._frames(aligned),
            definition=self._definitions(concept, ctx, aligned),
        )
        unknown = out.terms.count(UNKNOWN_TERM)
        if unknown:
            out.notes.append(f"ambiguity: {unknown} mention(s) of {concept} match no term of the lexicon (term '?')")
        missing = sum(c is None for c in aligned)
        if missing:
            out.notes.append(
                f"ambiguity: {missing} mention(s) of {concept} could not be paired with their stored sentence: "
                "no frame and no sense"
            )
        if senses:
            self._senses(concept, ctx, aligned, out)
        return out

    def _align(self, ctx: list[MentionContext], ms: Sequence[Mention]) -> list[MentionContext | None]:
        """The stored context of each report mention: the one on the same document and word span."""
        by_span: dict[tuple[str, int, int], list[MentionContext]] = {}
        for c in ctx:
            span = self.tokens.words(c.doc_id).span(c.start_char, c.end_char)
            if span is not None:
                by_span.setdefault((c.doc_id, *span), []).append(c)
        out: list[MentionContext | None] = []
        for m in ms:
            found = by_span.get((m.doc_id, m.start, m.end))
            out.append(found.pop(0) if found else None)
        return out

    def matcher(self) -> FrameMatcher:
        if self._matcher is None:
            from ..frames import FrameMatcher, load_frames

            self._matcher = FrameMatcher(load_frames())
        return self._matcher

    def _frames(self, aligned: list[MentionContext | None]) -> list[frozenset[str]]:
        """The frames of each mention's sentence; an empty set where it could not be read."""
        match = self.matcher()
        out = []
        for c in aligned:
            hits = match(c) if c is not None else None
            out.append(frozenset(h.frame for h in hits or ()))
        return out

    def _definitions(
        self, concept: str, ctx: list[MentionContext], aligned: list[MentionContext | None]
    ) -> list[int | None]:
        """The definition cluster of the definitional row each mention carries (find_frames, once per concept)."""
        from ..frames import DEFINITION, find_frames

        if not ctx:
            return [None] * len(aligned)
        rows = find_frames(ctx, concept, frames=self.matcher().frames).rows
        cluster = {r["mention_id"]: r["definition_cluster"] for r in rows if r["frame"] == DEFINITION}
        return [None if c is None else cluster.get(c.mention_id) for c in aligned]

    def _senses(
        self, concept: str, ctx: list[MentionContext], aligned: list[MentionContext | None], out: ConceptMeaning
    ) -> None:
        """Sense ids of the mentions (find_senses over all of ``ctx``, once); a note if they cannot be had."""
        try:
            from ..senses import SenseOptions, find_senses

            res = find_senses(ctx, concept, SenseOptions(seed=self.opts.seed))
        except ImportError as exc:
            out.notes.append(
                f"ambiguity: sense_entropy, effective_senses and outlier_share blank: {exc.name or exc} is not "
                "installed (the topics extra and BERTopic; see README)"
            )
            return
        except DiscourseError as exc:
            out.notes.append(f"ambiguity: sense columns of {concept} blank: {exc}")
            return
        if not res.lines:
            out.notes.extend(f"ambiguity: sense columns of {concept} blank: {n}" for n in res.notes)
            return
        sense = {ln["mention_id"]: int(ln["sense_id"]) for ln in res.lines}
        out.senses = [None if c is None else sense.get(c.mention_id) for c in aligned]
        ids = list(sense.values())
        out.summary = f"{concept} {len(set(ids) - {-1})} sense(s), {ids.count(-1)}/{len(ids)} outliers"
