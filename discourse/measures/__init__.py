"""Pure statistical measures: numbers in, numbers out (no database, no NLP).

Every function returns ``None`` (never NaN) when its inputs make the statistic
meaningless; each docstring gives the formula, the reference and the ``None`` cases.
"""

from discourse.measures.ambiguity import (
    average_pairwise_cosine_distance,
    jensen_shannon,
    jensen_shannon_dicts,
    label_entropy,
    shannon_entropy,
    subsample_indices,
    subsample_stat,
    summarise_samples,
)
from discourse.measures.bootstrap import cluster_bootstrap_sums, percentile_interval, ratio_interval
from discourse.measures.collocation import CollocationScores, collocation_scores
from discourse.measures.composition import composition_shift, total_variation
from discourse.measures.dispersion import dp, dp_norm, juilland_d
from discourse.measures.keyness import adjusted_rates, bh_qvalues, log_likelihood_g2, log_ratio, p_value, pct_diff
from discourse.measures.prominence import doc_freq, per_10k, per_10k_doc_mean, share_of_voice
from discourse.measures.trend import MannKendall, kendall_tau_b, mann_kendall, mk_min_p, sen_slope

__all__ = [
    "CollocationScores",
    "MannKendall",
    "adjusted_rates",
    "average_pairwise_cosine_distance",
    "bh_qvalues",
    "cluster_bootstrap_sums",
    "collocation_scores",
    "composition_shift",
    "doc_freq",
    "dp",
    "dp_norm",
    "jensen_shannon",
    "jensen_shannon_dicts",
    "juilland_d",
    "kendall_tau_b",
    "label_entropy",
    "log_likelihood_g2",
    "log_ratio",
    "mann_kendall",
    "mk_min_p",
    "p_value",
    "pct_diff",
    "per_10k",
    "per_10k_doc_mean",
    "percentile_interval",
    "ratio_interval",
    "sen_slope",
    "shannon_entropy",
    "share_of_voice",
    "subsample_indices",
    "subsample_stat",
    "summarise_samples",
    "total_variation",
]
