"""What a report is asked for: the tables, their columns, and the options."""

from __future__ import annotations

from dataclasses import dataclass

from ..measures.bootstrap import DEFAULT_REPLICATES

#: Frames of discourse.frames reported by the ambiguity table, as (frame name, column stem): a rate
#: per :data:`PER_MENTIONS` mentions with a 95% interval each.
FRAME_RATES = (
    ("definition", "definitional"),
    ("metalinguistic", "metalinguistic"),
    ("hedge", "hedged"),
    ("scare_quotes", "scare_quoted"),
)
PER_MENTIONS = 1000

TABLES = ("prominence", "counts", "keyness", "collocates", "trend", "ambiguity")

TABLE_COLUMNS = {
    "prominence": [
        "docs",
        "docs_with",
        "count",
        "words",
        "per_10k",
        "per_10k_low",
        "per_10k_high",
        "per_10k_doc_mean",
        "doc_freq",
        "dp",
        "dp_norm",
        "juilland_d",
        "share_of_voice",
        "share_low",
        "share_high",
    ],
    "counts": ["doc_id", "count", "words"],
    "keyness": [
        "reference",
        "count_a",
        "words_a",
        "docs_a",
        "count_b",
        "words_b",
        "docs_b",
        "g2",
        "p_value",
        "q_value",
        "log_ratio",
        "pct_diff",
    ],
    "collocates": [
        "docs",
        "words",
        "mentions",
        "collocate",
        "collocate_form",
        "direction",
        "observed",
        "expected",
        "mi",
        "mi3",
        "t",
        "logdice",
        "ll",
    ],
    "trend": ["n_periods", "docs", "words", "mk_s", "mk_z", "mk_p", "min_p", "kendall_tau", "sen_slope"],
    "ambiguity": [
        "docs",
        "docs_with",
        "words",
        "mentions",
        "sample_k",
        "variants",
        "terms",
        "term_entropy",
        "form_entropy",
        "sense_entropy",
        "effective_senses",
        "outlier_share",
        "collocate_entropy",
        "apd",
        "apd_low",
        "apd_high",
        "jsd_vs_rest",
        *(f"{name}_per_1k{end}" for _, name in FRAME_RATES for end in ("", "_low", "_high")),
        "distinct_definitions",
    ],
}

#: Columns ``report prominence --adjust`` adds: the concept's precision block and the precision-adjusted
#: count and rate with intervals (discourse.measures.adjust).
ADJUST_COLUMNS = [
    "precision",
    "precision_low",
    "precision_high",
    "precision_n",
    "count_adj",
    "count_adj_low",
    "count_adj_high",
    "per_10k_adj",
    "per_10k_adj_low",
    "per_10k_adj_high",
]

COLLOCATE_WINDOW = 5  # word tokens each side of a mention
CONTEXT_WINDOW = 20  # word tokens each side, for ambiguity contexts
COLLOCATES_PER_CELL = 50  # most strongly associated (by ll) collocates kept per concept x cell
MIN_COLLOCATE_FREQ = 2  # a collocate must co-occur at least this often to be listed
N_SAMPLES = 200  # subsamples of --sample-k mentions for the ambiguity measures


@dataclass(frozen=True)
class ReportOptions:
    by: tuple[str, ...] = ("source_type",)
    period: str = "year"
    year_from: int | None = None
    year_to: int | None = None
    where: tuple[str, ...] = ()
    reference: str = "government"
    min_count: int = 5
    sample_k: int = 30
    seed: int = 0
    bootstrap: int = DEFAULT_REPLICATES  # document resamples for the prominence intervals (0: none)
    adjust: bool = False  # prominence: add precision-adjusted counts (ADJUST_COLUMNS)
    lemma: bool = False  # collocates as lemmas (default: surface forms, lower-cased)
    stopwords: str = "default"  # collocate stoplist: "default" (the shipped English list), "none" or a file

    def columns(self, table: str) -> list[str]:
        head = ["concept", *self.by] + ([] if table == "trend" else ["period"])
        extra = ADJUST_COLUMNS if table == "prominence" and self.adjust else []
        return head + TABLE_COLUMNS[table] + extra
