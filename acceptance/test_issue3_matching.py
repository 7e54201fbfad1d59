"""Issue 3: matching on the real corpora."""

import csv
import io
import re
from pathlib import Path

from discourse.store import Store

from .conftest import CORPORA, cli, figure

NEWS = CORPORA / "uk_immigration_news_2014"
IRISS = CORPORA / "iriss_podcasts_2008_2023"
# The independent count: "co" + optional hyphen/dash/space + "produc" + any word ending, case-insensitive.
CO_PRODUCTION_RE = re.compile(r"\bco[-\u2010\u2011\u2013 ]?produc\w*", re.I)


def _csv(s):
    return list(csv.DictReader(io.StringIO(s)))


def test_news_media_coproductions_excluded_public_service_use_kept(workdir):
    db = workdir / "news.db"
    p = cli("ingest", NEWS / "texts", "--manifest", NEWS / "MANIFEST.csv", "--jobs", "2", "--db", db)
    figure("news: " + p.stderr.strip().splitlines()[-1])
    rows = _csv(cli("kwic", "co-production", "--include-excluded", "--format", "csv", "--db", db).stdout)
    for r in rows:
        figure(
            f"{r['doc_id']} {r['source_type']} excluded={r['excluded']} ({r['exclude_reason']}): "
            f"...{r['left'][-60:]} [{r['match']}] {r['right'][:60]}..."
        )
    kept = [r for r in rows if r["excluded"] == "false"]
    excluded = [r for r in rows if r["excluded"] == "true"]
    assert len(rows) == 3 and len(kept) == 1 and len(excluded) == 2
    assert "public services" in kept[0]["right"]
    assert "telegraph" in kept[0]["path"]
    assert all(r["exclude_reason"] for r in excluded)
    default = _csv(cli("kwic", "co-production", "--format", "csv", "--db", db).stdout)
    assert len(default) == 1


def _body(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if text.startswith("---"):
        end = text.find("\n---", 3)
        text = text[text.find("\n", end + 1) + 1 :] if end != -1 else text
    return text


def test_iriss_kwic_count_equals_independent_regex_count(report_db):
    rows = _csv(cli("kwic", "co-production", "--where", "source_type=lay", "--format", "csv", "--db", report_db).stdout)
    with Store.open(report_db) as s:
        kept_paths = {d["path"] for d in s.documents("source_type = 'lay'")}
    regex = sum(len(CO_PRODUCTION_RE.findall(_body(Path(p)))) for p in kept_paths)
    raw_all = sum(len(CO_PRODUCTION_RE.findall(f.read_text(encoding="utf-8"))) for f in (IRISS / "texts").glob("*.md"))
    diff = abs(len(rows) - regex) / regex
    figure(
        f"iriss co-production: kwic {len(rows)}, regex over the {len(kept_paths)} kept bodies {regex} "
        f"({diff:.2%}); regex over all 334 raw files incl. front matter and the duplicate {raw_all}"
    )
    variants = {}
    for r in rows:
        variants[r["variant"]] = variants.get(r["variant"], 0) + 1
    figure(f"iriss co-production variants: {dict(sorted(variants.items(), key=lambda kv: -kv[1]))}")
    assert diff <= 0.01
