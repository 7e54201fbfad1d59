"""Find the inputs, read the manifest, and resolve each document's metadata.

* :func:`discover` turns command-line paths (files, folders, ``-`` for paths on
  stdin) into sorted, de-duplicated :class:`~discourse.types.Source` objects.
* :func:`read_manifest` reads a manifest CSV keyed by absolute file path.
* :func:`resolve_metadata` merges manifest, front matter, command-line flags, the
  file name and embedded metadata, in that order of precedence.
* :func:`parse_date` and :func:`date_from_filename` read partial ISO dates.

Absolute paths: a path is made absolute and its *folder* has symlinks resolved,
but the file name is kept as given (a symlinked file keeps its own name and
suffix). Manifest keys and discovered paths use the same rule, so they match.
"""

from __future__ import annotations

import csv
import datetime as _dt
import errno
import math
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .errors import ExtractError, ManifestError
from .textio import csv_header, csv_reader, csv_records, decode_bytes, jsonable, utf8_safe
from .types import Source

__all__ = [
    "Resolved",
    "abs_path",
    "date_from_filename",
    "discover",
    "parse_date",
    "read_manifest",
    "resolve_metadata",
]


# --- dates ------------------------------------------------------------------

# greedy \d+ (checked for length afterwards) so "2014-04-111" cannot backtrack to "2014-04"
_ISO = re.compile(r"(\d{4})(?:-(\d+)(?:-(\d+))?)?(?!\d)")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})(?![\d])")
_PDF = re.compile(r"D:(\d{4})(?:(\d{2})(?:(\d{2}))?)?")


def _valid(y: int, m: int | None, d: int | None) -> bool:
    if y < 1000:
        return False
    if m is None:
        return True
    if not 1 <= m <= 12:
        return False
    if d is None:
        return True
    try:
        _dt.date(y, m, d)
    except ValueError:
        return False
    return True


def _fmt(y: int, m: int | None, d: int | None) -> str:
    if m is None:
        return f"{y:04d}"
    if d is None:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}"


