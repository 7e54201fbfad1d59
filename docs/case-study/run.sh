#!/usr/bin/env bash
# The case study of issue 18: from the shared corpora to every figure of docs/case-study/README.md,
# using only the `discourse` CLI. Headline figures are printed at the end and written to
# $OUT/figures.txt as `name = value` lines (the acceptance test compares README.md with them).
#
#   bash docs/case-study/run.sh
#   DISCOURSE_SHARED=/work/shared OUT=/tmp/cs CASE_STUDY_SENSES=0 bash docs/case-study/run.sh
#
# Environment: DISCOURSE_SHARED (default ../shared from the repo root), DISCOURSE (the CLI,
# default .venv/bin/discourse), OUT (work folder, default docs/case-study/out), CASE_STUDY_SENSES
# (1 = run senses and the HTML report's sense section; 0 = skip them), CASE_STUDY_HTML (0 = no HTML
# report), JOBS (ingest workers).
# EXTRA_CORPUS / EXTRA_MANIFEST / EXTRA_ARGS: a further corpus to ingest into the same store (e.g.
# ParlaMint-GB or ParlParse, see README.md "Pointing it at Hansard").
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
SHARED="${DISCOURSE_SHARED:-../shared}"
C="$(cd "$SHARED/corpora" && pwd)"
D="${DISCOURSE:-.venv/bin/discourse}"
OUT="${OUT:-docs/case-study/out}"
SENSES="${CASE_STUDY_SENSES:-1}"
JOBS="${JOBS:-2}"
mkdir -p "$OUT"
DB="$OUT/case.db"    # one store: the corpora that bear on the claim, each tagged with `corpus`
DB05="$OUT/manifestos_2005_2010.db"  # its own store: it overlaps uk_manifestos_1945_2019
if [ "${CASE_STUDY_REUSE:-0}" != 1 ]; then  # 1: keep the stores of a previous run (development only)
  rm -f "$DB" "$DB-wal" "$DB-shm" "$DB05" "$DB05-wal" "$DB05-shm"
fi
FIG="$OUT/figures.txt"
: >"$FIG"
fig() { printf '%s = %s\n' "$1" "$2" >>"$FIG"; }

# A copy of a corpus manifest with absolute file paths and a `corpus` column (the manifests here
# hold one record per line, CRLF; `file` is the first column). The corpus column lets every
# report split or filter by corpus (--by corpus, --where corpus=...) and lets `report trend`
# flag a change of corpus mix over time.
manifest() {
  local name="$1" dir="$C/$1"
  awk -v dir="$dir" -v name="$name" '{ sub(/\r$/, "") }
    NR == 1 { print $0 ",corpus"; next }
    /^"/ { print "\"" dir "/" substr($0, 2) "," name; next }
    { print dir "/" $0 "," name }' "$dir/MANIFEST.csv" >"$OUT/$name.manifest.csv"
  echo "$OUT/$name.manifest.csv"
}

echo "== ingest (one store, $DB)" >&2
CORPORA="iriss_podcasts_2008_2023 nhs_england_leeds_2021_2025 govuk_guides_2011_2022 policy_pdfs uk_manifestos_1945_2019"
for name in $CORPORA; do
  # exit 3 = some inputs failed or had no text (the policy PDF with no text layer): the batch goes on
  "$D" ingest "$C/$name" --manifest "$(manifest "$name")" --jobs "$JOBS" --db "$DB" || [ $? -eq 3 ]
done
if [ -n "${EXTRA_CORPUS:-}" ]; then
  # shellcheck disable=SC2086
  "$D" ingest "$EXTRA_CORPUS" ${EXTRA_MANIFEST:+--manifest "$EXTRA_MANIFEST"} ${EXTRA_ARGS:-} \
    --jobs "$JOBS" --db "$DB" || [ $? -eq 3 ]
fi
"$D" ingest "$C/uk_manifestos_2005_2010" --manifest "$(manifest uk_manifestos_2005_2010)" \
  --jobs "$JOBS" --db "$DB05" || [ $? -eq 3 ]
"$D" stats --db "$DB" -f csv >"$OUT/stats.csv"
"$D" docs --db "$DB" -f csv --columns doc_id,year,source_type >"$OUT/docs.csv" 2>/dev/null || true

FAM="co-production personal-budgets personalisation direct-payments self-directed-support"
KEY="co-production personal-budgets personalisation"

# ---- 1. validation-adjusted prominence, with intervals, by source_type and by corpus -------------
COLS=concept,period,docs,docs_with,count,words,per_10k,per_10k_low,per_10k_high,share_of_voice,share_low,share_high,precision,precision_n,count_adj,count_adj_low,count_adj_high,per_10k_adj,per_10k_adj_low,per_10k_adj_high
echo "== prominence --adjust (${SECONDS}s)" >&2
for by in source_type corpus; do
  "$D" report prominence --adjust --by "$by" --period all --db "$DB" -f csv \
    --columns "concept,$by,${COLS#concept,}" -o "$OUT/prominence_$by.csv" 2>"$OUT/prominence_$by.notes"
