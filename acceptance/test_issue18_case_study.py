"""Issue 18: the case study's write-up quotes exactly what docs/case-study/run.sh prints.

Runs ``docs/case-study/run.sh`` on ``$DISCOURSE_SHARED`` into a temporary folder (senses and the
HTML report off, as they are slow and no checked figure comes from the HTML; the sense figures are
then checked only if present), parses ``figures.txt`` and
checks every figure ``docs/case-study/README.md`` quotes: the rows of its tables whose first cell
is a figure name (with a dot) in backticks, `` | `name` | value | ... ``.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from .conftest import BIN, SHARED, figure

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "docs" / "case-study"
# a figure name has at least one dot (`co-production.lay.count`); the corpus table's names have none
ROW = re.compile(r"^\|\s*`([A-Za-z0-9_\-]+\.[A-Za-z0-9_.\-]+)`\s*\|\s*(.*?)\s*\|")


def quoted_figures(readme: str) -> dict[str, str]:
    """Figure name -> value as quoted in the write-up's tables."""
    out: dict[str, str] = {}
    for line in readme.splitlines():
        m = ROW.match(line)
        if m:
            out[m.group(1)] = m.group(2)
    return out


def parse_figures(text: str) -> dict[str, str]:
    """`name = value` lines of figures.txt."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        if " = " in line:
            name, value = line.split(" = ", 1)
            out[name.strip()] = value.strip()
    return out


def test_quoted_figures_parse() -> None:
    readme = (CASE / "README.md").read_text(encoding="utf-8")
    quoted = quoted_figures(readme)
    assert len(quoted) >= 20, "the write-up should quote its figures in name | value tables"
    assert "co-production.lay.per_10k_adj" in quoted


@pytest.mark.slow
def test_readme_matches_run_sh(tmp_path: Path) -> None:
    env = dict(os.environ)
    env["DISCOURSE_SHARED"] = str(SHARED)
    env["OUT"] = str(tmp_path / "out")
    env.setdefault("CASE_STUDY_SENSES", "0")
    env.setdefault("CASE_STUDY_HTML", "0")
    env.setdefault("DISCOURSE", str(BIN))
    proc = subprocess.run(
        ["bash", str(CASE / "run.sh")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "HEADLINE FIGURES" in proc.stdout
    printed = parse_figures((tmp_path / "out" / "figures.txt").read_text(encoding="utf-8"))
    quoted = quoted_figures((CASE / "README.md").read_text(encoding="utf-8"))
    senses_off = env["CASE_STUDY_SENSES"] == "0"
    mismatches = []
    for name, value in quoted.items():
        if name not in printed and senses_off and name.startswith("senses."):
            continue
        if printed.get(name) != value:
            mismatches.append(f"{name}: README {value!r}, run.sh {printed.get(name)!r}")
    assert not mismatches, "\n".join(mismatches)
    figure(f"issue 18: {len(quoted)} quoted figures match run.sh ({len(printed)} printed)")
