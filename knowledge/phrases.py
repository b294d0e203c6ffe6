"""Labelled example phrasings in their own vector-store collection: the coach's router finds the
nearest ones to an adviser's message.

Ids are content hashes, so syncing after a trainer edits the library embeds only what changed, and a
team on one Chroma server shares the same phrasings.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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

    def __init__(self, client: Any, embedder: Embedder, collection: str = COLLECTION) -> None:
        from knowledge.store import embedding_function

        self._embedder = embedder
        self._collection = client.get_or_create_collection(
            collection, embedding_function=embedding_function(embedder), metadata={"hnsw:space": "cosine"})

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
        return len(new)

    def embed(self, text: str) -> list[float]:
        return self._embedder.embed_batch([text], "query")[0]

    def nearest(self, vector: Sequence[float], k: int = 12) -> list[Neighbour]:
        total = self._collection.count()
        if total == 0:
            return []
        found = self._collection.query(query_embeddings=[list(vector)], n_results=min(k, total),
                                       include=["documents", "metadatas", "distances"])
        rows = zip(found["documents"][0], found["metadatas"][0], found["distances"][0], strict=True)
        return [Neighbour(str(meta["label"]), doc, 1.0 - float(dist)) for doc, meta, dist in rows]


def open_phrase_index(settings: Settings, embedder: Embedder) -> PhraseIndex:
    """The phrasings collection in the same store as the knowledge (local, or the CHROMA_HOST server)."""
    from knowledge.store import chroma_client

    return PhraseIndex(chroma_client(settings), embedder)
