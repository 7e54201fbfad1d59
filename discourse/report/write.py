"""Writing outputs all or nothing: one table to ``-o FILE``, or every table to ``report --all -o DIR``.

- :func:`check_output` is called before any work, so a bad ``-o`` fails at once
  with a one-line error, not after the report has been computed.
- A table goes to a temporary file beside its target and is renamed into place,
  so an interrupted run never leaves a half-written file. Special files
  (``/dev/null``, a FIFO, a terminal) are written directly.
- ``report --all`` computes and writes every table and ``run.json`` into a
  temporary folder beside DIR first. Only when all of them exist are they moved
  into DIR (``run.json`` last); a table that fails leaves DIR as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from ..errors import DiscourseError
from .export import write_rows
from .options import TABLES
from .run import run_record
from .tables import Report


class OutputError(DiscourseError):
    """An ``-o`` target that cannot be written (exit 1)."""


def check_output(path: str | Path, *, directory: bool = False) -> None:
    """Fail early, with a one-line error, if ``path`` cannot be written.

    A file target must not be a folder and its folder must exist and be
    writable; a special file (``/dev/null``) is fine. A ``directory`` target
    must be a folder or not exist yet, with a writable parent.
    """
    p = Path(path)
    hint = "give a path in a folder you can write to"
    try:
        st = p.stat()
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OutputError(f"-o {path}: cannot be written ({exc.strerror or exc})", hint=hint) from None
    if directory:
        if st is not None and not stat.S_ISDIR(st.st_mode):
            raise OutputError(f"-o {path}: exists and is not a folder (--all writes a folder of tables)", hint=hint)
        target = p if st is not None else p.parent
    else:
        if st is not None and stat.S_ISDIR(st.st_mode):
            raise OutputError(f"-o {path}: is a folder; give a file name (or use --all for a folder)", hint=hint)
        if st is not None and not stat.S_ISREG(st.st_mode):
            return  # /dev/null, a FIFO, a terminal: written directly
        target = p.parent
    target = target if str(target) else Path(".")
    if not target.is_dir():
        raise OutputError(f"-o {path}: folder {target} does not exist", hint="create it first")
    try:  # the only sure test of writability (root passes os.access even on /proc): make and drop a file
        fd, probe = tempfile.mkstemp(prefix=".discourse-probe.", dir=target)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise OutputError(f"-o {path}: folder {target} is not writable ({exc.strerror or exc})", hint=hint) from None


def write_file(path: str | Path, write: Callable[[TextIO], Any]) -> Any:
    """Write a text file atomically (temp file beside it, then rename); special files directly."""
    p = Path(path)
    try:
        if p.exists() and not p.is_file():
            with open(p, "w", encoding="utf-8", newline="\n") as fh:
                return write(fh)
        fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent or ".")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                result = write(fh)
            # mkstemp makes the file 0600; give it the mode open() would have (or the replaced file's)
            os.chmod(tmp, stat.S_IMODE(p.stat().st_mode) if p.exists() else 0o666 & ~_umask())
            os.replace(tmp, p)
            return result
        finally:
            Path(tmp).unlink(missing_ok=True)
    except OSError as exc:
        raise OutputError(f"-o {path}: cannot be written ({exc.strerror or exc})") from None


def write_all(report: Report, out_dir: Path, params: dict[str, Any]) -> list[Path]:
    """Write every table and ``run.json`` (with ``params``) to ``out_dir``, all or nothing.

    Returns the paths, ``run.json`` last. With ``--period all`` the trend table
    is skipped with a note (one pooled period has no trend).
    """
    check_output(out_dir, directory=True)
    pooled = report.opts.period.strip() == "all"
    names = [t for t in TABLES if not (t == "trend" and pooled)]
    if pooled:
        report.note("trend: not written with --period all (one pooled period has no trend)")
    parent = out_dir.parent if str(out_dir.parent) else Path(".")
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".tmp", dir=parent))
    try:
        files = []
        for name in names:
            rows = report.table(name)
            path = tmp / f"{name}.csv"
            with open(path, "w", encoding="utf-8", newline="\n") as fh:
                write_rows(report.opts.columns(name), rows, "csv", fh)
            files.append(path)
        rec = run_record(
            store=report.store,
            lexicon=report.lexicon,
            mention_key=report.key,
            params=params,
            files=files,
            contexts=report.context_params(),
        )
        (tmp / "run.json").write_text(json.dumps(rec, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return _move_into(tmp, out_dir, [f.name for f in files])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _move_into(tmp: Path, out_dir: Path, names: list[str]) -> list[Path]:
    """Rename the finished folder into place, or (DIR exists) each file, ``run.json`` last."""
    if not out_dir.exists():
        os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes the folder 0700; give it mkdir's mode
        tmp.rename(out_dir)
        return [out_dir / n for n in [*names, "run.json"]]
    for stale in (f"{t}.csv" for t in TABLES):
        if stale not in names:
            (out_dir / stale).unlink(missing_ok=True)  # a table of an earlier run that this run did not make
    for n in [*names, "run.json"]:
        os.replace(tmp / n, out_dir / n)
    return [out_dir / n for n in [*names, "run.json"]]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
