"""Reading a lexicon file: the YAML walk, validation with ``file:line`` errors, and the content hash.

Validation goes on after an error so that :func:`check_lexicon` can list
every problem in a file at once. Each reader below records its problems in a
:class:`_Collector` and returns ``None`` (or a default) for a value it could
not read.
"""

from __future__ import annotations

import hashlib
import json
import re
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from ..errors import ExtractError, LexiconError
from ..textio import YamlLimitError, check_yaml, read_config_text
from .codebook import hash_data, read_codebook, read_filter, read_precision
from .fields import Fields, _Collector, _line, _list, _mapping, _opt_bool, _opt_positive_int, _opt_str, _str
from .model import DEFAULT_FAMILY, Concept, Exclude, Lexicon, Term
from .patterns import Pattern, compile_pattern
from .terms import compile_term

# The default lexicon ships inside the package (discourse/lexicons is a link
# to the repository's lexicons/ in a source tree). Resolved, so the path
# recorded with results is the file's real location, as it always was.
DEFAULT_LEXICON = Path(str(files("discourse") / "lexicons" / "adult-social-care.yaml")).resolve()
DEFAULT_LEXICON_DIR = DEFAULT_LEXICON.parent

_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]*$")
TOP_KEYS = {"name", "version", "description", "concepts"}
CONCEPT_KEYS = {
    "id",
    "label",
    "family",
    "description",
    "terms",
    "exclude",
    "sources",
    "codebook",
    "precision",
    "filter",
}
TERM_KEYS = {"phrase", "lemma", "context", "unless", "match_case"}
EXCLUDE_KEYS = {"pattern", "reason", "scope"}
CONTEXT_KEYS = {"pattern", "scope"}


def _compiled(text: str, node: yaml.Node, scope: str, col: _Collector, what: str) -> Pattern | None:
    try:
        return compile_pattern(text, _line(node), scope)
    except ValueError as e:
        col.add(node, f"{what}: bad pattern {text!r}: {e}")
        return None


# --------------------------------------------------------------------------
# terms and their context patterns


def _patterns(node: yaml.Node, col: _Collector, what: str) -> tuple[Pattern, ...]:
    """A ``context``/``unless`` value: one pattern or a list of them."""
    nodes = node.value if isinstance(node, yaml.SequenceNode) else [node]
    if isinstance(node, yaml.SequenceNode) and not nodes:
        col.add(node, f"{what}: empty list")
    out = []
    for pn in nodes:
        p = _context_pattern(pn, col, what)
        if p is not None:
            out.append(p)
    return tuple(out)


def _context_pattern(pn: yaml.Node, col: _Collector, what: str) -> Pattern | None:
    """A pattern written as a string or as ``{pattern: ..., scope: ...}``."""
    scope = "sentence"
    if isinstance(pn, yaml.MappingNode):
        m = _mapping(pn, col, what, CONTEXT_KEYS)
        if m is None:
            return None
        if "pattern" not in m:
            col.add(pn, f"{what}: no 'pattern'")
            return None
        scope = _opt_str(m, "scope", col, f"{what}: scope", "sentence")
        pn = m["pattern"][1]
    s = _str(pn, col, what)
    if s is None:
        return None
    return _compiled(s, pn, scope, col, what)


def _term(node: yaml.Node, col: _Collector, cid: str) -> Term | None:
    what = f"concept {cid!r}: term"
    line = _line(node)
    lemma = False
    match_case = False
    context: tuple[Pattern, ...] = ()
    unless: tuple[Pattern, ...] = ()
    if isinstance(node, yaml.ScalarNode):
        text = _str(node, col, what)
    else:
        m = _mapping(node, col, what, TERM_KEYS)
        if m is None:
            return None
        if ("phrase" in m) == ("lemma" in m):
            col.add(node, f"{what}: give exactly one of 'phrase' or 'lemma'")
            return None
        lemma = "lemma" in m
        text = _str(m["lemma" if lemma else "phrase"][1], col, what)
        match_case = _opt_bool(m, "match_case", col, what)
        if match_case and lemma:
            col.add(m["match_case"][1], f"{what}: match_case cannot be combined with lemma")
            match_case = False
        if "context" in m:
            context = _patterns(m["context"][1], col, f"concept {cid!r}: context")
        if "unless" in m:
            unless = _patterns(m["unless"][1], col, f"concept {cid!r}: unless")
    if text is None:
        return None
    try:
        variants, written = compile_term(text, lemma=lemma, match_case=match_case)
    except ValueError as e:
        col.add(line, f"{what} {text!r}: {e}")
        return None
    return Term(
        text=text,
        lemma=lemma,
        match_case=match_case,
        context=context,
        line=line,
        variants=variants,
        written=written,
        unless=unless,
    )


