"""Training a sense filter from labelled mentions (``discourse filter train``).

Model: scikit-learn ``TfidfVectorizer(ngram_range=(1, 2), min_df=2,
sublinear_tf=False)`` over the mention's window (left, match and right words,
:func:`discourse.filters.window_text`) followed by
``LogisticRegression(C=C, class_weight="balanced")``. Labels: ``yes`` = 1,
``no`` = 0; ``unsure`` is dropped. Rows the lexicon's rules already exclude
(``excluded`` true in a sample file) are dropped too: the filter is a second
step after the rules, and is judged as one.

Evaluation (nested, grouped by document so one document's mentions never sit
in both a training and a test fold): an outer ``StratifiedGroupKFold``; in
each outer training part an inner grouped k-fold gives out-of-fold
probabilities, from which the threshold is chosen (:func:`choose_threshold`:
the highest precision among thresholds that keep recall >= 0.90, ties to
the lowest threshold); the outer test fold is then scored at that threshold.
Precision and recall of the kept mentions are pooled over the outer test
folds, with Wilson 95% intervals and their n. The saved model is fitted on
all rows; its threshold is chosen the same way from the outer out-of-fold
probabilities. Baseline: the precision of the rules alone on the same rows
(their recall is 1 by construction: a filter can only lose true mentions).

Saved as JSON (:func:`discourse.filters.filter_to_json`), never pickle.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .errors import UsageError
from .filters import DEFAULT_WINDOW, Filter, filter_to_json, join_window
from .measures.agreement import wilson_interval

C_DEFAULT = 1.0
TARGET_RECALL = 0.90
FOLDS = 5
INNER_FOLDS = 4


@dataclass
class Labelled:
    texts: list[str] = field(default_factory=list)
    y: list[int] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    dropped: dict[str, int] = field(default_factory=dict)


def read_labels(paths: Sequence[str | Path], concept: str, label_col: str = "label") -> Labelled:
    """Labelled windows of ``concept`` from sample CSV files (``left``, ``match``, ``right``, ``label``)."""
    out = Labelled()
    for p in paths:
        try:
            with open(p, newline="", encoding="utf-8") as fh:
                rows = list(csv.DictReader(fh))
        except OSError as e:
            raise UsageError(f"{p}: cannot read labels: {e.strerror or e}") from None
        need = {"left", "match", "right", label_col, "mention_id"}
        if rows and not need <= set(rows[0]):
            raise UsageError(f"{p}: a label file needs the columns {', '.join(sorted(need))}")
        for r in rows:
            if r.get("concept", concept) != concept:
                continue
            lab = (r[label_col] or "").strip().lower()
            if (r.get("excluded") or "").strip().lower() in ("true", "1", "yes"):
                out.dropped["excluded by the rules"] = out.dropped.get("excluded by the rules", 0) + 1
                continue
            if lab not in ("yes", "no"):
                key = "unsure" if lab == "unsure" else "unlabelled"
                out.dropped[key] = out.dropped.get(key, 0) + 1
                continue
            out.texts.append(join_window(r["left"], r["match"], r["right"]))
            out.y.append(1 if lab == "yes" else 0)
            out.groups.append(r.get("doc_id") or r["mention_id"].split(":")[0])
            out.sources.append(str(p))
    return out


def _current(store_path: Path, lexicon: Any, concept: str) -> dict[str, tuple[bool, str]]:
    """mention_id -> (kept by the rules, window text) for every mention of ``concept`` in a store.

    A classifier exclusion counts as kept: the rules kept it, and a filter under training must not
    judge itself."""
    from .filters import window_text
    from .kwic import kwic
    from .store import Store

    found: dict[str, tuple[bool, str]] = {}
    texts: dict[str, str] = {}
    with Store.open(store_path, create=False) as st:
        for m in kwic(st, lexicon, concept, window=0, include_excluded=True):
            if m["doc_id"] not in texts:
                texts[m["doc_id"]] = st.text(m["doc_id"])[0]
            kept = not m["excluded"] or str(m["exclude_reason"] or "").startswith("classifier (")
            w = window_text(texts[m["doc_id"]], m["start_char"], m["end_char"], DEFAULT_WINDOW)
            found[f"{m['doc_id']}:{m['start_char']}-{m['end_char']}"] = (kept, w)
    return found


def _add(out: Labelled, hit: tuple[bool, str] | None, mid: str, label: str, source: str) -> None:
    lab = (label or "").strip().lower()
    why = (
        "no longer a mention" if hit is None
        else "excluded by the rules" if not hit[0]
        else None if lab in ("yes", "no")
        else "unsure" if lab == "unsure" else "unlabelled"
    )  # fmt: skip
    if why is not None or hit is None:
        out.dropped[str(why)] = out.dropped.get(str(why), 0) + 1
        return
    out.texts.append(hit[1])
    out.y.append(1 if lab == "yes" else 0)
    out.groups.append(mid.split(":")[0])
    out.sources.append(source)


def recheck_with_stores(
    paths: Sequence[str | Path], concept: str, lexicon: Any, stores: dict[str, Path], label_col: str = "label"
) -> Labelled:
    """Like :func:`read_labels`, but whether the rules keep a labelled mention is decided by the
    *current* lexicon, matched in the store of the row's corpus (``stores``: corpus -> store file),
    and the window is read from the stored text (as at match time). A labelled span that is no longer
    a mention of the concept is dropped and counted."""
    out = Labelled()
    status: dict[str, dict[str, tuple[bool, str]]] = {}
    for p in paths:
        with open(p, newline="", encoding="utf-8") as fh:
            rows = [r for r in csv.DictReader(fh) if r.get("concept", concept) == concept]
        for r in rows:
            corpus = r.get("corpus") or ""
            if corpus not in stores:
                raise UsageError(f"{p}: no store for corpus {corpus!r} (looked for {corpus}.db)")
            if corpus not in status:
                status[corpus] = _current(stores[corpus], lexicon, concept)
            _add(out, status[corpus].get(r["mention_id"]), r["mention_id"], r[label_col], str(p))
    return out


def read_store_labels(store_path: Path, concept: str, lexicon: Any, coder: str = "label") -> Labelled:
    """The labels of ``concept`` stored in a store's labels table (``discourse validate``), each
    re-checked under the current lexicon in that store, with its window read from the stored text."""
    from .store import Store
    from .store.labels import concept_labels

    with Store.open(store_path, create=False) as st:
        labels = concept_labels(st, concept, coder)
    status = _current(store_path, lexicon, concept) if labels else {}
    out = Labelled()
    for lab in labels:
        _add(out, status.get(lab.mention_id), lab.mention_id, lab.label, f"{Path(store_path).name}:labels")
    return out


def merge_labels(a: Labelled, b: Labelled) -> Labelled:
    """Both sets of labelled windows; a mention labelled in both (same document and window) counts once, from ``a``."""
    seen = set(zip(a.groups, a.texts, strict=True))
    out = Labelled(list(a.texts), list(a.y), list(a.groups), list(a.sources), dict(a.dropped))
    for t, y, g, s in zip(b.texts, b.y, b.groups, b.sources, strict=True):
        if (g, t) in seen:
            out.dropped["labelled twice"] = out.dropped.get("labelled twice", 0) + 1
            continue
        out.texts.append(t)
        out.y.append(y)
        out.groups.append(g)
        out.sources.append(s)
    for k, v in b.dropped.items():
        out.dropped[k] = out.dropped.get(k, 0) + v
    return out


def _pipeline(c: float):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), min_df=2),
        LogisticRegression(C=c, class_weight="balanced", max_iter=5000),
    )


def choose_threshold(p: np.ndarray, y: np.ndarray, target_recall: float = TARGET_RECALL) -> float:
    """The threshold with the highest precision among those keeping recall >= target (ties: lowest)."""
    best = (-1.0, 0.0)
    pos = max(int(y.sum()), 1)
    for t in sorted(set(np.round(p, 12).tolist()) | {0.0}):
        keep = p >= t
        tp = int((keep & (y == 1)).sum())
        if tp / pos < target_recall or not keep.any():
            continue
        prec = tp / int(keep.sum())
        if prec > best[0] + 1e-12:
            best = (prec, t)
    return best[1]


def _folds(y: np.ndarray, groups: np.ndarray, k: int, seed: int):
    from sklearn.model_selection import StratifiedGroupKFold

    k = min(k, len(set(groups.tolist())), int(y.sum()), int((1 - y).sum()))
    if k < 2:
        raise UsageError("too few labelled documents of each class for cross-validation (need 2+ of each)")
    return list(StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=seed).split(np.zeros(len(y)), y, groups))


def _oof(texts: np.ndarray, y: np.ndarray, groups: np.ndarray, k: int, seed: int, c: float) -> np.ndarray:
    p = np.zeros(len(y))
    for tr, te in _folds(y, groups, k, seed):
        model = _pipeline(c).fit(texts[tr], y[tr])
        p[te] = model.predict_proba(texts[te])[:, 1]
    return p


def _rate(k: int, n: int) -> dict[str, Any]:
    iv = wilson_interval(k, n) if n else None
    lo, hi = iv if iv else (None, None)
    return {"value": k / n if n else None, "k": k, "n": n, "ci_low": lo, "ci_high": hi}


def cross_validate(data: Labelled, *, c: float = C_DEFAULT, seed: int = 0) -> dict[str, Any]:
    """Nested grouped CV: precision and recall of the kept mentions, with Wilson intervals."""
    texts, y, groups = np.asarray(data.texts, dtype=object), np.asarray(data.y), np.asarray(data.groups)
    kept = np.zeros(len(y), dtype=bool)
    oof = np.zeros(len(y))
    thresholds = []
    for tr, te in _folds(y, groups, FOLDS, seed):
        inner = _oof(texts[tr], y[tr], groups[tr], INNER_FOLDS, seed + 1, c)
        t = choose_threshold(inner, y[tr])
        thresholds.append(t)
        model = _pipeline(c).fit(texts[tr], y[tr])
        oof[te] = model.predict_proba(texts[te])[:, 1]
        kept[te] = oof[te] >= t
    tp = int((kept & (y == 1)).sum())
    return {
        "folds": len(thresholds),
        "fold_thresholds": [round(t, 6) for t in thresholds],
        "precision": _rate(tp, int(kept.sum())),
        "recall": _rate(tp, int(y.sum())),
        "baseline_precision": _rate(int(y.sum()), len(y)),
        "oof": oof,
    }


def data_hash(data: Labelled) -> str:
    payload = json.dumps([data.texts, data.y, data.groups], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def train_filter(data: Labelled, concept: str, *, c: float = C_DEFAULT, seed: int = 0) -> tuple[Filter, dict[str, Any]]:
    """Cross-validate, then fit on every row; returns the filter and the JSON extras (CV figures etc.)."""
    import sklearn

    if len(data.y) < 20:
        raise UsageError(f"{concept}: only {len(data.y)} yes/no labels; a filter needs at least 20")
    cv = cross_validate(data, c=c, seed=seed)
    y = np.asarray(data.y)
    threshold = choose_threshold(cv.pop("oof"), y)
    model = _pipeline(c).fit(np.asarray(data.texts, dtype=object), y)
    vec, lr = model.steps[0][1], model.steps[1][1]
    vocab = {t: int(i) for t, i in vec.vocabulary_.items()}
    f = Filter(
        concept=concept,
        vocabulary=vocab,
        idf=np.asarray(vec.idf_, dtype=float),
        coef=np.asarray(lr.coef_[0], dtype=float),
        intercept=float(lr.intercept_[0]),
        threshold=float(threshold),
        window=DEFAULT_WINDOW,
    )
    extra = {
        "model": f"TfidfVectorizer(ngram_range=(1, 2), min_df=2) + LogisticRegression(C={c}, class_weight='balanced')",
        "sklearn_version": sklearn.__version__,
        "training_data_sha256": data_hash(data),
        "n": len(y),
        "n_yes": int(y.sum()),
        "n_documents": len(set(data.groups)),
        "label_files": sorted({Path(s).name for s in data.sources}),
        "dropped": data.dropped,
        "seed": seed,
        "target_recall": TARGET_RECALL,
        "cv": cv,
    }
    return f, extra


def save_filter(f: Filter, extra: dict[str, Any], path: str | Path) -> None:
    """Write the filter JSON atomically."""
    from .report.write import write_file

    doc = filter_to_json(f, extra)
    write_file(path, lambda fh: fh.write(json.dumps(doc, indent=1, ensure_ascii=False, allow_nan=False) + "\n"))
