"""``discourse label``: scripted through the real prompt, in a subprocess fed by a pipe (and a terminal)."""

from __future__ import annotations

import csv
import os
import sys

import pytest

from discourse.lexicon import load_lexicon
from discourse.store import Store
from discourse.validate import draw_sample, read_sample, write_sample

from .conftest import run_cli
from .test_validate import fill_store

# Corpus text with Rich markup look-alikes: they must print as they are, never be read as markup.
TEXT = " ".join(
    f"Para {i}: the [bold]panel[/bold] and [/] carers said co-production [red]works[/] here {i}." for i in range(8)
)


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


@pytest.fixture
def sample(tmp_path, lexicon):
    db = fill_store(tmp_path / "c.db", lexicon, [("d1", "lay", 2015, TEXT)])
    out = tmp_path / "s.csv"
    with Store.open(db) as s:
        write_sample(out, draw_sample(s, lexicon, ["co-production"], 6, window=2, seed=3))
    return db, out


def _rows(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def label(out, db, keys, *args):
    return run_cli("label", out, *args, db=db, input=keys)


def test_labels_scripted_through_the_prompt_are_saved_in_place(sample):
    db, out = sample
    before = _rows(out)
    p = label(out, db, "y\nn\nu\n")  # then the end of input: quit, saved
    assert p.returncode == 0, p.stderr
    after = _rows(out)
    assert [r["label"] for r in after] == ["yes", "no", "unsure", "", "", ""]
    for b, a in zip(before, after, strict=True):  # every other column and the row order as they were
        assert {k: v for k, v in a.items() if k != "label"} == {k: v for k, v in b.items() if k != "label"}
    assert list(after[0]) == list(before[0])
    assert "1/6  co-production" in p.stdout and "3/6  co-production" in p.stdout
    assert "[y]es  [n]o  [u]nsure  [b]ack  [q]uit > y" in p.stdout
    assert "Co-production: People who use services" in p.stdout  # the lexicon's label and description
    assert "codebook: People who use services, carers" in p.stdout  # the concept's codebook beside each mention
    assert "yes if: a service, plan or output" in p.stdout and "no if: film, broadcast, theatre" in p.stdout
    assert "3 of 6 row(s) labelled in column label (3 answered now)" in p.stderr


def test_resume_back_and_quit(sample):
    db, out = sample
    label(out, db, "y\ny\ny\n")
    p = label(out, db, "n\n")  # resumes at the first unlabelled row
    assert "4/6" in p.stdout and "1/6" not in p.stdout
    assert [r["label"] for r in _rows(out)] == ["yes", "yes", "yes", "no", "", ""]
    p = label(out, db, "b\nu\nq\ny\n")  # back to row 4, revise it, return to row 5, quit
    assert [r["label"] for r in _rows(out)] == ["yes", "yes", "yes", "unsure", "", ""]
    assert "current label: no" in p.stdout
    p = label(out, db, "x\nyes\ny\n")  # an unknown key is explained; a line's first character answers
    assert "Press y (yes), n (no), u (unsure), b (back) or q (quit)." in p.stdout
    assert [r["label"] for r in _rows(out)] == ["yes", "yes", "yes", "unsure", "yes", "yes"]
    p = label(out, db, "")
    assert "All 6 row(s) are labelled." in p.stdout and "[q]uit" not in p.stdout


def test_corpus_brackets_are_not_markup_and_the_context_is_wide(sample):
    db, out = sample
    p = label(out, db, "q\n")
    assert p.returncode == 0, p.stderr
    assert "[bold]panel[/bold] and [/] carers said" in p.stdout
    assert "[red]works[/]" in p.stdout
    first = _rows(out)[0]
    assert len(first["left"].split()) == 2  # the file holds 2 words each side; the labeller shows up to 60
    shown = p.stdout.split("\n… ", 1)[1].split(" …", 1)[0]
    assert len(" ".join(shown.split()).split()) > 20


def test_second_coder_column_and_fallback_context(sample, tmp_path):
    db, out = sample
    label(out, db, "y\n")
    p = label(out, db, "n\nn\n", "--coder", "label_b")
    rows = _rows(out)
    assert list(rows[0])[-2:] == ["label", "label_b"]
    assert [r["label"] for r in rows][:2] == ["yes", ""] and [r["label_b"] for r in rows][:2] == ["no", "no"]
    other = tmp_path / "other.db"  # a store without the document: the sample's own line is shown
    Store.open(other).close()
    p = label(out, other, "q\n")
    assert "(context from the sample file)" in p.stdout
    p = run_cli("label", tmp_path / "none.csv", db=db)
    assert p.returncode == 1 and p.stderr.startswith("Error: ") and "none.csv: no such file" in p.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_single_keystrokes_at_a_terminal(sample):
    import pty
    import select

    db, out = sample
    pid, fd = pty.fork()
    if pid == 0:  # the child: discourse label on the terminal
        from .conftest import BIN

        env = {k: v for k, v in os.environ.items() if k != "DISCOURSE_DB"}
        os.execve(str(BIN), [str(BIN), "label", str(out), "--db", str(db)], env)
    seen = b""

    def wait_for(marker: bytes) -> None:
        nonlocal seen
        while marker not in seen:
            ready, _, _ = select.select([fd], [], [], 30)
            assert ready, seen[-500:]
            seen += os.read(fd, 4096)

    wait_for(b"> ")
    os.write(fd, b"n")  # one key, no Enter
    wait_for(b"2/6")
    wait_for(b"> ")
    os.write(fd, b"q")
    try:
        while os.read(fd, 4096):
            pass
    except OSError:
        pass
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert [r["label"] for r in read_sample(out).rows] == ["no", "", "", "", "", ""]
