"""Figures drawn from report rows with matplotlib (Agg backend, imported lazily).

Each ``*_figure`` function takes the rows of one report table (dicts keyed by
the columns of :data:`discourse.report.options.TABLE_COLUMNS`), the ``--by``
columns and a caption, and returns a matplotlib ``Figure``. Intervals are drawn
wherever the table has them: shaded bands for ``per_10k_low..per_10k_high`` and
``apd_low..apd_high``. A blank cell (``None``) is never drawn as zero: the line
breaks there. The caption names the corpus, the lexicon and the filters.
"""

from __future__ import annotations

import io
import math
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import DiscourseError

PLOTS = ("prominence", "share", "trend", "dispersion", "ambiguity", "senses")
PLOT_FORMATS = ("svg", "png", "pdf")
#: The table each plot is drawn from.
PLOT_TABLE = {
    "prominence": "prominence",
    "share": "prominence",
    "dispersion": "prominence",
    "trend": "trend",
    "ambiguity": "ambiguity",
    "senses": "senses",
}
MAX_LINES = 8  # concepts per panel: the most mentioned ones (the caption says when some are left out)
MAX_PANELS = 12
PANEL_W, PANEL_H = 5.2, 3.2


class PlotError(DiscourseError):
    """matplotlib missing, or a figure that cannot be written (exit 1)."""


def pyplot():
    """matplotlib.pyplot on the Agg backend; a one-line error if the ``plots`` extra is missing."""
    try:
        import matplotlib
    except ImportError:
        raise PlotError("plots and the HTML report need matplotlib", hint="pip install 'discourse[plots]'") from None
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "text.parse_math": False,  # a '$' in a group name is text, not TeX
            "svg.fonttype": "none",  # text stays text in SVG (escaped by matplotlib), and small
            "svg.hashsalt": "discourse",  # stable ids: the same rows give the same SVG
            "font.size": 9,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    return plt


def _num(v: Any) -> float | None:
    if v is None or v == "":
        return None
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) or math.isinf(x) else x


def group_label(row: dict[str, Any], by: Sequence[str]) -> str:
    return " / ".join(str(row.get(c) if row.get(c) not in (None, "") else "(none)") for c in by)


def _periods(rows: Sequence[dict[str, Any]]) -> list[str]:
    return sorted({str(r["period"]) for r in rows if r.get("period") is not None})


def top_concepts(rows: Sequence[dict[str, Any]], limit: int = MAX_LINES, key: str = "count") -> list[str]:
    """Concepts with any ``key`` > 0, most first (ties in table order), at most ``limit``."""
    total: dict[str, float] = defaultdict(float)
    order: list[str] = []
    for r in rows:
        c = r["concept"]
        if c not in total:
            order.append(c)
        total[c] += _num(r.get(key)) or 0.0
    kept = [c for c in order if total[c] > 0]
    return sorted(kept, key=lambda c: (-total[c], order.index(c)))[:limit]


def _grid(plt, n: int, *, sharey: bool = False):
    n = max(1, min(n, MAX_PANELS))
    cols = 1 if n == 1 else 2
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(PANEL_W * cols, PANEL_H * rows + 0.7), squeeze=False, sharey=sharey)
    flat = list(axes.flat)
    for ax in flat[n:]:
        ax.set_visible(False)
    return fig, flat[:n]


def _finish(fig, caption: str, title: str) -> Any:
    """Title at the top left, the caption wrapped below the axes with room kept for it."""
    import textwrap

    w, h = fig.get_size_inches()
    lines = textwrap.wrap(caption, width=max(40, int(w / 0.052)))  # ~0.052 in per character at 7 pt
    fig.suptitle(title, fontsize=11, x=0.01, ha="left")
    fig.text(0.01, 0.01, "\n".join(lines), fontsize=7, color="#444444", ha="left", va="bottom")
    bottom = min(0.45, (0.14 * len(lines) + 0.08) / h)
    fig.tight_layout(rect=(0, bottom, 1, 1 - 0.35 / h))
    return fig