done
"$D" report prominence --adjust --by source_type --period all --db "$DB05" -f csv \
  --columns "concept,source_type,${COLS#concept,}" -o "$OUT/prominence_manifestos_2005_2010.csv" \
  2>"$OUT/prominence_manifestos_2005_2010.notes"

# value of column COL for concept CONCEPT and group GROUP in a prominence-like CSV
val() { # file concept group column
  awk -F, -v c="$2" -v g="$3" -v col="$4" 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
    $1 == c && $2 == g { v = $h[col]; print (v == "" ? "blank" : v); found = 1; exit }
    END { if (!found) print "absent" }' "$1"
}
r2() { awk -v x="$1" 'BEGIN { if (x ~ /^-?[0-9.eE+-]+$/) printf "%.2f", x; else print x }'; }
rp() { awk -v x="$1" 'BEGIN { if (x ~ /^-?[0-9.eE+-]+$/) printf "%.2g", x; else print x }'; }
r3() { awk -v x="$1" 'BEGIN { if (x ~ /^-?[0-9.eE+-]+$/) printf "%.3f", x; else print x }'; }

ci() { # file concept group column low high -> "x [low, high]" to 3 decimals
  local x lo hi
  x="$(r3 "$(val "$1" "$2" "$3" "$4")")"
  lo="$(r3 "$(val "$1" "$2" "$3" "$5")")"
  hi="$(r3 "$(val "$1" "$2" "$3" "$6")")"
  echo "$x [$lo, $hi]"
}
prom_figs() { # file group label
  local f="$1" g="$2" l="$3" c
  for c in $KEY; do
    fig "$c.$l.count" "$(val "$f" "$c" "$g" count)"
    fig "$c.$l.docs_with" "$(val "$f" "$c" "$g" docs_with)/$(val "$f" "$c" "$g" docs)"
    fig "$c.$l.per_10k" "$(ci "$f" "$c" "$g" per_10k per_10k_low per_10k_high)"
    fig "$c.$l.per_10k_adj" "$(ci "$f" "$c" "$g" per_10k_adj per_10k_adj_low per_10k_adj_high)"
    fig "$c.$l.share" "$(ci "$f" "$c" "$g" share_of_voice share_low share_high)"
  done
}
for g in lay government party parliament; do prom_figs "$OUT/prominence_source_type.csv" "$g" "$g"; done
# the rest of the family (no validation labels, so no adjusted rate): counts and share of voice
for c in self-directed-support direct-payments; do
  for g in lay government party; do
    fig "$c.$g.count" "$(val "$OUT/prominence_source_type.csv" "$c" "$g" count)"
    fig "$c.$g.share" "$(ci "$OUT/prominence_source_type.csv" "$c" "$g" share_of_voice share_low share_high)"
  done
done
for name in $CORPORA; do prom_figs "$OUT/prominence_corpus.csv" "$name" "$name"; done
for c in $KEY; do
  fig "$c.uk_manifestos_2005_2010.count" "$(val "$OUT/prominence_manifestos_2005_2010.csv" "$c" party count)"
  prec="$(r3 "$(val "$OUT/prominence_source_type.csv" "$c" lay precision)")"
  pn="$(val "$OUT/prominence_source_type.csv" "$c" lay precision_n)"
  fig "$c.precision" "$prec, n = $pn"
done
fig "words.lay" "$(val "$OUT/prominence_source_type.csv" co-production lay words)"
fig "words.government" "$(val "$OUT/prominence_source_type.csv" co-production government words)"
fig "words.party" "$(val "$OUT/prominence_source_type.csv" co-production party words)"

# ---- 2. keyness, lay vs government: all years, then matched periods only ------------------------
echo "== keyness (${SECONDS}s)" >&2
KCOLS=concept,source_type,period,count_a,docs_a,count_b,docs_b,g2,p_value,log_ratio
"$D" report keyness --by source_type --reference government --period all --db "$DB" -f csv \
  --columns "$KCOLS" -o "$OUT/keyness_all.csv"
"$D" report keyness --by source_type --reference government --period 2020-2025 --from 2020 --to 2025 \
  --db "$DB" -f csv --columns "$KCOLS" -o "$OUT/keyness_2020_2025.csv"
"$D" report keyness --by source_type --reference government --period 2011-2015,2016-2020,2021-2025 \
  --from 2011 --to 2025 --db "$DB" -f csv --columns "$KCOLS" -o "$OUT/keyness_5y.csv"
