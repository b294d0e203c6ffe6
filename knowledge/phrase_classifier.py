"""Which label a text's embedding belongs to, learnt from the library's labelled example phrasings.

The nearest single phrasing reads topic more than intent: e5-small puts most in-domain messages within
~0.05 cosine of each other, and one phrasing about a retiree's pension is nearer to any retiree's
message than the phrasings of the situation actually meant. A multinomial logistic regression over all
the phrasings of every label learns which directions of the embedding separate the labels (on 5-fold
cross-validation over the library: label accuracy .45 for the nearest phrasing, .67 for the classifier).

Training takes a few seconds, so the weights are cached in the data dir under a fingerprint of the
vectors and labels: a process only retrains after a trainer's edit or a different model.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from knowledge.keyed_arrays import load_keyed, save_keyed

# Inverse regularisation strength: the phrasings are few per label (~12), so weak regularisation fits
# them; 200 was best of 1-1000 on 5-fold cross-validation over the library.
REGULARISATION_C = 200.0
_MAX_ITERATIONS = 500


def fingerprint(vectors: np.ndarray, labels: Sequence[str]) -> str:
    """Changes when any phrasing, its label or the model that embedded it changes."""
    digest = hashlib.sha256(np.ascontiguousarray(vectors, dtype=np.float32).tobytes())
    digest.update("\n".join(labels).encode())
    digest.update(f"C={REGULARISATION_C}".encode())
    return digest.hexdigest()[:32]


class PhraseClassifier:
    def __init__(self, labels: Sequence[str], weights: np.ndarray, bias: np.ndarray) -> None:
        self.labels = list(labels)
        self._weights = weights  # (labels, dimensions)
        self._bias = bias  # (labels,)

    @classmethod
    def train(cls, vectors: np.ndarray, labels: Sequence[str]) -> PhraseClassifier:
        """Fit on unit vectors, one label each; a label needs at least one phrasing."""
        from sklearn.linear_model import LogisticRegression

        if len(set(labels)) < 2:
            raise ValueError("a classifier needs phrasings of at least two labels")
        model = LogisticRegression(C=REGULARISATION_C, max_iter=_MAX_ITERATIONS)
        model.fit(vectors, list(labels))
        weights, bias = model.coef_.astype(np.float32), model.intercept_.astype(np.float32)
        if len(model.classes_) == 2:  # one logistic unit for the second label: its softmax form
            weights, bias = np.vstack([np.zeros_like(weights), weights]), np.concatenate([[0.0], bias])
        return cls([str(label) for label in model.classes_], weights, bias.astype(np.float32))

    def probabilities(self, vector: Sequence[float]) -> dict[str, float]:
        """Each label's probability for a text's embedding (summing to 1)."""
        query = np.asarray(vector, dtype=np.float32)
        logits = self._weights @ (query / (np.linalg.norm(query) or 1.0)) + self._bias
        exp = np.exp(logits - logits.max())
        return dict(zip(self.labels, (exp / exp.sum()).tolist(), strict=True))

    def save(self, path: Path, key: str) -> None:
        save_keyed(path, key, labels=np.array(self.labels), weights=self._weights, bias=self._bias)

    @classmethod
    def load(cls, path: Path, key: str) -> PhraseClassifier | None:
        """The cached classifier if it was trained on the same phrasings, else None (then retrain)."""
        data = load_keyed(path, key)
        if data is None or not {"labels", "weights", "bias"} <= data.keys():
            return None
        return cls([str(label) for label in data["labels"]], data["weights"], data["bias"])


def cached_classifier(vectors: np.ndarray, labels: Sequence[str], cache: Path | None) -> PhraseClassifier:
    """The classifier for these phrasings: from `cache` when it matches, else trained (and cached).
    The phrasings are put in one order first, so a store that lists them in another order reuses it."""
    order = sorted(range(len(labels)), key=lambda i: (labels[i], vectors[i].tobytes()))
    vectors, labels = vectors[order], [labels[i] for i in order]
    key = fingerprint(vectors, labels)
    found = PhraseClassifier.load(cache, key) if cache is not None else None
    if found is not None:
        return found
    classifier = PhraseClassifier.train(vectors, labels)
    if cache is not None:
        classifier.save(cache, key)
    return classifier
