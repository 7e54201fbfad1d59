"""Association scores between a node (the concept) and a collocate.

Window-based ("surface") co-occurrence after Evert (2008): ``o`` is the number
of collocate tokens inside the node's windows, ``span`` the number of token
positions in one window (e.g. ±4 words -> span 8). The windows of all node
instances hold ``R1 = span · f_node`` positions, so the expected co-occurrence
frequency is ``E = R1 · f_coll / N = f_node · f_coll · span / N``. With span 1
this is the usual adjacency table. Count each collocate token at most once
(merge overlapping windows); otherwise the 2×2 table can get a negative cell
and ``ll`` is ``None``.

Reference for all scores: Evert, S. (2008). Corpora and collocations. In
A. Lüdeling & M. Kytö (eds.), *Corpus Linguistics: An International Handbook*,
vol. 2, 1212–1248. Berlin: Mouton de Gruyter.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class CollocationScores:
    """Scores for one node–collocate pair; a field is ``None`` when undefined (o = 0)."""

    observed: float
    expected: float
    mi: float | None
    mi3: float | None
    t: float | None
    logdice: float | None
    ll: float | None


def _ll_2x2(o11: float, o12: float, o21: float, o22: float) -> float | None:
    """Dunning's G² = 2 Σ O_ij ln(O_ij / E_ij) over the 4 cells, E from the marginals."""
    cells = (o11, o12, o21, o22)
    if min(cells) < 0:
        return None
    n = sum(cells)
    rows = (o11 + o12, o21 + o22)
    cols = (o11 + o21, o12 + o22)
    g2 = 0.0
    for (i, j), o in zip(((0, 0), (0, 1), (1, 0), (1, 1)), cells, strict=False):
        if o > 0:
            g2 += o * math.log(o / (rows[i] * cols[j] / n))
    return max(0.0, 2.0 * g2)


def collocation_scores(o: float, f_node: float, f_coll: float, n: float, span: int = 1) -> CollocationScores | None:
    """Compute E, MI, MI3, t-score, logDice and 4-cell log-likelihood.

    - ``E = f_node · f_coll · span / N``
    - ``MI = log2(O/E)`` (Church & Hanks 1990, Word association norms, mutual
      information, and lexicography, *Computational Linguistics* 16(1), 22–29)
    - ``MI3 = log2(O³/E)`` (Daille 1994, *Approche mixte pour l'extraction
      automatique de terminologie*, PhD thesis, Université Paris 7)
    - ``t = (O − E) / √O`` (Church, Gale, Hanks & Hindle 1991, Using statistics
      in lexical analysis, in Zernik (ed.), *Lexical Acquisition*)
    - ``logDice = 14 + log2(2 O / (f_node + f_coll))`` (Rychlý, P. 2008, A
      lexicographer-friendly association score, *Proceedings of RASLAN 2008*, 6–9)
    - ``LL``: Dunning (1993) G² over the 2×2 table O11 = O, O12 = span·f_node − O,
      O21 = f_coll − O, O22 = N − span·f_node − f_coll + O, E_ij from the marginals.

    Returns ``None`` if ``n``, ``f_node`` or ``f_coll`` is not positive, or
    ``o < 0``. With ``o == 0`` the fields mi, mi3, t and logdice are ``None``.
    """
    if n <= 0 or f_node <= 0 or f_coll <= 0 or o < 0 or span < 1:
        return None
    r1 = span * f_node
    e = r1 * f_coll / n
    ll = _ll_2x2(o, r1 - o, f_coll - o, n - r1 - f_coll + o)
    if o == 0:
        return CollocationScores(o, e, None, None, None, None, ll)
    return CollocationScores(
        observed=o,
        expected=e,
        mi=math.log2(o / e),
        mi3=math.log2(o**3 / e),
        t=(o - e) / math.sqrt(o),
        logdice=14.0 + math.log2(2.0 * o / (f_node + f_coll)),
        ll=ll,
    )


def direction(observed: float, expected: float) -> str:
    """``attraction`` when the collocate is seen more often than chance predicts (O > E), else ``repulsion``.

    Log-likelihood is unsigned: a large ``ll`` can mean a word avoids the node
    as well as seeks it (Evert 2008, §3), so the sign of O − E says which.
    """
    return "attraction" if observed > expected else "repulsion"


_URL_PART = re.compile(
    r"://|^(?:https?|ftp|www|mailto)$|^www\.|@|/|\.(?:com|org|net|gov|gov\.uk|nhs\.uk|ac\.uk|co\.uk|uk|io|html?|php"
    r"|aspx?|pdf)$",
    re.I,
)
#: Pieces of a URL that the tokenizer may leave on their own.
URL_FRAGMENTS = frozenset({"http", "https", "www", "html", "htm", "php", "aspx", "asp", "com", "org", "uk", "pdf"})


def is_collocate(word: str, stopwords: frozenset[str] | set[str] = frozenset()) -> bool:
    """Whether ``word`` (lower-cased) can be listed as a collocate.

    Left out: a token with no letter (punctuation, bullets, numbers), a single
    letter (a speaker's or author's initial, "J." -> "j"), a URL or a piece of
    one (``https``, ``www``, ``gov.uk/...``, an e-mail address) and a word in
    ``stopwords``.
    """
    if not any(ch.isalpha() for ch in word):
        return False
    letters = sum(ch.isalpha() for ch in word)
    if letters < 2:
        return False
    if word in URL_FRAGMENTS or _URL_PART.search(word):
        return False
    return word not in stopwords
