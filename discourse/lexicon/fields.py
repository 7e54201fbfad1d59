"""Reading YAML nodes with ``file:line`` errors: the field readers shared by
the lexicon loader and its codebook/precision/filter blocks."""

from __future__ import annotations

from typing import Any

import yaml

Fields = dict[str, tuple[yaml.Node, yaml.Node]]  # key -> (key node, value node)

MAX_INT = 10**9  # a version or count larger than this is a typo (or a 5,000-digit attack)


class _Collector:
    def __init__(self, path: str):
        self.path = path
        self.errors: list[tuple[int, str]] = []

    def add(self, node_or_line: yaml.Node | int, reason: str) -> None:
        line = node_or_line if isinstance(node_or_line, int) else _line(node_or_line)
        self.errors.append((line, reason))

    def messages(self) -> list[str]:
        return [f"{self.path}:{ln}: {r}" for ln, r in self.errors]


def _line(node: yaml.Node | None) -> int:
    return node.start_mark.line + 1 if node is not None and node.start_mark else 1


def _scalar(node: yaml.Node) -> Any:
    """Construct a scalar node's Python value (safe types only)."""
    c = yaml.constructor.SafeConstructor()
    return c.construct_object(node, deep=True)


# --------------------------------------------------------------------------
# field readers


def _mapping(node: yaml.Node, col: _Collector, what: str, allowed: set[str]) -> Fields | None:
    """A MappingNode as {key: (key_node, value_node)}; reports duplicates and
    unknown keys. Returns None if ``node`` is not a mapping."""
    if not isinstance(node, yaml.MappingNode):
        col.add(node, f"{what} must be a mapping")
        return None
    out: Fields = {}
    for kn, vn in node.value:
        if not isinstance(kn, yaml.ScalarNode):
            col.add(kn, f"{what}: keys must be plain strings")
            continue
        k = kn.value
        if k in out:
            col.add(kn, f"{what}: duplicate key {k!r}")
            continue
        if k not in allowed:
            col.add(kn, f"{what}: unknown key {k!r} (allowed: {', '.join(sorted(allowed))})")
            continue
        out[k] = (kn, vn)
    return out


def _str(node: yaml.Node, col: _Collector, what: str, required: bool = True) -> str | None:
    """A scalar as a stripped string (numbers are written as strings); None
    if it is not one, or if it is empty and ``required``."""
    if not isinstance(node, yaml.ScalarNode):
        col.add(node, f"{what} must be a string")
        return None
    val = _scalar(node)
    if val is None:
        if required:
            col.add(node, f"{what} is empty")
        return None
    if isinstance(val, bool) or not isinstance(val, (str, int, float)):
        col.add(node, f"{what} must be a string")
        return None
    s = str(val).strip()
    if required and not s:
        col.add(node, f"{what} is empty")
        return None
    return s


def _opt_str(m: Fields, key: str, col: _Collector, what: str, default: str, required: bool = True) -> str:
    """An optional string field; ``default`` when it is absent, empty or invalid."""
    if key not in m:
        return default
    return _str(m[key][1], col, what, required=required) or default


def _opt_bool(m: Fields, key: str, col: _Collector, what: str) -> bool:
    """An optional true/false field; False when it is absent or invalid."""
    if key not in m:
        return False
    vn = m[key][1]
    v = _scalar(vn) if isinstance(vn, yaml.ScalarNode) else None
    if not isinstance(v, bool):
        col.add(vn, f"{what}: {key} must be true or false")
        return False
    return v


def _opt_positive_int(m: Fields, key: str, col: _Collector, default: int) -> int:
    """An optional positive integer field; ``default`` when absent or invalid."""
    if key not in m:
        return default
    vn = m[key][1]
    v = _scalar(vn) if isinstance(vn, yaml.ScalarNode) else None
    if isinstance(v, bool) or not isinstance(v, int) or v < 1:
        col.add(vn, f"{key} must be a positive integer")
        return default
    if v > MAX_INT:
        col.add(vn, f"{key} must be at most {MAX_INT:,}")
        return default
    return v


def _list(
    m: Fields,
    key: str,
    parent: yaml.Node,
    col: _Collector,
    *,
    not_list: str,
    missing: str | None = None,
    empty: str | None = None,
) -> list[yaml.Node] | None:
    """The item nodes of a list field, or None after recording an error.

    ``missing``/``empty`` are the errors for an absent field (reported on
    ``parent``) and for an empty list; without them, either is an empty list.
    """
    if key not in m:
        if missing is not None:
            col.add(parent, missing)
            return None
        return []
    node = m[key][1]
    if not isinstance(node, yaml.SequenceNode):
        col.add(node, not_list)
        return None
    if not node.value and empty is not None:
        col.add(node, empty)
        return None
    return list(node.value)