# --------------------------------------------------------------------------
# concepts


def _concept_name(node: yaml.Node) -> str:
    """How to name a concept in errors before its mapping is checked."""
    if isinstance(node, yaml.MappingNode):
        for kn, vn in node.value:
            if isinstance(kn, yaml.ScalarNode) and kn.value == "id" and isinstance(vn, yaml.ScalarNode):
                return f"concept {vn.value!r}"
    return "concept"


def _concept_id(m: Fields, col: _Collector, ids: dict[str, int]) -> tuple[str | None, bool]:
    """The concept's id (None if unreadable) and whether it is valid and new."""
    idn = m["id"][1]
    cid = _str(idn, col, "concept id")
    if cid is None:
        return None, False
    ok = True
    if not _ID_RE.match(cid):
        col.add(idn, f"concept id {cid!r}: use letters, digits, '-' and '_' only")
        ok = False
    if cid in ids:
        col.add(idn, f"duplicate concept id {cid!r} (first on line {ids[cid]})")
        ok = False
    else:
        ids[cid] = _line(idn)
    return cid, ok


def _exclude(node: yaml.Node, col: _Collector, cid: str) -> Exclude | None:
    what = f"concept {cid!r}"
    m = _mapping(node, col, f"{what}: exclude", EXCLUDE_KEYS)
    if m is None:
        return None
    if "pattern" not in m:
        col.add(node, f"{what}: exclude without a 'pattern'")
        return None
    pn = m["pattern"][1]
    text = _str(pn, col, f"{what}: exclude pattern")
    reason = _opt_str(m, "reason", col, f"{what}: exclude reason", "")
    scope = _opt_str(m, "scope", col, f"{what}: exclude scope", "sentence")
    if text is None:
        return None
    pattern = _compiled(text, pn, scope, col, what)
    if pattern is None:
        return None
    return Exclude(pattern=pattern, reason=reason or text, line=_line(node))


def _concept(node: yaml.Node, col: _Collector, ids: dict[str, int], base: Path) -> Concept | None:
    m = _mapping(node, col, _concept_name(node), CONCEPT_KEYS)
    if m is None:
        return None
    if "id" not in m:
        col.add(node, "concept without an 'id'")
        return None
    cid, ok = _concept_id(m, col, ids)
    if cid is None:
        return None
    what = f"concept {cid!r}"
    label = _opt_str(m, "label", col, f"{what}: label", cid)
    family = _opt_str(m, "family", col, f"{what}: family", DEFAULT_FAMILY)
    description = _opt_str(m, "description", col, f"{what}: description", "", required=False)

    terms: list[Term] = []
    term_nodes = _list(
        m,
        "terms",
        node,
        col,
        not_list=f"{what}: 'terms' must be a list",
        missing=f"{what} has no terms",
        empty=f"{what} has no terms",
    )
    if term_nodes is None:
        ok = False
    for n in term_nodes or ():
        t = _term(n, col, cid)
        if t is None:
            ok = False
        else:
            terms.append(t)

    excludes: list[Exclude] = []
    for n in _list(m, "exclude", node, col, not_list=f"{what}: 'exclude' must be a list") or ():
        e = _exclude(n, col, cid)
        if e is not None:
            excludes.append(e)
    sources: list[str] = []
    for n in _list(m, "sources", node, col, not_list=f"{what}: 'sources' must be a list of strings") or ():
        s = _str(n, col, f"{what}: source")
        if s is not None:
            sources.append(s)
    codebook = read_codebook(m["codebook"][1], col, cid) if "codebook" in m else None
    precision = read_precision(m["precision"][1], col, cid, base) if "precision" in m else None
    filt = read_filter(m["filter"][1], col, cid, base) if "filter" in m else None
    if not ok:
        return None
    return Concept(
        id=cid,
        label=label,
        family=family,
        description=description,
        terms=tuple(terms),
        excludes=tuple(excludes),
        sources=tuple(sources),
        line=_line(node),
        codebook=codebook,
        precision=precision,
        filter=filt[0] if filt else None,
        filter_sha256=filt[1] if filt else "",
    )


