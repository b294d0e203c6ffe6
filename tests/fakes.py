"""Deterministic fakes shared by the unit tests (registered as fixtures in conftest)."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from knowledge.lexical import lexical_document
from knowledge.question_bank import QuestionBank
from knowledge.types import Chunk, EmbedKind, unit_embedding_texts


class FakeEmbedder:
    """Hashes character unigrams and bigrams into a small vector: texts sharing characters are close.

    Deterministic across runs and processes, no model, no network.
    """

    dimension = 64

    def __init__(self) -> None:
        self.calls = 0

    def embed_batch(self, texts: Sequence[str], kind: EmbedKind = "passage") -> list[list[float]]:
        self.calls += 1
        return [self._embed(text) for text in texts]

    def _embed(self, text: str) -> list[float]:
        vector = [0.0] * self.dimension
        grams = list(text) + [text[i:i + 2] for i in range(len(text) - 1)]
        for gram in grams:
            if gram.isspace():
                continue
            digest = hashlib.blake2b(gram.encode("utf-8"), digest_size=4).digest()
            vector[int.from_bytes(digest, "little") % self.dimension] += 1.0
        norm = math.sqrt(sum(v * v for v in vector)) or 1.0
        return [v / norm for v in vector]


class MemoryChunkStore:
    """An in-memory ChunkStore: embeds on upsert like the real one, counts what it does."""

    def __init__(self, embedder: FakeEmbedder, questions: QuestionBank | None = None) -> None:
        self.embedder = embedder
        self.bank = questions if questions is not None else QuestionBank([])
        self.chunks: dict[str, Chunk] = {}
        self.vectors: dict[str, list[float]] = {}
        self.unit_vectors_of: dict[str, list[list[float]]] = {}  # per chunk id, its sentence units'
        # per chunk id, its bank questions with their vectors
        self.questions: dict[str, list[tuple[str, list[float]]]] = {}
        self.upserted = 0
        self.deleted = 0
        self.store_id = f"memory-{id(self)}"
        self.writes = 0  # the generation: every write to the passages changes it

    def generation(self) -> str | None:
        return str(self.writes) if self.writes else None  # as chromadb's: none before the first write

    def upsert(self, chunks: Sequence[Chunk]) -> None:
        vectors = self.embedder.embed_batch([chunk.text for chunk in chunks], kind="passage")
        for chunk, vector in zip(chunks, vectors, strict=True):
            self.chunks[chunk.chunk_id] = chunk
            self.vectors[chunk.chunk_id] = vector
            self.unit_vectors_of[chunk.chunk_id] = self._unit_vectors(chunk)
            self.questions[chunk.chunk_id] = self._asked(chunk)
        self.upserted += len(chunks)
        self.writes += 1

    def _asked(self, chunk: Chunk) -> list[tuple[str, list[float]]]:
        # Not counted in `embedder.calls`, like the units below.
        return [(question, self.embedder._embed(question)) for question in self.bank.questions_for(chunk)]

    def _unit_vectors(self, chunk: Chunk) -> list[list[float]]:
        # Not counted in `embedder.calls`: tests count passage embeddings (what an ingest re-embeds).
        return [self.embedder._embed(text) for text in unit_embedding_texts(chunk)]

    def delete(self, chunk_ids: Iterable[str]) -> None:
        for chunk_id in list(chunk_ids):
            if self.chunks.pop(chunk_id, None) is not None:
                self.deleted += 1
            self.vectors.pop(chunk_id, None)
            self.unit_vectors_of.pop(chunk_id, None)
            self.questions.pop(chunk_id, None)
        self.writes += 1

    def ids_by_source(self) -> dict[str, set[str]]:
        """Chunk ids by `Chunk.key` (the full path), as ChromaChunkStore keys them."""
        result: dict[str, set[str]] = {}
        for chunk in self.chunks.values():
            result.setdefault(chunk.key, set()).add(chunk.chunk_id)
        return result

    def source_names(self) -> set[str]:
        return {chunk.source for chunk in self.chunks.values()}

    def all_chunks(self) -> list[Chunk]:
        """Not of the protocol: what tests inspect."""
        return sorted(self.chunks.values(), key=lambda chunk: (chunk.source, chunk.position))

    def passages(self) -> Iterator[tuple[list[Chunk], Any]]:
        chunks = self.all_chunks()
        yield chunks, [self.vectors[chunk.chunk_id] for chunk in chunks]

    def stored_tokens(self) -> dict[str, str]:
        return {cid: " ".join(lexical_document(chunk)) for cid, chunk in self.chunks.items()}

    def unit_vectors(self, chunk_ids: Sequence[str] | None = None) -> Iterator[tuple[list[str], Any]]:
        wanted = self.unit_vectors_of.keys() if chunk_ids is None else chunk_ids
        rows = [(cid, vector) for cid in wanted for vector in self.unit_vectors_of.get(cid, [])]
        yield [cid for cid, _ in rows], [vector for _, vector in rows]

    def question_vectors(self) -> tuple[list[str], list[str], list[list[float]]]:
        rows = [(cid, question, vector) for cid, asked in self.questions.items()
                for question, vector in asked]
        return [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]

    def index_missing_units(self) -> int:
        missing = [cid for cid in self.chunks if cid not in self.unit_vectors_of]
        for cid in missing:
            self.unit_vectors_of[cid] = self._unit_vectors(self.chunks[cid])
        self.questions = {cid: self._asked(chunk) for cid, chunk in self.chunks.items()}  # as reconciled
        return len(missing)

    def count(self) -> int:
        return len(self.chunks)
