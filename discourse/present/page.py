"""``discourse report --html FILE``: one self-contained page (inline SVG, inline CSS, no script, no network).

Every section is drawn from report rows (:mod:`discourse.report`), the sense
and frame rows of :mod:`discourse.senses` / :mod:`discourse.frames`, the stored
labels and the ``run.json`` record. Every piece of corpus text (titles, group
values, KWIC lines, collocates, notes) goes through :func:`html.escape`; the
figures are matplotlib SVG, whose text matplotlib escapes itself.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any

from ..report.run import run_record
from ..report.tables import Report
from ..store.exports import label_counts
from . import figures as F
from .plots import caption, sense_rows

TOP_KEYNESS = 20
TOP_COLLOCATES = 8
KWIC_LINES = 3  # per sense
FRAME_LINES = 12  # per concept

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1100px;
padding:1.2em 2em;color:#222;line-height:1.4}
h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:1.8em}
h3{margin-bottom:.3em}.cap{color:#555;font-size:.9em}.note{color:#8a5300;font-size:.85em}
table{border-collapse:collapse;font-size:.82em;margin:.5em 0 1em}td,th{border:1px solid #ddd;padding:2px 6px;
text-align:left;vertical-align:top}th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums}
.kwic td.l{text-align:right;color:#444}.kwic td.m{font-weight:bold;white-space:nowrap}.kwic td.r{color:#444}
figure{margin:.5em 0}.wide{overflow-x:auto}svg{max-width:100%;height:auto}nav a{margin-right:.8em}
pre{background:#f6f6f6;padding:.6em;overflow:auto;font-size:.8em;max-height:30em}
"""

SECTIONS = (
    ("overview", "Corpus overview"),
    ("prominence", "Prominence"),
    ("share", "Share of voice"),
    ("dispersion", "Dispersion"),
    ("keyness", "Keyness"),
    ("collocates", "Collocates"),
    ("ambiguity", "Ambiguity"),
    ("meaning", "Senses and frames"),
    ("validation", "Validation"),
    ("run", "Reproducibility"),
    ("notes", "Notes"),
)


