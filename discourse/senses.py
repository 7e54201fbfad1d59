"""Sense clusters of one concept's mentions: contexts -> embeddings -> BERTopic.

Pipeline (:func:`find_senses`), fully offline and deterministic for a seed:

1. **Context.** Each mention's stored sentence (default) or ``window`` words
   each side. The matched term itself is cut out, and the words of every
   matched variant are stop words, so the concept's own spelling never decides
   a cluster or a label.
2. **Embedding.** ``tfidf`` (default): latent semantic analysis. A
   scikit-learn ``TfidfVectorizer`` over lookup lemmas (sublinear tf, English
   stop words plus :data:`FILLERS` and contractions, ``min_df`` =
   :data:`MIN_DF`) -> ``TruncatedSVD`` to at most :data:`SVD_DIMS` dimensions,
   fitted on :data:`PASSAGE_WORDS`-lemma passages of the documents the
   mentions come from plus the contexts themselves, then applied to the
   contexts; rows L2-normalised. (A few hundred sentences alone are too few
   to learn which words go together: fitted on them only, a theatre
   "co-production" looked like the public-service ones.) Or a local
   sentence-transformers model directory (never downloaded).
3. **No reduction.** BERTopic's ``BaseDimensionalityReduction``: HDBSCAN
   clusters the L2-normalised embeddings themselves (Euclidean distance on
   unit vectors is monotone in cosine distance). UMAP is not a dependency;
   PCA or a neighbour-graph embedding pulls a context that shares little
   with the others (an arts co-production among social-care ones) into the
   middle of a cluster, while in the full space it stays an outlier.
4. **Clustering.** ``hdbscan.HDBSCAN(min_cluster_size=min_count,
   prediction_data=True)`` inside ``BERTopic`` (precomputed embeddings, no
   embedding model, ``calculate_probabilities=False``). HDBSCAN's outliers
   are sense -1 and always get a row: in sparse, short contexts many
   mentions are outliers, and the table says how many.
5. **Description.** Labels and top terms are BERTopic's c-TF-IDF words
   (``CountVectorizer(stop_words=english + fillers + contractions + variant
   words, ngram_range=(1, 2), min_df=1)``, words as :data:`TOKEN`). The examples are the 3 contexts nearest
   the sense's centroid (cosine, in the step-2 embedding space), one per
   sentence. ``by_share`` and ``period_share`` are counted directly from the
   assignments (not with ``topics_per_class``/``topics_over_time``, which
   recompute c-TF-IDF per group and are not needed for a share):

   - ``by_share[g]`` = mentions of the sense in --by group g / mentions in g;
   - ``period_share[p]`` = mentions of the sense in period p / the concept's
     mentions in p.
"""

from __future__ import annotations

import json
import re
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import DiscourseError, UsageError
from .store.contexts import MentionContext

SENSE_COLUMNS = [
    "concept",
    "sense_id",
    "size",
    "share",
    "label",
    "top_terms",
    "example_1",
    "example_2",
    "example_3",
    "by_share",
    "period_share",
]

SVD_DIMS = 100  # at most this many LSA dimensions (as the report's ambiguity embedder)
PASSAGE_WORDS = 40  # the LSA is fitted on passages of this many lemmas (as the report's embedder)
MAX_PASSAGES = 20_000  # above this, an even sample of passages
MIN_DF = 2  # a word must occur in 2 contexts to enter the embedding (1 if that leaves < 2 words)
LABEL_WORDS = 3  # c-TF-IDF words joined into a label
TOP_TERMS = 10  # c-TF-IDF words listed in top_terms
N_EXAMPLES = 3  # representative contexts per sense
EXAMPLE_WORDS = 12  # words each side of the match in an example cell
SHARE_DIGITS = 4  # rounding of share, by_share, period_share
TOKEN = r"(?u)\b[^\W\d_][\w'-]*\b"  # a word: a letter, then letters, digits, apostrophes, hyphens
# Spoken-English fillers: transcripts (the lay sources) are full of them and they carry no sense.
FILLERS = frozenset(
    [
        "think",
        "really",
        "actually",
        "just",
        "kind",
        "sort",
        "know",
        "mean",
        "like",
        "yeah",
        "yes",
        "okay",
        "ok",
        "lot",
        "thing",
        "things",
        "going",
        "gonna",
        "got",
        "say",
        "said",
        "says",
        "obviously",
        "basically",
        "quite",
        "maybe",
        "want",
        "way",
        "um",
        "erm",
        "er",
        "uh",
        "right",
        "bit",
        "sure",
        "stuff",
    ]
)
# Contractions, with and without the apostrophe (transcripts write both): stop words as well.
_NOT_WORDS = {"ill", "wed", "shell", "hell", "id"}  # real words once the apostrophe is gone
CONTRACTIONS = frozenset(
    [
        f"{a}'{b}"
        for a in ["i", "you", "we", "they", "he", "she", "it", "that", "there", "what", "who", "where", "here", "let"]
        for b in ("s", "re", "ve", "ll", "d", "m")
    ]
    + [
        f"{a}n't"
        for a in [
            "do",
            "does",
            "did",
            "is",
            "are",
            "was",
            "were",
            "can",
            "could",
            "wo",
            "would",
            "should",
            "have",
            "has",
            "had",
            "must",
            "ai",
        ]
    ]
    + ["can't", "won't", "y'know", "'em"]
)
CONTRACTIONS = CONTRACTIONS | {c.replace("'", "") for c in CONTRACTIONS} - _NOT_WORDS
SAVED_FILES = frozenset({"assignments.csv", "embedder.json", "params.json", "model"})
MODEL_FILES = frozenset(
    {"config.json", "topics.json", "topic_embeddings.safetensors", "ctfidf.safetensors", "ctfidf_config.json"}
)

