"""The in-memory ChunkStore (tests/fakes.py) as a fixture for ingest tests, keyed like the real store."""

from __future__ import annotations

import pytest

from tests.fakes import FakeEmbedder, MemoryChunkStore


class KeyedMemoryChunkStore(MemoryChunkStore):
    """ids_by_source keyed by `Chunk.key` (the full path), as ChromaChunkStore does."""

    def ids_by_source(self) -> dict[str, set[str]]:
        result: dict[str, set[str]] = {}
        for chunk in self.chunks.values():
            result.setdefault(chunk.key, set()).add(chunk.chunk_id)
        return result

    def source_names(self) -> set[str]:
        return {chunk.source for chunk in self.chunks.values()}


@pytest.fixture
def memory_store(fake_embedder: FakeEmbedder) -> KeyedMemoryChunkStore:
    return KeyedMemoryChunkStore(fake_embedder)
