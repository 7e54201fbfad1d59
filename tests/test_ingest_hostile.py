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
