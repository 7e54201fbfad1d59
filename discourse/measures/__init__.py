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
from discourse.measures.collocation import CollocationScores, collocation_scores
from discourse.measures.dispersion import dp, dp_norm, juilland_d
from discourse.measures.keyness import log_likelihood_g2, log_ratio, p_value, pct_diff
from discourse.measures.prominence import doc_freq, per_10k, per_10k_doc_mean, share_of_voice
from discourse.measures.trend import MannKendall, kendall_tau_b, mann_kendall, sen_slope

__all__ = [
    "CollocationScores", "MannKendall",
    "average_pairwise_cosine_distance", "collocation_scores", "doc_freq", "dp", "dp_norm",
    "jensen_shannon", "jensen_shannon_dicts", "juilland_d", "kendall_tau_b", "label_entropy",
    "log_likelihood_g2", "log_ratio", "mann_kendall", "p_value", "pct_diff", "per_10k",
    "per_10k_doc_mean", "sen_slope", "shannon_entropy", "share_of_voice",
    "subsample_indices", "subsample_stat", "summarise_samples",
]
