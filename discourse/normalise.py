"""Text normalisation for extracted documents: pure ``str -> str`` steps.

Each step is a small function that can be used and tested on its own;
:func:`normalise_pages` composes them for one document:

1. per page, character cleaning: :func:`nfkc`, :func:`map_hyphens`,
   :func:`strip_invisible`, :func:`remove_dot_leaders`, :func:`fold_whitespace`;
2. across pages: :func:`remove_running_lines` (headers and footers);
3. over the document: :func:`repair_line_hyphens` (a hyphenated or joined form
   counts as attested anywhere in the document, but a hyphen at the end of a
   page is never joined to the next page);
4. per page: :func:`fold_whitespace` again, then the pages are joined with
   ``"\\n\\n"`` and ``page_starts`` records where each page begins.

Line structure is kept throughout (one ``\\n`` per line of the source layout),
because header detection and paragraph-aware steps downstream rely on it.
Everything here is deterministic: output depends only on the input strings.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from itertools import pairwise

from .chars import CID_PLACEHOLDER, HYPHEN_MINUS, HYPHENS, INVISIBLE_CLASS, SOFT_HYPHEN
from .types import Normalised

__all__ = [
    "MAX_RUN",
    "RUNNING_LINE_EDGE",
    "RUNNING_LINE_MAX_SHARE",
    "RUNNING_LINE_MIN_PAGES",
    "fold_whitespace",
    "map_hyphens",
    "mask_digits",
    "nfkc",
    "normalise_pages",
    "remove_dot_leaders",
    "remove_running_lines",
    "repair_line_hyphens",
    "strip_invisible",
]

# --------------------------------------------------------------------------- #
# Character-level steps
# --------------------------------------------------------------------------- #

# Characters whose NFKC form is a space followed by combining marks (spacing
# accents and lines such as U+00B4 ACUTE ACCENT or U+2017 DOUBLE LOW LINE).
# NFKC would put a space inside a word wherever a PDF font uses one of them
# (Behaviour-Change-Response.pdf uses U+2017 as an opening quote: "‗nudges‘"),
# so :func:`nfkc` leaves them as they are. Derived with
# ``[c for c in range(0x110000) if NFKC(chr(c))[0] == " " and
# all(combining(x) for x in NFKC(chr(c))[1:]) and len(NFKC(chr(c))) > 1]``.
_NFKC_KEEP = frozenset(
    chr(c)
    for c in (
        0x00A8,
        0x00AF,
        0x00B4,
        0x00B8,
        0x02D8,
        0x02D9,
        0x02DA,
        0x02DB,
        0x02DC,
        0x02DD,
        0x037A,
        0x0384,
        0x0385,
        0x1FBD,
        0x1FBF,
        0x1FC0,
        0x1FC1,
        0x1FCD,
        0x1FCE,
        0x1FCF,
        0x1FDD,
        0x1FDE,
        0x1FDF,
        0x1FED,
        0x1FEE,
        0x1FFD,
        0x1FFE,
        0x2017,
        0x203E,
        0x309B,
        0x309C,
        0xFC5E,
        0xFC5F,
        0xFC60,
        0xFC61,
        0xFC62,
        0xFC63,
        0xFE49,
        0xFE4A,
        0xFE4B,
        0xFE4C,
        0xFE70,
        0xFE72,
        0xFE74,
        0xFE76,
        0xFE78,
        0xFE7A,
        0xFE7C,
        0xFE7E,
        0xFFE3,
    )
)
_NFKC_KEEP_RE = re.compile("([" + "".join(re.escape(c) for c in sorted(_NFKC_KEEP)) + "])")


def nfkc(s: str) -> str:
    """Unicode NFKC: ligatures (``ﬁ ﬂ ﬀ ﬃ``) become plain letters, ``…`` becomes
    ``...``, NBSP and other fixed-width spaces become a space, ``²`` becomes
    ``2``. Spacing accents whose NFKC form would insert a space (see
    ``_NFKC_KEEP``) are left unchanged."""
    if unicodedata.is_normalized("NFKC", s):
        return s
    if not _NFKC_KEEP_RE.search(s):
        return unicodedata.normalize("NFKC", s)
    parts = _NFKC_KEEP_RE.split(s)
    return "".join(p if p in _NFKC_KEEP else unicodedata.normalize("NFKC", p) for p in parts)


def map_hyphens(s: str) -> str:
    """:data:`~discourse.chars.HYPHENS` (U+2010 HYPHEN, U+2011 NON-BREAKING
    HYPHEN) -> ``-``; dashes are kept."""
    for hyphen in HYPHENS:
        s = s.replace(hyphen, HYPHEN_MINUS)
    return s


# Line and page separators that become "\n" ("\r\n" first, so it is one break).
_NEWLINES_RE = re.compile("\r\n|[\r\f\v\x1c\x1d\x1e\x85\u2028\u2029]")
_PUA_RE = re.compile("[\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]+")
# Zero-width and invisible formatting characters: ZWSP, ZWNJ, ZWJ, LRM, RLM,
# bidi embeddings/isolates, word joiner, invisible operators, BOM/ZWNBSP,
# Mongolian vowel separator, interlinear annotation marks.
_ZERO_WIDTH_RE = re.compile(INVISIBLE_CLASS)
# C0/C1 controls other than \t and \n, DEL, lone surrogates, U+FFFE/U+FFFF.
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _strip_invisible_counted(s: str) -> tuple[str, Counter]:
    counts: Counter = Counter()
    s = _NEWLINES_RE.sub("\n", s)
    counts["soft_hyphens_removed"] = s.count(SOFT_HYPHEN)
    if counts["soft_hyphens_removed"]:
        s = s.replace(SOFT_HYPHEN, "")

    def _pua(m: re.Match) -> str:
        counts["pua_removed"] += len(m.group())
        before = s[m.start() - 1] if m.start() > 0 else " "
        after = s[m.end()] if m.end() < len(s) else " "
        # A glyph between two visible characters stood for a separator.
        return " " if not before.isspace() and not after.isspace() else ""

    s = _PUA_RE.sub(_pua, s)
    s, n = _ZERO_WIDTH_RE.subn("", s)
    counts["invisible_removed"] += n
    s, n = _CONTROL_RE.subn("", s)
    counts["control_removed"] += n
    return s, counts


def strip_invisible(s: str) -> str:
    """Remove characters that carry no text.

    * ``\\r\\n``, ``\\r``, ``\\f``, ``\\v``, U+001C-U+001E, U+0085, U+2028 and
      U+2029 become ``\\n`` (they are line or page breaks);
    * soft hyphens (U+00AD) are removed;
    * private-use glyphs (U+E000-U+F8FF, planes 15 and 16: bullet glyphs of
      Symbol/Wingdings fonts, e.g. U+F0B7 in HMRC-RiskTriggersReport361.pdf)
      are removed; a run that sits between two visible characters becomes a
      space, so it cannot glue two words together;
    * zero-width and bidi formatting characters (U+200B-U+200F, U+202A-U+202E,
      U+2060-U+206F, U+FEFF, ...) are removed;
    * other control characters (C0 except ``\\t`` and ``\\n``, DEL, C1), lone
      surrogates and U+FFFE/U+FFFF are removed.

    U+FFFD (replacement character) is kept: it marks a glyph without a Unicode
    mapping, which :func:`remove_dot_leaders` and the quality figures deal with.
    """
    return _strip_invisible_counted(s)[0]


# A run of leader units: "." (also "·", "∙", "⋅") or "…", each optionally
# followed by one whitespace character. Runs of U+FFFD are handled separately.
_DOT_RUN_RE = re.compile(r"(?:[.\u00b7\u2219\u22c5\u2026]\s?)+")
_FFFD_RUN_RE = re.compile(r"(?:\ufffd[ \t\u00a0]?){3,}")
#: Minimum number of dots (``…`` counts 3) in a dot-leader run. Four would also
#: catch an ellipsis followed by a full stop ("...."), which occurs in prose.
DOT_LEADER_MIN_DOTS = 5
#: Minimum length of a U+FFFD run taken for a dot leader. In
#: Conservative-Manifesto-GE2024.pdf the contents page has 18 leader runs of
#: 19-190 U+FFFD; the 14 other U+FFFD are single, unmapped full stops.
FFFD_LEADER_MIN = 3


def _remove_dot_leaders_counted(s: str) -> tuple[str, int]:
    n = 0

    def _dots(m: re.Match) -> str:
        nonlocal n
        run = m.group()
        dots = sum(3 if c == "\u2026" else 1 for c in run if not c.isspace())
        if dots < DOT_LEADER_MIN_DOTS:
            return run
        n += 1
        return "\n" if "\n" in run else " "

    def _fffd(m: re.Match) -> str:
        nonlocal n
        n += 1
        return " "

    if "." in s or "\u2026" in s or "\u00b7" in s or "\u2219" in s or "\u22c5" in s:
        s = _DOT_RUN_RE.sub(_dots, s)
    if "\ufffd" in s:
        s = _FFFD_RUN_RE.sub(_fffd, s)
    return s, n


def remove_dot_leaders(s: str) -> str:
    """Replace dot-leader runs (contents pages) by one space.

    A run is a sequence of ``.``/``·``/``…`` (each optionally followed by one
    whitespace character, so ``. . . . .`` counts) with at least
    :data:`DOT_LEADER_MIN_DOTS` dots, ``…`` counting three; or at least
    :data:`FFFD_LEADER_MIN` U+FFFD in a row (unmapped leader glyphs). A run
    that spans a line break is replaced by a line break. An ellipsis
    (``...``, ``…``, ``....``) and a single or double U+FFFD are left alone;
    a five-dot elision in prose is not ("agreed that.....as with", the only
    one in policy_pdfs, PostOfficeHorizon-I-_Inquiry-Recomm.pdf p109, becomes
    "agreed that as with").
    """
    return _remove_dot_leaders_counted(s)[0]


_HSPACE_RE = re.compile(r"[^\S\n]+")
_BLANKS_RE = re.compile(r"\n{3,}")


def fold_whitespace(s: str) -> str:
    """Fold horizontal whitespace and blank lines, keeping line structure.

    Line/page separators (``\\r``, ``\\f``, U+2028...) become ``\\n``; runs of
    spaces, tabs, NBSP and other Unicode spaces become one space; lines lose
    leading and trailing spaces; at most one blank line in a row is kept;
    leading and trailing blank lines are dropped.
    """
    s = _NEWLINES_RE.sub("\n", s)
    s = _HSPACE_RE.sub(" ", s)
    s = "\n".join(line.strip(" ") for line in s.split("\n"))
    s = _BLANKS_RE.sub("\n\n", s)
    return s.strip("\n")


# --------------------------------------------------------------------------- #
# Running headers and footers
# --------------------------------------------------------------------------- #

#: How many non-empty lines at the top and at the bottom of a page are header
#: or footer candidates.
RUNNING_LINE_EDGE = 2
#: A candidate is a running line when its masked form is a candidate on at
#: least this many pages.
RUNNING_LINE_MIN_PAGES = 4
#: At most this share of a page's non-space characters is removed as running lines.
RUNNING_LINE_MAX_SHARE = 0.5
#: A run of non-space characters longer than this is cut into pieces this long (a space
#: between them): no word is this long, and spaCy's tokenizer is quadratic in a token's length
#: (a 1 MB run took 5 s, 5 MB over 2 minutes).
MAX_RUN = 1000

_DIGITS_RE = re.compile(r"\d+")


def mask_digits(line: str) -> str:
    """The form under which header/footer lines are compared: whitespace
    folded and stripped, every digit run replaced by ``#``, case-folded
    (``"Page 12 of 80"`` -> ``"page # of #"``)."""
    return _DIGITS_RE.sub("#", " ".join(line.split())).casefold()


def _edge_indices(lines: list[str]) -> list[int]:
    nonempty = [i for i, line in enumerate(lines) if line.strip()]
    return sorted(set(nonempty[:RUNNING_LINE_EDGE] + nonempty[-RUNNING_LINE_EDGE:]))


def running_line_keys(pages: Iterable[str]) -> frozenset[str]:
    """Masked forms (:func:`mask_digits`) that are running lines in ``pages``."""
    counts: Counter = Counter()
    for page in pages:
        lines = page.split("\n")
        counts.update({mask_digits(lines[i]) for i in _edge_indices(lines)})
    return frozenset(k for k, n in counts.items() if n >= RUNNING_LINE_MIN_PAGES)


def remove_running_lines(pages: list[str]) -> tuple[list[str], int]:
    """Remove running headers and footers; return the pages and the count.

    A line is a header/footer candidate when it is one of the first or last
    :data:`RUNNING_LINE_EDGE` non-empty lines of its page. A candidate is a
    running line when its :func:`mask_digits` form is a candidate on at least
    :data:`RUNNING_LINE_MIN_PAGES` pages (counted once per page). Exactly the
    candidate occurrences of running lines are removed; the same text
    elsewhere on a page is body text and stays, so a sentence repeated as body
    text on many pages ("These recommendations are accepted in principle by
    the UK Government", 8 pages of Volume_1-Blood-Inquiry-Response.pdf, never
    among the first/last two lines in pdfminer's output) is kept.

    Removal is repeated until no running line is left, because removing one
    line exposes the next line of a multi-line header or footer block (in the
    Blood Inquiry report: section name, footnote number, page number). The
    result is stable (a second call removes nothing) and does not depend on the
    order of the pages.

    Known over-reach (on policy_pdfs): short headings that open several pages
    also qualify, e.g. "Recommendation 8" (12 pages of
    TheSpaceEconomyResponse.pdf), "Introduction" (6 pages of the Covid
    Module 1 report); so do letterless lines (paragraph numbers "4.4."),
    footnote lines ("12 Ibid.", "45 Q 123." in the Behaviour Change report,
    peeled off over up to 6 passes) and vertical table text printed one
    letter per line (27 passes in the Covid Module 1 report).

    A document never loses more than :data:`RUNNING_LINE_MAX_SHARE` of its text
    (non-space characters) this way: on short pages whose lines differ only in
    digits (a table printed one row per page, numbered slides) every line was a
    "running line", the pages were emptied and the PDF was called "no text
    layer". A pass whose removals would pass the share removes nothing, and
    stops. (The share is the document's, not each page's: a cover or picture
    page whose only text is its running header and page number still loses them.)
    """
    removed = 0
    out = list(pages)
    budget = RUNNING_LINE_MAX_SHARE * sum(_chars(p) for p in pages)
    while True:
        keys = running_line_keys(out)
        drops = []
        for page in out:
            lines = page.split("\n")
            drops.append((lines, {i for i in _edge_indices(lines) if mask_digits(lines[i]) in keys}))
        cost = sum(_chars(lines[i]) for lines, drop in drops for i in drop)
        if not any(drop for _, drop in drops) or cost > budget:
            return out, removed
        budget -= cost
        for n, (lines, drop) in enumerate(drops):
            if drop:
                removed += len(drop)
                out[n] = "\n".join(line for i, line in enumerate(lines) if i not in drop)


def _chars(s: str) -> int:
    return len(s) - s.count(" ") - s.count("\n")


# --------------------------------------------------------------------------- #
# Line-end hyphens
# --------------------------------------------------------------------------- #

_LETTERS = r"[^\W\d_]+"
# Both patterns start only where a run of letters starts (the look-behind): without it the
# engine retries from every letter of an unbroken run, which is quadratic in its length
# (5,000 letters took 4.7 s, 20,000 took 45 s).
_RUN_START = r"(?<![^\W\d_])"
_LINE_HYPHEN_RE = re.compile(rf"{_RUN_START}({_LETTERS})-[ \t]*\n[ \t]*({_LETTERS})")
_HYPHENATED_RE = re.compile(rf"{_RUN_START}{_LETTERS}(?:-{_LETTERS})+")
_WORD_RE = re.compile(_LETTERS)


def _attested(text: str) -> tuple[Counter, Counter]:
    """Counts of hyphenated pairs (``a-b``, from every compound ``a-b-c``) and of
    plain words in ``text``, leaving out the line-end hyphens themselves."""
    flat = _LINE_HYPHEN_RE.sub(lambda m: m.group(1) + "\x00" + m.group(2), text).lower()
    pairs: Counter = Counter()
    for m in _HYPHENATED_RE.finditer(flat):
        parts = m.group().split("-")
        pairs.update(f"{a}-{b}" for a, b in pairwise(parts))
    plain = Counter(_WORD_RE.findall(flat))
    return pairs, plain


@lru_cache(maxsize=1)
def _closed_class() -> frozenset[str]:
    """spaCy's English stop words (function words), lower-case."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(w.lower() for w in STOP_WORDS)


def repair_line_hyphens(text: str, words: frozenset[str]) -> tuple[str, int, int]:
    """Rejoin words hyphenated at a line end; return ``(text, joined, kept)``.

    For ``left-\\nright`` (letters on both sides; spaces around the break are
    allowed) the line break is always removed, and:

    1. if ``left-right`` or ``leftright`` occurs elsewhere in ``text``
       (case-insensitive; line-end hyphens themselves do not count), the more
       frequent spelling wins and a tie keeps the hyphen:
       ``decision-\\nmaking`` stays hyphenated in the Blood Inquiry report
       (39 x "decision-making", 2 x "decisionmaking"); ``predeces-\\nsor``,
       ``communi-\\ncation``, ``con-\\nstitute`` in the Post Office report are
       joined because the document spells them unhyphenated elsewhere;
    2. otherwise the hyphen is dropped only when ``leftright`` is in ``words``
       and ``left`` or ``right`` is not a word on its own (a fragment means a
       split word: ``produc-\\ntion``, ``con-\\nstituent``). For "a word on its
       own", ``words`` is extended with spaCy's English stop words, because
       the lemma-table word list has no function words ("to", "in", "over");
    3. otherwise the hyphen is kept: most line-end hyphens in policy PDFs are
       real compounds (whole-system, self-sufficiency, co-production,
       non-regulatory), and ``to-\\nday`` in "day-to-day" must not become
       "today".

    On the 12 policy PDFs with text, pdfminer's output has 251 line-end
    hyphens between letters; 16 are joined (10 in the Post Office report,
    "well-being" -> "wellbeing", "haemo-vigilance", "pre-condition", ...).
    """
    if "-" not in text:
        return text, 0, 0

    closed = _closed_class()

    def _is_word(w: str) -> bool:
        return w in words or w in closed

    pairs, plain = _attested(text)
    joined = kept = 0

    def _fix(m: re.Match) -> str:
        nonlocal joined, kept
        left, right = m.group(1), m.group(2)
        ll, rl = left.lower(), right.lower()
        n_hyph = pairs.get(f"{ll}-{rl}", 0)
        n_join = plain.get(ll + rl, 0)
        if n_hyph or n_join:
            join = n_join > n_hyph
        else:
            join = (ll + rl) in words and not (_is_word(ll) and _is_word(rl))
        if join:
            joined += 1
            return left + right
        kept += 1
        return f"{left}-{right}"

    return _LINE_HYPHEN_RE.sub(_fix, text), joined, kept


# --------------------------------------------------------------------------- #
# Composition
# --------------------------------------------------------------------------- #

# Joins pages for document-wide hyphen repair. "\x00" cannot survive
# strip_invisible, and a letter never follows "\n" here, so no hyphen is
# repaired across a page boundary and the split is exact.
_PAGE_SEP = "\n\x00\n"

QUALITY_KEYS = (
    "replacement_chars",
    "pua_removed",
    "control_removed",
    "invisible_removed",
    "soft_hyphens_removed",
    "dot_leaders_removed",
    "running_lines_removed",
    "long_runs_split",
    "hyphens_joined",
    "hyphens_kept",
    "empty_pages",
    "unmapped_glyphs",
)

_CID_RE = re.compile(CID_PLACEHOLDER)

#: A document warns about lost glyphs from this many on, or from this share of its characters.
GLYPH_LOSS_WARN_COUNT = 50
GLYPH_LOSS_WARN_SHARE = 0.005


def glyph_loss_warning(quality: dict, chars: int) -> str | None:
    """The warning for a document whose text lost glyphs (no Unicode mapping), or None.

    Lost = ``replacement_chars`` (U+FFFD left in the text, including pdfminer's ``(cid:N)``
    placeholders, each replaced by one U+FFFD) + ``pua_removed`` (private-use glyphs). It warns
    from :data:`GLYPH_LOSS_WARN_COUNT` glyphs or :data:`GLYPH_LOSS_WARN_SHARE` of the characters.
    """
    lost = int(quality.get("replacement_chars", 0)) + int(quality.get("pua_removed", 0))
    if lost < GLYPH_LOSS_WARN_COUNT and lost < GLYPH_LOSS_WARN_SHARE * max(chars, 1):
        return None
    share = lost / max(chars + lost, 1)
    recovered = quality.get("pages_from_pdftotext")
    tail = f"; {len(recovered)} page(s) were re-read with pdftotext" if recovered else ""
    return f"{lost} glyphs without a Unicode mapping ({share:.1%} of the text): words may be missing{tail}"


_LONG_RUN_RE = re.compile(rf"(?<!\S)\S{{{MAX_RUN + 1},}}")  # from a run's start only: linear


def _split_long_runs(page: str, counts: Counter) -> str:
    """Cut every run of non-space characters longer than :data:`MAX_RUN` into pieces of that length."""

    def cut(m: re.Match) -> str:
        run = m.group()
        counts["long_runs_split"] += 1
        return " ".join(run[i : i + MAX_RUN] for i in range(0, len(run), MAX_RUN))

    return _LONG_RUN_RE.sub(cut, page) if len(page) > MAX_RUN else page


def _clean_page(page: str, counts: Counter) -> str:
    page = map_hyphens(nfkc(page))
    page, c = _strip_invisible_counted(page)
    counts.update(c)
    page, n = _remove_dot_leaders_counted(page)
    counts["dot_leaders_removed"] += n
    page, n = _CID_RE.subn("\ufffd", page)  # after dot leaders: a word of lost glyphs is not a leader
    counts["unmapped_glyphs"] += n
    return fold_whitespace(page)


def normalise_pages(pages: list[str], words: frozenset[str] | None = None) -> Normalised:
    """Normalise one document given as pages (see the module docstring).

    ``words`` (lower-case) is the word list for hyphen repair; it defaults to
    :func:`discourse.nlp.english_words`. ``page_starts[i]`` is the offset of
    page i in ``text`` (pages joined by ``"\\n\\n"``; an empty page is ``""``
    and still has its entry). ``quality`` holds the counts listed in
    :data:`QUALITY_KEYS`; ``replacement_chars`` is the number of U+FFFD left in
    the text (glyphs without a Unicode mapping).
    """
    if words is None:
        from .nlp import english_words

        words = english_words()
    counts: Counter = Counter({k: 0 for k in QUALITY_KEYS})
    cleaned = [_clean_page(p, counts) for p in pages]
    cleaned, counts["running_lines_removed"] = remove_running_lines(cleaned)
    if cleaned:
        doc, counts["hyphens_joined"], counts["hyphens_kept"] = repair_line_hyphens(_PAGE_SEP.join(cleaned), words)
        cleaned = doc.split(_PAGE_SEP)
        assert len(cleaned) == len(pages)
    final = [_split_long_runs(fold_whitespace(p), counts) for p in cleaned]
    starts: list[int] = []
    pos = 0
    for p in final:
        starts.append(pos)
        pos += len(p) + 2
    text = "\n\n".join(final)
    counts["replacement_chars"] = text.count("\ufffd")
    counts["empty_pages"] = sum(1 for p in final if not p)
    return Normalised(text=text, page_starts=starts, quality={k: int(counts[k]) for k in QUALITY_KEYS})
