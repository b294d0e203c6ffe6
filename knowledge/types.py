"""Small interfaces of our own in front of third-party stores and models."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

EmbedKind = Literal["query", "passage"]


@dataclass(frozen=True)
class Hit:
    """One passage returned by a search, best first."""

    text: str
    source: str
    title: str
    section: str
    score: float
    chunk_id: str = ""
    # Dense cosine similarity of query and passage, whatever ranking found it: the agent's
    # "the material does not cover this" threshold is measured on it (fused scores are ranks).
    relevance: float | None = None

    def as_json(self) -> dict:
        """The exact keys `adviser search --json` promises."""
        return {"text": self.text, "source": self.source, "title": self.title,
                "section": self.section, "score": round(self.score, 6)}


@dataclass(frozen=True)
class Chunk:
    """A passage ready for the store. `chunk_id` is a content hash, so re-ingest is idempotent."""

    chunk_id: str
    text: str
    source: str
    title: str
    section: str
    position: int
    metadata: dict = field(default_factory=dict)


class Embedder(Protocol):
    """Turns texts into unit-length vectors. `kind` selects the e5 prefix (query: / passage:)."""

    dimension: int

    def embed_batch(self, texts: Sequence[str], kind: EmbedKind = "passage") -> list[list[float]]: ...


class ChunkStore(Protocol):
    """The vector store as ingest and search see it (chromadb behind it)."""

    def upsert(self, chunks: Sequence[Chunk]) -> None: ...

    def delete(self, chunk_ids: Iterable[str]) -> None: ...

    def ids_by_source(self) -> dict[str, set[str]]: ...

    def all_chunks(self) -> list[Chunk]: ...

    def query(self, vector: Sequence[float], k: int) -> list[tuple[Chunk, float]]: ...

    def count(self) -> int: ...
