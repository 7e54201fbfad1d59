"""A concept's documentation and validation blocks: ``codebook``, ``precision`` and ``filter``.

.. code-block:: yaml

    codebook:
      definition: >-                 # required: one or two sentences
        ...
      include: ["note with a quoted example (corpus)", ...]   # optional
      exclude: ["...", ...]                                   # optional
    precision:                       # optional: what the concept was validated on
      sample: validation/partnership.csv   # relative to the lexicon file
      n: 160
      yes: 140
      estimate: 0.875                # yes / n, to 3 decimals
      interval: [0.815, 0.918]       # Wilson 95%
      note: "..."
    filter: filters/partnership.json # a trained filter, relative to the lexicon file

``codebook`` and ``precision`` are documentation: they are left out of the
content hash, so editing them never forces a re-match. ``filter`` changes
what is kept, so its path and the SHA-256 of the file's bytes are part of
the hash (:func:`hash_data`).
"""

from __future__ import annotations

import copy
import hashlib
from pathlib import Path
from typing import Any

import yaml

from .fields import _Collector, _list, _mapping, _scalar, _str
from .model import Codebook, Concept, Precision

CODEBOOK_KEYS = {"definition", "include", "exclude"}
PRECISION_KEYS = {"sample", "n", "yes", "estimate", "interval", "note"}
DOC_ONLY_KEYS = ("codebook", "precision")  # concept keys left out of the content hash


def _notes(
    m: dict[str, tuple[yaml.Node, yaml.Node]], key: str, parent: yaml.Node, col: _Collector, what: str
) -> tuple[str, ...]:
    out = []
    for n in _list(m, key, parent, col, not_list=f"{what}: '{key}' must be a list of strings") or ():
        s = _str(n, col, f"{what}: {key} note")
        if s is not None:
            out.append(s)
    return tuple(out)


def read_codebook(node: yaml.Node, col: _Collector, cid: str) -> Codebook | None:
    what = f"concept {cid!r}: codebook"
    m = _mapping(node, col, what, CODEBOOK_KEYS)
    if m is None:
        return None
    if "definition" not in m:
        col.add(node, f"{what}: no 'definition'")
        return None
    definition = _str(m["definition"][1], col, f"{what}: definition")
    include = _notes(m, "include", node, col, what)
    exclude = _notes(m, "exclude", node, col, what)
    if definition is None:
        return None
    return Codebook(definition=definition, include=include, exclude=exclude)


def _number(m: dict[str, tuple[yaml.Node, yaml.Node]], key: str, col: _Collector, what: str, *, integer: bool) -> Any:
    vn = m[key][1]
    v = _scalar(vn) if isinstance(vn, yaml.ScalarNode) else None
    ok = isinstance(v, int) if integer else isinstance(v, (int, float))
    if isinstance(v, bool) or not ok:
        col.add(vn, f"{what}: {key} must be {'an integer' if integer else 'a number'}")
        return None
    return v


def _interval(node: yaml.Node, col: _Collector, what: str) -> tuple[float, float] | None:
    vals = [_scalar(n) for n in node.value] if isinstance(node, yaml.SequenceNode) else []
    if len(vals) != 2 or any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in vals):
        col.add(node, f"{what}: interval must be a list of two numbers [low, high]")
        return None
    lo, hi = float(vals[0]), float(vals[1])
    if not 0.0 <= lo <= hi <= 1.0:
        col.add(node, f"{what}: interval must satisfy 0 <= low <= high <= 1")
        return None
    return lo, hi


def read_precision(node: yaml.Node, col: _Collector, cid: str, base: Path) -> Precision | None:
    what = f"concept {cid!r}: precision"
    m = _mapping(node, col, what, PRECISION_KEYS)
    if m is None:
        return None
    missing = [k for k in ("n", "yes", "estimate", "interval") if k not in m]
    if missing:
        col.add(node, f"{what}: missing {', '.join(missing)}")
        return None
    n = _number(m, "n", col, what, integer=True)
    yes = _number(m, "yes", col, what, integer=True)
    est = _number(m, "estimate", col, what, integer=False)
    interval = _interval(m["interval"][1], col, what)
    sample = _str(m["sample"][1], col, f"{what}: sample") if "sample" in m else ""
    note = _str(m["note"][1], col, f"{what}: note", required=False) if "note" in m else ""
    if n is None or yes is None or est is None or interval is None:
        return None
    if n < 1 or not 0 <= yes <= n:
        col.add(node, f"{what}: need n >= 1 and 0 <= yes <= n (n={n}, yes={yes})")
        return None
    if abs(float(est) - yes / n) > 0.0006:
        col.add(m["estimate"][1], f"{what}: estimate {est} is not yes/n = {yes / n:.3f}")
        return None
    if not interval[0] - 1e-9 <= float(est) <= interval[1] + 1e-9:
        col.add(m["interval"][1], f"{what}: interval {list(interval)} does not contain the estimate {est}")
        return None
    return Precision(
        n=n,
        yes=yes,
        estimate=float(est),
        interval=interval,
        sample=str(base / sample) if sample else "",
        note=note or "",
    )


def read_filter(node: yaml.Node, col: _Collector, cid: str, base: Path) -> tuple[str, str] | None:
    """The filter file's absolute path and the SHA-256 of its bytes."""
    what = f"concept {cid!r}: filter"
    rel = _str(node, col, what)
    if rel is None:
        return None
    path = (base / rel).resolve()
    try:
        raw = path.read_bytes()
    except OSError as e:
        col.add(node, f"{what}: cannot read {rel!r} ({e.strerror or e}; paths are relative to the lexicon file)")
        return None
    return str(path), hashlib.sha256(raw).hexdigest()


def hash_data(data: Any, concepts: list[Concept]) -> Any:
    """The parsed YAML data that the content hash covers: without the
    documentation-only keys (``codebook``, ``precision``), and with each
    ``filter`` path paired with its file's SHA-256. A lexicon without these
    keys hashes exactly as before they existed."""
    if not isinstance(data, dict) or not isinstance(data.get("concepts"), list):
        return data
    sha = {c.id: c.filter_sha256 for c in concepts if c.filter}
    out = dict(data)
    out["concepts"] = []
    for c in data["concepts"]:
        if isinstance(c, dict) and any(k in c for k in (*DOC_ONLY_KEYS, "filter")):
            c = {k: copy.deepcopy(v) for k, v in c.items() if k not in DOC_ONLY_KEYS}
            if "filter" in c:
                c["filter"] = {"path": c["filter"], "sha256": sha.get(str(c.get("id")), "")}
        out["concepts"].append(c)
    return out
