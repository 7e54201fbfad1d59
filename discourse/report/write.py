"""``report --all``: every table as ``DIR/<table>.csv``, then ``DIR/run.json``.

Each file is written to a temporary name beside it and renamed into place, so
a reader never sees half a table; ``run.json`` (which hashes the tables) is
written last.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, TextIO

from .export import write_rows
from .options import TABLES
from .run import run_record
from .tables import Report


def write_all(report: Report, out_dir: Path, params: dict[str, Any]) -> list[Path]:
    """Write every table and ``run.json`` (with ``params``) to ``out_dir``; return the paths, run.json last."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files = []
    pooled = report.opts.period.strip() == "all"
    for name in TABLES:
        if name == "trend" and pooled:
            report.note("trend: not written with --period all (one pooled period has no trend)")
            continue
        path = out_dir / f"{name}.csv"
        _write_atomic(path, partial(write_rows, report.opts.columns(name), report.table(name), "csv"))
        files.append(path)
    rec = run_record(
        store=report.store,
        lexicon=report.lexicon,
        mention_key=report.key,
        params=params,
        files=files,
        contexts=report.context_params(),
    )
    run = out_dir / "run.json"
    _write_atomic(run, lambda fh: fh.write(json.dumps(rec, indent=2, ensure_ascii=False) + "\n"))
    return [*files, run]


def _write_atomic(path: Path, write: Callable[[TextIO], Any]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            write(fh)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