def parse_date(value: Any) -> tuple[str, int] | None:
    """A partial ISO date from the start of ``value``: ``(iso, year)`` or ``None``.

    Accepted: ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` at the start of a string,
    followed by the end or a non-digit (so notes and times may follow:
    ``"2011-09 (PDF created 2011-09-14)"`` -> ``("2011-09", 2011)``,
    ``"2013-09-23T10:00:00Z"`` -> ``("2013-09-23", 2013)``); ``YYYYMMDD``;
    PDF dates ``D:YYYYMMDD...``; ``date``/``datetime`` objects; integer years
    (also ``2013.0``). An invalid month or day (``2011-13``, ``2011-02-30``)
    gives ``None``, as does anything else (``"23 September 2013"``, ``"c. 2010"``).
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, _dt.datetime):
        return value.date().isoformat(), value.year
    if isinstance(value, _dt.date):
        return value.isoformat(), value.year
    if isinstance(value, float):
        if not math.isfinite(value) or value != int(value):
            return None
        value = int(value)
    if isinstance(value, int):
        return (f"{value:04d}", value) if 1000 <= value <= 9999 else None
    if not isinstance(value, str):
        return None
    s = value.strip()
    m = _PDF.match(s) or _COMPACT.match(s)
    if m:
        return _from_groups(*m.groups())
    m = _ISO.match(s)
    if not m:
        return None
    if any(g is not None and len(g) > 2 for g in m.groups()[1:]):
        return None
    return _from_groups(*m.groups())


def _from_groups(year: str, month: str | None, day: str | None) -> tuple[str, int] | None:
    """``(iso, year)`` from matched digit groups (month and day optional), if a valid date."""
    y = int(year)
    mo = int(month) if month else None
    d = int(day) if day else None
    return (_fmt(y, mo, d), y) if _valid(y, mo, d) else None


_NAME_YMD = re.compile(r"(?<!\d)((?:19|20)\d{2})([-_]?)(\d{2})\2(\d{2})(?!\d)")
_NAME_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def date_from_filename(name: str) -> str | None:
    """A date in a file name: ``YYYY-MM-DD``, ``YYYY_MM_DD`` or ``YYYYMMDD`` (a
    valid date, same separator twice), else the first standalone year 1900-2099
    (delimited by non-digits: ``UK_1945_Con.txt`` -> ``"1945"``,
    ``Manifesto-GE2024.pdf`` -> ``"2024"``). Only the base name is looked at.

    ``YYYY-MM`` is deliberately not read: in UK file names ``2011-12`` or
    ``2024-25`` is a financial year, not a month.
    """
    base = os.path.basename(name.replace("\\", "/"))
    for m in _NAME_YMD.finditer(base):
        y, mo, d = int(m.group(1)), int(m.group(3)), int(m.group(4))
        if _valid(y, mo, d):
            return _fmt(y, mo, d)
    year = _NAME_YEAR.search(base)
    return year.group(1) if year else None


# --- paths ------------------------------------------------------------------


def abs_path(path: str, base: str | None = None) -> str:
    """Absolute POSIX path: folder symlinks resolved, the file name kept."""
    p = os.path.expanduser(path)
    if base is not None and not os.path.isabs(p):
        p = os.path.join(base, p)
    p = os.path.abspath(p)
    head, tail = os.path.split(p)
    full = os.path.join(os.path.realpath(head), tail) if tail else os.path.realpath(p)
    return full.replace(os.sep, "/") if os.sep != "/" else full


# --- manifest ---------------------------------------------------------------

_FILE_COLUMNS = ("file", "path")


def read_manifest(path: str) -> dict[str, dict[str, str]]:
    """Read a manifest CSV: ``{absolute file path: {column: value}}``.

    The file column is the first column named ``file``, else ``path`` (any case).
    Its values are relative to the manifest's folder (absolute paths stay; ``\\``
    is read as ``/``). Each row's other columns are kept with header names
    stripped, values stripped, and empty values dropped. Encoding is detected as
    for text files (BOM, UTF-16, UTF-8, cp1252); the delimiter is sniffed
    (``,`` ``;`` ``TAB``). Blank rows are skipped.

    Raises :class:`ManifestError` (message ``<file>:<line>: ...``) for an
    unreadable file, no header, no file column, a row with an empty file value or
    more fields than the header, and a file listed twice. Rows naming files that
    do not exist are kept: the caller reports them.
    """
    name = path
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise ManifestError(f"{name}: cannot read manifest ({exc.strerror or exc})") from None
    try:
        text, _enc = decode_bytes(data)
    except ExtractError as exc:
        raise ManifestError(f"{name}: not a CSV file ({exc.message})") from None
    reader = csv_reader(text)
    try:
        header = csv_header(reader)
    except csv.Error as exc:
        raise ManifestError(f"{name}:{reader.line_num}: cannot read CSV ({exc})") from None
    if header is None:
        raise ManifestError(f"{name}: empty manifest (no header row)")
    file_idx = _file_column(name, header, reader.line_num)
    base = os.path.dirname(os.path.abspath(path))
    out: dict[str, dict[str, str]] = {}
    first_line: dict[str, int] = {}
    for rec in csv_records(reader, len(header)):
        line = rec.line
        if rec.csv_error is not None:
            raise ManifestError(f"{name}:{line}: cannot read CSV row ({rec.csv_error})")
        if rec.too_many_fields is not None:
            raise ManifestError(f"{name}:{line}: {rec.too_many_fields}", hint="quote values that contain the delimiter")
        raw = rec.cells[file_idx].strip()
        if not raw:
            raise ManifestError(f"{name}:{line}: empty {header[file_idx]!r} value")
        if "\n" in raw:  # a file name never spans lines: a quote opened here swallowed the rows below
            raise ManifestError(
                f"{name}:{line}: the {header[file_idx]!r} value runs over {raw.count(chr(10)) + 1} lines "
                "(an unbalanced quote swallowed the rows below it)",
                hint='close the quote, or double a quote inside a value ("")',
            )
        key = abs_path(raw.replace("\\", "/"), base)
        if key in out:
            raise ManifestError(f"{name}:{line}: {raw!r} is listed twice (first on line {first_line[key]})")
        first_line[key] = line
        out[key] = {
            h: v.strip()
            for i, (h, v) in enumerate(zip(header, rec.cells, strict=True))
            if i != file_idx and h and v.strip() != ""
        }
    return out


def _file_column(name: str, header: list[str], line: int) -> int:
    """Index of the manifest's file column: the first named ``file``, else ``path``."""
    lowered = [h.lower() for h in header]
    file_idx = next((lowered.index(c) for c in _FILE_COLUMNS if c in lowered), None)
    if file_idx is None:
        cols = ", ".join(repr(h) for h in header)
        raise ManifestError(
            f"{name}:{line}: no 'file' or 'path' column (columns: {cols})",
            hint="name the column that holds each document's path 'file'",
        )
    return file_idx


