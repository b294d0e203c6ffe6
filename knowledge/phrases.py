"""Labelled example phrasings in their own vector-store collection: the coach's router finds the
nearest ones to an adviser's message.

Ids are content hashes, so syncing after a trainer edits the library embeds only what changed, and a
team on one Chroma server shares the same phrasings. Search is exact (all vectors in memory, one matrix
product): the library is a few thousand phrasings, and an approximate index could rank the same message
differently after the collection changes.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from knowledge.phrase_classifier import PhraseClassifier, cached_classifier

if TYPE_CHECKING:
    from knowledge.settings import Settings
    from knowledge.types import Embedder

COLLECTION = "adviser_playbook_phrasings"
_BATCH = 256


@dataclass(frozen=True)
class Phrase:
    label: str  # what the phrasing stands for, e.g. "objection:rate_vs_other_bank" or "route:log"
    text: str

    @property
    def phrase_id(self) -> str:
        return hashlib.sha1(f"{self.label}\n{self.text}".encode()).hexdigest()[:20]


@dataclass(frozen=True)
class Neighbour:
    label: str
    text: str
    similarity: float  # cosine, 1 = same meaning


class PhraseIndex:
    """Nearest labelled phrasings to a text. Both sides are embedded as e5 queries (a symmetric task)."""

    def __init__(self, client: Any, embedder: Embedder, collection: str = COLLECTION, *,
                 classifier_cache: Path | None = None) -> None:
        """`classifier_cache`: where the label classifier's weights are kept between processes."""
        from knowledge.store import embedding_function

        self._embedder = embedder
        self._classifier_cache = classifier_cache
        self._classifier: PhraseClassifier | None = None
        self._classifier_lock = threading.Lock()
        self._collection = client.get_or_create_collection(
            collection, embedding_function=embedding_function(embedder), metadata={"hnsw:space": "cosine"})
        self._loaded: tuple[np.ndarray, list[str], list[str]] | None = None  # vectors, labels, texts

    def sync(self, phrases: Sequence[Phrase]) -> int:
        """Make the collection hold exactly `phrases`; returns how many were embedded anew."""
        wanted = {p.phrase_id: p for p in phrases}
        have = set(self._collection.get(include=[])["ids"])
        stale = sorted(have - set(wanted))
        if stale:
            self._collection.delete(ids=stale)
        new = [p for pid, p in wanted.items() if pid not in have]
        for start in range(0, len(new), _BATCH):
            batch = new[start:start + _BATCH]
            self._collection.upsert(
                ids=[p.phrase_id for p in batch], documents=[p.text for p in batch],
                embeddings=self._embedder.embed_batch([p.text for p in batch], "query"),
                metadatas=[{"label": p.label} for p in batch])
        self._loaded = None
        self._classifier = None
        return len(new)

    def embed(self, text: str) -> list[float]:
        return self._embedder.embed_batch([text], "query")[0]

    def embed_many(self, texts: Sequence[str]) -> list[list[float]]:
        """Several texts in one model call (a cached embedder then answers `embed` for each)."""
        return self._embedder.embed_batch(list(texts), "query")

    def nearest(self, vector: Sequence[float], k: int = 12) -> list[Neighbour]:
        vectors, labels, texts = self._vectors()
        if not labels:
            return []
        query = np.asarray(vector, dtype=np.float32)
        similarities = vectors @ (query / (np.linalg.norm(query) or 1.0))
        top = np.argsort(-similarities, kind="stable")[:k]
        return [Neighbour(labels[i], texts[i], float(similarities[i])) for i in top]

    def label_probabilities(self, vector: Sequence[float]) -> dict[str, float]:
        """Each label's probability by the classifier trained on all phrasings (see phrase_classifier)."""
        with self._classifier_lock:
            if self._classifier is None:
                vectors, labels, _ = self._vectors()
                if len(set(labels)) < 2:
                    return {label: 1.0 for label in labels}
                self._classifier = cached_classifier(vectors, labels, self._classifier_cache)
            classifier = self._classifier
        return classifier.probabilities(vector)

    def _vectors(self) -> tuple[np.ndarray, list[str], list[str]]:
        """Every phrasing's unit vector, label and text, read from the collection once."""
        if self._loaded is None:
            found = self._collection.get(include=["embeddings", "metadatas", "documents"])
            vectors = np.asarray(found["embeddings"], dtype=np.float32).reshape(len(found["ids"]), -1)
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            self._loaded = (vectors / np.where(norms == 0, 1.0, norms),
                            [str(m["label"]) for m in found["metadatas"]], list(found["documents"]))
        return self._loaded


def open_phrase_index(settings: Settings, embedder: Embedder) -> PhraseIndex:
    """The phrasings collection in the same store as the knowledge (local, or the CHROMA_HOST server)."""
    from knowledge.store import chroma_client

    return PhraseIndex(chroma_client(settings), embedder,
                       classifier_cache=settings.data_dir / "phrases" / "label_classifier.npz")
