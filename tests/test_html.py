"""``discourse report --html``: one self-contained page, escaped, rendered in headless Chromium (issue 14)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import run_cli
from .present_corpus import HOSTILE_TITLE, build_store

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("html")
    db = build_store(root)
    out = root / "report.html"
    p = run_cli("report", "--html", out, "--period", "5-year", "--bootstrap", "200", "--reference", "government", db=db)
    assert p.returncode == 0, p.stderr[-2000:]
    assert f"wrote {out}" in p.stderr
    return out, out.read_text(encoding="utf-8")


def test_page_has_every_section(page):
    _, text = page
    for sid in (
        "overview",
        "prominence",
        "share",
        "dispersion",
        "keyness",
        "collocates",
        "ambiguity",
        "meaning",
        "validation",
        "run",
        "notes",
    ):
        assert f'<section id="{sid}">' in text, sid
    assert text.count("<svg") >= 4  # prominence, share, dispersion, ambiguity
    assert "not validated" in text  # no labels, no precision block
    assert "&quot;content_hash&quot;" in text and "&quot;seed&quot;: 0" in text  # the reproducibility record
    assert "Senses and frames, with KWIC lines" in text and "<table class=kwic>" in text


def test_page_is_self_contained(page):
    _, text = page
    # no script, no external resource of any kind: nothing to fetch, nothing to run
    assert "<script" not in text.replace("&lt;script", "")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", text)
    assert "@import" not in text and not re.search(r"url\((?!#)", text)  # only in-page references
    assert "Content-Security-Policy content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\"" in text
    assert not re.search(r"""href="(?!#|data:)""", text.split("<nav>")[1].split("</nav>")[1])  # in-page links only


def test_corpus_text_is_escaped(page):
    _, text = page
    # the hostile document's text reaches the page (KWIC and frames), only ever escaped
    assert "&lt;script&gt;" in text or "alert(" not in text
    assert "<script>alert" not in text
    assert HOSTILE_TITLE not in text
    # the hostile metadata value reaches the page only as text
    assert "=cmd|" not in text or "=cmd|&#x27;" in text


@pytest.mark.slow
def test_page_renders_in_headless_chromium(page, tmp_path):
    html, _ = page
    png = tmp_path / "shot.png"
    p = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            f"--screenshot={png}",
            "--window-size=1200,3000",
            html.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert png.exists(), p.stderr[-2000:]
    import matplotlib.image as mpimg
    import numpy as np

    img = mpimg.imread(png)[:, :, :3]
    non_white = (img < 0.97).any(axis=2).mean()
    colours = len(np.unique((img * 255).astype(np.uint8).reshape(-1, 3), axis=0))
    assert non_white > 0.03, non_white  # text, tables and figures, not a blank page
    assert colours > 50, colours  # anti-aliased text plus the figures' colours


def test_html_needs_a_writable_file(tmp_path):
    p = run_cli("report", "--html", tmp_path / "no" / "such" / "dir" / "r.html", db=tmp_path / "none.db")
    assert p.returncode == 1
    assert "does not exist" in p.stderr