# --- discovery --------------------------------------------------------------


NOT_REGULAR = "not a regular file (a FIFO, device or socket)"
LINK_LOOP = "a symbolic link loop"
DIR_LINK = "a symbolic link to a folder inside a folder: not followed (give its target as an input to read it)"
#: Reasons that make an input ``skipped`` (it was not opened); any other reason makes it ``failed``.
SKIP_REASONS = frozenset({NOT_REGULAR, LINK_LOOP, DIR_LINK})


def _link_problem(p: str) -> str | None:
    """Why a symbolic link cannot be read as a file: a loop, a dangling link; None otherwise."""
    if not os.path.islink(p) or os.path.exists(p):
        return None
    try:
        os.stat(p)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return LINK_LOOP
    return "broken symbolic link"


def _walk(folder: str, skip: set[str], found: list[str], missing: list[tuple[str, str]]) -> None:
    def onerror(exc: OSError) -> None:
        missing.append((exc.filename or folder, f"cannot read folder: {exc.strerror or exc}"))

    for root, dirs, files in os.walk(folder, onerror=onerror):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for d in dirs:  # os.walk lists folder links but does not descend them: say so
            if os.path.islink(os.path.join(root, d)):
                missing.append((abs_path(os.path.join(root, d)), DIR_LINK))
        for f in sorted(files):
            if f.startswith("."):
                continue
            p = abs_path(os.path.join(root, f))
            if p in skip:
                continue
            if os.path.isfile(p):
                found.append(p)
            elif os.path.exists(p):
                missing.append((p, NOT_REGULAR))
            else:
                missing.append((p, _link_problem(p) or "no such file or directory"))


def discover(
    paths: list[str],
    manifest: str | None = None,
    stdin_lines: Iterable[str] | None = None,
    unmatched: list[str] | None = None,
) -> tuple[list[Source], list[tuple[str, str]]]:
    """Turn input paths into Sources: ``(sources sorted by key, [(path, reason)])``.

    A path may be a file (taken whatever its name or suffix; the extractor decides
    whether it can read it), a folder (walked recursively, skipping hidden files
    and folders, those whose name starts with ``.``), or ``-``: paths one per line
    from ``stdin_lines`` (``sys.stdin`` when ``None``; blank lines skipped; each
    line may itself be a file or folder). The manifest file is never a source.
    Paths that do not exist (or folders that cannot be read) are returned in the
    second list with a reason. Duplicates are dropped.

    With a manifest and no paths, the manifest's files are the inputs. Table
    files are plain file Sources here: the ingester expands them into rows.
    ``unmatched``, if given, receives the absolute paths of the manifest rows that
    match no input (and are not among the missing paths), sorted.
    """
    rows = read_manifest(manifest) if manifest else {}
    skip = {abs_path(manifest)} if manifest else set()
    if not paths and manifest:
        paths = sorted(rows)
    found: list[str] = []
    missing: list[tuple[str, str]] = []

    def add(p: str) -> None:
        if os.path.isdir(p):
            _walk(p, skip, found, missing)
        elif os.path.exists(p) and not os.path.isfile(p):
            missing.append((p, NOT_REGULAR))  # a FIFO would block the reader forever
        elif os.path.exists(p):
            a = abs_path(p)
            if a not in skip:
                found.append(a)
        elif os.path.lexists(p):
            missing.append((p, _link_problem(p) or "broken symbolic link"))
        else:
            missing.append((p, "no such file or directory"))

    used_stdin = False
    for p in paths:
        if p == "-":
            if used_stdin:
                continue
            used_stdin = True
            lines = sys.stdin if stdin_lines is None else stdin_lines
            for line in lines:
                q = line.rstrip("\r\n")
                if q.strip():
                    add(q.strip())
        else:
            add(p)
    keys = sorted(set(found))
    if manifest and rows and keys and not any(k in rows for k in keys):
        folder = os.path.dirname(abs_path(manifest))
        example = next(iter(sorted(rows)))
        raise ManifestError(
            f"{manifest}: none of its {len(rows)} rows matches an input (its file paths are resolved "
            f"relative to the manifest's folder, {folder}: e.g. {example})",
            hint="keep the manifest beside the files it lists, or give paths relative to its folder; "
            "nothing was changed",
        )
    if unmatched is not None and rows:
        matched = set(keys) | {abs_path(p) for p, _ in missing}
        unmatched.extend(k for k in sorted(rows) if k not in matched)
    # The key is what the store records: a file name that is not UTF-8 is kept openable in ``path``
    # and escaped in ``key`` (see discourse.textio.utf8_safe).
    sources = [Source(path=k, key=utf8_safe(k), manifest=dict(rows.get(k, {}))) for k in keys]
    seen: set[str] = set()
    unique_missing = []
    for p, why in missing:
        if p not in seen:
            seen.add(p)
            unique_missing.append((p, why))
    return sources, unique_missing


