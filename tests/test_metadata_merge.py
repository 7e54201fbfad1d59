"""Issue 15: a manifest elsewhere or a silent re-ingest never erases stored metadata."""

import shutil

import pytest

from discourse.errors import ManifestError
from discourse.ingest import ingest
from discourse.sources import merge_metadata
from discourse.store import Store


def _docs(store):
    return {d["title"]: d for d in store.documents()}


def test_merge_metadata_precedence():
    old = {
        "title": "Care Act guidance",
        "date": "2014-03",
        "year": 2014,
        "date_source": "manifest",
        "source_type": "government",
        "metadata": {"collection": "govuk", "party": "x"},
    }
    # every layer silent: the file-name title, no date, no source type, no metadata
    silent = {
        "title": "care-act",
        "date": None,
        "year": None,
        "date_source": "none",
        "source_type": None,
        "metadata": {},
    }
    assert merge_metadata(old, silent, "/c/care-act.txt") == old
    # a lower layer (the command line) gives a date: the manifest's date stays
    cli = {**silent, "date": "2020", "year": 2020, "date_source": "cli", "source_type": "lay"}
    m = merge_metadata(old, cli, "/c/care-act.txt")
    assert (m["date"], m["date_source"], m["source_type"]) == ("2014-03", "manifest", "lay")
    # an equal or higher layer replaces it; metadata merges key by key
    man = {
        **silent,
        "title": "New title",
        "date": "2015",
        "year": 2015,
        "date_source": "manifest",
        "metadata": {"party": "y"},
    }
    m = merge_metadata(old, man, "/c/care-act.txt")
    assert (m["title"], m["date"], m["metadata"]) == ("New title", "2015", {"collection": "govuk", "party": "y"})


def test_manifest_elsewhere_is_an_error_and_changes_nothing(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(3):
        (corpus / f"d{i}.txt").write_text(f"Co-production document number {i} about care.\n")
    (corpus / "MANIFEST.csv").write_text(
        "file,title,year,source_type,collection\n"
        + "".join(f"d{i}.txt,Doc {i},201{i},government,guides\n" for i in range(3))
    )
    with Store.open(str(tmp_path / "s.db")) as store:
        ingest(store, [str(corpus)], manifest=str(corpus / "MANIFEST.csv"), jobs=1)
        before = _docs(store)
        assert before["Doc 1"]["metadata"] == {"collection": "guides"}
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        shutil.copy(corpus / "MANIFEST.csv", elsewhere / "MANIFEST.csv")
        with pytest.raises(ManifestError, match="relative to the manifest's folder"):
            ingest(store, [str(corpus)], manifest=str(elsewhere / "MANIFEST.csv"), jobs=1)
        assert _docs(store) == before
        # re-ingest with no manifest and no flags: silent, so nothing is erased
        ingest(store, [str(corpus)], jobs=1)
        after = _docs(store)
        for title, d in before.items():
            for k in ("title", "date", "year", "date_source", "source_type", "metadata"):
                assert after[title][k] == d[k], (title, k)


def test_silent_flag_on_reingest_keeps_its_value(tmp_path):
    (tmp_path / "a.txt").write_text("Personal budgets and direct payments.\n")
    with Store.open(str(tmp_path / "s.db")) as store:
        ingest(store, [str(tmp_path / "a.txt")], cli={"source_type": "lay", "date": "2019"}, jobs=1)
        ingest(store, [str(tmp_path / "a.txt")], jobs=1)
        (d,) = store.documents()
    assert (d["source_type"], d["date"], d["date_source"]) == ("lay", "2019", "cli")
