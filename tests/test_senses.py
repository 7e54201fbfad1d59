"""`discourse senses`: real BERTopic + HDBSCAN on real Iriss.fm paragraphs and arts listings (no mocks)."""

import csv
import io
import json

import pytest

from .conftest import FIX, run_cli

MEANING = FIX / "meaning"
LEXICON = """\
name: meaning-tests
version: 1
concepts:
  - id: co-production
    family: transformation
    terms: [co-produc*]
  - id: personal-budgets
    family: transformation
    terms: [personal budget]
"""
SENSE_COLUMNS = [
    "concept",
    "sense_id",
    "size",
    "share",
    "label",
    "top_terms",
    "example_1",
    "example_2",
    "example_3",
    "by_share",
    "period_share",
]


def _csv(text):
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    d = tmp_path_factory.mktemp("senses")
    (d / "lex.yaml").write_text(LEXICON)
    db = d / "c.db"
    run_cli(
        "ingest", MEANING / "lay", MEANING / "press", "--manifest", MEANING / "MANIFEST.csv", "-j", "1", db=db, check=0
    )
    return db, d / "lex.yaml"


def _senses(store, *args, check=0):
    db, lex = store
    return run_cli("senses", "co-production", "-l", lex, "--min-count", "3", "-f", "csv", *args, db=db, check=check)


@pytest.mark.slow
def test_same_seed_same_bytes_and_every_mention_counted(store):
    a = _senses(store, "--seed", "3", "--period", "5-year")
    b = _senses(store, "--seed", "3", "--period", "5-year")
    assert a.stdout == b.stdout
    rows = _csv(a.stdout)
    assert list(rows[0]) == SENSE_COLUMNS
    lines = _csv(_senses(store, "--seed", "3", "--period", "5-year", "--lines").stdout)
    assert list(lines[0]) == [
        "concept",
        "sense_id",
        "mention_id",
        "doc_id",
        "date",
        "source_type",
        "page",
        "left",
        "match",
        "right",
    ]
    # outliers are a row of their own, never dropped: sizes add up to every mention
    assert sum(int(r["size"]) for r in rows) == len(lines) == 48
    sizes = {r["sense_id"]: int(r["size"]) for r in rows}
    assert sizes["-1"] == sum(ln["sense_id"] == "-1" for ln in lines) > 0
    assert rows[0]["label"] == "outliers" and rows[0]["sense_id"] == "-1"
    assert "5 sense(s), 19 outlier(s)" in a.stderr
    # shares: by --by group and by period, normalised within the group / period
    for r in rows:
        by, per = json.loads(r["by_share"]), json.loads(r["period_share"])
        assert set(by) == {"lay", "press"} and set(per) == {"2010-2014", "2015-2019"}
    assert sum(json.loads(r["by_share"])["lay"] for r in rows) == pytest.approx(1.0, abs=1e-3)


@pytest.mark.slow
def test_arts_coproductions_are_a_sense_of_their_own(store):
    rows = _csv(_senses(store).stdout)
    lines = _csv(_senses(store, "--lines").stdout)
    press = {ln["sense_id"] for ln in lines if ln["source_type"] == "press"}
    lay = {ln["sense_id"] for ln in lines if ln["source_type"] == "lay"}
    assert len(press) == 1 and not (press & lay), (press, lay)
    (arts,) = [r for r in rows if r["sense_id"] in press]
    assert json.loads(arts["by_share"]) == {"lay": 0.0, "press": 1.0}
    assert {"festival", "drama", "radio"} <= set(arts["top_terms"].split(", "))
    assert "[co-production]" in arts["example_1"] or "[co-produced]" in arts["example_1"]
    assert len([r for r in rows if r["sense_id"] != "-1"]) >= 3  # public-service uses split further


@pytest.mark.slow
def test_fewer_mentions_than_min_count_is_header_only(store):
    db, lex = store
    p = run_cli("senses", "personal-budgets", "-l", lex, "-f", "csv", db=db, check=0)
    assert p.stdout.strip() == ",".join(SENSE_COLUMNS)
    assert "fewer than --min-count 5" in p.stderr


@pytest.mark.slow
def test_save_writes_safetensors_and_no_pickle(store, tmp_path):
    # safetensors is not yet in pyproject's [topics] extra: skip (with the reason) where it is missing
    pytest.importorskip("safetensors", reason="--save needs safetensors (pip install safetensors)")
    out = tmp_path / "run"
    p = _senses(store, "--seed", "2", "--save", out)
    files = sorted(str(f.relative_to(out)) for f in out.rglob("*") if f.is_file())
    assert files == [
        "assignments.csv",
        "embedder.json",
        "model/config.json",
        "model/ctfidf.safetensors",
        "model/ctfidf_config.json",
        "model/topic_embeddings.safetensors",
        "model/topics.json",
        "params.json",
    ]
    for f in out.rglob("*"):
        if f.is_file():
            assert not f.read_bytes().startswith(b"\x80"), f"{f} looks like a pickle"
    params = json.loads((out / "params.json").read_text())
    assert params["seed"] == 2 and params["min_count"] == 3 and len(params["lexicon"]["content_hash"]) == 64
    assert {"bertopic", "hdbscan", "scikit-learn", "numpy"} <= set(params["versions"])
    assert json.loads((out / "embedder.json").read_text())["kind"] == "tfidf"
    assign = _csv((out / "assignments.csv").read_text())
    assert len(assign) == 48 and set(assign[0]) == {"mention_id", "doc_id", "sense_id"}
    assert p.stdout == _senses(store, "--seed", "2").stdout  # saving changes nothing in the output
    # a directory holding only what --save writes is overwritten; anything else is refused
    _senses(store, "--seed", "2", "--save", out)
    (out / "notes.txt").write_text("mine")
    bad = _senses(store, "--save", out, check=1)
    assert bad.stderr.splitlines()[0].startswith(f"Error: --save {out}: not empty and holds notes.txt")
    assert (out / "notes.txt").read_text() == "mine"


def test_sentence_transformers_path_is_offline_only(store, tmp_path):
    pytest.importorskip("bertopic")
    try:
        import sentence_transformers  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("sentence-transformers is installed")
    model = tmp_path / "model"
    model.mkdir()
    p = _senses(store, "--embeddings", model, check=1)
    assert p.stderr.splitlines() == [
        f"Error: --embeddings {model}: sentence-transformers is not installed",
        "Hint: pip install sentence-transformers (or use --embeddings tfidf)",
    ]
    p = _senses(store, "--embeddings", tmp_path / "missing", check=2)
    assert "expected 'tfidf' or a local sentence-transformers model directory" in p.stderr


def test_label_and_cells():
    from discourse.senses import kwic_cell, sense_label, shares

    assert sense_label(["people", "young", "young people", "week", "event"]) == "young_people_week_event"
    assert sense_label(["services", "social care", "care", "users"]) == "services_social_care_users"
    assert kwic_cell("a b c", "X", "d e", words=2) == "… b c [X] d e"
    assert shares(["lay", "lay", "gov"], [0, -1, 0], 0) == '{"gov":1.0,"lay":0.5}'