def _check_shared_terms(concepts: list[Concept], col: _Collector) -> None:
    """The same unconditional variant in two concepts: the second could never
    match (ties go to the first concept), so it is an error."""
    owner: dict[tuple[str, ...], tuple[str, int]] = {}
    for c in concepts:
        for t in c.terms:
            if t.context or t.unless:
                continue
            for v in t.variants:
                key = tuple(x.lower() for x in v)
                if key in owner and owner[key][0] != c.id:
                    oid, oline = owner[key]
                    col.add(
                        t.line,
                        f"concept {c.id!r}: term {t.text!r} also matches "
                        f"{' '.join(v)!r} of concept {oid!r} (line {oline})",
                    )
                    break
                owner.setdefault(key, (c.id, t.line))


# --------------------------------------------------------------------------
# the file


def _yaml_error(e: yaml.YAMLError, label: str) -> str:
    mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
    line = mark.line + 1 if mark is not None else 1
    reason = getattr(e, "problem", None) or str(e).splitlines()[0]
    ctx = getattr(e, "context", None)
    cmark = getattr(e, "context_mark", None)
    if ctx and cmark is not None and cmark.line + 1 != line:
        ctx = f"{ctx} that starts on line {cmark.line + 1}"
    msg = f"invalid YAML: {reason}" + (f" ({ctx})" if ctx else "")
    return f"{label}:{line}: {msg}"


def _read_yaml(path: Path, label: str) -> tuple[yaml.Node, Any] | str:
    """The file's root node and its constructed data, or the error message."""
    try:
        text = read_config_text(str(path), "lexicon")  # no FIFO, device or file over 10 MB
    except ExtractError as e:
        return f"{label}:1: {e.message}"
    try:
        check_yaml(text)  # nesting and alias expansion bounded before anything is built
    except YamlLimitError as e:
        return f"{label}:1: {e}"
    try:
        loader = yaml.SafeLoader(text)
        try:
            root = loader.get_single_node()
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as e:
        return _yaml_error(e, label)
    except (ValueError, RecursionError) as e:  # int("5,000 digits") in the constructor, and the like
        return f"{label}:1: invalid YAML value: {str(e).splitlines()[0][:120]}"
    if root is None:
        return f"{label}:1: empty lexicon file"
    return root, data


def _concepts(top: Fields, root: yaml.Node, col: _Collector, base: Path) -> list[Concept]:
    nodes = _list(
        top,
        "concepts",
        root,
        col,
        not_list="'concepts' must be a list",
        missing="no 'concepts' list",
        empty="'concepts' is empty",
    )
    concepts: list[Concept] = []
    ids: dict[str, int] = {}
    for n in nodes or ():
        c = _concept(n, col, ids, base)
        if c is not None:
            concepts.append(c)
    _check_shared_terms(concepts, col)
    return concepts


def _parse(path: Path, label: str) -> tuple[Lexicon | None, list[str]]:
    """Parse and validate; returns (lexicon or None, error messages)."""
    read = _read_yaml(path, label)
    if isinstance(read, str):
        return None, [read]
    root, data = read
    col = _Collector(label)
    top = _mapping(root, col, "lexicon", TOP_KEYS)
    if top is None:
        return None, col.messages()
    name = _opt_str(top, "name", col, "name", path.stem)
    version = _opt_positive_int(top, "version", col, 1)
    description = _opt_str(top, "description", col, "description", "", required=False)
    concepts = _concepts(top, root, col, path.resolve().parent)
    col.errors.sort(key=lambda e: e[0])
    if col.errors:
        return None, col.messages()
    canon = json.dumps(
        hash_data(data, concepts), sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    lex = Lexicon(
        name=name,
        version=version,
        path=str(path),
        concepts=tuple(concepts),
        content_hash=hashlib.sha256(canon.encode("utf-8")).hexdigest(),
        description=description,
        canonical_json=canon,
    )
    return lex, []


def _resolve(path: str | Path | None) -> Path:
    return DEFAULT_LEXICON if path is None else Path(path)


def check_lexicon(path: str | Path | None = None) -> list[str]:
    """Every problem in a lexicon file, each ``"file:line: reason"``, sorted by
    line. An empty list means the file loads."""
    p = _resolve(path)
    _, errors = _parse(p, str(p))
    return errors


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """Load and validate a lexicon (None: the shipped default). Raises
    :class:`LexiconError` with the first problem (``file:line: reason``)."""
    p = _resolve(path)
    lex, errors = _parse(p, str(p))
    if errors:
        hint = f"{len(errors)} problems in this file in all" if len(errors) > 1 else None
        raise LexiconError(errors[0], hint=hint)
    assert lex is not None
    return lex
