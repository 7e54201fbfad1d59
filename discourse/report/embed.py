"""Context embedders for the ambiguity table's apd (average pairwise cosine distance).

An embedder is fitted once on passages of the selected corpus, then turns
mention contexts into vectors. Any object with ``fit(passages)``,
``transform(texts)`` and ``params()`` will do; ``params()`` is recorded in
``run.json`` so a report says how its contexts were embedded.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np

SVD_DIMS = 100


class Embedder(Protocol):
    def fit(self, passages: Sequence[str]) -> Embedder: ...

    def transform(self, texts: Sequence[str]) -> np.ndarray: ...

    def params(self) -> dict[str, Any]: ...


class TfidfSvd:
    """TF-IDF (sublinear tf) reduced by truncated SVD: latent semantic analysis of the contexts."""

    method = "tfidf-svd"

    def __init__(
        self,
        *,
        dims: int = SVD_DIMS,
        seed: int = 0,
        min_df: int = 2,
        max_features: int = 50_000,
        token_pattern: str = r"(?u)\b\w[\w'-]*\b",
    ):
        self.dims, self.seed, self.min_df = dims, seed, min_df
        self.max_features, self.token_pattern = max_features, token_pattern
        self._pipe: Any = None
        self._fitted: dict[str, int] = {}

    def fit(self, passages: Sequence[str]) -> TfidfSvd:
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import make_pipeline

        tfidf = TfidfVectorizer(
            sublinear_tf=True, min_df=self.min_df, max_features=self.max_features, token_pattern=self.token_pattern
        )
        x = tfidf.fit_transform(passages)
        dims = max(1, min(self.dims, x.shape[0] - 1, x.shape[1] - 1))
        svd = TruncatedSVD(n_components=dims, random_state=self.seed)
        svd.fit(x)
        self._pipe = make_pipeline(tfidf, svd)
        self._fitted = {"passages": x.shape[0], "vocabulary": x.shape[1], "components": dims}
        return self

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        if self._pipe is None:
            raise RuntimeError("TfidfSvd.transform before fit")
        return self._pipe.transform(texts)

    def params(self) -> dict[str, Any]:
        """The settings, and (once fitted) the passage, vocabulary and component counts."""
        return {
            "method": self.method,
            "sublinear_tf": True,
            "min_df": self.min_df,
            "max_features": self.max_features,
            "token_pattern": self.token_pattern,
            "svd_dims": self.dims,
            "seed": self.seed,
            "fitted": dict(self._fitted) or None,
        }