# --- metadata resolution ----------------------------------------------------

RESERVED = ("title", "date", "year", "source_type")


@dataclass(frozen=True)
class Resolved:
    """A document's metadata after precedence is applied.

    ``date`` is a partial ISO date (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``) or
    ``None``; ``date_source`` says which layer gave it: ``manifest``,
    ``front-matter``, ``cli``, ``filename``, ``pdf-metadata`` (``docx-metadata``,
    ``html-metadata`` for those formats) or ``none``.
    """

    title: str
    date: str | None
    year: int | None
    date_source: str
    source_type: str | None
    metadata: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _get(layer: dict, key: str) -> Any:
    """Case-insensitive lookup; empty strings count as absent."""
    if not layer:
        return None
    for k, v in layer.items():
        if isinstance(k, str) and k.strip().lower() == key:
            if v is None or (isinstance(v, str) and not v.strip()):
                return None
            return v
    return None


def _layer_date(
    layer: dict, label: str, path: str, warnings: list[str], *, with_year: bool = True
) -> tuple[str, int] | None:
    date_v = _get(layer, "date")
    year_v = _get(layer, "year") if with_year else None
    year = parse_date(year_v) if year_v is not None else None
    if year_v is not None and year is None:
        warnings.append(f"{path}: cannot parse year {str(year_v)!r} from {label}; ignored")
    if date_v is not None:
        d = parse_date(date_v)
        if d is not None:
            if year is not None and year[1] != d[1]:
                warnings.append(
                    f"{path}: {label} date {str(date_v)!r} and year {str(year_v)!r} disagree; using the date"
                )
            return d
        if year is not None:
            warnings.append(f"{path}: cannot parse date {str(date_v)!r} from {label}; using its year {year[1]}")
            return str(year[1]), year[1]
        warnings.append(f"{path}: cannot parse date {str(date_v)!r} from {label}; ignored")
        return None
    if year is not None:
        return str(year[1]), year[1]
    return None


