"""Lexicon loading, validation (file:line errors), hashing and terms.

The pattern language is tested in test_lexicon_patterns.py."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from discourse.errors import LexiconError
from discourse.lexicon import (
    DEFAULT_FAMILY,
    DEFAULT_LEXICON,
    Concept,
    Lexicon,
    check_lexicon,
    compile_term,
    expand_variants,
    load_lexicon,
)

FIX = Path(__file__).resolve().parent / "fixtures" / "lexicons"

FAMILIES = {
    "transformation": [
        "co-production",
        "personalisation",
        "personal-budgets",
        "direct-payments",
        "self-directed-support",
    ],
    "civic": ["big-society", "active-citizenship", "community-capacity"],
    "participation": ["user-involvement", "participation", "empowerment", "partnership", "choice-and-control"],
}

ERROR_RE = re.compile(r"^(?P<file>.+):(?P<line>\d+): (?P<reason>.+)$")


# ------------------------------------------------------------ default lexicon


def test_default_lexicon_loads_with_the_documented_concepts():
    lex = load_lexicon()
    assert isinstance(lex, Lexicon)
    assert lex.name == "adult-social-care"
    assert lex.version == 1
    assert Path(lex.path) == DEFAULT_LEXICON
    assert DEFAULT_LEXICON.parent.name == "lexicons"
    assert lex.families() == FAMILIES
    assert check_lexicon() == []


def test_default_lexicon_concepts_are_documented_and_sourced():
    for c in load_lexicon().concepts:
        assert isinstance(c, Concept)
        assert c.label and c.description and c.terms, c.id
        assert c.sources, f"{c.id} names no sources"


def test_content_hash_ignores_comments_and_layout(tmp_path):
    base = tmp_path / "a.yaml"
    base.write_text("name: x\nconcepts:\n  - id: a\n    terms: [thing, other]\n")
    same = tmp_path / "b.yaml"
    same.write_text("# a comment\nconcepts:\n- terms:\n  - thing   # first\n  - 'other'\n  id: a\nname:   x\n")
    changed = tmp_path / "c.yaml"
    changed.write_text("name: x\nconcepts:\n  - id: a\n    terms: [thing, others]\n")
    h = load_lexicon(base).content_hash
    assert re.fullmatch(r"[0-9a-f]{64}", h)
    assert load_lexicon(same).content_hash == h
    assert load_lexicon(changed).content_hash != h


def test_default_hash_is_stable_when_copied(tmp_path):
    dst = tmp_path / "copy.yaml"
    shutil.copy(DEFAULT_LEXICON, dst)
    if (DEFAULT_LEXICON.parent / "filters").is_dir():  # filter paths are relative to the lexicon file
        shutil.copytree(DEFAULT_LEXICON.parent / "filters", dst.parent / "filters", dirs_exist_ok=True)
    assert load_lexicon(dst).content_hash == load_lexicon().content_hash


def test_minimal_lexicon_defaults():
    lex = load_lexicon(FIX / "minimal.yaml")
    assert lex.name == "minimal"  # the file stem
    assert lex.version == 1
    (c,) = lex.concepts
    assert (c.id, c.label, c.family, c.description) == ("thing", "thing", DEFAULT_FAMILY, "")
    assert c.excludes == () and c.sources == ()
    assert lex.families() == {DEFAULT_FAMILY: ["thing"]}


def test_expand_variants_shows_joins_inflections_and_wildcards():
    lex = load_lexicon()
    cp = expand_variants(lex.concept("co-production"))
    assert {"co-produc*", "co produc*", "coproduc*"} <= set(cp)
    pb = expand_variants(lex.concept("personal-budgets"))
    assert {"personal budget", "personal budgets", "individual budgets"} <= set(pb)
    dp = expand_variants(lex.concept("direct-payments"))
    assert {"direct payment", "direct payments"} <= set(dp)
    sds = expand_variants(lex.concept("self-directed-support"))
    assert "SDS (case-sensitive)" in sds
    assert "self-directed support" in sds and "selfdirected support" in sds


# ------------------------------------------------------------- broken files


def _errors(name):
    errs = check_lexicon(FIX / name)
    for e in errs:
        m = ERROR_RE.match(e)
        assert m, e
        assert m["file"] == str(FIX / name)
    return [(int(ERROR_RE.match(e)["line"]), ERROR_RE.match(e)["reason"]) for e in errs]


@pytest.mark.parametrize(
    "name, line, words",
    [
        ("broken_yaml.yaml", 9, ["invalid YAML", "line 8"]),
        ("no_terms.yaml", 5, ["'empty'", "no terms"]),
        ("duplicate_id.yaml", 5, ["duplicate concept id 'partnership'", "line 3"]),
        ("bad_pattern.yaml", 6, ["bad pattern", "no MATCH"]),
        ("unknown_key.yaml", 5, ["unknown key 'exlude'"]),
    ],
)
def test_each_broken_file_reports_file_line_reason(name, line, words):
    errs = _errors(name)
    assert len(errs) == 1, errs
    got_line, reason = errs[0]
    assert got_line == line
    for w in words:
        assert w in reason
    with pytest.raises(LexiconError) as ei:
        load_lexicon(FIX / name)
    assert str(ei.value) == f"{FIX / name}:{line}: {reason}"


def test_check_lists_every_error_in_line_order_and_load_raises_the_first():
    errs = _errors("many_errors.yaml")
    lines = [ln for ln, _ in errs]
    assert lines == sorted(lines)
    reasons = dict(errs)
    assert "version must be a positive integer" in reasons[2]
    assert "'*' must be attached to a word" in reasons[5]
    assert "'b' has no terms" in reasons[7]
    assert "duplicate concept id 'a'" in reasons[8]
    assert "lemma term cannot have a wildcard" in reasons[10]
    assert "MATCH appears more than once" in reasons[12]
    assert "unbalanced '('" in reasons[16]
    assert "min > max" in reasons[17]
    assert "unknown key 'colour'" in reasons[18]
    with pytest.raises(LexiconError) as ei:
        load_lexicon(FIX / "many_errors.yaml")
    assert str(ei.value).startswith(f"{FIX / 'many_errors.yaml'}:2: version")
    assert ei.value.hint and "9 problems" in ei.value.hint


def test_missing_file_and_empty_file(tmp_path):
    errs = check_lexicon(tmp_path / "nope.yaml")
    assert len(errs) == 1 and errs[0].startswith(f"{tmp_path / 'nope.yaml'}:1: cannot read")
    empty = tmp_path / "empty.yaml"
    empty.write_text("# nothing\n")
    assert check_lexicon(empty) == [f"{empty}:1: empty lexicon file"]
    with pytest.raises(LexiconError):
        load_lexicon(empty)


def test_type_errors_are_reported(tmp_path):
    f = tmp_path / "types.yaml"
    f.write_text(
        "concepts:\n"
        "  - id: a\n"
        "    terms: thing\n"  # 3: not a list
        "  - id: 'b c'\n"  # 4: bad id
        "    terms: [x]\n"
        "  - id: d\n"
        "    terms:\n"
        "      - {phrase: x, lemma: y}\n"  # 8: both
        "      - {phrase: z, match_case: maybe}\n"  # 9
        "      - 'what?'\n"  # 10: bad character
        "    sources: just one\n"  # 11: not a list
        "    exclude:\n"
        "      - radio MATCH\n"  # 13: not a mapping
        "      - {pattern: 'radio MATCH', scope: page}\n"  # 14: bad scope
    )
    errs = dict((int(ERROR_RE.match(e)["line"]), e) for e in check_lexicon(f))
    assert "'terms' must be a list" in errs[3]
    assert "use letters, digits" in errs[4]
    assert "exactly one of 'phrase' or 'lemma'" in errs[8]
    assert "match_case must be true or false" in errs[9]
    assert "character '?' is not allowed" in errs[10]
    assert "'sources' must be a list" in errs[11]
    assert "must be a mapping" in errs[13]
    assert "scope must be one of" in errs[14]


def test_same_variant_in_two_concepts_is_an_error(tmp_path):
    f = tmp_path / "shared.yaml"
    f.write_text("concepts:\n  - id: a\n    terms: [direct payments]\n  - id: b\n    terms: [direct-payments]\n")
    (err,) = check_lexicon(f)
    assert err.startswith(f"{f}:5: concept 'b'") and "concept 'a'" in err


# ------------------------------------------------------------------- terms


def test_compile_term_alternation_optional_word_and_lemma():
    v, w = compile_term("capacity of (the|local|) community")
    assert v == (
        ("capacity", "of", "the", "community"),
        ("capacity", "of", "local", "community"),
        ("capacity", "of", "community"),
    )
    v, _ = compile_term("co-produce", lemma=True)
    assert {("co", "produce"), ("co", "produces"), ("co", "produced"), ("co", "producing")} <= set(v)
    v, w = compile_term("co-produc*")
    assert v == (("co", "produc*"),) and w == ("co-produc*",)
    v, _ = compile_term("Co\u2011Production")  # U+2011 splits like a hyphen
    assert v == (("co", "production"),)
    with pytest.raises(ValueError):
        compile_term("co-pr*")  # prefix too short
    with pytest.raises(ValueError):
        compile_term("co-*production")


def test_package_layout_and_reexports():
    import discourse.lexicon as lexicon
    from discourse import chars
    from discourse.lexicon import loader, model, patterns, terms

    assert lexicon.JOINERS is chars.JOINERS
    assert lexicon.Lexicon is model.Lexicon and lexicon.load_lexicon is loader.load_lexicon
    assert lexicon.compile_pattern is patterns.compile_pattern and lexicon.compile_term is terms.compile_term
    assert "File format" in (lexicon.__doc__ or "")
    assert DEFAULT_LEXICON.is_file() and DEFAULT_LEXICON.name == "adult-social-care.yaml"


# --- hostile lexicon files (issue 16): one-line errors, never a traceback or a hang ------------


def _lexicon_errors(path) -> list[str]:
    return check_lexicon(str(path))


def test_hostile_lexicon_files_get_one_line_errors(tmp_path):
    import os

    cases = {
        "bomb.yaml": "name: x\nversion: 1\nconcepts:\n"
        + 'a0: &a0 ["l","l","l","l","l","l","l","l","l"]\n'
        + "\n".join(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)),
        "deep.yaml": "name: x\nconcepts: " + "[" * 2000 + "]" * 2000 + "\n",
        "version.yaml": "name: x\nversion: " + "9" * 5000 + "\nconcepts: []\n",
        "bigversion.yaml": "name: x\nversion: 99999999999999999999\nconcepts: []\n",
    }
    expected = {
        "bomb.yaml": "expands to more than",
        "deep.yaml": "nested more than 100",
        "version.yaml": "invalid YAML value",
        "bigversion.yaml": "version must be at most",
    }
    for name, text in cases.items():
        (tmp_path / name).write_text(text)
        errors = _lexicon_errors(tmp_path / name)
        assert errors and expected[name] in errors[0], (name, errors)
        assert all("\n" not in e for e in errors)
    os.mkfifo(tmp_path / "pipe.yaml")
    for special in (tmp_path / "pipe.yaml", "/dev/zero"):
        errors = _lexicon_errors(special)  # returns at once: a FIFO or device is never read
        assert errors and "not a regular file" in errors[0]
