"""An in-memory ChunkStore for ingest tests: embeds on upsert like the real one, counts what it does."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pytest

from knowledge.types import Chunk
from tests.fakes import FakeEmbedder


class MemoryChunkStore:
    def __init__(self, embedder: FakeEmbedder) -> None:
        self.embedder = embedder
        self.chunks: dict[str, Chunk] = {}
        self.vectors: dict[str, list[float]] = {}
        self.upserted = 0
        self.deleted = 0

    def upsert(self, chunks: Sequence[Chunk]) -> None:
        vectors = self.embedder.embed_batch([chunk.text for chunk in chunks], kind="passage")
        for chunk, vector in zip(chunks, vectors, strict=True):
            self.chunks[chunk.chunk_id] = chunk
            self.vectors[chunk.chunk_id] = vector
        self.upserted += len(chunks)

    def delete(self, chunk_ids: Iterable[str]) -> None:
        for chunk_id in list(chunk_ids):
            if self.chunks.pop(chunk_id, None) is not None:
                self.deleted += 1
            self.vectors.pop(chunk_id, None)

    def ids_by_source(self) -> dict[str, set[str]]:
        result: dict[str, set[str]] = {}
        for chunk in self.chunks.values():
            result.setdefault(chunk.source, set()).add(chunk.chunk_id)
        return result

    def all_chunks(self) -> list[Chunk]:
        return sorted(self.chunks.values(), key=lambda chunk: (chunk.source, chunk.position))

    def query(self, vector: Sequence[float], k: int) -> list[tuple[Chunk, float]]:
        scored = [(self.chunks[cid], sum(a * b for a, b in zip(vec, vector, strict=True)))
                  for cid, vec in self.vectors.items()]
        return sorted(scored, key=lambda pair: -pair[1])[:k]

    def count(self) -> int:
        return len(self.chunks)


@pytest.fixture
def memory_store(fake_embedder: FakeEmbedder) -> MemoryChunkStore:
    return MemoryChunkStore(fake_embedder)
