#!/usr/bin/env python3
"""One-off generator for the hand-checked concept-matching gold set.

NOT used by the test suite (tests read only ``gold.tsv``).  It reads the raw
corpora under /work/shared/corpora, which the tests must never do.

    python tests/gold/draw.py draw  [--out /tmp/gold_candidates.tsv]
        Draw the candidate sample (deterministic: fixed seed, fixed strata).
    python tests/gold/draw.py build
        Re-draw the same sample, merge the hand labels in ``labels.tsv``
        (id, label, span, note), extend targets to the labelled phrase,
        recompute contexts from the raw files and write ``gold.tsv``.

The candidate regex is deliberately broad and lexicon-independent: any token
that contains one of the stems below (case-insensitive), plus the two fixed
phrases and the upper-case acronym SDS.  Strata are coarse *sampling* hints
computed from a small window; they are never used as labels (every label in
labels.tsv was assigned by reading the item).
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path("/work/shared/corpora")
HERE = Path(__file__).resolve().parent
SEED = 20240611

CORPORA = {
    "iriss_podcasts_2008_2023": "CC BY-NC-SA 4.0; attribute Iriss.fm (transcripts.podcast.iriss.org.uk)",
    "nhs_england_leeds_2021_2025": "OGL v3 (NHS/DHSC/DfE/Leeds public-sector publication; licence not stated in source repo, OGL v3 typical); attribute the publishing body",
    "uk_manifestos_1945_2019": "party publication, not redistributable; short contexts for research/testing only",
    "uk_manifestos_2005_2010": "party/government publication, not redistributable; short contexts for research/testing only",
    "uk_immigration_news_2014": "newspaper copyright, not redistributable; short contexts for research/testing only",
}
# Files left out of drawing (documented in README.md).
SKIP_FILES = {
    # duplicates 2010_labour_markdown.mkd with PDF artefacts
    ("uk_manifestos_2005_2010", "texts/2010_labour_raw.txt"),
    # same body as building-the-future-shaping-our-social-work-identity.md
    ("iriss_podcasts_2008_2023", "texts/perceptions-of-social-work-education-and-practice.md"),
}

STEMS = ["produc", "personali", "budget", "payment", "partnership", "citizen",
         "involve", "participat", "empower", "self-direct", "capacity"]
H = r"\-\u2010\u2011"  # hyphen characters allowed inside a token
TOKEN_RE = re.compile(
    r"[\w" + H + r"]*(?:produc|personali|budget|payment|partnership|citizen|involve|"
    r"participat|empower|self[\s" + H + r"]?direct|capacity)[\w" + H + r"]*",
    re.IGNORECASE)
PHRASE_RE = re.compile(r"\bbig\s+society\b|\bchoice\s+and\s+control\b", re.IGNORECASE)
SDS_RE = re.compile(r"\bSDS\b")  # case-sensitive acronym (Scotland's self-directed support)

CONTEXT_WORDS = 25
WORD_RE = re.compile(r"\S+")


def key_of(tok: str) -> str:
    t = tok.lower()
    if t.startswith("big") and "society" in t:
        return "big society"
    if t.startswith("choice"):
        return "choice and control"
    if tok == "SDS":
        return "SDS"
    if re.search(r"self[\s\-\u2010\u2011]?direct", t):
        return "self-direct"
    for s in STEMS:
        if s in t:
            return s
    raise ValueError(tok)


def read_raw(corpus: str, rel: str) -> str:
    # newline="" keeps the raw characters, so offsets index the file exactly
    with open(ROOT / corpus / rel, encoding="utf-8", newline="") as f:
        return f.read()


def body_start(corpus: str, text: str) -> int:
    """IRISS: skip YAML front matter between the first two '---' lines."""
    if corpus != "iriss_podcasts_2008_2023":
        return 0
    m = re.match(r"---\r?\n.*?\n---\r?\n", text, re.S)
    return m.end() if m else 0


def contexts(text: str, s: int, e: int, lo: int, n: int = CONTEXT_WORDS):
    """Exact raw left/right context: up to n whitespace-delimited words."""
    left_words = list(WORD_RE.finditer(text, max(lo, s - 60 * n), s))
    ls = left_words[-n].start() if len(left_words) >= n else (
        left_words[0].start() if left_words else s)
    right_words = list(WORD_RE.finditer(text, e, min(len(text), e + 60 * n)))
    re_ = right_words[n - 1].end() if len(right_words) >= n else (
        right_words[-1].end() if right_words else e)
    return text[ls:s], text[e:re_]


def in_markup(text: str, s: int, e: int) -> bool:
    """Inside an HTML tag or a URL: not running text."""
    lt, gt = text.rfind("<", 0, s), text.rfind(">", 0, s)
    if lt > gt and text.find(">", e) != -1 and (text.find("<", e) == -1 or text.find(">", e) < text.find("<", e)):
        return True
    a = s
    while a > 0 and not text[a - 1].isspace():
        a -= 1
    b = e
    while b < len(text) and not text[b].isspace():
        b += 1
    chunk = text[a:b].lower()
    return "://" in chunk or "www." in chunk or "](" in chunk and "http" in text[b:b + 10]


def window(text: str, s: int, e: int, k: int = 60) -> str:
    return re.sub(r"\s+", " ", text[max(0, s - k):e + k]).lower()


def stratum(key: str, tok: str, text: str, s: int, e: int) -> str:
    t = tok.lower()
    w = window(text, s, e)
    before = re.sub(r"\s+", " ", text[max(0, s - 30):s]).lower()
    after = re.sub(r"\s+", " ", text[e:e + 30]).lower()
    if key == "produc":
        if re.match(r"co[\-\u2010\u2011]?produc", t) or re.search(r"\bco[\-\u2010\u2011]?\s*$", before):
            return "co"
        return "other"
    if key == "personali":
        return "personality" if "personalit" in t else "personalis"
    if key == "budget":
        if re.search(r"(personal|individual|personal health|personalised)\s*$", before):
            return "pb"
        if "particip" in before:
            return "participatory"
        return "other"
    if key == "payment":
        return "direct" if re.search(r"direct\s*$", before) else "other"
    if key == "partnership":
        if re.search(r"\b(civil|business|law|limited liability)\s*$", before):
            return "civil-business"
        if re.search(r"(in|of|through)\s*$", before) and tok[0].islower() or after.startswith(("working", "with", "between", " working", " with", " between")) or re.search(r"in\s*$", before):
            return "working"
        if tok[0].isupper() and re.search(r"[A-Z][\w&]*\s*$", text[max(0, s - 30):s]):
            return "name"
        return "other"
    if key == "citizen":
        return "active" if re.search(r"active\s*$", before) else "other"
    if key == "involve":
        if re.search(r"user|patient|public|people|communit|carer|tenant|citizen|lived experience|famil", w):
            return "people"
        return "other"
    if key == "participat":
        if re.search(r"labou?r|market|workforce|employ|rate|educat|school|sport|trial|research|particip\w* in (the )?(work|job)", w):
            return "econ-edu"
        if re.search(r"public|communit|citizen|democra|decision|user|patient|tenant|local people|civic|political", w):
            return "civic"
        return "other"
    if key == "capacity":
        if re.search(r"communit|voluntary|capacity[ \-]building|civil society|neighbourhood", w):
            return "community"
        return "other"
    return "all"


QUOTA = {
    # key: {stratum: n}
    "produc": {"co": None, "other": 16},  # co: see co_production_sample()
    "personali": {"personalis": 28, "personality": 5},
    "budget": {"pb": 22, "participatory": 3, "other": 10},
    "payment": {"direct": 24, "other": 10},
    "self-direct": {"all": 20},
    "SDS": {"all": 6},
    "big society": {"all": 22},
    "citizen": {"active": 12, "other": 12},
    "capacity": {"community": 22, "other": 8},
    "involve": {"people": 30, "other": 10},
    "participat": {"civic": 26, "econ-edu": 10, "other": 6},
    "empower": {"all": 30},
    "partnership": {"working": 22, "name": 10, "civil-business": 4, "other": 14},
    "choice and control": {"all": 20},
}
SUPPLEMENT = [
    # (name, key, regex on a lower-cased +-80-char window, n or None = all)
    ("community-capacity", "capacity",
     r"community capacity|capacity[ -]+building|capacity of (the |local |our )?communit"
     r"|build\w*( up)? (the )?capacity|capacity in (the |local )?communit", None),
    ("active-citizen", "citizen", r"active\W+(\w+\W+){0,3}citizen", None),
    ("involvement-phrase", "involve",
     r"(user|patient|public|carer|tenant|community|citizen)s?\W+(and \w+ )?involvement"
     r"|involvement of (\w+ ){0,3}(users|patients|the public|carers|communit|people|tenants|parents)"
     r"|involv\w* (\w+ ){0,2}(service users|patients|the public|local people|communities|carers|tenants|people with)", 12),
    ("participation-rate", "participat",
     r"participation rate|labou?r (market|force)|economic(ally)? (participation|active)|participation in (paid )?work", None),
    ("direct-payment", "payment", r"direct payments?", 6),
]
IRISS_COPROD_COMMON = 60  # random sample of plain 'co-production' in IRISS bodies
PER_FILE_CAP = 3           # per stratum, for diversity


def scan():
    cands = []
    for corpus in CORPORA:
        with open(ROOT / corpus / "MANIFEST.csv", encoding="utf-8", newline="") as f:
            files = [r["file"] for r in csv.DictReader(f)]
        for rel in sorted(files):
            if (corpus, rel) in SKIP_FILES:
                continue
            text = read_raw(corpus, rel)
            lo = body_start(corpus, text)
            spans = []
            for rx in (TOKEN_RE, PHRASE_RE, SDS_RE):
                for m in rx.finditer(text, lo):
                    spans.append((m.start(), m.end(), m.group(0)))
            for s, e, tok in sorted(spans):
                if in_markup(text, s, e):
                    continue
                key = key_of(tok)
                cands.append(dict(corpus=corpus, file=rel, char_start=s, char_end=e,
                                  token=tok, key=key,
                                  stratum=stratum(key, tok, text, s, e)))
    return cands


def dedupe(cands):
    """Drop repeats of the same passage (overlapping corpora, repeated boilerplate)."""
    seen, out = set(), []
    texts = {}
    for c in cands:
        k = (c["corpus"], c["file"])
        if k not in texts:
            texts[k] = read_raw(*k)
        t = texts[k]
        w = " ".join(re.findall(r"[a-z0-9]+", t[max(0, c["char_start"] - 80):c["char_end"] + 80].lower())[2:-2])
        h = hashlib.md5(w.encode()).hexdigest()
        if h in seen:
            continue
        seen.add(h)
        out.append(c)
    return out


def take(pool, n, rng):
    """Seeded shuffle, then round-robin over corpora with a per-file cap."""
    rng.shuffle(pool)
    by_corpus = defaultdict(list)
    for c in pool:
        by_corpus[c["corpus"]].append(c)
    per_file = defaultdict(int)
    out = []
    order = sorted(by_corpus)
    while len(out) < n and any(by_corpus.values()):
        for corp in order:
            lst = by_corpus[corp]
            while lst:
                c = lst.pop(0)
                if per_file[(c["corpus"], c["file"])] < PER_FILE_CAP:
                    per_file[(c["corpus"], c["file"])] += 1
                    out.append(c)
                    break
            if len(out) >= n:
                break
    return out


def co_production_sample(pool, rng):
    """All co-production candidates outside IRISS; in IRISS every rare form
    plus a seeded random sample of the plain token 'co-production'."""
    out = [c for c in pool if c["corpus"] != "iriss_podcasts_2008_2023"]
    iriss = [c for c in pool if c["corpus"] == "iriss_podcasts_2008_2023"]
    common = [c for c in iriss if c["token"].lower() == "co-production"]
    rare = [c for c in iriss if c["token"].lower() != "co-production"]
    rng.shuffle(common)
    return out + rare + sorted(common[:IRISS_COPROD_COMMON],
                               key=lambda c: (c["file"], c["char_start"]))


def draw():
    rng = random.Random(SEED)
    cands = dedupe(scan())
    strata = defaultdict(list)
    for c in cands:
        strata[(c["key"], c["stratum"])].append(c)
    sample = []
    for key in QUOTA:
        for st, n in QUOTA[key].items():
            pool = sorted(strata.get((key, st), []),
                          key=lambda c: (c["corpus"], c["file"], c["char_start"]))
            if key == "produc" and st == "co":
                got = co_production_sample(pool, rng)
            else:
                got = take(pool, n, rng)
            sample.extend(got)
    # also: the film/radio/theatre co-productions in the press corpus are in 'co'
    sample.sort(key=lambda c: (c["corpus"], c["file"], c["char_start"]))
    # drop exact-duplicate positions (a token can only be drawn once)
    seen, uniq = set(), []
    for c in sample:
        k = (c["corpus"], c["file"], c["char_start"])
        if k not in seen:
            seen.add(k)
            uniq.append(c)
    for i, c in enumerate(uniq, 1):
        c["id"] = f"g{i:04d}"
    # Supplement (added after a first labelling pass showed too few items for
    # rare concepts and for labour-market/education participation negatives).
    # Drawn with its own RNG and numbered after the main sample, so the main
    # sample's ids are unchanged.
    rng2 = random.Random(SEED + 1)
    texts = {}
    extra = []
    for name, key, rx, n in SUPPLEMENT:
        pool = []
        for c in cands:
            if c["key"] != key or (c["corpus"], c["file"], c["char_start"]) in seen:
                continue
            k = (c["corpus"], c["file"])
            if k not in texts:
                texts[k] = read_raw(*k)
            if re.search(rx, window(texts[k], c["char_start"], c["char_end"], 80)):
                pool.append(dict(c, stratum="supp:" + name))
        pool.sort(key=lambda c: (c["corpus"], c["file"], c["char_start"]))
        got = pool if n is None else take(pool, n, rng2)
        for c in got:
            seen.add((c["corpus"], c["file"], c["char_start"]))
        extra.extend(got)
    extra.sort(key=lambda c: (c["corpus"], c["file"], c["char_start"]))
    for i, c in enumerate(extra, len(uniq) + 1):
        c["id"] = f"g{i:04d}"
    return uniq + extra, cands


def stats(cands):
    cnt = defaultdict(lambda: defaultdict(int))
    for c in cands:
        cnt[(c["key"], c["stratum"])][c["corpus"]] += 1
    for k in sorted(cnt):
        print(k, dict(cnt[k]), file=sys.stderr)


FIELDS = ["id", "corpus", "file", "licence", "char_start", "char_end",
          "left", "target", "right", "label", "note"]


def write_tsv(path, rows, fields):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, delimiter="\t",
                           quoting=csv.QUOTE_MINIMAL, lineterminator="\n",
                           extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)


def read_tsv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def cmd_draw(args):
    sample, cands = draw()
    stats(cands)
    print(f"candidates after dedupe: {len(cands)}; sampled: {len(sample)}", file=sys.stderr)
    rows = []
    for c in sample:
        text = read_raw(c["corpus"], c["file"])
        lo = body_start(c["corpus"], text)
        s, e = c["char_start"], c["char_end"]
        left, right = contexts(text, s, e, lo)
        wl, wr = contexts(text, s, e, lo, 70)
        rows.append(dict(c, licence=CORPORA[c["corpus"]], left=left, target=text[s:e],
                         right=right, wide=re.sub(r"\s+", " ", wl) + " [[" + text[s:e] + "]] " + re.sub(r"\s+", " ", wr)))
    write_tsv(args.out, rows, ["id", "corpus", "file", "key", "stratum", "char_start",
                               "char_end", "target", "wide"])


LABELS = {"co-production", "personalisation", "personal-budgets", "direct-payments",
          "self-directed-support", "big-society", "active-citizenship",
          "community-capacity", "user-involvement", "participation", "empowerment",
          "partnership", "choice-and-control", "none"}


def cmd_build(args):
    sample, _ = draw()
    labels = {r["id"]: r for r in read_tsv(HERE / "labels.tsv")}
    missing = [c["id"] for c in sample if c["id"] not in labels]
    if missing:
        sys.exit(f"unlabelled ids: {missing[:20]} ... ({len(missing)})")
    rows, spans = [], defaultdict(list)
    for c in sample:
        lab = labels[c["id"]]
        if lab["label"] == "DROP":
            continue
        if lab["label"] not in LABELS:
            sys.exit(f"{c['id']}: bad label {lab['label']!r}")
        text = read_raw(c["corpus"], c["file"])
        lo = body_start(c["corpus"], text)
        s, e = c["char_start"], c["char_end"]
        span = lab.get("span", "").strip()
        if span:
            # the phrase (exact raw text, whitespace-flexible) must contain the token
            rx = re.compile(r"\s+".join(re.escape(p) for p in span.split()), re.I)
            best = None
            for m in rx.finditer(text, max(lo, s - 200), min(len(text), e + 200)):
                if m.start() <= s and m.end() >= e:
                    best = m
                    break
            if not best:
                sys.exit(f"{c['id']}: span {span!r} not found around {text[s:e]!r}")
            s, e = best.start(), best.end()
        left, right = contexts(text, s, e, lo)
        row = dict(id=c["id"], corpus=c["corpus"], file=c["file"],
                   licence=CORPORA[c["corpus"]], char_start=s, char_end=e,
                   left=left, target=text[s:e], right=right,
                   label=lab["label"], note=lab.get("note", "").strip())
        for (a, b, other) in spans[(c["corpus"], c["file"])]:
            if a < e and s < b:
                sys.exit(f"{c['id']} overlaps {other}; DROP one of them")
        spans[(c["corpus"], c["file"])].append((s, e, c["id"]))
        assert text[s:e] == row["target"]
        rows.append(row)
    write_tsv(HERE / "gold.tsv", rows, FIELDS)
    n = defaultdict(int)
    for r in rows:
        n[r["label"]] += 1
    print(len(rows), dict(sorted(n.items())), file=sys.stderr)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("draw")
    d.add_argument("--out", default="/tmp/gold_candidates.tsv")
    sub.add_parser("build")
    args = ap.parse_args()
    {"draw": cmd_draw, "build": cmd_build}[args.cmd](args)


if __name__ == "__main__":
    main()
