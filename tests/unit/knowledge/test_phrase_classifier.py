"""The label classifier over the library's phrasings: learns labels, is cached, retrains after an edit."""

from __future__ import annotations

from pathlib import Path

import chromadb
import numpy as np
import pytest

from knowledge.phrase_classifier import PhraseClassifier, cached_classifier
from knowledge.phrases import Phrase, PhraseIndex
from tests.fakes import FakeEmbedder


def clusters(seed: int = 0) -> tuple[np.ndarray, list[str]]:
    """Three labels, each a cloud of unit vectors around its own direction."""
    rng = np.random.default_rng(seed)
    centres = np.eye(8, dtype=np.float32)[:3]
    vectors, labels = [], []
    for name, centre in zip(("objection:a", "objection:b", "route:log"), centres, strict=True):
        for _ in range(12):
            vector = centre + 0.3 * rng.standard_normal(8).astype(np.float32)
            vectors.append(vector / np.linalg.norm(vector))
            labels.append(name)
    return np.stack(vectors), labels


def test_it_learns_which_label_a_vector_belongs_to() -> None:
    vectors, labels = clusters()
    classifier = PhraseClassifier.train(vectors, labels)
    probabilities = classifier.probabilities(np.eye(8)[1] * 3)  # any length: it is normalised
    assert max(probabilities, key=probabilities.get) == "objection:b"
    assert sum(probabilities.values()) == pytest.approx(1.0)


def test_one_label_is_no_classifier() -> None:
    with pytest.raises(ValueError):
        PhraseClassifier.train(np.eye(3, dtype=np.float32), ["a", "a", "a"])


def test_the_cache_is_used_until_the_phrasings_change(tmp_path: Path, monkeypatch) -> None:
    vectors, labels = clusters()
    cache = tmp_path / "phrases" / "label_classifier.npz"
    first = cached_classifier(vectors, labels, cache)
    assert cache.exists()

    trained: list[int] = []
    real_train = PhraseClassifier.train.__func__

    def counting_train(cls: type[PhraseClassifier], vectors: np.ndarray,
                       labels: list[str]) -> PhraseClassifier:
        trained.append(1)
        return real_train(cls, vectors, labels)

    monkeypatch.setattr(PhraseClassifier, "train", classmethod(counting_train))
    again = cached_classifier(vectors, labels, cache)
    assert trained == []  # read back, not retrained
    query = vectors[5]
    assert again.probabilities(query) == pytest.approx(first.probabilities(query))

    edited = [*labels[:-1], "objection:a"]  # a trainer moved one phrasing to another situation
    cached_classifier(vectors, edited, cache)
    assert trained == [1]


def test_a_damaged_cache_is_retrained(tmp_path: Path) -> None:
    vectors, labels = clusters()
    cache = tmp_path / "label_classifier.npz"
    cache.write_bytes(b"not a numpy file")
    classifier = cached_classifier(vectors, labels, cache)
    assert set(classifier.labels) == set(labels)
    assert PhraseClassifier.load(cache, "another key") is None


def test_the_phrase_index_classifies_after_a_sync(tmp_path: Path) -> None:
    phrases = [Phrase("objection:low_yield", text) for text in ("收益太低", "利息才两个点", "收益不如别家")]
    phrases += [Phrase("objection:ask_family", text) for text in ("回去问问老公", "跟家里商量", "老婆说了算")]
    index = PhraseIndex(chromadb.PersistentClient(str(tmp_path / "chroma")), FakeEmbedder(),
                        classifier_cache=tmp_path / "label_classifier.npz")
    index.sync(phrases)
    probabilities = index.label_probabilities(index.embed("回去和老公商量"))
    assert max(probabilities, key=probabilities.get) == "objection:ask_family"
    index.sync(phrases[:3])  # only one label left: everything is that label
    assert index.label_probabilities(index.embed("回去和老公商量")) == {"objection:low_yield": 1.0}


def test_the_same_phrasings_listed_in_another_order_reuse_the_cache(tmp_path: Path) -> None:
    vectors, labels = clusters()
    cache = tmp_path / "label_classifier.npz"
    cached_classifier(vectors, labels, cache)
    written = cache.stat().st_mtime_ns
    reverse = list(range(len(labels)))[::-1]
    cached_classifier(vectors[reverse], [labels[i] for i in reverse], cache)
    assert cache.stat().st_mtime_ns == written  # read back, not trained and written again