PeriodFn = Callable[[Any], Any]  # year -> (label, start) | None, as discourse.report.tables.period_of returns


def line_columns(by: str) -> list[str]:
    """Columns of the ``--lines`` view."""
    return ["concept", "sense_id", "mention_id", "doc_id", "date", by, "page", "left", "match", "right"]


@dataclass(frozen=True)
class SenseOptions:
    """``window``: None for the stored sentence, else N words each side. ``embeddings``: 'tfidf' or a path."""

    by: str = "source_type"
    window: int | None = None
    embeddings: str = "tfidf"
    seed: int = 0
    min_count: int = 5


@dataclass
class SenseResult:
    concept: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    model: Any = None
    embedder: dict[str, Any] = field(default_factory=dict)


def context_parts(c: MentionContext, window: int | None) -> tuple[str, str, str]:
    """(left, match, right) of a mention: its stored sentence, or ``window`` words each side."""
    return c.sentence_parts() if window is None else c.window_parts(window)


def variant_words(contexts: Sequence[MentionContext]) -> set[str]:
    """Every word of every matched variant (lower-cased, as the vectorizers and lemmas see them)."""
    from .nlp import lemma_of

    out: set[str] = set()
    for c in contexts:
        for w in re.findall(r"\w+", c.match.lower()) + re.findall(TOKEN, c.match.lower()):
            out.update((w, lemma_of(w), w.replace("-", ""), lemma_of(w.replace("-", ""))))
    return out


_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def fold(text: str) -> str:
    """Lower-cased, every apostrophe a straight one (the vectorizers' preprocessor)."""
    return text.lower().translate(_APOSTROPHES)


def _lemmatise(text: str) -> str:
    from .nlp import lemma_of

    return " ".join(lemma_of(w) for w in re.findall(TOKEN, fold(text)))


@lru_cache(maxsize=64)
def _document_lemmas(text: str) -> list[str]:
    """The lemmatised words of one whole document, computed once per process (the ambiguity table
    asks for the passages of the same documents once per concept)."""
    return _lemmatise(text).split()


