"""A small real corpus for the HTML, plot, QDPX and table-export tests (issue 14).

Real texts: the IRISS podcast paragraphs and arts listings of ``tests/fixtures/meaning`` and the GOV.UK
page of ``tests/fixtures/ingest/gov`` (licences in their READMEs). Two documents are written here for the
tests: one whose title and text carry ``<script>``, ``&``, a formula start and a path (``../../evil``),
and one with non-BMP characters (an emoji) before its mentions, so that code point and UTF-16 positions differ.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from .conftest import FIX, run_cli

HOSTILE_TITLE = '../../evil <script>alert("t")</script> & =SUM(A1)'
HOSTILE_TEXT = (
    "Minutes: <script>alert('x')</script> & friends. Co-production is a buzzword, they said, & personal budgets too.\n\n"
    "We talked about co-production with carers and personal budgets with families for a long time.\n"
)
EMOJI_TEXT = (
    "Carers 😀 told us 🎉 that co-production works. The 𝔠𝔬-𝔭𝔯𝔬𝔡𝔲𝔠𝔱𝔦𝔬𝔫 week 😀 was about co-production "
    "and personal budgets. Later, co-production again.\n"
)


def build_corpus(root: Path) -> Path:
    """Write the corpus folder with its MANIFEST.csv (columns file,title,date,source_type,region)."""
    docs = root / "corpus"
    shutil.copytree(FIX / "meaning" / "lay", docs / "lay")
    shutil.copytree(FIX / "meaning" / "press", docs / "press")
    (docs / "gov").mkdir()
    shutil.copy(FIX / "ingest" / "gov" / "care-to-learn.md", docs / "gov" / "care-to-learn.md")
    (docs / "lay" / "hostile.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    (docs / "lay" / "emoji.txt").write_text(EMOJI_TEXT, encoding="utf-8")
    rows = list(csv.DictReader((FIX / "meaning" / "MANIFEST.csv").open(encoding="utf-8")))
    for r in rows:
        r["region"] = "Scotland" if r["source_type"] == "lay" else "UK"
    rows += [
        {
            "file": "gov/care-to-learn.md",
            "title": "Care to Learn",
            "date": "2012-01-25",
            "source_type": "government",
            "region": "England",
        },
        {
            "file": "lay/hostile.txt",
            "title": HOSTILE_TITLE,
            "date": "2013-03-01",
            "source_type": "lay",
            "region": "=cmd|' /C calc'!A0",
        },
        {
            "file": "lay/emoji.txt",
            "title": "Emoji 😀 notes",
            "date": "2019-05-01",
            "source_type": "lay",
            "region": "Scotland",
        },
    ]
    with (docs / "MANIFEST.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["file", "title", "date", "source_type", "region"])
        w.writeheader()
        w.writerows(rows)
    return docs


def build_store(root: Path) -> Path:
    """Ingest :func:`build_corpus` into ``root/c.db`` with the real CLI; return the store path."""
    docs = build_corpus(root)
    db = root / "c.db"
    run_cli("ingest", docs, "--manifest", docs / "MANIFEST.csv", "-j", "1", db=db, check=0)
    return db
