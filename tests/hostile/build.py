"""Build the bad-input corpus of issue 16: ``build(folder)`` writes every case and returns the list.

Each :class:`Case` is one input the ingest must survive: its path (relative to the folder, a
``str`` that may carry surrogate escapes for a name that is not UTF-8), its kind, what is wrong
with it, and the ledger statuses it may end with. Good files (small real texts and PDFs copied
from ``tests/fixtures``, licences in the README files there) are mixed in, with the mentions
they must yield. Hostile manifests are separate (one ingest each, since a manifest is per run):
:func:`build_manifests`.

    .venv/bin/python -m tests.hostile.build /tmp/hostile   # writes the corpus, prints the counts
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tests.hostile import others, pdfs

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
ANY = frozenset({"ingested", "no-text", "skipped", "failed", "duplicate"})
BAD = frozenset({"no-text", "skipped", "failed"})
OK = frozenset({"ingested"})


@dataclass(frozen=True)
class Case:
    path: str
    kind: str
    note: str
    expect: frozenset[str] = ANY
    good: bool = False
    rows: int = 1  # ledger rows a table file gives, at least
    terms: dict[str, int] = field(default_factory=dict)  # --term -> mentions in this file (good files)


# Good files: (fixture path, name in the corpus, {term: mentions}) -- the counts were read once from
# `discourse kwic --term T` on these files ingested alone, and checked by eye against the texts.
GOOD = [
    ("text/govuk_benefit_cap_utf8.md", "benefit-cap.md", {"benefit cap": 0}),
    ("text/iriss_independent_living.md", "iriss-independent-living.md", {}),
    ("text/iriss_recruitment_campaign.md", "iriss-recruitment.md", {}),
    ("text/govuk_benefit_cap.docx", "benefit-cap.docx", {}),
    ("ingest/lay/co-production-week-2018.md", "co-production-week.md", {}),
    ("ingest/lay/perceptions-of-social-work-education-and-practice.md", "perceptions.md", {}),
    ("ingest/gov/care-to-learn.md", "care-to-learn.md", {}),
    ("ingest/bad/cp1252-care-to-learn.txt", "care-to-learn-cp1252.txt", {}),
    ("pdf/blood_response_8p.pdf", "blood-response.pdf", {}),
    ("pdf/behaviour_change_response_p1-2.pdf", "behaviour-change.pdf", {}),
    ("pdf/behaviour_change_report_p10_ligatures.pdf", "ligatures.pdf", {}),
    ("pdf/hmrc_risk_triggers_p4.pdf", "hmrc-risk.pdf", {}),
    ("pdf/unmapped_font.pdf", "unmapped-font.pdf", {}),
]
TERMS = ("co-production", "care", "benefit", "social work", "government")


def _write(folder: Path, rel: str, data: bytes) -> None:
    path = os.path.join(os.fsencode(folder), os.fsencode(rel))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data)


def _good(folder: Path) -> list[Case]:
    cases = []
    for src, name, terms in GOOD:
        shutil.copyfile(FIXTURES / src, folder / "good" / name)
        cases.append(Case(f"good/{name}", "good", f"copy of tests/fixtures/{src}", OK, True, terms=terms))
    lay = (FIXTURES / "ingest/lay/building-the-future-shaping-our-social-work-identity.md").read_text()
    body = lay.split("\n---\n", 1)[1]
    half = len(body) // 2
    _write(folder, "good/building-part1-utf16.txt", body[:half].encode("utf-16"))
    _write(folder, "good/building-part2-bom.md", b"\xef\xbb\xbf" + body[half:].encode())
    cases.append(Case("good/building-part1-utf16.txt", "good", "half a transcript in UTF-16 with BOM", OK, True))
    cases.append(Case("good/building-part2-bom.md", "good", "the other half, UTF-8 with BOM", OK, True))
    rows = [s.strip() for s in (FIXTURES / "ingest/gov/care-to-learn.md").read_text().split("\n\n") if len(s) > 60]
    csv = "text,title\n" + "".join(f'"{r.replace(chr(34), chr(34) * 2)}",Row {i}\n' for i, r in enumerate(rows[:3]))
    _write(folder, "good/care-to-learn-rows.csv", csv.encode())
    cases.append(Case("good/care-to-learn-rows.csv", "good", "3 paragraphs as CSV rows", OK, True, rows=3))
    import json

    jl = "".join(json.dumps({"text": r, "n": i}) + "\n" for i, r in enumerate(rows[3:6]))
    _write(folder, "good/care-to-learn-rows.jsonl", jl.encode())
    cases.append(Case("good/care-to-learn-rows.jsonl", "good", "3 paragraphs as JSONL rows", OK, True, rows=3))
    return cases


def _files(folder: Path, kind: str, items, expect: frozenset[str] = ANY) -> list[Case]:
    cases = []
    for item in items:
        name, data, note = item[:3]
        want = frozenset({item[3]}) if len(item) > 3 else expect
        _write(folder, f"{kind}/{name}", data)
        cases.append(Case(f"{kind}/{name}", kind, note, want))
    return cases


def _special(folder: Path) -> list[Case]:
    d = folder / "special"
    d.mkdir()
    (d / "real").mkdir()
    (d / "real" / "inside.txt").write_text("A file inside a linked folder: partnership working.\n")
    out = []
    for name in ("pipe.txt", "pipe.pdf"):
        os.mkfifo(d / name)
        out.append(Case(f"special/{name}", "special", "a FIFO", frozenset({"skipped"})))
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(d / "sock.txt"))
        out.append(Case("special/sock.txt", "special", "a Unix socket", frozenset({"skipped"})))
    finally:
        sock.close()
    links = [
        ("loop-a.txt", "loop-b.txt", "skipped", "a symbolic link loop"),
        ("loop-b.txt", "loop-a.txt", "skipped", "a symbolic link loop"),
        ("self.txt", "self.txt", "skipped", "a link to itself"),
        ("dangling.txt", "/nonexistent/nowhere.txt", "failed", "a dangling link"),
        ("dangling-rel.md", "missing.md", "failed", "a dangling relative link"),
        ("dir-link", "real", "skipped", "a link to a folder"),
        ("zero.txt", "/dev/zero", "skipped", "a link to /dev/zero"),
        ("urandom.pdf", "/dev/urandom", "skipped", "a link to /dev/urandom"),
    ]
    for name, target, status, note in links:
        os.symlink(target, d / name)
        out.append(Case(f"special/{name}", "special", note, frozenset({status})))
    out.append(Case("special/real/inside.txt", "special", "a file beside a folder link", OK))
    return out


ODD_NAMES = [
    b"bad\xff\xfe.txt",
    b"latin1-caf\xe9.md",
    b"\x80\x81lone-continuation.txt",
    b"new\nline.txt",
    b"tab\tname.txt",
    b"-rf.txt",
    b"--help.txt",
    b"=cmd|' -C calc'!A0.txt",
    b"+SUM(1+1).md",
    b"@formula.txt",
    b"-2+3.txt",
    b'quote",comma.txt',
    b"back\\slash.txt",
    b"rtl-\xe2\x80\xaetxt.exe.md",
    b"x" * 240 + b".txt",
    b"sp ace  .txt",
    b" leading-space.txt",
]


def _names(folder: Path) -> list[Case]:
    out = []
    for i, raw in enumerate(ODD_NAMES):
        rel = os.fsdecode(b"names/" + raw)
        _write(folder, rel, f"Co-production under odd name number {i} with personal budgets.\n".encode())
        out.append(Case(rel, "names", f"file name {raw!r}", OK))
    return out


def build(folder: str | os.PathLike) -> list[Case]:
    """Write every case under ``folder`` (which must be empty or absent) and return them."""
    root = Path(folder)
    (root / "good").mkdir(parents=True)
    cases = _good(root)
    cases += _files(root, "pdf", pdfs.malformed())
    cases += _files(root, "pdf-cut", pdfs.cut_fixtures())
    cases += _files(root, "docx", others.docx())
    cases += _files(root, "html", others.html())
    cases += _files(root, "text", others.texts())
    cases += _files(root, "table", others.tables())
    cases += _files(root, "front-matter", others.front_matter())
    cases += _special(root)
    cases += _names(root)
    return [_tighten(c) for c in cases]


# What the issue requires of particular cases (beyond "a ledger row and no traceback").
MUST = {
    "html/deep-300.html": OK,
    "html/deep-1000.html": OK,
    "html/deep-3000.html": OK,
    "html/deep-10000.html": OK,
    "html/deep-100000.html": OK,
    "html/one-line-256kb.html": OK,
    "html/one-line-30720kb.html": frozenset({"failed"}),
    "text/big-text-25mb.txt": frozenset({"failed"}),
    "text/utf16le-nobom.txt": OK,
    "text/utf16be-nobom.txt": OK,
    "docx/xxe-file.docx": OK,
    "docx/zipbomb-300mb.docx": frozenset({"failed"}),
    "docx/laughs-9.docx": frozenset({"failed"}),
    "pdf/pages-1000.pdf": OK,
    "pdf/pages-5000.pdf": OK,
    "pdf/kids-self.pdf": ANY,
    "pdf/no-text.pdf": frozenset({"no-text"}),
    "pdf-cut/empty.pdf": BAD,
    "pdf-cut/scanned-notext.pdf": frozenset({"no-text"}),
}


def _tighten(case: Case) -> Case:
    if case.path in MUST:
        return Case(case.path, case.kind, case.note, MUST[case.path], case.good, case.rows, case.terms)
    if case.kind in ("text", "docx", "html", "pdf", "pdf-cut") and case.path.split("/")[-1].startswith("empty"):
        return Case(case.path, case.kind, case.note, BAD, case.good, case.rows, case.terms)
    return case


@dataclass(frozen=True)
class ManifestCase:
    path: str
    note: str
    error: str | None  # a text the one-line error must contain, or None when the ingest runs


def build_manifests(folder: str | os.PathLike) -> list[ManifestCase]:
    """Hostile manifests beside two small files, in ``folder/manifests``."""
    d = Path(folder) / "manifests"
    d.mkdir(parents=True)
    (d / "a.txt").write_text("Co-production in file a.\n")
    (d / "b.txt").write_text("Personal budgets in file b.\n")
    items = [
        ("unbalanced.csv", b'file,title\n"a.txt,Title A\nb.txt,Title B\n', "an unbalanced quote", "runs over"),
        ("duplicates.csv", b"file,title\na.txt,First\na.txt,Second\nb.txt,B\n", "a file named twice", "listed twice"),
        ("missing.csv", b"file,title\na.txt,A\nnot-there.txt,Gone\nb.txt,B\n", "a row naming a missing file", None),
        ("header-only.csv", b"file,title\n", "a header only", None),
        ("empty.csv", b"", "zero bytes", "empty manifest"),
        ("no-file-column.csv", b"name,title\na.txt,A\n", "no file column", "file"),
        ("binary.csv", bytes(range(256)) * 10, "binary bytes", ""),
        ("formula.csv", b"file,=cmd|' /C calc'!A0\na.txt,=1+1\nb.txt,@x\n", "formula cells and header", None),
        ("ragged.csv", b"file,title\na.txt,A,extra,more\nb.txt\n", "ragged rows", ""),
        ("nul.csv", b"file,title\na.txt,A\x00B\nb.txt,B\n", "a NUL in a cell", ""),
        ("cp1252.csv", "file,title\na.txt,Café £\nb.txt,B\n".encode("cp1252"), "cp1252", ""),
        ("bad-date.csv", b"file,date\na.txt,2011-02-30\nb.txt,99999999999999999999\n", "bad dates", ""),
    ]
    out = []
    for name, data, note, error in items:
        (d / name).write_bytes(data)
        out.append(ManifestCase(f"manifests/{name}", note, error))
    return out


def main(argv: list[str]) -> int:
    cases = build(os.path.join(argv[1], "corpus"))
    build_manifests(argv[1])
    for kind, n in sorted(Counter(c.kind for c in cases).items()):
        print(f"{kind:14} {n}")
    print(f"{'all':14} {len(cases)} ({sum(c.good for c in cases)} good)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
