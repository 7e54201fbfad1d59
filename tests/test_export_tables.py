"""``discourse export tables``: documents, mentions, every report table and a data dictionary (issue 14)."""

from __future__ import annotations

import csv
import json

import pandas as pd
import pytest

from .conftest import run_cli
from .present_corpus import HOSTILE_TITLE, build_store

TABLE_FILES = ["documents", "mentions", "prominence", "counts", "keyness", "collocates", "trend", "ambiguity"]
FORMULA = ("=", "+", "-", "@", "\t", "\r")
PANDAS_KIND = {"integer": "iu", "number": "fiu", "boolean": "b", "string": "O"}
PANDAS_DTYPE = {"integer": "Int64", "number": "float64", "boolean": "boolean", "string": "string"}


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    root = tmp_path_factory.mktemp("tables")
    db = build_store(root)
    # a metadata column whose *name* starts a formula: the header cell must be neutralised too
    (root / "corpus" / "extra.csv").write_text("file,=x\nlay/emoji.txt,1\n", encoding="utf-8")
    run_cli(
        "ingest",
        root / "corpus" / "lay" / "emoji.txt",
        "--manifest",
        root / "corpus" / "extra.csv",
        "-j",
        "1",
        db=db,
        check=0,
    )
    out = {}
    for fmt in ("csv", "parquet"):
        d = root / f"out-{fmt}"
        p = run_cli("export", "tables", d, "--as", fmt, "--period", "5-year", "--bootstrap", "100", db=db)
        assert p.returncode == 0, p.stderr[-2000:]
        out[fmt] = d
    return root, out


def _dictionary(d, fmt):
    if fmt == "csv":
        return pd.read_csv(d / "data_dictionary.csv", keep_default_na=False)
    return pd.read_parquet(d / "data_dictionary.parquet")


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_every_file_loads_with_the_dictionary_dtypes(exported, fmt):
    _, out = exported
    d = out[fmt]
    assert sorted(p.name for p in d.iterdir()) == sorted(
        [f"{t}.{fmt}" for t in [*TABLE_FILES, "data_dictionary"]] + ["run.json"]
    )
    dic = _dictionary(d, fmt)
    assert list(dic.columns) == ["file", "column", "type", "description"]
    for name in TABLE_FILES:
        df = pd.read_csv(d / f"{name}.csv") if fmt == "csv" else pd.read_parquet(d / f"{name}.parquet")
        rows = dic[dic["file"] == name]
        want = [c if fmt == "parquet" or not c.startswith(FORMULA) else "'" + c for c in rows["column"]]
        assert list(df.columns) == want, name
        types = dict(zip(want, rows["type"], strict=True))
        if fmt == "csv":  # read as a user would, with the dictionary's types: a wrong type fails to cast
            typed = pd.read_csv(d / f"{name}.csv", dtype={c: PANDAS_DTYPE[t] for c, t in types.items()})
            assert [str(typed[c].dtype) for c in want] == [PANDAS_DTYPE[types[c]] for c in want], name
        for col, typ in types.items():
            if df[col].isna().all() or (fmt == "csv" and typ == "string"):
                continue  # all blank (a note says why); CSV text of digits reads as numbers untyped
            ok = PANDAS_KIND[typ] + ("f" if typ == "integer" and df[col].isna().any() else "")
            assert df[col].dtype.kind in ok, (name, col, typ, df[col].dtype)
    docs = pd.read_csv(d / "documents.csv") if fmt == "csv" else pd.read_parquet(d / "documents.parquet")
    assert {"doc_id", "title", "year", "words", "region"} <= set(docs.columns)
    assert docs["words"].dtype.kind == "i" and docs["year"].dtype.kind in "if"
    ment = pd.read_csv(d / "mentions.csv") if fmt == "csv" else pd.read_parquet(d / "mentions.parquet")
    assert ment["start_char"].dtype.kind == "i" and ment["excluded"].dtype.kind == "b"
    assert (
        ment["mention_id"] == ment["doc_id"] + ":" + ment["start_char"].astype(str) + "-" + ment["end_char"].astype(str)
    ).all()
    run = json.loads((d / "run.json").read_text())
    assert run["parameters"]["as"] == fmt and f"documents.{fmt}" in run["files"]


def test_no_csv_text_cell_starts_a_formula(exported):
    _, out = exported
    d = out["csv"]
    seen_title = False
    for f in d.glob("*.csv"):
        with f.open(encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
                for c in row:
                    if c.startswith(FORMULA):
                        float(c)  # only a number (a negative log ratio) may start with '-'
                    seen_title |= c == HOSTILE_TITLE
    assert seen_title  # the hostile title is kept as written (it starts with '.')
    docs = list(csv.DictReader((d / "documents.csv").open(encoding="utf-8")))
    assert "'=x" in docs[0]  # the header cell '=x' neutralised
    assert any(r["region"] == "'=cmd|' /C calc'!A0" for r in docs)


def test_nothing_is_written_outside_the_target(exported):
    root, out = exported
    # ../../evil as a title: file names are fixed, so nothing lands beside or above the folder
    assert not any("evil" in p.name for p in root.rglob("*"))
    assert not (root.parent / "evil").exists() and not (root.parent.parent / "evil").exists()


def test_bad_target_fails_before_work(tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    p = run_cli("export", "tables", f, db=tmp_path / "none.db")
    assert p.returncode == 1 and "not a folder" in p.stderr
