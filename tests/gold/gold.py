"""Helpers for evaluating concept matching against the hand-checked gold set.

Plain Python, no project imports, no access to the raw corpora: every item
carries its own exact context (``left + target + right``), so a test can run
the matcher on that snippet.  See README.md in this folder for how the items
were drawn and labelled.

Typical use in a test::

    from tests.gold.gold import load_gold, snippet, predicted_label, precision_recall

    items = load_gold()
    pairs = []
    for it in items:
        text, s, e = snippet(it)
        spans = [(m.start, m.end, m.concept) for m in matcher(text)]   # project-specific
        pairs.append((it["label"], predicted_label(it, spans, offset=0, target=(s, e))))
    report = precision_recall(pairs)
    assert report["__pooled__"]["precision"] >= 0.98
"""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Iterable, Sequence

GOLD_PATH = Path(__file__).resolve().parent / "gold.tsv"
NONE = "none"
CONCEPTS = (
    "co-production",
    "personalisation",
    "personal-budgets",
    "direct-payments",
    "self-directed-support",
    "big-society",
    "active-citizenship",
    "community-capacity",
    "user-involvement",
    "participation",
    "empowerment",
    "partnership",
    "choice-and-control",
)
FIELDS = ("id", "corpus", "file", "licence", "char_start", "char_end", "left", "target", "right", "label", "note")


def load_gold(path: str | Path = GOLD_PATH) -> list[dict]:
    """Read gold.tsv (csv module, tab-delimited, quoted fields keep newlines).

    Returns one dict per item with ``char_start``/``char_end`` as ints.
    Offsets index the raw file read as UTF-8 with ``newline=""`` (no newline
    translation); ``raw[char_start:char_end] == target``.
    """
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    out = []
    for r in rows:
        missing = [k for k in FIELDS if k not in r]
        if missing:
            raise ValueError(f"gold row lacks {missing}")
        r = dict(r)
        r["char_start"] = int(r["char_start"])
        r["char_end"] = int(r["char_end"])
        if r["label"] != NONE and r["label"] not in CONCEPTS:
            raise ValueError(f"{r['id']}: unknown label {r['label']!r}")
        out.append(r)
    return out


def snippet(item: dict) -> tuple[str, int, int]:
    """The item's context as one string and the target's offsets in it."""
    s = len(item["left"])
    e = s + len(item["target"])
    return item["left"] + item["target"] + item["right"], s, e


def predicted_label(
    item: dict, spans: Iterable[Sequence], offset: int = 0, target: tuple[int, int] | None = None
) -> str:
    """Reduce a matcher's output to one label for a gold item.

    ``spans``: iterable of ``(start, end, concept)`` predicted in some text.
    ``target``: the item's (start, end) in that same text; by default the raw
    file offsets ``(char_start, char_end)`` shifted by ``-offset``.
    A prediction counts for the item if its span overlaps the target span.
    If several concepts overlap, the gold label wins when present (a phrase can
    legitimately carry two concepts, e.g. 'SDS budgets'); otherwise the
    alphabetically first concept is returned, so the result is deterministic.
    No overlapping prediction -> 'none'.
    """
    if target is None:
        ts, te = item["char_start"] - offset, item["char_end"] - offset
    else:
        ts, te = target
    hits = {c for (s, e, c) in spans if s < te and ts < e and c and c != NONE}
    if not hits:
        return NONE
    if item["label"] in hits:
        return item["label"]
    return sorted(hits)[0]


def wilson_interval(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion k/n (n == 0 -> (0, 1))."""
    if n <= 0:
        return (0.0, 1.0)
    if k < 0 or k > n:
        raise ValueError("need 0 <= k <= n")
    p = k / n
    z2 = z * z
    denom = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def _stats(tp: int, fp: int, fn: int, z: float) -> dict:
    n_pred, n_gold = tp + fp, tp + fn
    prec = tp / n_pred if n_pred else None
    rec = tp / n_gold if n_gold else None
    f1 = (2 * prec * rec / (prec + rec)) if prec and rec else (0.0 if n_pred and n_gold else None)
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "n_gold": n_gold,
        "n_pred": n_pred,
        "precision": prec,
        "recall": rec,
        "f1": f1,
        "precision_ci": wilson_interval(tp, n_pred, z),
        "recall_ci": wilson_interval(tp, n_gold, z),
    }


def precision_recall(pairs: Iterable[tuple[str, str]], z: float = 1.96) -> dict:
    """Per-concept and pooled (micro) precision/recall from (gold, predicted) pairs.

    Each pair is one gold item: its gold label and the label predicted for it
    ('none' when the matcher found nothing there).  For a concept c:
    TP = gold c & predicted c; FP = predicted c & gold != c;
    FN = gold c & predicted != c.  A confusion between two concepts therefore
    costs one FP and one FN.  '__pooled__' sums TP/FP/FN over all concepts
    ('none' is not a concept).  Each entry also carries n_gold, n_pred, f1 and
    Wilson intervals; precision/recall are None when undefined (n == 0).
    """
    pairs = list(pairs)
    labels = set(CONCEPTS) | {g for g, _ in pairs} | {p for _, p in pairs}
    labels.discard(NONE)
    out, TP, FP, FN = {}, 0, 0, 0
    for c in sorted(labels):
        tp = sum(1 for g, p in pairs if g == c and p == c)
        fp = sum(1 for g, p in pairs if p == c and g != c)
        fn = sum(1 for g, p in pairs if g == c and p != c)
        out[c] = _stats(tp, fp, fn, z)
        TP, FP, FN = TP + tp, FP + fp, FN + fn
    out["__pooled__"] = _stats(TP, FP, FN, z)
    out["__pooled__"]["n_items"] = len(pairs)
    return out