def passages(contexts: Sequence[MentionContext]) -> list[str]:
    """The lemmatised text of every document the mentions come from, cut into :data:`PASSAGE_WORDS`-word passages.

    Documents in doc_id order; above :data:`MAX_PASSAGES` passages an even
    stride keeps every k-th one (k = ceil(passages / MAX_PASSAGES)).
    """
    texts = {c.doc_id: c.text for c in contexts}
    out: list[str] = []
    for doc_id in sorted(texts):
        words = _document_lemmas(texts[doc_id])
        out.extend(" ".join(words[i : i + PASSAGE_WORDS]) for i in range(0, len(words), PASSAGE_WORDS))
    step = -(-len(out) // MAX_PASSAGES)
    return out[::step] if step > 1 else out


def tfidf_embed(texts: list[str], fit_on: list[str], stop: set[str], seed: int) -> tuple[Any, dict[str, Any]]:
    """LSA: TF-IDF -> TruncatedSVD fitted on ``fit_on`` (+ ``texts``), applied to ``texts``; rows L2-normalised.

    TF-IDF: sublinear tf, lookup lemmas, ``min_df`` = :data:`MIN_DF` (1 if
    that leaves fewer than 2 words). SVD: ``algorithm="arpack"`` (exact, so
    the seed only fixes ARPACK's start vector), dimensions = min(:data:`SVD_DIMS`,
    rows - 1, vocabulary - 1); with fewer than 2 the normalised TF-IDF rows are
    the embeddings. Returns (matrix, the embedder's parameters).
    """
    import numpy as np
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    from .nlp import lemma_of

    stop_lemmas = sorted(stop | {lemma_of(w) for w in stop})  # tokens are lemmas by the time stop words apply
    corpus = [_lemmatise(t) for t in fit_on + texts]
    vec, x = None, None
    for min_df in (MIN_DF, 1):
        vec = TfidfVectorizer(
            sublinear_tf=True, min_df=min_df, stop_words=stop_lemmas, token_pattern=TOKEN, dtype=np.float64
        )
        try:
            x = vec.fit_transform(corpus)
        except ValueError:
            continue
        if x.shape[1] >= 2:
            break
    if vec is None or x is None or x.shape[1] < 2:
        raise DiscourseError(
            "senses: the contexts have no words left to compare once stop words are removed",
            hint="try --window N for a wider context",
        )
    dims = min(SVD_DIMS, x.shape[0] - 1, x.shape[1] - 1)
    ctx = x[len(fit_on) :]
    params = {
        "kind": "tfidf",
        "fitted_on": f"{len(fit_on)} passages of {PASSAGE_WORDS} lemmas + {len(texts)} contexts",
        "tfidf": _plain_params(vec.get_params()),
        "vocabulary_size": int(x.shape[1]),
        "svd": None,
    }
    if dims < 2:
        return normalize(ctx).toarray(), params
    svd = TruncatedSVD(n_components=dims, algorithm="arpack", random_state=seed).fit(x)
    params["svd"] = {
        **_plain_params(svd.get_params()),
        "explained_variance_ratio_sum": round(float(svd.explained_variance_ratio_.sum()), 6),
    }
    return normalize(svd.transform(ctx)), params


def model_embed(texts: list[str], path: str) -> tuple[Any, dict[str, Any]]:
    """Embeddings from a local sentence-transformers model directory (L2-normalised); nothing is downloaded."""
    import os

    if not Path(path).is_dir():
        raise UsageError(f"--embeddings {path!r}: expected 'tfidf' or a local sentence-transformers model directory")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach a model hub
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError:
        raise DiscourseError(
            f"--embeddings {path}: sentence-transformers is not installed",
            hint="pip install sentence-transformers (or use --embeddings tfidf)",
        ) from None
    model = SentenceTransformer(path, device="cpu", local_files_only=True)
    emb = model.encode(texts, batch_size=32, show_progress_bar=False, normalize_embeddings=True)
    return emb, {"kind": "sentence-transformers", "path": str(Path(path).resolve()), "dimensions": int(emb.shape[1])}


def _plain_params(params: dict[str, Any]) -> dict[str, Any]:
    """Estimator parameters as JSON values (callables by name, sets sorted, types by name)."""
    out: dict[str, Any] = {}
    for k, v in sorted(params.items()):
        if callable(v):
            v = getattr(v, "__name__", type(v).__name__)
        elif isinstance(v, (set, frozenset, list, tuple)):
            v = sorted(map(str, v)) if isinstance(v, (set, frozenset)) else list(v)
        elif not isinstance(v, (str, int, float, bool, type(None))):
            v = str(v)
        out[k] = v
    return out


def fit_topics(docs: list[str], emb: Any, stop: set[str], seed: int, min_count: int) -> tuple[Any, list[int]]:
    """Fit BERTopic on precomputed embeddings; return (model, topic per doc). See the module docstring."""
    import logging

    import hdbscan
    from bertopic import BERTopic
    from bertopic.dimensionality import BaseDimensionalityReduction
    from sklearn.feature_extraction.text import CountVectorizer

    model = BERTopic(
        embedding_model=None,
        umap_model=BaseDimensionalityReduction(),
        hdbscan_model=hdbscan.HDBSCAN(min_cluster_size=min_count, prediction_data=True),
        vectorizer_model=CountVectorizer(
            stop_words=sorted(stop), ngram_range=(1, 2), min_df=1, token_pattern=TOKEN, preprocessor=fold
        ),
        top_n_words=TOP_TERMS,
        calculate_probabilities=False,
        verbose=False,
    )
    logging.getLogger("BERTopic").setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        topics, _ = model.fit_transform(docs, embeddings=emb)
    return model, [int(t) for t in topics]


def sense_terms(model: Any, topic: int) -> list[str]:
    """The sense's c-TF-IDF words, best first (blanks dropped)."""
    words = model.get_topic(topic) or []
    return [w for w, _ in words if w.strip()]


def sense_label(terms: list[str]) -> str:
    """Up to :data:`LABEL_WORDS` top terms joined by '_' (spaces too), best first.

    A bigram whose words are all chosen already replaces them ("people",
    "young", "young people" -> "young people"); a bigram sharing one word with
    a chosen term is skipped.
    """
    chosen: list[str] = []
    for t in terms:
        parts = t.split()
        inside = [c for c in chosen if c in parts]
        if len(parts) > 1 and len(inside) == len(parts):
            chosen[chosen.index(inside[0])] = t
            chosen = [c for c in chosen if c not in inside[1:]]
        elif not any(p in c.split() for c in chosen for p in parts):
            chosen.append(t)
        if len(chosen) == LABEL_WORDS:
            break
    return "_".join("_".join(t.split()) for t in chosen)


def kwic_cell(left: str, match: str, right: str, words: int = EXAMPLE_WORDS) -> str:
    """``left [match] right`` cut to ``words`` words each side ('…' where cut)."""
    lw, rw = left.split(), right.split()
    lft = ("… " if len(lw) > words else "") + " ".join(lw[-words:])
    rgt = " ".join(rw[:words]) + (" …" if len(rw) > words else "")
    return f"{lft} [{match}] {rgt}".strip()


def examples(
    emb: Any, idx: list[int], contexts: Sequence[MentionContext], parts: list[tuple[str, str, str]], n: int = N_EXAMPLES
) -> list[str]:
    """The ``n`` contexts nearest the centroid of ``idx`` (cosine; ties by mention order), one per sentence."""
    import numpy as np

    sub = np.asarray(emb)[idx]
    centre = sub.mean(axis=0)
    norm = np.linalg.norm(centre)
    sims = sub @ (centre / norm) if norm > 0 else np.zeros(len(idx))
    order = sorted(range(len(idx)), key=lambda j: (-round(float(sims[j]), 9), idx[j]))
    out: list[str] = []
    seen: set[tuple[str, int]] = set()
    for j in order:
        c = contexts[idx[j]]
        if (c.doc_id, c.sent_start) in seen:
            continue
        seen.add((c.doc_id, c.sent_start))
        out.append(kwic_cell(*parts[idx[j]]))
        if len(out) == n:
            break
    return out + [""] * (n - len(out))


def shares(keys: list[str], topics: list[int], topic: int) -> str:
    """Compact JSON {group: share of ``topic`` among the mentions in the group}, groups sorted."""
    totals = Counter(keys)
    hits = Counter(k for k, t in zip(keys, topics, strict=True) if t == topic)
    return json.dumps(
        {k: round(hits[k] / totals[k], SHARE_DIGITS) for k in sorted(totals)}, ensure_ascii=False, separators=(",", ":")
    )


def find_senses(
    contexts: Sequence[MentionContext], concept: str, opts: SenseOptions, period: PeriodFn | None = None
) -> SenseResult:
    """Cluster the mentions in ``contexts`` into senses; see the module docstring for every step.

    ``period`` maps a document year to ``(label, start)`` or None (the
    ``--period`` function of ``discourse report``); mentions it maps to None are
    left out with a note. With fewer mentions than ``opts.min_count`` the
    result has no rows and a note says why.
    """
    if opts.min_count < 2:
        raise UsageError("--min-count must be at least 2 (the smallest cluster HDBSCAN can form)")
    res = SenseResult(concept)
    ctx, periods = _in_periods(contexts, period, res)
    if len(ctx) < opts.min_count:
        res.notes.append(
            f"senses: {len(ctx)} mention(s) of {concept}, fewer than --min-count {opts.min_count}: no senses"
        )
        return res
    parts = [context_parts(c, opts.window) for c in ctx]
    docs = [f"{left} {right}" for left, _, right in parts]
    stop = _stop_words(ctx)
    if opts.embeddings == "tfidf":
        emb, res.embedder = tfidf_embed(docs, passages(ctx), stop, opts.seed)
    else:
        emb, res.embedder = model_embed(docs, opts.embeddings)
    res.model, topics = fit_topics(docs, emb, stop, opts.seed, opts.min_count)
    groups = [c.by_value(opts.by) for c in ctx]
    n = len(ctx)
    for t in sorted(set(topics)):
        idx = [i for i, x in enumerate(topics) if x == t]
        terms = sense_terms(res.model, t)
        ex = examples(emb, idx, ctx, parts)
        res.rows.append(
            {
                "concept": concept,
                "sense_id": t,
                "size": len(idx),
                "share": round(len(idx) / n, SHARE_DIGITS),
                "label": "outliers" if t == -1 else sense_label(terms),
                "top_terms": ", ".join(terms),
                "example_1": ex[0],
                "example_2": ex[1],
                "example_3": ex[2],
                "by_share": shares(groups, topics, t),
                "period_share": shares(periods, topics, t),
            }
        )
    for c, t, (left, match, right), g in zip(ctx, topics, parts, groups, strict=True):
        res.lines.append(
            {
                "concept": concept,
                "sense_id": t,
                "mention_id": c.mention_id,
                "doc_id": c.doc_id,
                "date": c.date,
                opts.by: g,
                "page": c.page,
                "left": left,
                "match": match,
                "right": right,
            }
        )
    outliers = topics.count(-1)
    senses = len(set(topics) - {-1})
    res.notes.append(f"senses: {n} mention(s) of {concept}: {senses} sense(s), {outliers} outlier(s) (sense -1)")
    return res


def _in_periods(
    contexts: Sequence[MentionContext], period: PeriodFn | None, res: SenseResult
) -> tuple[list[MentionContext], list[str]]:
    """The mentions inside a period, and each one's period label ('all' without ``period``)."""
    if period is None:
        return list(contexts), ["all"] * len(contexts)
    ctx, labels, no_year, outside = [], [], 0, 0
    for c in contexts:
        p = period(c.year)
        if p is None:
            no_year += c.year is None
            outside += c.year is not None
            continue
        ctx.append(c)
        labels.append(str(p[0]))
    if no_year:
        res.notes.append(
            f"senses: {no_year} mention(s) in documents without a year left out (use --period all to include them)"
        )
    if outside:
        res.notes.append(f"senses: {outside} mention(s) outside the --period ranges left out")
    return ctx, labels


def _stop_words(contexts: Sequence[MentionContext]) -> set[str]:
    """English stop words (scikit-learn's list), :data:`FILLERS` and the words of every matched variant."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return set(ENGLISH_STOP_WORDS) | FILLERS | CONTRACTIONS | variant_words(contexts)


# -- --save --------------------------------------------------------------------


def check_save_dir(path: str | Path) -> Path:
    """``path`` if it is new, empty or holds only what ``senses --save`` writes; else a one-line error."""
    p = Path(path)
    if p.exists() and not p.is_dir():
        raise DiscourseError(f"--save {p}: exists and is not a directory")
    if p.is_dir():
        for child in sorted(p.iterdir()):
            ok = child.name in SAVED_FILES and (child.is_dir() == (child.name == "model"))
            if ok and child.name == "model":
                ok = all(f.name in MODEL_FILES and f.is_file() for f in child.iterdir())
            if not ok:
                raise DiscourseError(
                    f"--save {p}: not empty and holds {child.name}, which senses --save did not "
                    "write; refusing to overwrite",
                    hint="choose a new or empty directory",
                )
    return p


def save_senses(res: SenseResult, path: str | Path, params: dict[str, Any]) -> list[Path]:
    """Write assignments.csv, model/ (BERTopic, safetensors), embedder.json and params.json; return the paths.

    ``params``: the run's parameters (the caller's options, the lexicon hash);
    library versions are added here. Nothing is pickled.
    """
    import csv
    import logging
    import shutil

    p = check_save_dir(path)
    p.mkdir(parents=True, exist_ok=True)
    with open(p / "assignments.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["mention_id", "doc_id", "sense_id"])
        w.writerows([ln["mention_id"], ln["doc_id"], ln["sense_id"]] for ln in res.lines)
    if (p / "model").exists():
        shutil.rmtree(p / "model")
    if res.model is not None:
        _require_safetensors()
        logging.getLogger("BERTopic").setLevel(logging.ERROR)
        res.model.save(str(p / "model"), serialization="safetensors", save_ctfidf=True, save_embedding_model=False)
    _write_json(p / "embedder.json", res.embedder)
    _write_json(p / "params.json", {**params, "versions": library_versions()})
    return [p / "assignments.csv", p / "model", p / "embedder.json", p / "params.json"]


def _require_safetensors() -> None:
    try:
        import safetensors  # noqa: F401
    except ImportError:
        raise DiscourseError(
            "--save needs the safetensors package to write the model without pickle", hint="pip install safetensors"
        ) from None


def _write_json(path: Path, data: Any) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=2, sort_keys=True)
        fh.write("\n")


def library_versions() -> dict[str, str]:
    """Versions of the libraries a sense model depends on."""
    import platform
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for pkg in ("discourse", "bertopic", "hdbscan", "scikit-learn", "numpy", "scipy", "spacy", "safetensors"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = "not installed"
    return out
