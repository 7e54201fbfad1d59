"""The reproducibility record written beside a full report (``run.json``)."""

from __future__ import annotations

import hashlib
import platform
from importlib import metadata
from pathlib import Path
from typing import Any

from .. import __version__
from ..store import now_iso

LIBRARIES = (
    "spacy",
    "spacy-lookups-data",
    "scikit-learn",
    "numpy",
    "scipy",
    "pdfminer.six",
    "trafilatura",
    "python-docx",
    "charset-normalizer",
    "PyYAML",
    "bertopic",
)


def versions() -> dict[str, str | None]:
    out: dict[str, str | None] = {"discourse": __version__, "python": platform.python_version()}
    for lib in LIBRARIES:
        try:
            out[lib] = metadata.version(lib)
        except metadata.PackageNotFoundError:
            out[lib] = None
    return out


def run_record(
    *,
    store,
    lexicon,
    mention_key: str,
    params: dict[str, Any],
    files: list[Path],
    contexts: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Everything needed to say which corpus, lexicon, code and seeds produced a report.

    ``contexts`` says how mention contexts were taken and embedded (windows, embedder parameters).
    Only ``created_at`` changes between two runs of the same command on the same store.
    """
    rec = {
        "tool": "discourse",
        "created_at": now_iso(),
        "corpus": {
            "store": Path(store.path).name,
            "fingerprint": store.fingerprint(),
            "documents": store.count_documents(),
            "schema_version": store.schema_version,
        },
        "lexicon": {
            "name": lexicon.name,
            "version": lexicon.version,
            "content_hash": lexicon.content_hash,
            "mention_key": mention_key,
        },
        "versions": versions(),
        "parameters": params,
        "seeds": {"bootstrap": params.get("seed", 0), "subsample": params.get("seed", 0), "svd": params.get("seed", 0)},
    }
    if contexts is not None:
        rec["contexts"] = contexts
    rec["files"] = {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in sorted(files)}
    return rec
