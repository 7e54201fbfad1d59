"""Trained sense filters: scoring a mention's context window with a saved model, without scikit-learn.

A filter (``discourse filter train``, :mod:`discourse.filter_train`) is a
TF-IDF of word unigrams and bigrams over the mention's window (``window``
whitespace words left of the match, the match, ``window`` words right of it,
the same words ``discourse kwic --window`` and ``discourse sample`` show)
followed by a logistic regression. It is saved as JSON (never pickle): the
vocabulary, idf, coefficients, intercept, threshold, window and the figures
it was cross-validated to.

:func:`score` re-implements scikit-learn's ``TfidfVectorizer`` (lower-case,
token pattern ``(?u)\\b\\w\\w+\\b``, n-grams joined by a space, raw counts
times idf, L2-normalised) and ``LogisticRegression.predict_proba`` in plain
Python and numpy: ``p = 1 / (1 + exp(-(x . coef + intercept)))``.

:func:`apply_filters` is the post-matching step :mod:`discourse.annotate`
calls: a kept mention of a concept with a filter whose ``p`` is below the
threshold becomes an excluded mention with the reason ``classifier (p=0.23)``.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .errors import LexiconError

FORMAT = "discourse-filter/1"
TOKEN_RE = re.compile(r"(?u)\b\w\w+\b")
DEFAULT_WINDOW = 15


def window_text(text: str, start: int, end: int, window: int) -> str:
    """The text a filter scores: ``window`` whitespace-separated words left of
    ``text[start:end]``, the match, and ``window`` words right of it, joined by
    single spaces (the rule of :func:`discourse.kwic.context`)."""
    left = text[max(0, start - 40 * window - 200) : start].split()
    right = text[end : end + 40 * window + 200].split()
    parts = [" ".join(left[-window:]) if window else "", " ".join(text[start:end].split())]
    parts.append(" ".join(right[:window]) if window else "")
    return join_window(*parts)


def join_window(left: str, match: str, right: str) -> str:
    return " ".join(p for p in (left, match, right) if p)


def ngrams(text: str, n_max: int = 2) -> list[str]:
    """Word n-grams (1..n_max) as ``TfidfVectorizer(ngram_range=(1, n_max))`` builds them."""
    tokens = TOKEN_RE.findall(text.lower())
    out = list(tokens)
    for n in range(2, n_max + 1):
        out.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return out


@dataclass(frozen=True)
class Filter:
    concept: str
    vocabulary: dict[str, int]
    idf: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float
    window: int = DEFAULT_WINDOW
    ngram_max: int = 2
    path: str = ""


def score(f: Filter, texts: Sequence[str]) -> np.ndarray:
    """P(the mention is the concept) for each window text: TF-IDF (raw
    counts x idf, L2-normalised) then the logistic function of
    ``x . coef + intercept``. Equal to scikit-learn's ``predict_proba[:, 1]``
    for the fitted pipeline (tested to 1e-9)."""
    out = np.empty(len(texts), dtype=float)
    for i, t in enumerate(texts):
        counts = Counter(j for g in ngrams(t, f.ngram_max) if (j := f.vocabulary.get(g)) is not None)
        if counts:
            idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            vals = np.fromiter(counts.values(), dtype=float, count=len(counts)) * f.idf[idx]
            z = float(vals @ f.coef[idx]) / float(np.sqrt(vals @ vals)) + f.intercept
        else:
            z = f.intercept
        out[i] = 1.0 / (1.0 + math.exp(-z))
    return out


def filter_to_json(f: Filter, extra: dict[str, Any]) -> dict[str, Any]:
    terms = sorted(f.vocabulary, key=f.vocabulary.__getitem__)
    return {
        "format": FORMAT,
        "concept": f.concept,
        "window": f.window,
        "ngram_range": [1, f.ngram_max],
        "threshold": f.threshold,
        "intercept": f.intercept,
        "vocabulary": terms,
        "idf": [float(x) for x in f.idf],
        "coef": [float(x) for x in f.coef],
        **extra,
    }


@lru_cache(maxsize=32)
def _load(path: str, sha: str) -> Filter:
    try:
        d = json.loads(Path(path).read_text(encoding="utf-8"))
        if d.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} file")
        vocab = {t: i for i, t in enumerate(d["vocabulary"])}
        idf = np.asarray(d["idf"], dtype=float)
        coef = np.asarray(d["coef"], dtype=float)
        if not len(vocab) == len(idf) == len(coef):
            raise ValueError("vocabulary, idf and coef differ in length")
        return Filter(
            concept=str(d["concept"]),
            vocabulary=vocab,
            idf=idf,
            coef=coef,
            intercept=float(d["intercept"]),
            threshold=float(d["threshold"]),
            window=int(d.get("window", DEFAULT_WINDOW)),
            ngram_max=int(d.get("ngram_range", [1, 2])[1]),
            path=path,
        )
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise LexiconError(f"{path}: not a usable filter file: {e}") from None


def load_filter(path: str | Path, sha: str = "") -> Filter:
    """Read a filter JSON file (cached by path and content hash)."""
    return _load(str(path), sha)


def reason(p: float) -> str:
    return f"classifier (p={p:.2f})"


def apply_filters(lexicon: Any, text: str, mentions: Iterable[Any]) -> list[Any]:
    """The mentions with each kept mention of a filtered concept that its
    filter rejects turned into an excluded one (reason ``classifier (p=…)``).
    Mentions keep every other field; concepts without a filter pass through."""
    filters = {c.id: load_filter(c.filter, c.filter_sha256) for c in lexicon.concepts if c.filter}
    ms = list(mentions)
    if not filters:
        return ms
    todo = [i for i, m in enumerate(ms) if not m.excluded and m.concept in filters]
    out = list(ms)
    for i in todo:
        m = ms[i]
        f = filters[m.concept]
        p = float(score(f, [window_text(text, m.start_char, m.end_char, f.window)])[0])
        if p < f.threshold:
            out[i] = replace(m, excluded=True, exclude_reason=reason(p))
    return out
