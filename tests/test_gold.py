"""Matching against the hand-checked gold set (tests/gold, 591 items).

Prints precision and recall per concept, each with its n and a Wilson 95%
interval; pooled precision and recall must both be at least 0.98.
"""

from discourse.lexicon import load_lexicon
from discourse.match import Matcher
from discourse.nlp import tokenise

from .gold.gold import load_gold, precision_recall, predicted_label, snippet


def test_gold_precision_and_recall(nlp, capsys):
    items = load_gold()
    assert len(items) >= 300
    matcher = Matcher(load_lexicon(), nlp.vocab)
    texts = [snippet(it) for it in items]
    pairs = []
    for it, (text, s, e), doc in zip(items, texts, tokenise(nlp, [t for t, _, _ in texts])):
        spans = [(m.start_char, m.end_char, m.concept) for m in matcher(doc) if not m.excluded]
        pairs.append((it["label"], predicted_label(it, spans, target=(s, e))))
    res = precision_recall(pairs)
    with capsys.disabled():
        print(f"\ngold set: {len(items)} items")
        print(
            f"{'concept':24} {'n_gold':>6} {'precision':>9} {'95% CI':>15} {'n_pred':>6} {'recall':>7} {'95% CI':>15}"
        )
        for c, r in res.items():
            p = "" if r["precision"] is None else f"{r['precision']:.3f}"
            rc = "" if r["recall"] is None else f"{r['recall']:.3f}"
            pci = "{:.3f}-{:.3f}".format(*r["precision_ci"])
            rci = "{:.3f}-{:.3f}".format(*r["recall_ci"])
            print(f"{c:24} {r['n_gold']:>6} {p:>9} {pci:>15} {r['n_pred']:>6} {rc:>7} {rci:>15}")
    pooled = res["__pooled__"]
    assert pooled["precision"] >= 0.98 and pooled["recall"] >= 0.98