kval() { # file concept group period column
  awk -F, -v c="$2" -v g="$3" -v p="$4" -v col="$5" 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
    $1 == c && $2 == g && $3 == p { v = $h[col]; print (v == "" ? "blank" : v); found = 1; exit }
    END { if (!found) print "absent" }' "$1"
}
key_figs() { # file period label
  local c
  for c in $KEY; do
    fig "keyness.$c.lay_vs_gov.$3.log_ratio" "$(r2 "$(kval "$1" "$c" lay "$2" log_ratio)")"
    fig "keyness.$c.lay_vs_gov.$3.p" "$(rp "$(kval "$1" "$c" lay "$2" p_value)")"
    fig "keyness.$c.lay_vs_gov.$3.counts" "$(kval "$1" "$c" lay "$2" count_a) in $(kval "$1" "$c" lay "$2" docs_a) docs vs $(kval "$1" "$c" lay "$2" count_b) in $(kval "$1" "$c" lay "$2" docs_b) docs"
  done
}
key_figs "$OUT/keyness_all.csv" all all
key_figs "$OUT/keyness_2020_2025.csv" 2020-2025 2020_2025
for p in 2011-2015 2016-2020; do
  fig "keyness.co-production.lay_vs_gov.$p.log_ratio" "$(r2 "$(kval "$OUT/keyness_5y.csv" co-production lay "$p" log_ratio)")"
  fig "keyness.co-production.lay_vs_gov.$p.p" "$(rp "$(kval "$OUT/keyness_5y.csv" co-production lay "$p" p_value)")"
done

# ---- 3. trends, with their composition notes ------------------------------------------------------
echo "== trend (${SECONDS}s)" >&2
"$D" report trend --by source_type --period 5-year --db "$DB" -f csv -o "$OUT/trend_source_type.csv" \
  2>"$OUT/trend_source_type.notes"
"$D" report trend --by source_type,corpus --period 5-year --db "$DB" -f csv -o "$OUT/trend_corpus.csv" \
  2>"$OUT/trend_corpus.notes"
for g in lay government; do
  fig "trend.co-production.$g.tau" "$(r2 "$(val "$OUT/trend_source_type.csv" co-production "$g" kendall_tau)")"
  fig "trend.co-production.$g.mk_p" "$(rp "$(val "$OUT/trend_source_type.csv" co-production "$g" mk_p)")"
  fig "trend.co-production.$g.n_periods" "$(val "$OUT/trend_source_type.csv" co-production "$g" n_periods)"
done
# groups whose documents change corpus across periods (the trend's composition note)
fig "trend.groups_with_composition_note" "$(grep -c 'change composition' "$OUT/trend_source_type.notes" || true)"

# ---- 4. ambiguity (frames rates) and senses of co-production vs personal budgets -----------------
echo "== ambiguity, frames, senses (${SECONDS}s)" >&2
for c in co-production personal-budgets personalisation; do
  "$D" frames "$c" --db "$DB" -f csv -o "$OUT/frames_$c.csv" 2>"$OUT/frames_$c.summary"
  # the summary line: "frames: N mention(s) of C: a definition, b metalinguistic, c hedge, d scare_quotes; ..."
  fig "frames.$c" "$(grep -o 'frames: .*' "$OUT/frames_$c.summary" | sed 's/^frames: //')"
done
if [ "$SENSES" = 1 ]; then
  for c in co-production personal-budgets personalisation; do
    "$D" senses "$c" --by source_type --db "$DB" -f csv -o "$OUT/senses_$c.csv" 2>"$OUT/senses_$c.summary"
    # the summary line: "senses: N mention(s) of C: k sense(s), m outlier(s) (sense -1)"
    fig "senses.$c" "$(grep -o 'senses: .*' "$OUT/senses_$c.summary" | sed 's/^senses: //')"
  done
fi
# the HTML report (every section; with senses unless CASE_STUDY_SENSES=0); CASE_STUDY_HTML=0 skips
# it (the acceptance test does: no figure below comes from it, and it takes minutes)
if [ "${CASE_STUDY_HTML:-1}" = 1 ]; then
  if [ "$SENSES" = 1 ]; then
    "$D" report --html "$OUT/report.html" --period 5-year --db "$DB" 2>"$OUT/report_html.notes"
  else
    "$D" report --html "$OUT/report.html" --period 5-year --no-senses --db "$DB" 2>"$OUT/report_html.notes"
  fi
  # its picture (docs/case-study/report.png is one such), taken by headless Chromium when it is installed
  CHROMIUM="$(command -v chromium || command -v chromium-browser || true)"
  if [ -n "$CHROMIUM" ]; then
    "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars --screenshot="$OUT/report.png" \
      --window-size=1200,3000 "file://$(cd "$OUT" && pwd)/report.html" >/dev/null 2>&1 \
      && echo "== screenshot: $OUT/report.png" >&2 || echo "== screenshot failed (chromium)" >&2
  else
    echo "== no screenshot: chromium is not installed (make tools installs it)" >&2
  fi
fi

echo
echo "== done (${SECONDS}s)" >&2
echo "===== HEADLINE FIGURES (issue 18 case study; also in $FIG) ====="
cat "$FIG"
echo "===== END ====="