def _by_group(rows: Sequence[dict[str, Any]], by: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        out.setdefault(group_label(r, by), []).append(r)
    return out


def _series(rows, concept, periods, key, low=None, high=None):
    at = {str(r["period"]): r for r in rows if r["concept"] == concept}
    ys = [_num(at[p].get(key)) if p in at else None for p in periods]
    lo = [_num(at[p].get(low)) if low and p in at else None for p in periods]
    hi = [_num(at[p].get(high)) if high and p in at else None for p in periods]
    return ys, lo, hi


def _nan(xs):
    return [float("nan") if x is None else x for x in xs]


def _line_panels(plt, rows, by, key, low, high, ylabel, caption, title, count_key="count"):
    groups = _by_group(rows, by)
    periods = _periods(rows)
    concepts = top_concepts(rows, key=count_key)
    fig, axes = _grid(plt, len(groups), sharey=True)
    colours = {c: f"C{i % 10}" for i, c in enumerate(concepts)}
    for ax, (g, grows) in zip(axes, groups.items(), strict=False):
        x = list(range(len(periods)))
        for c in concepts:
            ys, lo, hi = _series(grows, c, periods, key, low, high)
            ax.plot(x, _nan(ys), marker="o", ms=3, lw=1.4, color=colours[c], label=c)
            if low and any(v is not None for v in lo):
                ax.fill_between(x, _nan(lo), _nan(hi), color=colours[c], alpha=0.15, lw=0)
        ax.set_title(g, fontsize=9, loc="left")
        _period_axis(ax, periods)
        ax.set_ylabel(ylabel)
    if concepts:
        axes[0].legend(fontsize=7, loc="upper left", framealpha=0.85, edgecolor="none")
    left_out = len({r["concept"] for r in rows}) - len(concepts)
    if left_out > 0:
        caption += f" Concepts with no mentions or beyond the {MAX_LINES} most mentioned are not drawn ({left_out})."
    return _finish(fig, caption, title)


def _period_axis(ax, periods: list[str]) -> None:
    step = max(1, math.ceil(len(periods) / 12))
    ax.set_xticks(range(0, len(periods), step))
    ax.set_xticklabels(periods[::step], rotation=45 if len(periods) > 6 or any(len(p) > 5 for p in periods) else 0)
    ax.set_xlim(-0.5, max(0.5, len(periods) - 0.5))
    ax.set_xlabel("period")


def prominence_figure(rows, by, caption):
    """Mentions per 10,000 words by period, one panel per group, 95% bootstrap bands."""
    plt = pyplot()
    title = "Prominence: mentions per 10,000 words (shaded: 95% document-bootstrap interval)"
    return _line_panels(plt, rows, by, "per_10k", "per_10k_low", "per_10k_high", "per 10k words", caption, title)


def ambiguity_figure(rows, by, caption):
    """Average pairwise distance of contexts (apd) by period, with its subsampling interval."""
    plt = pyplot()
    title = "Ambiguity: average pairwise distance of contexts (shaded: 95% interval over subsamples)"
    return _line_panels(plt, rows, by, "apd", "apd_low", "apd_high", "apd", caption, title, count_key="mentions")


def share_figure(rows, by, caption, families: dict[str, list[str]]):
    """Share of voice within each family: stacked areas by period, one panel per family x group."""
    plt = pyplot()
    periods = _periods(rows)
    groups = _by_group(rows, by)

    def has(f: str, g: str) -> bool:
        return any((_num(r.get("count")) or 0) > 0 for r in groups[g] if r["concept"] in families[f])

    panels = [(f, g) for f, members in families.items() if len(members) > 1 for g in groups if has(f, g)]
    fig, axes = _grid(plt, len(panels), sharey=True)
    if not panels:
        axes[0].set_axis_off()
        axes[0].text(0.5, 0.5, "No family of two or more concepts is mentioned here.", ha="center", va="center")
    for ax, (fam, g) in zip(axes, panels, strict=False):
        members = families[fam]
        x = list(range(len(periods)))
        stack = [[v or 0.0 for v in _series(groups[g], c, periods, "share_of_voice")[0]] for c in members]
        colours = [f"C{i % 10}" for i in range(len(members))]
        ax.stackplot(x, stack, labels=members, colors=colours, alpha=0.85, step="mid")  # one block per period
        empty = [i for i in x if not any(s[i] for s in stack)]
        for i in empty:
            ax.axvspan(i - 0.5, i + 0.5, color="#eeeeee", lw=0)
        ax.set_ylim(0, 1)
        ax.set_title(f"{fam} — {g}", fontsize=9, loc="left")
        ax.set_ylabel("share of family mentions")
        _period_axis(ax, periods)
        ax.legend(fontsize=6, loc="upper left", ncol=2, framealpha=0.85, edgecolor="none")
    if len(panels) > MAX_PANELS:
        caption += f" First {MAX_PANELS} of {len(panels)} panels."
    caption += " Grey: no mention of the family in that period. Panels with no mention at all are left out."
    return _finish(fig, caption, "Share of voice within each concept family")


def dispersion_figure(rows, by, caption):
    """Gries' DP (normalised) per concept and cell as a heat map; grey where blank (fewer than 2 documents)."""
    plt = pyplot()
    concepts = list(dict.fromkeys(r["concept"] for r in rows))
    cols = list(dict.fromkeys(f"{group_label(r, by)} {r['period']}" for r in rows))
    grid = [[float("nan")] * len(cols) for _ in concepts]
    for r in rows:
        v = _num(r.get("dp_norm")) if (_num(r.get("count")) or 0) > 0 else None
        if v is not None:
            grid[concepts.index(r["concept"])][cols.index(f"{group_label(r, by)} {r['period']}")] = v
    fig, ax = plt.subplots(figsize=(min(16, max(7.0, 3.5 + 0.35 * len(cols))), 2.5 + 0.3 * len(concepts)))
    cmap = plt.get_cmap("viridis_r").copy()
    cmap.set_bad("#dddddd")
    import numpy as np

    # pcolormesh: vector cells (imshow would embed a raster that a browser blurs when it scales it)
    im = ax.pcolormesh(np.ma.masked_invalid(np.array(grid)), cmap=cmap, vmin=0, vmax=1, edgecolors="white", lw=0.5)
    ax.set_facecolor("#dddddd")
    ax.invert_yaxis()
    ax.set_yticks([i + 0.5 for i in range(len(concepts))], concepts)
    ax.set_xticks([i + 0.5 for i in range(len(cols))], cols, rotation=60, ha="right", fontsize=7)
    fig.colorbar(im, ax=ax, label="DP norm (0 even, 1 in one document)")
    caption += " Grey: no mentions, or fewer than 2 documents in the cell."
    return _finish(fig, caption, "Dispersion across documents (Gries' DP, normalised)")


def trend_figure(rows, by, caption):
    """Sen's slope of per-10k rates per concept and group; filled where the Mann-Kendall p < 0.05."""
    plt = pyplot()
    groups = _by_group(rows, by)
    fig, axes = _grid(plt, len(groups), sharey=True)
    for ax, (g, grows) in zip(axes, groups.items(), strict=False):
        names = [r["concept"] for r in grows]
        slopes = [_num(r.get("sen_slope")) for r in grows]
        ps = [_num(r.get("mk_p")) for r in grows]
        y = list(range(len(names)))
        ax.barh(
            y,
            [s or 0.0 for s in slopes],
            color=["C3" if (p is not None and p < 0.05) else "#bbbbbb" for p in ps],
            edgecolor="#555555",
            lw=0.5,
        )
        for yi, s in zip(y, slopes, strict=False):
            if s is None:
                ax.text(0, yi, " blank (too few periods or mentions)", va="center", fontsize=6, color="#777777")
        ax.set_yticks(y, names)
        ax.axvline(0, color="#333333", lw=0.8)
        ax.invert_yaxis()
        ax.set_title(g, fontsize=9, loc="left")
        ax.set_xlabel("Sen's slope (per 10k words per period)")
    caption += " Red: Mann-Kendall p < 0.05; grey: not significant."
    return _finish(fig, caption, "Trend of prominence over periods")


def senses_figure(rows, caption):
    """Sense sizes of each concept (from ``discourse senses``), outliers in grey."""
    plt = pyplot()
    by_concept: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_concept.setdefault(r["concept"], []).append(r)
    fig, axes = _grid(plt, len(by_concept) or 1)
    for ax, (c, rs) in zip(axes, by_concept.items(), strict=False):
        labels = [f"{r['sense_id']}: {r.get('label') or ''}"[:40] for r in rs]
        sizes = [_num(r.get("size")) or 0 for r in rs]
        ax.barh(range(len(rs)), sizes, color=["#bbbbbb" if int(r["sense_id"]) < 0 else "C0" for r in rs])
        ax.set_yticks(range(len(rs)), labels, fontsize=7)
        ax.invert_yaxis()
        ax.set_title(c, fontsize=9, loc="left")
        ax.set_xlabel("mentions")
    return _finish(fig, caption + " Grey: outliers (sense -1).", "Senses: mention clusters (BERTopic)")


def save_figure(fig, path: str | Path) -> Path:
    """Write ``fig`` to ``path``; the format is the suffix (svg, png or pdf). Written atomically."""
    from ..report.write import check_output

    p = Path(path)
    fmt = p.suffix.lower().lstrip(".")
    if fmt not in PLOT_FORMATS:
        raise PlotError(f"-o {path}: the file name must end in .svg, .png or .pdf")
    check_output(p)
    tmp = p.with_name(f".{p.name}.tmp")
    try:
        fig.savefig(tmp, format=fmt, dpi=150, metadata=_metadata(fmt))
        tmp.replace(p)
    except OSError as exc:
        raise PlotError(f"-o {path}: cannot be written ({exc.strerror or exc})") from None
    finally:
        tmp.unlink(missing_ok=True)
        pyplot().close(fig)
    return p


def svg_text(fig) -> str:
    """The figure as an inline ``<svg>`` element (no XML prolog, no DOCTYPE)."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    pyplot().close(fig)
    text = buf.getvalue()
    return text[text.index("<svg") :]


def _metadata(fmt: str) -> dict[str, Any]:
    # No creation date in the file: the same rows give the same bytes.
    if fmt == "svg":
        return {"Date": None}
    if fmt == "pdf":
        return {"CreationDate": None}
    return {}
