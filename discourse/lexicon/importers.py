"""``discourse lexicon import``: quanteda YAML dictionaries and LIWC ``.dic`` files -> a discourse lexicon.

**quanteda** (``dictionary(file = "x.yml")``, the YAML format of
``quanteda::dictionary``): a mapping of keys to lists of patterns, nested to
any depth. A leaf key becomes a concept; its parent key (the path of parent
keys, joined with ``/``) becomes its family, so siblings compete for share of
voice. Patterns are globs (quanteda's default ``valuetype = "glob"``)::

    economy:
      positive: [growth, "job creation", prosper*]
      negative: [recession, unemploy*]

**LIWC** (``.dic``): a header between two ``%`` lines numbering the
categories (``1<TAB>funct``), then one word per line with its category
numbers (``abandon*<TAB>125<TAB>127``). Each category becomes a concept in
family ``liwc``; a word in several categories is a term of each.

Both: ``word*`` stays a wildcard (discourse needs at least 3 letters before
it). What discourse terms cannot express is left out with a note naming the
entry: ``?`` (one character), ``*`` anywhere but at the end, a leading ``*``,
and LIWC 2015's conditional entries (``like<TAB>(02 134)253``). Characters that
mean alternation in discourse terms (``( ) |``) are also left out. Keys become
ids (lower case, other characters turned into ``-``). The result is loaded
with :func:`discourse.lexicon.load_lexicon` before it is kept, so a written
file always loads.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DiscourseError, UsageError
from ..textio import safe_yaml
from .terms import MIN_PREFIX


class ImportError_(DiscourseError):
    """A dictionary that cannot be read or converted (exit 1)."""


@dataclass
class Imported:
    concepts: int = 0
    terms: int = 0
    notes: list[str] = field(default_factory=list)


_ID_BAD = re.compile(r"[^a-z0-9_-]+")
_ALTERNATION = set("()|")
MAX_BYTES = 20 * 1024 * 1024


def concept_id(key: str) -> str:
    cid = _ID_BAD.sub("-", key.strip().lower()).strip("-_")
    return cid or "concept"


def convert_pattern(pattern: str) -> tuple[str | None, str | None]:
    """(discourse term, None) or (None, why it cannot be expressed)."""
    p = " ".join(str(pattern).split())
    if not p:
        return None, "empty pattern"
    if "?" in p:
        return None, "'?' (one character) has no discourse equivalent"
    if _ALTERNATION & set(p):
        return None, "'(', ')' or '|' would be read as alternation"
    core = p[:-1] if p.endswith("*") else p
    if "*" in core:
        return None, "'*' is only allowed at the end of the last word"
    if p.endswith("*") and len(core.split(" ")[-1]) < MIN_PREFIX:
        return None, f"a wildcard needs at least {MIN_PREFIX} letters before '*'"
    return p, None


def _quanteda(data: Any, notes: list[str]) -> list[tuple[str, str, list[str]]]:
    """(key path, family, patterns) of every leaf key of a quanteda dictionary."""
    out: list[tuple[str, str, list[str]]] = []

    def walk(node: Any, path: list[str]) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, [*path, str(k)])
        elif isinstance(node, list):
            subs = [x for x in node if isinstance(x, dict)]
            pats = [str(x) for x in node if not isinstance(x, (dict, list))]
            if pats:
                out.append(("/".join(path), "/".join(path[:-1]) or "default", pats))
            for s in subs:
                walk(s, path)
        elif node is not None:
            out.append(("/".join(path), "/".join(path[:-1]) or "default", [str(node)]))

    if not isinstance(data, dict):
        raise ImportError_("not a quanteda dictionary: the top level must be a mapping of keys to patterns")
    walk(data, [])
    return out


def _liwc(text: str, notes: list[str]) -> list[tuple[str, str, list[str]]]:
    lines = text.splitlines()
    marks = [i for i, ln in enumerate(lines) if ln.strip() == "%"]
    if len(marks) < 2:
        raise ImportError_("not a LIWC .dic: the category header must sit between two '%' lines")
    cats: dict[str, str] = OrderedDict()
    for ln in lines[marks[0] + 1 : marks[1]]:
        parts = ln.split()
        if len(parts) >= 2:
            cats[parts[0]] = parts[1]
    words: dict[str, list[str]] = OrderedDict((n, []) for n in cats)
    for lineno, ln in enumerate(lines[marks[1] + 1 :], start=marks[1] + 2):
        if not ln.strip():
            continue
        parts = ln.split("\t") if "\t" in ln else ln.split()
        word, nums = parts[0].strip(), [p.strip() for p in parts[1:] if p.strip()]
        for n in nums:
            if n in cats:
                words[n].append(word)
            else:
                notes.append(f"line {lineno}: {word!r} category {n!r} left out (not a numbered category)")
    return [(cats[n], "liwc", ws) for n, ws in words.items()]


def read_dictionary(path: Path, notes: list[str]) -> list[tuple[str, str, list[str]]]:
    from ..errors import DiscourseError as _Err
    from ..textio import read_config_text

    try:
        text = read_config_text(str(path), "a dictionary", MAX_BYTES).lstrip("\ufeff")
    except _Err as exc:
        raise ImportError_(exc.message) from None
    if path.suffix.lower() == ".dic" or text.lstrip().startswith("%"):
        return _liwc(text, notes)
    try:
        data = safe_yaml(text)
    except Exception as exc:  # yaml.YAMLError or the size/alias guard
        raise ImportError_(f"{path}: not a quanteda YAML dictionary ({str(exc).splitlines()[0]})") from None
    return _quanteda(data, notes)


def import_dictionary(src: str | Path, output: str | Path, *, name: str | None = None, force: bool = False) -> Imported:
    """Convert ``src`` and write the lexicon YAML to ``output`` (checked by loading it, then renamed in)."""
    s, out = Path(src), Path(output)
    if out.exists() and not force:
        raise UsageError(f"{output} exists", hint="use --force to overwrite it")
    if not s.is_file():
        raise ImportError_(f"{src}: not a file")
    res = Imported()
    try:
        entries = read_dictionary(s, res.notes)
    except ImportError_ as exc:
        raise ImportError_(f"{src}: {exc.message}") from None
    concepts, seen = [], set()
    owner: dict[str, str] = {}  # lower-cased term -> the concept that has it (discourse counts a word once)
    for key, family, patterns in entries:
        cid = concept_id(key)
        while cid in seen:
            cid += "-2"
        seen.add(cid)
        terms: list[str] = []
        for p in patterns:
            term, why = convert_pattern(p)
            if term is None:
                res.notes.append(f"{key}: {p!r} left out: {why}")
            elif term.lower() in owner and owner[term.lower()] != cid:
                res.notes.append(f"{key}: {p!r} left out: already a term of {owner[term.lower()]} (a word counts once)")
            elif term.lower() not in owner:
                owner[term.lower()] = cid
                terms.append(term)
        if not terms:
            res.notes.append(f"{key}: no pattern left, so no concept")
            continue
        concepts.append({"id": cid, "label": key, "family": family, "terms": terms})
        res.terms += len(terms)
    if not concepts:
        raise ImportError_(f"{src}: no concept could be converted")
    res.concepts = len(concepts)
    doc = {
        "name": name or concept_id(s.stem),
        "version": 1,
        "description": f"Imported from {s.name} by discourse lexicon import.",
        "concepts": concepts,
    }
    _write_checked(out, s.name, doc, res)
    return res


_SHARED = re.compile(r"concept '([^']+)': term '([^']+)' also matches '([^']+)' of concept '([^']+)'")


def _write_checked(out: Path, src_name: str, doc: dict[str, Any], res: Imported, tries: int = 500) -> None:
    """Write ``doc`` beside ``out``, load it, and rename it in. A term whose forms overlap another
    concept's (``co-production`` and ``coproduction``) is dropped with a note and the check re-run."""
    import yaml

    from .loader import check_lexicon

    tmp = out.with_name(f".{out.name}.tmp.yaml")
    try:
        for _ in range(tries):
            body = f"# Converted from {src_name} (discourse lexicon import); read the notes it printed.\n"
            tmp.write_text(body + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100), "utf-8")
            errors = check_lexicon(tmp)
            m = _SHARED.search(errors[0]) if errors else None
            if not errors:
                tmp.replace(out)
                return
            if m is None:
                raise ImportError_(f"{src_name}: the converted lexicon does not load: {errors[0].split(': ', 1)[-1]}")
            cid, term = m.group(1), m.group(2)
            for c in doc["concepts"]:
                if c["id"] == cid and term in c["terms"]:
                    c["terms"].remove(term)
                    res.terms -= 1
                    res.notes.append(
                        f"{c['label']}: {term!r} left out: its forms overlap {m.group(3)!r} of {m.group(4)}"
                    )
            doc["concepts"] = [c for c in doc["concepts"] if c["terms"]]
            res.concepts = len(doc["concepts"])
            if not doc["concepts"]:
                raise ImportError_(f"{src_name}: no concept is left after removing overlapping terms")
        raise ImportError_(f"{src_name}: too many overlapping terms")
    except OSError as exc:
        raise ImportError_(f"{out}: cannot be written ({exc.strerror or exc})") from None
    finally:
        tmp.unlink(missing_ok=True)
