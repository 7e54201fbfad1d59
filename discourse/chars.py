"""Shared character tables: the one place that says which characters are dashes, joiners and quotes.

Each stage picks the named set that fits its job, so the sets differ on
purpose, and only here:

- :data:`HYPHENS` are the characters normalisation folds to ``-`` (U+2010
  HYPHEN and U+2011 NON-BREAKING HYPHEN). Dashes are kept as written.
- :data:`JOINERS` may join the words of a lexicon term ("co-production",
  "co–production"): the hyphens, U+2012 FIGURE DASH and U+2013 EN DASH. An em
  dash separates clauses, so it never joins a term.
- :data:`DASHES` are every dash folded to ``-`` when a matched variant is
  counted: the joiners plus U+2014 EM DASH and U+2212 MINUS SIGN.
- :data:`TOKEN_SPLIT_DASHES` are the dashes the tokenizer splits off a word's
  end (hyphen-minus, the hyphens, en and em dash).
- :data:`QUOTES` and :data:`APOSTROPHES` list the quote marks in use
  (straight, typographic, low-9 and guillemets).
"""

from __future__ import annotations

HYPHEN_MINUS = "-"
SOFT_HYPHEN = "\u00ad"
HYPHENS = "\u2010\u2011"
JOINERS = frozenset(HYPHEN_MINUS + HYPHENS + "\u2012\u2013")
DASHES = frozenset(JOINERS | set("\u2014\u2212"))
TOKEN_SPLIT_DASHES = HYPHEN_MINUS + HYPHENS + "\u2013\u2014"

APOSTROPHES = "'\u2019"
SINGLE_QUOTES = "'\u2018\u2019\u201a\u201b\u2039\u203a"
DOUBLE_QUOTES = '"\u201c\u201d\u201e\u201f\u00ab\u00bb'
QUOTES = SINGLE_QUOTES + DOUBLE_QUOTES

# Zero-width and bidirectional formatting characters that normalisation drops.
INVISIBLE_CLASS = "[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\u180e\ufff9-\ufffb]"

# str.translate tables.
HYPHENS_TO_MINUS = {ord(c): HYPHEN_MINUS for c in HYPHENS}
DASHES_TO_MINUS = {ord(c): HYPHEN_MINUS for c in DASHES}
# For comparing a token with a term word: joiners and soft hyphens vanish, a typographic apostrophe is straight.
JOIN_FOLD = {**{ord(c): None for c in JOINERS | {SOFT_HYPHEN}}, ord("\u2019"): "'"}

#: pdfminer's placeholder for a glyph whose font has no Unicode map: ``(cid:67)``.
CID_PLACEHOLDER = r"\(cid:\d+\)"
