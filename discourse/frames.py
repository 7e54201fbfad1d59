"""Definitional and metalinguistic talk about a concept: which sentences define it, comment on the word, hedge it.

The frames and their cues live in a YAML file (the shipped
``discourse/frames.yaml``, or ``--frames FILE``; its header documents the cue
syntax). Each mention's stored sentence is tokenised with the ingest tokeniser
(:func:`discourse.nlp.make_nlp`), the mention is merged into one token
(with the quotes right around it, if it has them on both sides), and the cues
run as spaCy ``Matcher`` token patterns:

- a cue with ``{X}`` must include the mention ("by {X} we mean");
- a cue without ``{X}`` may sit anywhere in the sentence ("buzzword");
- ``not_before``: a cue is dropped when the next word (after skipping the
  ``intensifiers``) starts one of the listed phrases. The shipped definition
  frame uses it for evaluations: "co-production is a *good* thing", "is the
  *key*", "is *important*" say what the writer thinks of the concept, not what
  it is;
- ``not_after``: a cue is dropped when the word before it is listed (the
  shipped hedge frame: "*this* kind of co-production" names a type);
- ``quoted: true``: the mention is immediately enclosed in two quote
  characters from ``quotes`` (any style, e.g. 'X', "X", ‘X’, “X”, „X“, «X»).

A sentence is counted once per frame even when it holds several mentions (the
first mention in it is kept). :func:`definition_clusters` groups the
definitional sentences so the researcher sees how many *different*
definitions circulate.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import DiscourseError, ExtractError
from .store.contexts import MentionContext
from .textio import YamlLimitError, read_config_text, safe_yaml

DEFINITION = "definition"
# Average-linkage clusters of definitional sentences: two groups merge while the mean cosine distance
# between their sentences' TF-IDF vectors is below this, i.e. while they share, on average, at least
# 1 - 0.75 = 0.25 cosine similarity of (non-stop, non-concept) vocabulary.
DEFINITION_DISTANCE = 0.75
CONCEPT_NORM = "\x00concept\x00"  # the NORM of the merged mention token, which {X} matches
_KEYS = {"version", "quotes", "intensifiers", "frames"}
_FRAME_KEYS = {"description", "cues", "quoted", "not_before", "not_after", "max_distance"}
_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'"})


def frame_columns(by: str) -> list[str]:
    """Columns of ``discourse frames``: one row per frame sentence."""
    return [
        "concept",
        "frame",
        "mention_id",
        "doc_id",
        "date",
        "year",
        by,
        "page",
        "sentence",
        "cue",
        "definition_cluster",
    ]


@dataclass(frozen=True)
class Frame:
    name: str
    description: str
    cues: tuple[str, ...]
    patterns: tuple[tuple[dict[str, Any], ...], ...]
    quoted: bool = False
    not_before: tuple[tuple[str, ...], ...] = ()
    not_after: frozenset[str] = frozenset()
    cue_not_after: tuple[frozenset[str], ...] = ()  # per cue: its leading !a|b|c part
    max_distance: int | None = None  # tokens between a cue and the mention (None: the sentence)


@dataclass(frozen=True)
class FrameSet:
    path: str
    frames: tuple[Frame, ...]
    quotes: frozenset[str]
    intensifiers: frozenset[str]


@dataclass
class FrameResult:
    rows: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def default_frames_path() -> str:
    """The shipped frames.yaml."""
    return str(resources.files("discourse") / "frames.yaml")


@lru_cache(maxsize=1)
def _nlp():
    from .nlp import make_nlp

    return make_nlp()


def load_frames(path: str | Path | None = None) -> FrameSet:
    """Read and validate a frames file (default: the shipped one); errors name the file and the key."""
    import yaml

    p = str(path) if path else default_frames_path()
    try:
        data = safe_yaml(read_config_text(p, "frames file"))
    except (ExtractError, YamlLimitError) as exc:
        raise DiscourseError(f"{p}: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise DiscourseError(f"{p}: not valid YAML{where}: {getattr(exc, 'problem', None) or exc}") from None
    if not isinstance(data, dict):
        raise DiscourseError(f"{p}: expected a mapping with a 'frames' key")
    for k in data:
        if k not in _KEYS:
            raise DiscourseError(f"{p}: {k}: unknown key (expected one of {', '.join(sorted(_KEYS))})")
    quotes = frozenset(_words(p, "quotes", data.get("quotes", [])))
    intens = frozenset(w.lower() for w in _words(p, "intensifiers", data.get("intensifiers", [])))
    frames = data.get("frames")
    if not isinstance(frames, dict) or not frames:
        raise DiscourseError(f"{p}: frames: expected a non-empty mapping of frame name -> cues")
    out = tuple(_frame(p, str(name), spec, quotes) for name, spec in frames.items())
    return FrameSet(p, out, quotes, intens)


def _words(p: str, key: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise DiscourseError(f"{p}: {key}: expected a list of non-empty strings")
    return [v.strip() for v in value]


def _frame(p: str, name: str, spec: Any, quotes: frozenset[str]) -> Frame:
    key = f"frames.{name}"
    if not _NAME.match(name):
        raise DiscourseError(f"{p}: {key}: a frame name is lower-case letters, digits, '_' or '-'")
    if not isinstance(spec, dict):
        raise DiscourseError(f"{p}: {key}: expected a mapping (description, cues, ...)")
    for k in spec:
        if k not in _FRAME_KEYS:
            raise DiscourseError(f"{p}: {key}.{k}: unknown key (expected one of {', '.join(sorted(_FRAME_KEYS))})")
    quoted = spec.get("quoted", False)
    if not isinstance(quoted, bool):
        raise DiscourseError(f"{p}: {key}.quoted: expected true or false")
    if quoted and not quotes:
        raise DiscourseError(f"{p}: {key}.quoted: needs a non-empty top-level 'quotes' list")
    cues = _words(p, f"{key}.cues", spec["cues"]) if "cues" in spec else []
    if not cues and not quoted:
        raise DiscourseError(f"{p}: {key}: needs 'cues' (a non-empty list) or 'quoted: true'")
    parsed = [cue_pattern(c, f"{p}: {key}.cues[{i}]") for i, c in enumerate(cues)]
    dist = spec.get("max_distance")
    if dist is not None and (not isinstance(dist, int) or isinstance(dist, bool) or dist < 0):
        raise DiscourseError(f"{p}: {key}.max_distance: expected a whole number of tokens (0 or more)")
    not_before = tuple(
        tuple(t.lower() for t in _tokens(w)) for w in _words(p, f"{key}.not_before", spec.get("not_before", []))
    )
    not_after = frozenset(w.lower() for w in _words(p, f"{key}.not_after", spec.get("not_after", [])))
    desc = spec.get("description", "")
    return Frame(
        name,
        str(desc),
        tuple(cues),
        tuple(pt for pt, _ in parsed),
        quoted,
        not_before,
        not_after,
        tuple(na for _, na in parsed),
        dist,
    )


def _tokens(text: str) -> list[str]:
    return [t.text for t in _nlp().make_doc(text) if not t.is_space]


def cue_pattern(cue: str, where: str) -> tuple[tuple[dict[str, Any], ...], frozenset[str]]:
    """A cue string -> (spaCy Matcher token pattern, words that may not come right before it).

    Syntax in frames.yaml's header; ``where`` prefixes errors.
    """
    pattern: list[dict[str, Any]] = []
    n_concept = 0
    parts = cue.split()
    not_after: frozenset[str] = frozenset()
    if parts and parts[0].startswith("!") and len(parts[0]) > 1:
        not_after = frozenset(w.lower() for w in parts[0][1:].split("|") if w)
        parts = parts[1:]
    for part in parts:
        optional = len(part) > 1 and part.endswith("?")
        word = part[:-1] if optional else part
        if word == "{X}":
            n_concept += 1
            if optional:
                raise DiscourseError(f"{where}: {cue!r}: {{X}} cannot be optional")
            pattern.append({"NORM": CONCEPT_NORM})
        elif re.search(r"[{}]", word):
            raise DiscourseError(f"{where}: {cue!r}: unknown placeholder {word!r} (only {{X}})")
        elif "|" in word:
            alts = [a.lower() for a in word.split("|")]
            if not all(alts):
                raise DiscourseError(f"{where}: {cue!r}: empty alternative in {word!r}")
            pattern.append({"LOWER": {"IN": alts}, **({"OP": "?"} if optional else {})})
        else:
            toks = _tokens(word)
            if optional and len(toks) > 1:
                raise DiscourseError(f"{where}: {cue!r}: only one token can be optional, not {word!r}")
            pattern.extend({"LOWER": t.lower(), **({"OP": "?"} if optional else {})} for t in toks)
    if n_concept > 1:
        raise DiscourseError(f"{where}: {cue!r}: {{X}} appears more than once")
    if not any("OP" not in t for t in pattern):
        raise DiscourseError(f"{where}: {cue!r}: every part is optional, so it matches nothing")
    return tuple(pattern), not_after


@dataclass(frozen=True)
class Hit:
    frame: str
    cue: str  # the matched text
    offset: int  # the cue's character offset in the document (to count a cue once)


class FrameMatcher:
    """Finds the frames of one mention's sentence (see the module docstring)."""

    def __init__(self, frames: FrameSet):
        from spacy.matcher import Matcher

        self.frames = frames
        self.nlp = _nlp()
        self.matcher = Matcher(self.nlp.vocab)
        self.keys: dict[int, tuple[Frame, int]] = {}
        for f in frames.frames:
            for i, pattern in enumerate(f.patterns):
                key = f"{f.name}\x1f{i}"
                self.matcher.add(key, [list(pattern)])
                self.keys[self.nlp.vocab.strings[key]] = (f, i)

    def __call__(self, c: MentionContext) -> list[Hit] | None:
        """The mention's frames (at most one hit per frame, in the frames' order); None if it cannot be aligned."""
        sentence, a, b, offsets = sentence_span(c)
        doc = self.nlp.make_doc(sentence.translate(_APOSTROPHES))
        span = doc.char_span(a, b, alignment_mode="expand")
        if span is None or len(span) == 0:
            return None
        i, j = span.start, span.end
        quoted = i > 0 and j < len(doc) and doc[i - 1].text in self.frames.quotes and doc[j].text in self.frames.quotes
        if quoted:
            i, j = i - 1, j + 1
        with doc.retokenize() as retok:
            retok.merge(doc[i:j], attrs={"NORM": CONCEPT_NORM})
        best: dict[str, Hit] = {}
        for match_id, start, end in sorted(self.matcher(doc), key=lambda m: (m[1], m[1] - m[2], m[0])):
            f, k = self.keys[match_id]
            if f.name not in best and self._keep(f, k, doc, start, end, i):
                best[f.name] = Hit(f.name, " ".join(doc[start:end].text.split()), offsets[doc[start].idx])
        out = []
        for f in self.frames.frames:
            if f.quoted and quoted:
                out.append(Hit(f.name, doc[i].text, offsets[doc[i].idx]))
            elif f.name in best:
                out.append(best[f.name])
        return out

    def _keep(self, f: Frame, k: int, doc, start: int, end: int, concept: int) -> bool:
        """Whether a match of cue ``k`` of ``f`` passes max_distance, not_after and not_before."""
        if f.max_distance is not None:
            gap = concept - end + 1 if end <= concept else (start - concept - 1 if start > concept else 0)
            if gap > f.max_distance:
                return False
        before = doc[start - 1].lower_ if start > 0 else None
        if before is not None and (before in f.not_after or before in f.cue_not_after[k]):
            return False
        return not (f.not_before and self._followed_by(doc, end, f.not_before))

    def _followed_by(self, doc, end: int, phrases: tuple[tuple[str, ...], ...]) -> bool:
        k = end
        while k < len(doc) and doc[k].lower_ in self.frames.intensifiers:
            k += 1
        words = [t.lower_ for t in doc[k : k + max(len(p) for p in phrases)]]
        return any(tuple(words[: len(p)]) == p for p in phrases)


