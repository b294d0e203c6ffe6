"""The question bank's questions as the store indexes them: one chromadb record per question.

A record's id is "<chunk id>:q<n>", its document the question, its metadata the chunk and the bank's
fingerprint. The store keeps them in step with its chunks; `reconcile` repairs whatever an edited bank, an
ingest stopped half-way or a store indexed before the bank existed left behind.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from knowledge.chroma_pages import WRITE_BATCH, all_records
from knowledge.question_bank import QuestionBank
from knowledge.types import Chunk, Embedder, chunk_of_record

log = logging.getLogger(__name__)


def _question_ids(chunk: Chunk, bank: QuestionBank) -> dict[str, str]:
    return {f"{chunk.chunk_id}:q{n}": q for n, q in enumerate(bank.questions_for(chunk))}


class QuestionIndex:
    """The question bank's records in one chromadb collection (cosine space), kept in step with the chunks."""

    def __init__(self, collection: Any, embedder: Embedder, bank: QuestionBank) -> None:
        self._collection = collection
        self._embedder = embedder
        self.bank = bank

    def upsert(self, chunks: Sequence[Chunk]) -> None:
        records = [(qid, chunk.chunk_id, question) for chunk in chunks
                   for qid, question in _question_ids(chunk, self.bank).items()]
        for start in range(0, len(records), WRITE_BATCH):
            batch = records[start:start + WRITE_BATCH]
            # Embedded as queries: an adviser's question is matched question to question.
            self._collection.upsert(
                ids=[r[0] for r in batch], documents=[r[2] for r in batch],
                embeddings=self._embedder.embed_batch([r[2] for r in batch], "query"),
                metadatas=[{"chunk": r[1], "bank": self.bank.fingerprint} for r in batch])

    def delete_of(self, chunk_ids: Sequence[str]) -> None:
        for start in range(0, len(chunk_ids), WRITE_BATCH):
            self._collection.delete(where={"chunk": {"$in": list(chunk_ids[start:start + WRITE_BATCH])}})

    def reconcile(self, chunks_of_sources: Callable[[Iterable[str]], list[Chunk]]) -> None:
        """Index exactly the current bank's questions of the stored chunks of its sources: stale or
        orphaned records are deleted, missing ones embedded (only those)."""
        chunks = chunks_of_sources(sorted(self.bank.sources)) if self.bank.sources else []
        expected = {qid: chunk for chunk in chunks for qid in _question_ids(chunk, self.bank)}
        records = all_records(self._collection, ["metadatas"])
        current = {qid for qid, meta in zip(records["ids"], records["metadatas"], strict=True)
                   if (meta or {}).get("bank") == self.bank.fingerprint}
        unwanted = [qid for qid in records["ids"] if qid not in current or qid not in expected]
        for start in range(0, len(unwanted), WRITE_BATCH):
            self._collection.delete(ids=unwanted[start:start + WRITE_BATCH])
        missing = {expected[qid].chunk_id: expected[qid] for qid in expected if qid not in current}
        self.upsert(list(missing.values()))
        unplaced = self.bank.landings(chunks).count(0) if chunks else 0
        if unplaced:  # the course changed under the bank: those entries' quotes need a new passage
            log.warning("question bank: %d of %d entries found no passage", unplaced, len(self.bank.entries))

    def vectors(self) -> tuple[list[str], list[str], list[list[float]]]:
        """Each question's chunk id, text and vector."""
        records = all_records(self._collection, ["documents", "embeddings"])
        return ([chunk_of_record(qid) for qid in records["ids"]], list(records["documents"]),
                [list(vector) for vector in records["embeddings"]])
