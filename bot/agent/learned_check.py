"""A yes/no check learnt from labelled texts: a logistic regression over each text's embedding and its
character 1-3-grams. Both meaning checks of the guardrails learn with it: promises in an answer
(guard_semantic.py) and violations asked for in other words (request_meaning.py).

e5-small alone reads topic more than intent: every sentence about money sits near a promise. The n-grams
carry the wording a compliance officer reads (兜着, 没见过亏, 变通一下, 你懂的).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from knowledge.keyed_arrays import load_keyed, save_keyed
from knowledge.types import Embedder

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

# A text the embedder reads to tell one model from another (another model, another vector).
_MODEL_PROBE = "本金保证"
# Chosen by 5-fold cross-validation over the dev splits of the guardrail bench, and confirmed on a batch
# neither the patterns nor the check had seen (bench/guardrails_batch11.json's dev split); the request
# check learns with the same (its threshold is its data's).
REGULARISATION_C = 3.0
NGRAM_WEIGHT = 0.5  # of the tf-idf n-grams next to the unit embedding


class LearnedCheck:
    """Probability that a text is of the labelled kind (True), from its embedding and its n-grams.

    `texts` are what the n-grams read (normalised by the caller); `vectors` their embeddings. Both labels
    weigh the same however many texts each has (a few hundred violations beside thousands of honest ones).
    """

    def __init__(self, vectors: np.ndarray, texts: Sequence[str], labels: Sequence[bool], *,
                 regularisation: float = REGULARISATION_C, ngram_weight: float = NGRAM_WEIGHT) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        self._ngram_weight = ngram_weight
        self._ngrams = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2)
        self._ngrams.fit(texts)
        self._model = LogisticRegression(C=regularisation, max_iter=3000, class_weight="balanced")
        self._model.fit(self._features(vectors, texts), list(labels))

    def _features(self, vectors: np.ndarray, texts: Sequence[str]) -> csr_matrix:
        from scipy.sparse import csr_matrix, hstack

        return hstack([csr_matrix(vectors), self._ngrams.transform(texts) * self._ngram_weight]).tocsr()

    def probabilities(self, vectors: np.ndarray, texts: Sequence[str]) -> list[float]:
        labelled = list(self._model.classes_).index(True)
        return self._model.predict_proba(self._features(vectors, texts))[:, labelled].tolist()


def embed(embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
    """The texts' vectors, embedded as e5 queries (a check compares texts of one kind)."""
    return np.asarray(embedder.embed_batch(list(texts), kind="query"), dtype=np.float32)


def cached_vectors(embedder: Embedder, texts: Sequence[str], cache: Path | None) -> np.ndarray:
    """The texts' vectors from `cache` when it holds these texts embedded by this model, else embedded (and
    kept there): a second process learns a check without embedding its labelled texts again."""
    if cache is None:
        return embed(embedder, texts)
    digest = hashlib.sha256(embed(embedder, [_MODEL_PROBE]).tobytes())
    digest.update("\n".join(texts).encode())
    key = digest.hexdigest()[:32]
    kept = load_keyed(cache, key)
    if kept is not None and "vectors" in kept and len(kept["vectors"]) == len(texts):
        return kept["vectors"]
    vectors = embed(embedder, texts)
    save_keyed(cache, key, vectors=vectors)
    return vectors