def sentence_span(c: MentionContext) -> tuple[str, int, int, list[int]]:
    """The mention's stored sentence with whitespace folded to single spaces, the mention's offsets in it, and
    each folded character's offset in the document."""
    import bisect

    s, a, b, e = c.sent_start, c.start_char, c.end_char, c.sent_end
    if not s <= a <= b <= e:  # a sentence cap that cut the mention: the mention alone
        s, e = a, b
    chars: list[str] = []
    offsets: list[int] = []
    for k in range(s, e):
        ch = c.text[k]
        if ch.isspace():
            if not chars or chars[-1] == " ":
                continue
            ch = " "
        chars.append(ch)
        offsets.append(k)
    if chars and chars[-1] == " ":
        chars.pop()
        offsets.pop()
    return "".join(chars), bisect.bisect_left(offsets, a), bisect.bisect_left(offsets, b), offsets


def find_frames(
    contexts: Sequence[MentionContext], concept: str, by: str = "source_type", frames: FrameSet | None = None
) -> FrameResult:
    """One row per frame cue of ``concept`` (columns :func:`frame_columns`), definitions clustered.

    A cue found from two mentions (their stored sentences overlap, or hold
    both) is one row, under the first mention.
    """
    fs = frames or load_frames()
    matcher = FrameMatcher(fs)
    res = FrameResult()
    seen: set[tuple[str, str, int]] = set()
    unaligned = 0
    for c in contexts:
        hits = matcher(c)
        if hits is None:
            unaligned += 1
            continue
        for h in hits:
            if (h.frame, c.doc_id, h.offset) in seen:
                continue
            seen.add((h.frame, c.doc_id, h.offset))
            res.rows.append(
                {
                    "concept": concept,
                    "frame": h.frame,
                    "mention_id": c.mention_id,
                    "doc_id": c.doc_id,
                    "date": c.date,
                    "year": c.year,
                    by: c.by_value(by),
                    "page": c.page,
                    "sentence": sentence_span(c)[0],
                    "cue": h.cue,
                    "definition_cluster": None,
                }
            )
    defs = [r for r in res.rows if r["frame"] == DEFINITION]
    for r, k in zip(defs, definition_clusters([r["sentence"] for r in defs], _concept_words(contexts)), strict=True):
        r["definition_cluster"] = k
    counts = {f.name: sum(r["frame"] == f.name for r in res.rows) for f in fs.frames}
    res.notes.append(
        f"frames: {len(contexts)} mention(s) of {concept}: "
        + ", ".join(f"{v} {k}" for k, v in counts.items())
        + f"; {len({r['definition_cluster'] for r in defs})} distinct definition(s)"
    )
    if unaligned:
        res.notes.append(f"frames: {unaligned} mention(s) whose sentence could not be tokenised around them skipped")
    return res


