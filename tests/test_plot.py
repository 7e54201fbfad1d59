"""``discourse plot``: matplotlib figures from the report rows, with intervals and a caption (issue 14)."""

from __future__ import annotations

import pytest

from .conftest import run_cli
from .present_corpus import build_store


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("plot"))


def _svg(db, tmp_path, kind, *args):
    out = tmp_path / f"{kind}.svg"
    p = run_cli("plot", kind, "-o", out, "--bootstrap", "200", *args, db=db)
    assert p.returncode == 0, p.stderr[-2000:]
    return out.read_text(encoding="utf-8")


def test_prominence_svg_has_intervals_axes_and_caption(db, tmp_path):
    svg = _svg(
        db, tmp_path, "prominence", "--period", "5-year", "--where", "source_type=lay", "--where", "source_type=press"
    )
    assert svg.startswith("<?xml") and "<svg" in svg
    # the caption names corpus, lexicon and filters
    assert "Corpus: c.db" in svg and "lexicon: adult-social-care" in svg
    assert "where: source_type=lay AND source_type=press" in svg and "period: 5-year" in svg
    assert "per 10k words" in svg and "95% document-bootstrap interval" in svg
    assert "co-production" in svg  # the legend
    assert "PolyCollection" in svg or "fill_between" in svg or 'id="PolyCollection' in svg  # the interval bands


def test_same_rows_give_the_same_svg(db, tmp_path):
    a = _svg(db, tmp_path, "dispersion", "--period", "all")
    b = _svg(db, tmp_path, "dispersion", "--period", "all")
    assert a == b
    assert "DP norm" in a


def test_share_trend_and_ambiguity(db, tmp_path):
    assert "Share of voice within each concept family" in _svg(db, tmp_path, "share", "--period", "5-year")
    assert "Sen" in _svg(db, tmp_path, "trend", "--period", "year")
    assert "average pairwise distance" in _svg(db, tmp_path, "ambiguity", "--period", "all")


def test_png_and_pdf(db, tmp_path):
    png, pdf = tmp_path / "p.png", tmp_path / "p.pdf"
    run_cli("plot", "prominence", "-o", png, "--bootstrap", "100", db=db, check=0)
    run_cli("plot", "prominence", "-o", pdf, "--bootstrap", "100", db=db, check=0)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert pdf.read_bytes()[:5] == b"%PDF-"
    import matplotlib.image as mpimg

    img = mpimg.imread(png)[:, :, :3]
    assert (img < 0.9).any(axis=2).mean() > 0.01  # lines, text and axes drawn


@pytest.mark.slow
def test_senses_plot(db, tmp_path):
    svg = _svg(db, tmp_path, "senses", "--concepts", "co-production", "--period", "all")
    assert "Senses: mention clusters" in svg and "co-production" in svg


def test_bad_suffix_and_pooled_trend_are_usage_errors(db, tmp_path):
    p = run_cli("plot", "prominence", "-o", tmp_path / "x.gif", db=db)
    assert p.returncode == 2 and ".svg, .png or .pdf" in p.stderr
    p = run_cli("plot", "trend", "--period", "all", "-o", tmp_path / "t.svg", db=db)
    assert p.returncode == 2 and "more than one period" in p.stderr
    assert not (tmp_path / "t.svg").exists()
