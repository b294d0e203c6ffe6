"""The in-memory ChunkStore (tests/fakes.py) as a fixture for ingest tests."""

from __future__ import annotations

import pytest

from tests.fakes import FakeEmbedder, MemoryChunkStore


@pytest.fixture
def memory_store(fake_embedder: FakeEmbedder) -> MemoryChunkStore:
    return MemoryChunkStore(fake_embedder)