def _title(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        value = " ".join(str(v) for v in value)
    s = " ".join(str(value).split())
    return s or None


def resolve_metadata(
    *,
    path: str,
    manifest: dict,
    front_matter: dict,
    cli: dict,
    embedded: dict,
) -> Resolved:
    """Merge metadata layers; highest first: manifest, front matter, ``cli``
    (keys ``title``/``date``/``source_type``), a date in the file name (date
    only), ``embedded`` metadata from the file format (``title``/``date``).

    Per layer, ``date`` wins over ``year``; an unparseable date falls back to the
    same layer's ``year`` with a warning; a layer with only ``year`` gives
    ``"YYYY"``. The title defaults to the file name stem. ``metadata`` holds every
    other manifest and front-matter field (manifest wins on a name clash), made
    JSON-serialisable. ``front_matter["_warnings"]`` (from the text extractor) is
    passed on as warnings. Never raises for bad values: they become warnings
    ``"<path>: ..."``.
    """
    manifest = manifest or {}
    front_matter = dict(front_matter or {})
    cli = cli or {}
    embedded = embedded or {}
    warnings: list[str] = []
    for w in front_matter.pop("_warnings", None) or []:
        warnings.append(f"{path}: {w}")

    date, date_source = _resolve_date(path, (manifest, front_matter, cli), embedded, warnings)
    return Resolved(
        title=_resolve_title(path, (manifest, front_matter, cli, embedded)),
        date=date[0] if date else None,
        year=date[1] if date else None,
        date_source=date_source,
        source_type=_resolve_source_type((manifest, front_matter, cli)),
        metadata=_other_metadata((front_matter, manifest)),
        warnings=warnings,
    )


#: Precedence of the layers a date can come from (higher wins); any ``*-metadata`` ranks 1.
DATE_RANK = {"manifest": 5, "front-matter": 4, "cli": 3, "filename": 2, "none": 0}


def merge_metadata(old: dict[str, Any], new: dict[str, Any], path: str) -> dict[str, Any]:
    """Merge re-resolved fields ``new`` into a stored document ``old``: a silent source never erases.

    - The date (with year and date_source) is replaced only by one from a layer of
      equal or higher precedence (:data:`DATE_RANK`); "none" never replaces a date.
    - ``title`` is replaced unless the new one is only the file-name fallback;
      ``source_type`` unless the new one is empty.
    - ``metadata`` is merged key by key: new values win, keys the new layers do not
      give are kept.
    """
    out = dict(new)
    old_rank = DATE_RANK.get(old.get("date_source") or "none", 1)
    new_rank = DATE_RANK.get(new.get("date_source") or "none", 1)
    if old.get("date") and new_rank < old_rank:
        out.update(date=old["date"], year=old.get("year"), date_source=old["date_source"])
    if old.get("title") and new.get("title") == _resolve_title(path, ()):
        out["title"] = old["title"]
    if old.get("source_type") and not new.get("source_type"):
        out["source_type"] = old["source_type"]
    out["metadata"] = {**(old.get("metadata") or {}), **(new.get("metadata") or {})}
    return out


def _embedded_label(path: str) -> str:
    """The ``date_source`` of a date from the file format's own metadata."""
    suffix = os.path.splitext(path)[1].lower().lstrip(".")
    embedded_label = f"{suffix}-metadata" if suffix in ("pdf", "docx", "html", "htm") else "embedded-metadata"
    if embedded_label == "htm-metadata":
        embedded_label = "html-metadata"
    return embedded_label


def _resolve_title(path: str, layers: tuple[dict, ...]) -> str:
    """The first layer's title, else the file name stem (with ``#row=N`` for a table row)."""
    for layer in layers:
        title = _title(_get(layer, "title"))
        if title:
            return title
    file_part, _, row = path.partition("#row=")
    base = os.path.basename(file_part)
    title = os.path.splitext(base)[0] or base
    return f"{title}#row={row}" if row else title


def _resolve_date(
    path: str, layers: tuple[dict, dict, dict], embedded: dict, warnings: list[str]
) -> tuple[tuple[str, int] | None, str]:
    """``(date, date_source)``: manifest, front matter, command line, file name, embedded."""
    labelled = zip(
        ("manifest", "front-matter", "cli"), layers, ("manifest", "front matter", "the command line"), strict=True
    )
    for source, layer, label in labelled:
        date = _layer_date(layer, label, path, warnings)
        if date:
            return date, source
    from_name = date_from_filename(path.split("#row=", 1)[0])
    if from_name:
        date = parse_date(from_name)
        if date is not None:
            return date, "filename"
    embedded_label = _embedded_label(path)
    date = _layer_date(embedded, embedded_label.replace("-", " "), path, warnings, with_year=False)
    if date:
        return date, embedded_label
    return None, "none"


def _resolve_source_type(layers: tuple[dict, ...]) -> str | None:
    source_type = None
    for layer in layers:
        v = _get(layer, "source_type")
        if v is not None:
            source_type = " ".join(str(v).split()) or None
            if source_type:
                break
    return source_type


def _other_metadata(layers: tuple[dict, ...]) -> dict[str, Any]:
    """Every non-reserved, non-empty field, JSON-serialisable; a later layer wins."""
    metadata: dict[str, Any] = {}
    for layer in layers:
        for k, v in layer.items():
            key = str(k).strip()
            if not key or key.lower() in RESERVED:
                continue
            if v is None or (isinstance(v, str) and not v.strip()):
                continue
            metadata[key] = jsonable(v)
    return metadata
