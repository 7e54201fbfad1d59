"""``discourse lexicon import``: hand-written quanteda YAML and LIWC .dic dictionaries -> lexicons (issue 14)."""

from __future__ import annotations

from discourse.lexicon import load_lexicon
from discourse.lexicon.importers import concept_id, convert_pattern

from .conftest import run_cli

# The quanteda YAML format (quanteda::dictionary(file = "x.yml")): keys map to lists of glob patterns,
# nested to any depth. Written for this test.
QUANTEDA = """\
care:
  coproduction:
    - co-production
    - coproduc*
    - "working together"
  personalisation:
    - personalis*
    - personal budget*
    - self-direct?d support
economy:
  - recession
  - "*growth"
"""

# The LIWC .dic format: numbered categories between two '%' lines, then word<TAB>category numbers.
# Written for this test (no LIWC dictionary content).
LIWC = """\
%
1\tcare
2\tcontrol
%
carer*\t1
looked after\t1
choice\t1\t2
control*\t2
like\t(02 134)253
budget\t9
"""


def _imported(tmp_path, name, text, *extra):
    src = tmp_path / name
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "out.yaml"
    p = run_cli("lexicon", "import", src, "-o", out, *extra)
    return p, out


def test_quanteda_yaml(tmp_path):
    p, out = _imported(tmp_path, "dict.yml", QUANTEDA)
    assert p.returncode == 0, p.stderr
    lex = load_lexicon(out)
    assert lex.name == "dict"
    assert [(c.id, c.family, c.label) for c in lex.concepts] == [
        ("care-coproduction", "care", "care/coproduction"),
        ("care-personalisation", "care", "care/personalisation"),
        ("economy", "default", "economy"),
    ]
    terms = {c.id: [t.text for t in c.terms] for c in lex.concepts}
    assert terms["care-coproduction"] == ["co-production", "coproduc*", "working together"]
    assert terms["care-personalisation"] == ["personalis*", "personal budget*"]
    assert terms["economy"] == ["recession"]
    # what discourse terms cannot say is left out with a note naming the entry
    assert "'self-direct?d support' left out" in p.stderr and "'*growth' left out" in p.stderr
    assert "wrote" in p.stderr and "3 concepts, 6 terms" in p.stderr
    assert run_cli("lexicon", "check", out).returncode == 0


def test_liwc_dic(tmp_path):
    p, out = _imported(tmp_path, "mini.dic", LIWC, "--name", "mini-liwc")
    assert p.returncode == 0, p.stderr
    lex = load_lexicon(out)
    assert lex.name == "mini-liwc"
    assert {c.id: [t.text for t in c.terms] for c in lex.concepts} == {
        "care": ["carer*", "looked after", "choice"],
        "control": ["control*"],  # a word counts for one concept: the first category keeps it
    }
    assert "'choice' left out: already a term of care" in p.stderr
    assert {c.family for c in lex.concepts} == {"liwc"}
    assert "'like' category '(02 134)253' left out" in p.stderr and "'budget' category '9' left out" in p.stderr


def test_the_imported_lexicon_matches(tmp_path):
    _, out = _imported(tmp_path, "dict.yml", QUANTEDA)
    d = tmp_path / "docs"
    d.mkdir()
    (d / "a.txt").write_text("We believe in co-production. Personal budgets and personalised care matter.\n")
    db = tmp_path / "c.db"
    run_cli("ingest", d, "-j", "1", db=db, check=0)
    k = run_cli("kwic", "care-personalisation", "--lexicon", out, "-f", "csv", db=db, check=0)
    assert "Personal budgets" in k.stdout and "personalised" in k.stdout


def test_errors(tmp_path):
    p, out = _imported(tmp_path, "bad.yml", "- just\n- a list\n")
    assert p.returncode == 1 and "top level must be a mapping" in p.stderr and not out.exists()
    p, _ = _imported(tmp_path, "bad.dic", "no header here\n")
    assert p.returncode == 1 and "'%'" in p.stderr
    out.write_text("keep me")
    p, _ = _imported(tmp_path, "dict.yml", QUANTEDA)
    assert p.returncode == 2 and "--force" in p.stderr and out.read_text() == "keep me"


def test_pattern_rules():
    assert convert_pattern("coproduc*") == ("coproduc*", None)
    assert convert_pattern("co*")[0] is None  # too short before the wildcard
    assert convert_pattern("(a|b)")[0] is None
    assert concept_id("Care / Co-production!") == "care-co-production"
