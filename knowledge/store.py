"""The chromadb vector store behind our ChunkStore interface.

Local (PersistentClient under the data dir) by default, a shared Chroma server when CHROMA_HOST is set.
We always hand chromadb our own embedding function, also when reopening a collection: its default
one downloads an ONNX model at run time, which fails on a closed network.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from knowledge.chroma_pages import PAGE, WRITE_BATCH, all_records, pages
from knowledge.errors import ServiceUnavailable
from knowledge.lexical import LEXICAL_VERSION, lexical_document
from knowledge.question_bank import QuestionBank, shipped_questions
from knowledge.question_index import QuestionIndex
from knowledge.settings import Settings
from knowledge.types import Chunk, Embedder, chunk_of_record, embedding_text, unit_embedding_texts

log = logging.getLogger(__name__)

_EF_NAME = "adviser-desk-embedder"
# The sentence units of the collection's chunks live in a sibling collection, one record per unit,
# id "<chunk id>:<n>" (so a unit's chunk is read from its id, without metadata).
UNITS_SUFFIX = "_units"
# The question bank's questions of the chunks (knowledge/question_index.py), kept in step with the chunks
# by every ingest.
QUESTIONS_SUFFIX = "_questions"
# One record whose document is the passages' generation: a token every finished write to them changes, read
# without touching the passages (knowledge/passage_index.py keys its snapshot by it).
STATE_SUFFIX = "_state"
_GENERATION = "generation"
_WRITING = "writing-"  # a generation that starts so marks a write under way, or one whose writer died


class StoreUnavailable(ServiceUnavailable):
    """The Chroma server can't be reached; the message says where and what to do."""


def embedding_function(embedder: Embedder | None) -> Any:
    from chromadb.api.types import Documents, EmbeddingFunction, Embeddings

    class AdviserEmbeddingFunction(EmbeddingFunction[Documents]):
        """Adapter: chromadb calls this for documents; queries are embedded by us with the query prefix."""

        def __init__(self, inner: Embedder | None = None) -> None:
            self._inner = inner

        def __call__(self, input: Documents) -> Embeddings:  # noqa: A002 - chromadb's parameter name
            if self._inner is None:
                raise RuntimeError("no embedder configured: open the store with open_chunk_store()")
            import numpy as np

            return [np.asarray(v, dtype=np.float32) for v in self._inner.embed_batch(list(input), "passage")]

        @staticmethod
        def name() -> str:
            return _EF_NAME

        def get_config(self) -> dict[str, Any]:
            return {}

        @staticmethod
        def build_from_config(config: dict[str, Any]) -> AdviserEmbeddingFunction:
            # chromadb rebuilds a function from a collection's stored config; ours refuses to embed
            # until a real embedder is passed, so nothing ever falls back to a downloaded model.
            return AdviserEmbeddingFunction()

        def default_space(self) -> str:
            return "cosine"

    return AdviserEmbeddingFunction(embedder)


def _collection(client: Any, name: str, embedder: Embedder) -> Any:
    return client.get_or_create_collection(name, embedding_function=embedding_function(embedder),
                                           metadata={"hnsw:space": "cosine"})


def _chunk_from(chunk_id: str, text: str, meta: dict | None) -> Chunk:
    meta = meta or {}
    return Chunk(chunk_id=chunk_id, text=text or "", source=str(meta.get("source", "")),
                 title=str(meta.get("title", "")), section=str(meta.get("section", "")),
                 position=int(meta.get("position", 0) or 0), source_key=str(meta.get("source_key", "")))


def _chunks_of(rows: dict[str, Any]) -> list[Chunk]:
    """The chunks of a `get` result read with documents and metadatas."""
    return [_chunk_from(i, d, m) for i, d, m in zip(rows["ids"], rows["documents"], rows["metadatas"],
                                                   strict=False)]


def _metadata(chunk: Chunk) -> dict[str, Any]:
    # The BM25 tokens are computed here, once per passage, so opening a large store needs no tokenizer.
    return {"source": chunk.source, "source_key": chunk.source_key, "title": chunk.title,
            "section": chunk.section, "position": chunk.position,
            "tokens": " ".join(lexical_document(chunk)), "tokens_version": LEXICAL_VERSION}