def _concept_words(contexts: Sequence[MentionContext]) -> set[str]:
    out: set[str] = set()
    for c in contexts:
        w = c.match.lower()
        out.update([*re.findall(r"\w+", w), w.replace("-", ""), w.replace("-", " ")])
    return out


def definition_clusters(
    sentences: list[str],
    concept_words: set[str] = frozenset(),  # type: ignore[assignment]
    threshold: float = DEFINITION_DISTANCE,
) -> list[int]:
    """Cluster ids (1, 2, ... in order of first appearance) grouping similar definitional sentences.

    TF-IDF (English stop words and the concept's own words removed) ->
    cosine distance (a sentence with no words left is at distance 1 from
    every other) -> agglomerative clustering, average linkage, merging while
    the mean distance is below ``threshold`` (:data:`DEFINITION_DISTANCE`).
    """
    if len(sentences) < 2:
        return [1] * len(sentences)
    import numpy as np
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

    vec = TfidfVectorizer(
        stop_words=sorted(set(ENGLISH_STOP_WORDS) | set(concept_words)),
        token_pattern=r"(?u)\b[^\W\d_][\w'-]+\b",
        sublinear_tf=True,
    )
    try:
        x = vec.fit_transform(sentences)
        sim = (x @ x.T).toarray()
    except ValueError:  # no words at all
        sim = np.zeros((len(sentences), len(sentences)))
    dist = np.clip(1.0 - sim, 0.0, 1.0)
    np.fill_diagonal(dist, 0.0)
    labels = (
        AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average", distance_threshold=threshold)
        .fit(dist)
        .labels_
    )
    first: dict[int, int] = {}
    for lab in labels:
        first.setdefault(int(lab), len(first) + 1)
    return [first[int(lab)] for lab in labels]


def frame_counts(contexts: Sequence[MentionContext], frames: FrameSet | None = None) -> dict[str, int]:
    """Per-frame counts for a set of mentions, for summary tables.

    Returns ``{"mentions": n, <frame>: sentences with that frame, ...,
    "distinct_definitions": definition clusters}``; a sentence counts once per
    frame however many mentions it holds.
    """
    fs = frames or load_frames()
    res = find_frames(contexts, contexts[0].concept if contexts else "", frames=fs)
    out = {"mentions": len(contexts)}
    for f in fs.frames:
        out[f.name] = sum(r["frame"] == f.name for r in res.rows)
    out["distinct_definitions"] = len({r["definition_cluster"] for r in res.rows if r["frame"] == DEFINITION})
    return out
