"""The codebook, precision and filter blocks of a concept: validation, and what the content hash covers."""

from __future__ import annotations

import shutil

import pytest

from discourse.errors import LexiconError
from discourse.lexicon import DEFAULT_LEXICON, check_lexicon, load_lexicon

BASE = "name: x\nconcepts:\n  - id: a\n    terms: [thing]\n"

CODEBOOK = """    codebook:
      definition: Things of the kind.
      include: ['a thing: "the thing here" (corpus)']
      exclude: ['not this: "a thingy" (corpus)']
"""

PRECISION = """    precision:
      sample: validation/a.csv
      n: 100
      yes: 90
      estimate: 0.9
      interval: [0.826, 0.945]
      note: labelled on two corpora
"""


def _write(tmp_path, body: str, name: str = "lex.yaml"):
    p = tmp_path / name
    p.write_text(body)
    return p


def test_codebook_and_precision_are_read(tmp_path):
    lex = load_lexicon(_write(tmp_path, BASE + CODEBOOK + PRECISION))
    c = lex.concept("a")
    assert c.codebook is not None and c.codebook.definition == "Things of the kind."
    assert c.codebook.include == ('a thing: "the thing here" (corpus)',)
    assert c.codebook.exclude == ('not this: "a thingy" (corpus)',)
    p = c.precision
    assert p is not None and (p.n, p.yes, p.estimate, p.interval) == (100, 90, 0.9, (0.826, 0.945))
    assert p.sample == str(tmp_path.resolve() / "validation" / "a.csv")
    assert p.note == "labelled on two corpora"


def test_codebook_and_precision_do_not_change_the_hash(tmp_path):
    plain = load_lexicon(_write(tmp_path, BASE, "a.yaml")).content_hash
    documented = load_lexicon(_write(tmp_path, BASE + CODEBOOK + PRECISION, "b.yaml")).content_hash
    assert documented == plain


def test_filter_path_and_file_content_change_the_hash(tmp_path):
    (tmp_path / "filters").mkdir()
    f = tmp_path / "filters" / "a.json"
    f.write_text('{"v": 1}')
    plain = load_lexicon(_write(tmp_path, BASE, "a.yaml")).content_hash
    lex = load_lexicon(_write(tmp_path, BASE + "    filter: filters/a.json\n", "b.yaml"))
    assert lex.concept("a").filter == str(f.resolve())
    assert lex.content_hash != plain
    f.write_text('{"v": 2}')
    assert load_lexicon(tmp_path / "b.yaml").content_hash not in (plain, lex.content_hash)


@pytest.mark.parametrize(
    ("block", "reason"),
    [
        ("    codebook: just text\n", "concept 'a': codebook must be a mapping"),
        ("    codebook:\n      include: [x]\n", "concept 'a': codebook: no 'definition'"),
        ("    codebook:\n      definition: d\n      include: x\n", "'include' must be a list of strings"),
        ("    codebook:\n      definition: d\n      examples: [x]\n", "codebook: unknown key 'examples'"),
        ("    precision:\n      n: 10\n", "precision: missing yes, estimate, interval"),
        (
            "    precision: {n: 10, yes: 11, estimate: 1.1, interval: [0.5, 1]}\n",
            "need n >= 1 and 0 <= yes <= n",
        ),
        ("    precision: {n: 10, yes: 5, estimate: 0.7, interval: [0.2, 0.8]}\n", "estimate 0.7 is not yes/n = 0.500"),
        ("    precision: {n: 10, yes: 5, estimate: 0.5, interval: [0.6, 0.8]}\n", "does not contain the estimate"),
        ("    precision: {n: ten, yes: 5, estimate: 0.5, interval: [0.2, 0.8]}\n", "precision: n must be an integer"),
        ("    precision: {n: 10, yes: 5, estimate: 0.5, interval: 0.2}\n", "interval must be a list of two numbers"),
        ("    filter: filters/none.json\n", "concept 'a': filter: cannot read 'filters/none.json'"),
    ],
)
def test_bad_blocks_are_one_line_errors_naming_file_and_concept(tmp_path, block, reason):
    p = _write(tmp_path, BASE + block)
    errors = check_lexicon(p)
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"{p}:") and reason in errors[0], errors
    with pytest.raises(LexiconError):
        load_lexicon(p)


def test_every_concept_of_the_shipped_lexicon_has_a_codebook_with_quoted_examples():
    corpora = (
        "iriss_podcasts_2008_2023",
        "nhs_england_leeds_2021_2025",
        "policy_pdfs",
        "govuk_guides_2011_2022",
        "uk_manifestos_1945_2019",
        "uk_immigration_news_2014",
    )
    for c in load_lexicon().concepts:
        cb = c.codebook
        if c.id in {"partnership", "participation", "empowerment", "user-involvement"}:
            assert cb is None or cb.definition, c.id  # their codebooks are written with their labels
            continue
        assert cb is not None, c.id
        assert cb.definition and cb.include and cb.exclude, c.id
        for note in cb.include:
            assert '"' in note and any(k in note for k in corpora), (c.id, note)


def test_shipped_lexicon_copied_with_its_filters_hashes_the_same(tmp_path):
    shutil.copy(DEFAULT_LEXICON, tmp_path / DEFAULT_LEXICON.name)
    if (DEFAULT_LEXICON.parent / "filters").is_dir():
        shutil.copytree(DEFAULT_LEXICON.parent / "filters", tmp_path / "filters")
    assert load_lexicon(tmp_path / DEFAULT_LEXICON.name).content_hash == load_lexicon().content_hash
