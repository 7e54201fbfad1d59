"""The context/exclude pattern language: compiling patterns and testing them around a match."""

from __future__ import annotations

import re

import pytest

from discourse.lexicon import check_lexicon, compile_pattern, load_lexicon, norm_key, pattern_holds
from discourse.lexicon.patterns import Alt, Gap
from discourse.match import Matcher
from discourse.nlp import tokenise


def holds(pattern: str, before: str = "", after: str = "", match: str = "partnership") -> bool:
    """Test ``pattern`` around a match with the space-separated words ``before``
    and ``after`` it (as written, in reading order)."""
    left = [(norm_key(w), w) for w in reversed(before.split())]
    right = [(norm_key(w), w) for w in after.split()]
    return pattern_holds(compile_pattern(pattern), left, right, match)


# ------------------------------------------------------------------ compiling


@pytest.mark.parametrize(
    "text, reason",
    [
        ("radio", "no MATCH"),
        ("MATCH", "nothing but MATCH"),
        ("{0,3} MATCH", "only gaps"),
        ("radio {0,99} MATCH", "wider than"),
        ("radio {a} MATCH", "bad gap"),
        ("(radio|tv MATCH", "unbalanced"),
        ("radio|tv MATCH", "outside a group"),
        ("() MATCH", "empty group"),
        ("MATCHING radio", "unknown keyword"),
        ("(MATCH|radio)", "inside a group"),
        ("lemma: MATCH", "bad lemma word"),
        ("* MATCH", "bare '*'"),
    ],
)
def test_bad_patterns(text, reason):
    with pytest.raises(ValueError, match=re.escape(reason)):
        compile_pattern(text)


def test_pattern_structure():
    p = compile_pattern("(film|radio station) {0,3} MATCH:cap lemma:trust CAP")
    assert p.match_cap
    assert len(p.before) == 2 and len(p.after) == 2
    assert p.rbefore[0] == p.before[1]  # nearest element first
    assert compile_pattern("public-private MATCH").before[0].options[0][1].value == frozenset({"private"})


def test_compiled_elements_and_scope():
    p = compile_pattern("(the big|big) {1,2} MATCH", line=7, scope="text")
    group, gap = p.before
    assert isinstance(group, Alt) and gap == Gap(1, 2)
    assert [len(o) for o in group.options] == [2, 1]
    assert p.line == 7 and p.scope == "text"
    assert compile_pattern("civil MATCH").scope == "sentence"
    with pytest.raises(ValueError, match="scope must be one of sentence, text"):
        compile_pattern("civil MATCH", scope="page")


# ------------------------------------------------------------------ worked examples


def test_a_pattern_that_holds_and_one_that_does_not():
    assert holds("civil MATCH", before="a civil")
    assert not holds("civil MATCH", before="civil and")  # must end right before the match
    assert not holds("civil MATCH", after="civil")  # wrong side
    assert holds("MATCH with", after="with the council")
    assert not holds("MATCH with", after="between the council")


def test_a_gap_counts_words_either_side():
    assert holds("MATCH {0,2} with", after="with")
    assert holds("MATCH {0,2} with", after="working closely with")
    assert not holds("MATCH {0,2} with", after="and working closely with")
    assert holds("(film|radio) {0,3} MATCH", before="radio drama and film")
    assert not holds("(film|radio) {0,3} MATCH", before="film about a new local")
    assert holds("MATCH {2} board", after="of the board")
    assert not holds("MATCH {2} board", after="of board")


def test_alternation_of_words_phrases_and_nothing():
    p = "(film|radio station|bbc) MATCH"
    assert holds(p, before="a film")
    assert holds(p, before="the radio station")
    assert holds(p, before="BBC")  # case-insensitive
    assert not holds(p, before="the radio")  # "radio station" needs both words
    assert holds("MATCH (the|) board", after="the board")
    assert holds("MATCH (the|) board", after="board")  # empty alternative: optional
    assert not holds("MATCH (the|) board", after="a board")


def test_wildcards_lemmas_and_capitals():
    assert holds("farm* {0,2} MATCH", before="farming")
    assert holds("MATCH {0,3} lemma:work", after="that worked")
    assert holds("MATCH:cap {0,2} (nhs|trust)", after="NHS", match="Partnership")
    assert not holds("MATCH:cap {0,2} (nhs|trust)", after="NHS", match="partnership")
    assert holds("CAP MATCH", before="the Big", match="Society")
    assert not holds("CAP MATCH", before="the big", match="Society")


# ------------------------------------------------------------------ scope

SCOPE_LEXICON = """\
concepts:
  - id: direct-payments
    terms: [direct payments]
    exclude:
      - pattern: "(farm*|agricultur*) {0,15} MATCH"
        scope: %s
        reason: farm payments
"""


@pytest.mark.parametrize("scope, excluded", [("sentence", False), ("text", True)])
def test_sentence_scope_stops_at_the_sentence_and_text_scope_does_not(nlp, tmp_path, scope, excluded):
    f = tmp_path / "lex.yaml"
    f.write_text(SCOPE_LEXICON % scope)
    matcher = Matcher(load_lexicon(f), nlp.vocab)
    doc = next(tokenise(nlp, ["The Common Agricultural Policy was reformed. Direct payments provide stability."]))
    (m,) = matcher(doc)
    assert m.excluded is excluded
    assert m.exclude_reason == ("farm payments" if excluded else None)
    # inside the sentence both scopes see it
    doc = next(tokenise(nlp, ["Farm direct payments rose."]))
    (m,) = matcher(doc)
    assert m.excluded


# ------------------------------------------------------------------ errors in a file


def test_a_bad_pattern_in_a_file_names_its_line(tmp_path):
    f = tmp_path / "lex.yaml"
    f.write_text(
        "concepts:\n"
        "  - id: partnership\n"
        "    terms:\n"
        "      - phrase: partnership\n"
        '        context: "MATCH {0,2} (with|between"\n'  # 5
        "    exclude:\n"
        "      - pattern: civil MATCH\n"
        '      - pattern: "radio {5,2} MATCH"\n'  # 8
    )
    assert check_lexicon(f) == [
        f"{f}:5: concept 'partnership': context: bad pattern 'MATCH {{0,2}} (with|between': unbalanced '('",
        f"{f}:8: concept 'partnership': bad pattern 'radio {{5,2}} MATCH': bad gap '{{5,2}}': min > max",
    ]


def test_many_gaps_do_not_backtrack_exponentially():
    # issue 16: an exclude pattern with a dozen {0,50} gaps took over 150 s on 20 documents
    import time

    p = compile_pattern("y " + " ".join(["x {0,50}"] * 12) + " MATCH")
    left = [("x", "x")] * 60  # every x is there; the y never is, so every split is tried
    t0 = time.perf_counter()
    assert not pattern_holds(p, left, [], "care")
    assert time.perf_counter() - t0 < 5  # memoised: milliseconds; unmemoised: hours


def test_pattern_and_alternation_sizes_are_bounded():
    import pytest

    from discourse.lexicon.terms import expand_alternation

    with pytest.raises(ValueError, match="more than 60 words and gaps"):
        compile_pattern(" ".join(["x"] * 61) + " MATCH")
    with pytest.raises(ValueError, match="more than 5000 variants"):
        expand_alternation(" ".join(["(a|b|c|d)"] * 20))  # 4^20: refused before it is built