class ChromaChunkStore:
    """ChunkStore over one chromadb collection (cosine space), its sentence units' collection, the
    question bank's questions' collection and a one-record collection holding the passages' generation."""

    def __init__(self, client: Any, collection_name: str, embedder: Embedder,
                 questions: QuestionBank | None = None) -> None:
        self._embedder = embedder
        self._collection = _collection(client, collection_name, embedder)
        self._units = _collection(client, collection_name + UNITS_SUFFIX, embedder)
        self.store_id = str(self._units.id)
        self._state = _collection(client, collection_name + STATE_SUFFIX, embedder)
        self._questions = QuestionIndex(_collection(client, collection_name + QUESTIONS_SUFFIX, embedder),
                                        embedder, questions if questions is not None else QuestionBank([]))

    def generation(self) -> str | None:
        rows = self._state.get(ids=[_GENERATION], include=["documents"])
        value = rows["documents"][0] if rows["ids"] else None
        return None if value is None or value.startswith(_WRITING) else value

    def _set_generation(self, prefix: str = "") -> None:
        # The record needs a vector: a constant one, never searched.
        self._state.upsert(ids=[_GENERATION], documents=[prefix + uuid.uuid4().hex], embeddings=[[1.0]])

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """A write to the passages: marked as under way first (no generation, so nothing read meanwhile is
        kept), then given a new generation. A writer killed half-way leaves the mark, and the passages are
        read afresh until the next ingest stamps a generation."""
        self._set_generation(_WRITING)
        try:
            yield
        finally:  # a write that failed half-way changed the passages too
            self._set_generation()

    def upsert(self, chunks: Sequence[Chunk]) -> None:
        if not chunks:
            return
        with self._writing():
            for start in range(0, len(chunks), WRITE_BATCH):
                batch = list(chunks[start:start + WRITE_BATCH])
                vectors = self._embedder.embed_batch([embedding_text(c) for c in batch], "passage")
                self._collection.upsert(
                    ids=[c.chunk_id for c in batch],
                    documents=[c.text for c in batch],
                    embeddings=vectors,
                    metadatas=[_metadata(c) for c in batch],
                )
                self._upsert_units(batch)

    def _upsert_units(self, chunks: Sequence[Chunk]) -> None:
        ids: list[str] = []
        texts: list[str] = []
        for chunk in chunks:
            units = unit_embedding_texts(chunk)
            # A passage's units go in one write: a process reading meanwhile sees all of them or none
            # (knowledge/unit_index.py reads a passage with none again later).
            if ids and len(ids) + len(units) > WRITE_BATCH:
                self._write_units(ids, texts)
                ids, texts = [], []
            ids.extend(f"{chunk.chunk_id}:{number}" for number in range(len(units)))
            texts.extend(units)
        if ids:
            self._write_units(ids, texts)
        self._questions.upsert(chunks)

    def _write_units(self, ids: list[str], texts: list[str]) -> None:
        self._units.upsert(ids=ids, embeddings=self._embedder.embed_batch(texts, "passage"),
                           metadatas=[{"chunk": chunk_of_record(unit)} for unit in ids])

    def delete(self, chunk_ids: Iterable[str]) -> None:
        ids = list(chunk_ids)
        if not ids:
            return
        with self._writing():
            for start in range(0, len(ids), WRITE_BATCH):
                self._collection.delete(ids=ids[start:start + WRITE_BATCH])
        self._delete_units_of(set(ids))
        self._questions.delete_of(ids)

    def _delete_units_of(self, chunk_ids: set[str]) -> None:
        ids = sorted(chunk_ids)
        for start in range(0, len(ids), WRITE_BATCH):
            self._units.delete(where={"chunk": {"$in": ids[start:start + WRITE_BATCH]}})

    def index_missing_units(self) -> int:
        """Units for chunks that have none, none for chunks that are gone; the question bank's questions
        reconciled with the stored chunks (knowledge/question_index.py); a generation if there is none."""
        chunk_ids = set(all_records(self._collection, [])["ids"])
        unit_ids = all_records(self._units, [])["ids"]
        indexed = {chunk_of_record(unit) for unit in unit_ids}
        self._delete_units_of(indexed - chunk_ids)  # left by an ingest that stopped half-way
        missing = sorted(chunk_ids - indexed)
        for start in range(0, len(missing), WRITE_BATCH):
            rows = self._collection.get(ids=missing[start:start + WRITE_BATCH],
                                        include=["documents", "metadatas"])
            self._upsert_units(_chunks_of(rows))
        self._questions.reconcile(self._chunks_of_sources)
        if self.generation() is None:  # written before generations, or by a writer that died: stamped now
            self._set_generation()
        return len(missing)

    def _chunks_of_sources(self, sources: Iterable[str]) -> list[Chunk]:
        rows = self._collection.get(where={"source": {"$in": list(sources)}},
                                    include=["documents", "metadatas"])
        return _chunks_of(rows)

    def ids_by_source(self) -> dict[str, set[str]]:
        result: dict[str, set[str]] = {}
        rows = all_records(self._collection, ["metadatas"])
        for chunk_id, meta in zip(rows["ids"], rows["metadatas"], strict=False):
            meta = meta or {}
            key = str(meta.get("source_key") or meta.get("source", ""))
            result.setdefault(key, set()).add(chunk_id)
        return result

    def passages(self) -> Iterator[tuple[list[Chunk], Any]]:
        # Page by page: a page's raw rows are dropped once they are chunks and float16 rows (a large
        # store's rows, held all at once, were most of a first open's memory). The stored BM25 tokens are
        # left out: read only to build the lexical index.
        for page in pages(self._collection, ["documents", "metadatas", "embeddings"]):
            yield _chunks_of(page), page["embeddings"]

    def stored_tokens(self) -> dict[str, str]:
        tokens: dict[str, str] = {}
        for page in pages(self._collection, ["metadatas"]):
            for chunk_id, meta in zip(page["ids"], page["metadatas"], strict=False):
                if meta and meta.get("tokens_version") == LEXICAL_VERSION:
                    tokens[chunk_id] = str(meta.get("tokens", ""))
        return tokens

    def unit_vectors(self, chunk_ids: Sequence[str] | None = None) -> Iterator[tuple[list[str], Any]]:
        """The stored sentence units' vectors a page at a time (each unit's chunk id, then the vectors as
        rows), of every chunk or of the given ones."""
        if chunk_ids is None:
            for page in pages(self._units, ["embeddings"]):
                yield [chunk_of_record(unit) for unit in page["ids"]], page["embeddings"]
            return
        ids = list(chunk_ids)
        # A page of chunks has a few units each: the page of units stays near chroma_pages.PAGE records.
        step = max(1, PAGE // 8)
        for start in range(0, len(ids), step):
            rows = self._units.get(where={"chunk": {"$in": ids[start:start + step]}}, include=["embeddings"])
            yield [chunk_of_record(unit) for unit in rows["ids"]], rows["embeddings"]

    def question_vectors(self) -> tuple[list[str], list[str], list[list[float]]]:
        """Each question-bank question's chunk id, text and vector (a few thousand at most)."""
        return self._questions.vectors()

    def count(self) -> int:
        return self._collection.count()


def chroma_client(settings: Settings) -> Any:
    """The Chroma client the settings name: a server if CHROMA_HOST is set, else local under the data dir."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_host:
        try:
            client = chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port,
                                         settings=chroma_settings)
            client.heartbeat()
        except Exception as exc:  # chromadb raises several types for a refused connection
            raise StoreUnavailable(
                f"Chroma server at {settings.chroma_host}:{settings.chroma_port} is not reachable "
                f"({type(exc).__name__}); start it with `chroma run` or unset CHROMA_HOST") from exc
        return client
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)


def open_chunk_store(settings: Settings, embedder: Embedder) -> ChromaChunkStore:
    """The knowledge collection in the store the settings name (see `chroma_client`)."""
    return ChromaChunkStore(chroma_client(settings), settings.chroma_collection, embedder,
                            shipped_questions())
