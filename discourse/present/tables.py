"""``discourse export tables DIR [--as csv|parquet]``: everything a statistics package needs, in one folder.

Files (fixed names: no document title or path ever becomes a file name, so
nothing is written outside DIR whatever the corpus holds):

- ``documents``: the selected documents, every stored column and every
  metadata key as a column of its own;
- ``mentions``: every mention in them (kept and excluded) with its
  ``mention_id`` (``doc_id:start-end``, character offsets in code points);
- one file per report table (prominence, counts, keyness, collocates, trend,
  ambiguity), the rows ``discourse report`` prints;
- ``data_dictionary``: one row per file and column with its type
  (``string|integer|number|boolean``) and description;
- ``run.json``: the reproducibility record.

CSV follows the output conventions (:mod:`discourse.report.export`): UTF-8,
``\\n``, a null is an empty field, and no text cell, header cells included,
starts a spreadsheet formula. Parquet columns get the dictionary's types
(nullable integers stay integers). The folder is built beside DIR and moved in
only when every file exists.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from ..errors import DiscourseError, UsageError
from ..report.export import safe_text, write_rows
from ..report.options import TABLES
from ..report.run import run_record
from ..report.tables import Report
from ..store.exports import all_mentions
from ..store.labels import mention_id

TABLE_FORMATS = ("csv", "parquet")
DOC_BASE = [
    "doc_id",
    "path",
    "title",
    "date",
    "year",
    "date_source",
    "source_type",
    "pages",
    "words",
    "ws_words",
    "chars",
    "extractor",
    "extractor_version",
    "ingested_at",
]
MENTION_COLUMNS = [
    "mention_id",
    "doc_id",
    "concept",
    "variant",
    "start_char",
    "end_char",
    "start_token",
    "end_token",
    "page",
    "sent_start",
    "sent_end",
    "excluded",
    "exclude_reason",
]
DICTIONARY_COLUMNS = ["file", "column", "type", "description"]
DOC_DESCRIPTIONS = {
    "doc_id": "document id: the first 16 hex digits of the sha256 of its normalised text",
    "path": "the input the text was kept from",
    "title": "title (manifest, front matter, --title or the file's own metadata)",
    "date": "ISO 8601 date, may be partial (YYYY, YYYY-MM)",
    "year": "year of the date",
    "date_source": "where the date came from (manifest, front-matter, cli, filename, ...)",
    "source_type": "kind of source (government, lay, ...)",
    "pages": "pages (1 for a text without pages)",
    "words": "tokens that are neither punctuation nor whitespace: the denominator of every rate",
    "ws_words": "whitespace-separated words (comparison with other tools only)",
    "chars": "characters (Unicode code points) of the normalised text",
    "extractor": "the extractor that read the input",
    "extractor_version": "its version",
    "ingested_at": "when the document was stored (UTC, ISO 8601)",
}
MENTION_DESCRIPTIONS = {
    "mention_id": "doc_id:start_char-end_char, the id labels, senses and frames use",
    "concept": "concept id of the lexicon",
    "variant": "the matched text as written",
    "start_char": "offset of the first character, in Unicode code points from the start of the text",
    "end_char": "offset just past the last character (code points)",
    "start_token": "index of the first token",
    "end_token": "index just past the last token",
    "page": "1-based page of the start",
    "sent_start": "code-point offset of the stored sentence (capped at +-60 tokens)",
    "sent_end": "code-point offset of the sentence end",
    "excluded": "true if an exclude rule removed the mention (it counts nowhere)",
    "exclude_reason": "the exclude rule's reason",
}


class ExportError(DiscourseError):
    """An export target that cannot be written (exit 1)."""


def check_target(out_dir: str | Path) -> Path:
    """DIR must be a folder or not exist yet, with a writable parent (checked before any work)."""
    from ..report.write import check_output

    check_output(out_dir, directory=True)
    return Path(out_dir)


def document_rows(rep: Report) -> tuple[list[str], list[dict[str, Any]]]:
    """The selected documents with their metadata flattened into columns (``metadata.KEY`` on a clash)."""
    selected = rep.grouped.row_of
    docs = [d for d in rep.store.documents() if d["doc_id"] in selected]
    keys = sorted({k for d in docs for k in (d.get("metadata") or {})})
    names = {k: (f"metadata.{k}" if k in DOC_BASE else k) for k in keys}
    rows = []
    for d in docs:
        meta = d.get("metadata") or {}
        row = {c: d.get(c) for c in DOC_BASE}
        row.update({names[k]: _scalar(meta.get(k)) for k in keys})
        rows.append(row)
    return [*DOC_BASE, *names.values()], rows


def _scalar(v: Any) -> Any:
    return json.dumps(v, ensure_ascii=False, sort_keys=True) if isinstance(v, (list, dict)) else v


def mention_rows(rep: Report) -> list[dict[str, Any]]:
    rows = []
    for m in all_mentions(rep.store, rep.key, list(rep.grouped.row_of)):
        rows.append({"mention_id": mention_id(m["doc_id"], m["start_char"], m["end_char"]), **m})
    return rows


def column_type(values: list[Any]) -> str:
    """string | integer | number | boolean: the narrowest type that holds every non-null value."""
    seen = [v for v in values if v is not None and v != ""]
    if seen and all(isinstance(v, bool) for v in seen):
        return "boolean"
    if seen and all(isinstance(v, int) and not isinstance(v, bool) for v in seen):
        return "integer"
    if seen and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in seen):
        return "number"
    return "string"


def _describe(file: str, column: str) -> str:
    if file == "documents":
        return DOC_DESCRIPTIONS.get(column, "metadata column (manifest, front matter or table row)")
    if file == "mentions":
        return MENTION_DESCRIPTIONS.get(column, "")
    try:  # the column registry of `discourse columns`, where it exists
        from ..report.columns import describe
    except ImportError:  # pragma: no cover
        return ""
    found = describe(file, column)
    return found[1] if found else "a --by column (document metadata)" if column not in ("concept", "period") else ""


def collect(rep: Report) -> dict[str, tuple[list[str], list[dict[str, Any]]]]:
    """file name (no suffix) -> (columns, rows), every report table included."""
    out = {"documents": document_rows(rep), "mentions": (MENTION_COLUMNS, mention_rows(rep))}
    pooled = rep.opts.period.strip() == "all"
    for t in TABLES:
        if t == "trend" and pooled:
            rep.note("trend: not exported with --period all (one pooled period has no trend)")
            continue
        out[t] = (rep.opts.columns(t), rep.table(t))
    return out


def dictionary(files: dict[str, tuple[list[str], list[dict[str, Any]]]]) -> list[dict[str, Any]]:
    rows = []
    for name, (cols, data) in files.items():
        for c in cols:
            rows.append(
                {
                    "file": name,
                    "column": c,
                    "type": column_type([r.get(c) for r in data]),
                    "description": _describe(name, c),
                }
            )
    return rows


def export_tables(rep: Report, out_dir: str | Path, params: dict[str, Any], *, as_: str = "csv") -> list[Path]:
    """Write every file (see the module docstring) into ``out_dir``, all or nothing. Returns the paths."""
    if as_ not in TABLE_FORMATS:
        raise UsageError(f"--as {as_!r} is not one of: {', '.join(TABLE_FORMATS)}")
    out = check_target(out_dir)
    files = collect(rep)
    dic = dictionary(files)
    types = {(d["file"], d["column"]): d["type"] for d in dic}
    files["data_dictionary"] = (DICTIONARY_COLUMNS, dic)
    parent = out.parent if str(out.parent) else Path(".")
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=parent))
    try:
        names = []
        for name, (cols, rows) in files.items():
            fname = f"{name}.{as_}"
            if as_ == "csv":
                _write_csv(tmp / fname, cols, rows)
            else:
                col_types = {c: types.get((name, c), "string") for c in cols}
                _write_parquet(tmp / fname, cols, rows, col_types)
            names.append(fname)
        rec = run_record(
            store=rep.store, lexicon=rep.lexicon, mention_key=rep.key, params=params, files=[tmp / n for n in names]
        )
        (tmp / "run.json").write_text(json.dumps(rec, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        names.append("run.json")
        out.mkdir(exist_ok=True)
        for n in names:
            os.replace(tmp / n, out / n)
        return [out / n for n in names]
    except OSError as exc:
        raise ExportError(f"{out_dir}: cannot be written ({exc.strerror or exc})") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _write_csv(path: Path, cols: list[str], rows: list[dict[str, Any]]) -> None:
    """CSV by the output conventions; header cells neutralised like text cells (a metadata key '=x')."""
    header = [safe_text(c) for c in cols]
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        write_rows(header, ([r.get(c) for c in cols] for r in rows), "csv", fh)


def _write_parquet(path: Path, cols: list[str], rows: list[dict[str, Any]], types: dict[str, str]) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise ExportError("--as parquet needs pyarrow", hint="pip install 'discourse[parquet]'") from None
    arrow = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}
    arrays, fields = [], []
    for c in cols:
        t = types[c]
        vals = [_parquet_value(r.get(c), t) for r in rows]
        arrays.append(pa.array(vals, type=arrow[t]))
        fields.append(pa.field(c, arrow[t]))
    pq.write_table(pa.Table.from_arrays(arrays, schema=pa.schema(fields)), path)


def _parquet_value(v: Any, t: str) -> Any:
    if v is None or (v == "" and t != "string"):
        return None
    if t == "string":
        return v if isinstance(v, str) else json.dumps(v) if isinstance(v, (list, dict)) else str(v)
    if t == "number" and isinstance(v, float) and v != v:
        return None
    return v