def _fmt(v: Any) -> str:
    if v is None or v == "":
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        if v and abs(v) < 1e-3:
            return f"{v:.3g}"
        return f"{v:,.3f}".rstrip("0").rstrip(".")
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def table(columns: list[str], rows: list[dict[str, Any]], cls: str = "") -> str:
    """An HTML table; every header and cell escaped; numbers right-aligned."""
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = []
    for r in rows:
        cells = []
        for c in columns:
            v = r.get(c)
            num = isinstance(v, (int, float)) and not isinstance(v, bool)
            cells.append(f"<td{' class=n' if num else ''}>{escape(_fmt(v))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    attr = f' class="{cls}"' if cls else ""
    return f"<div class=wide><table{attr}><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"


def _p(text: str, cls: str = "") -> str:
    return f"<p{f' class={cls}' if cls else ''}>{escape(text)}</p>"


def overview(rep: Report, rows: list[dict[str, Any]]) -> str:
    """Documents and words by period (rows) x group (columns), from the prominence rows of the first concept."""
    first = rep.grouped.concepts[0] if rep.grouped.concepts else None
    cells = [r for r in rows if r["concept"] == first]
    groups = list(dict.fromkeys(F.group_label(r, rep.opts.by) for r in cells))
    periods = sorted({str(r["period"]) for r in cells})
    at = {(F.group_label(r, rep.opts.by), str(r["period"])): r for r in cells}
    out = []
    for p in periods:
        row: dict[str, Any] = {"period": p}
        for g in groups:
            r = at.get((g, p))
            row[g] = f"{r['docs']:,} / {r['words']:,}" if r else ""
        out.append(row)
    total_words = sum(d.words for d in rep.grouped.docs)
    msg = (
        f"{len(rep.grouped.docs):,} documents, {total_words:,} words. Columns: {','.join(rep.opts.by)}; "
        "each cell: documents / words."
    )
    return _p(msg, "cap") + table(["period", *groups], out)


def keyness_html(rows: list[dict[str, Any]]) -> str:
    ranked = [r for r in rows if r.get("g2") is not None]
    if not ranked:
        return _p(
            "No keyness row: keyness compares each group with the reference group (--reference) within one "
            "period, and no period here has mentions in both. Try --period all or a wider --period.",
            "note",
        )
    ranked.sort(key=lambda r: -(r.get("g2") or 0))
    cols = [c for c in ranked[0] if c not in ("words_a", "words_b")]
    msg = f"The {min(TOP_KEYNESS, len(ranked))} rows with the largest G² (log-likelihood), of {len(rows)}."
    return _p(msg, "cap") + table(cols, ranked[:TOP_KEYNESS])


def collocates_html(rep: Report, rows: list[dict[str, Any]]) -> str:
    """The top collocates (by log-likelihood) of each concept in each group, pooled over periods."""
    best: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in rows:
        best.setdefault((r["concept"], F.group_label(r, rep.opts.by)), []).append(r)
    out = []
    for (concept, g), rs in best.items():
        rs.sort(key=lambda r: -(r.get("ll") or 0))
        words = ", ".join(f"{r['collocate']} ({r.get('observed')})" for r in rs[:TOP_COLLOCATES])
        out.append({"concept": concept, "group": g, "top collocates (co-occurrences)": words})
    if not out:
        return _p("No collocate reaches the minimum frequency in any cell.", "note")
    msg = f"The {TOP_COLLOCATES} collocates with the largest log-likelihood in each concept x group, over all periods."
    return _p(msg, "cap") + table(["concept", "group", "top collocates (co-occurrences)"], out)


def _kwic_rows(senses: list[dict[str, Any]], lines: list[dict[str, Any]]) -> str:
    out = []
    for s in senses:
        for ln in [x for x in lines if x["sense_id"] == s["sense_id"]][:KWIC_LINES]:
            out.append(
                f"<tr><td class=n>{escape(str(s['sense_id']))}</td><td class=l>{escape(ln['left'][-90:])}</td>"
                f"<td class=m>{escape(ln['match'])}</td><td class=r>{escape(ln['right'][:90])}</td></tr>"
            )
    return "<table class=kwic><tbody>" + "".join(out) + "</tbody></table>" if out else ""


def meaning_html(found: dict[str, Any], by: str) -> str:
    parts = [_p(n, "note") for n in found["notes"]]
    by_concept: dict[str, list[dict[str, Any]]] = {}
    for r in found["senses"]:
        by_concept.setdefault(r["concept"], []).append(r)
    for concept, lines in found["lines"].items():
        parts.append(f"<h3>{escape(concept)}</h3>")
        senses = by_concept.get(concept, [])
        if senses:
            parts.append(table(["sense_id", "size", "share", "label", "top_terms"], senses))
            parts.append(_kwic_rows(senses, lines))
        fr = [r for r in found["frames"] if r["concept"] == concept][:FRAME_LINES]
        if fr:
            parts.append(table(["frame", "date", by, "cue", "sentence"], fr))
        else:
            parts.append(_p("No definitional, metalinguistic, hedged or scare-quoted sentence found.", "cap"))
    if not found["lines"]:
        parts.append(_p("No concept has mentions in the selected documents.", "note"))
    return "".join(parts)


def validation_html(rep: Report) -> str:
    """Each concept: the stored hand labels, a lexicon ``precision:`` block if it has one, or 'not validated'."""
    from ..measures.agreement import wilson_interval

    labels = label_counts(rep.store)
    out = []
    for c in rep.lexicon.concepts:
        block = getattr(c, "precision", None)
        lab = labels.get(c.id)
        status, detail = "not validated", ""
        if lab and lab["yes"] + lab["no"]:
            yes, n = lab["yes"], lab["yes"] + lab["no"]
            ci = wilson_interval(yes, n)
            status = f"precision {yes / n:.2f}" + (f" [{ci[0]:.2f}, {ci[1]:.2f}]" if ci else "")
            detail = (
                f"{n} hand-labelled mentions in this store, Wilson 95% interval ({lab['unsure']} unsure, not scored)"
            )
        if block is not None:
            status = status if status != "not validated" else "validated in the lexicon"
            detail = (detail + "; " if detail else "") + _precision_text(block)
        out.append({"concept": c.id, "status": status, "evidence": detail})
    return table(["concept", "status", "evidence"], out)


def _precision_text(block: Any) -> str:
    """A lexicon ``precision:`` block (yes of n, estimate, Wilson interval, sample, note) in one line."""
    try:
        lo, hi = block.interval
        text = f"lexicon: precision {block.estimate:.3f} [{lo:.3f}, {hi:.3f}], {block.yes} of {block.n} labelled"
    except (AttributeError, TypeError, ValueError):
        return f"lexicon precision block: {block}"
    sample = f" ({block.sample})" if getattr(block, "sample", "") else ""
    note = f". {block.note}" if getattr(block, "note", "") else ""
    return text + sample + note


def _section(sid: str, title: str, body: str) -> str:
    return f'<section id="{sid}"><h2>{escape(title)}</h2>{body}</section>'


def _fig(fig) -> str:
    return f"<figure>{F.svg_text(fig)}</figure>"


def _ambiguity(rep: Report, cap: str) -> str:
    by = rep.opts.by
    amb = rep.table("ambiguity")
    cols = ["concept", *by, "period", "mentions", "term_entropy", "sense_entropy", "apd", "apd_low", "apd_high"]
    rows = [r for r in amb if r.get("apd") is not None or r.get("term_entropy") is not None]
    msg = (
        f"The {len(rows)} rows with measures; the other {len(amb) - len(rows)} have fewer than --sample-k "
        f"{rep.opts.sample_k} mentions or none (see the notes at the end)."
    )
    return _fig(F.ambiguity_figure(amb, by, cap)) + _p(msg, "cap") + table(cols, rows)


def _run(rep: Report, params: dict[str, Any]) -> str:
    rec = run_record(
        store=rep.store,
        lexicon=rep.lexicon,
        mention_key=rep.key,
        params=params,
        files=[],
        contexts=rep.context_params(),
    )
    rec.pop("files", None)
    return f"<pre>{escape(json.dumps(rec, indent=2, ensure_ascii=False))}</pre>"


def build_page(rep: Report, params: dict[str, Any], *, senses: bool = True) -> str:
    """The whole page as one string. ``senses``: cluster senses and find frames (slow on big corpora)."""
    by, cap = rep.opts.by, caption(rep)
    prom = rep.table("prominence")
    fams = rep.lexicon.families()
    body = [
        _section("overview", "Corpus overview", overview(rep, prom)),
        _section("prominence", "Prominence over time", _fig(F.prominence_figure(prom, by, cap))),
        _section("share", "Share of voice within each family", _fig(F.share_figure(prom, by, cap, fams))),
        _section("dispersion", "Dispersion", _fig(F.dispersion_figure(prom, by, cap))),
        _section("keyness", "Keyness", keyness_html(rep.table("keyness"))),
        _section("collocates", "Top collocates per group", collocates_html(rep, rep.table("collocates"))),
        _section("ambiguity", "Ambiguity over time", _ambiguity(rep, cap)),
    ]
    if senses:
        body.append(_section("meaning", "Senses and frames, with KWIC lines", meaning_html(sense_rows(rep), by[0])))
    else:
        msg = "Not computed for this page (--no-senses). Run discourse senses CONCEPT and discourse frames CONCEPT."
        body.append(_section("meaning", "Senses and frames", _p(msg, "note")))
    body.append(_section("validation", "Validation status of each concept", validation_html(rep)))
    body.append(_section("run", "Reproducibility record (run.json)", _run(rep, params)))
    body.append(_section("notes", "Notes", "".join(_p(n, "note") for n in rep.notes) or _p("None.")))
    nav = "".join(f'<a href="#{sid}">{escape(t)}</a>' for sid, t in SECTIONS)
    title = f"discourse report: {Path(rep.store.path).name}, lexicon {rep.lexicon.name}"
    # nothing may load or run but the inline style and inline data: images (matplotlib rasterises colour bars)
    csp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    return (
        "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
        '<meta name=viewport content="width=device-width, initial-scale=1">'
        f'<meta http-equiv=Content-Security-Policy content="{csp}">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
        f"<h1>{escape(title)}</h1>{_p(cap, 'cap')}<nav>{nav}</nav>" + "".join(body) + "</body></html>\n"
    )


def write_page(rep: Report, output: str | Path, params: dict[str, Any], *, senses: bool = True) -> Path:
    """Build the page and write it atomically to ``output``."""
    from ..report.write import write_file

    page = build_page(rep, params, senses=senses)
    write_file(output, lambda fh: fh.write(page))
    return Path(output)
