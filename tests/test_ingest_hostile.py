"""Hostile inputs that crashed or hung a batch: a non-UTF-8 file name and a FIFO."""

import os

from discourse.ingest import ingest
from discourse.store import Store


def test_bad_file_name_and_fifo_get_ledger_rows_and_the_batch_goes_on(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text("Co-production with carers.\n")
    with open(os.path.join(os.fsencode(d), b"bad\xff\xfe.txt"), "wb") as fh:
        fh.write(b"Personal budgets for everyone.\n")
    os.mkfifo(d / "pipe.txt")
    with Store.open(str(tmp_path / "s.db")) as store:
        result = ingest(store, [str(d), str(d / "pipe.txt")], jobs=1)
        ledger = {r.key.rsplit("/", 1)[1]: r for r in store.ledger_rows()}
        assert store.count_documents() == 2
        again = ingest(store, [str(d)], jobs=1)
    assert ledger["bad\\xff\\xfe.txt"].status == "ingested"
    assert ledger["pipe.txt"].status == "skipped" and "FIFO" in ledger["pipe.txt"].reason
    assert not result.failed
    assert sorted(o.status for o in again.outcomes) == ["skipped", "unchanged", "unchanged"]


def _alias_bomb(levels: int = 9) -> str:
    """A "billion laughs" in YAML: nine aliases of nine aliases of ... (9^9 nodes once expanded)."""
    rows = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    rows += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(rows)


def test_front_matter_bomb_bad_date_and_deep_json_warn_or_fail_one_file(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "bomb.txt").write_text(f"---\n{_alias_bomb()}\n---\nCo-production after a bomb.\n")
    (d / "deep.txt").write_text("---\nx: " + "[" * 2000 + "]" * 2000 + "\n---\nCo-production, deep.\n")
    (d / "baddate.txt").write_text("---\ntitle: Bad date\ndate: 2011-02-30\n---\nCo-production.\n")
    rows = '{"text": "x", "a": ' + "[" * 1000 + "]" * 1000 + '}\n{"text": "co-production fine"}\n'
    (tmp_path / "deep.jsonl").write_text(rows)
    with Store.open(str(tmp_path / "s.db")) as store:
        texts = ingest(store, [str(d)], jobs=1)
        table = ingest(store, [str(tmp_path / "deep.jsonl")], jobs=1, text_column="text")
        docs = {r["title"]: r for r in store.documents()}
    # the three texts are ingested; what was wrong in their front matter is a warning
    assert not texts.failed and len(texts.outcomes) == 3
    warnings = " ".join(texts.warnings)
    assert "expands to more than" in warnings and "nested more than 100" in warnings
    assert "cannot parse date '2011-02-30'" in warnings
    assert docs["Bad date"]["date"] is None
    # the over-deep JSON row fails on its own, with its line; the next row goes in
    assert [o.status for o in table.outcomes] == ["failed", "ingested"]
    assert "JSON nested 1001 levels deep" in table.outcomes[0].reason


def test_links_header_only_tables_and_broken_manifests_get_ledger_rows(tmp_path):
    import pytest

    from discourse.errors import ManifestError

    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    (d / "a.txt").write_text("Co-production one.\n")
    (d / "sub" / "b.txt").write_text("Personal budgets.\n")
    os.symlink("loop1", d / "loop2")
    os.symlink("loop2", d / "loop1")
    os.symlink(str(tmp_path / "nowhere.txt"), d / "dangling.txt")
    os.symlink("sub", d / "sub_link")
    (tmp_path / "hdr.csv").write_text("text,title\n")
    with Store.open(str(tmp_path / "s.db")) as store:
        ingest(store, [str(d)], jobs=1)
        ingest(store, [str(tmp_path / "hdr.csv")], jobs=1, text_column="text")
        ledger = {r.key.rsplit("/", 1)[1]: (r.status, r.reason) for r in store.ledger_rows()}
    assert ledger["loop1"] == ledger["loop2"] == ("skipped", "a symbolic link loop")
    assert ledger["dangling.txt"] == ("failed", "broken symbolic link")
    assert ledger["sub_link"][0] == "skipped" and "not followed" in ledger["sub_link"][1]
    assert ledger["hdr.csv"] == ("skipped", "a table with a header but no rows")
    assert ledger["a.txt"][0] == ledger["b.txt"][0] == "ingested"
    # an unbalanced quote in a manifest used to swallow the next rows without a word
    (d / "MANIFEST.csv").write_text('file,title\n"a.txt,Title A\nsub/b.txt,Title B\n')
    with Store.open(str(tmp_path / "s.db")) as store, pytest.raises(ManifestError, match="runs over 2 lines"):
        ingest(store, [str(d)], manifest=str(d / "MANIFEST.csv"), jobs=1)
