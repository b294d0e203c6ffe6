"""KnowledgeBase.search(): dense vectors and BM25 over Chinese tokens, fused by reciprocal rank."""

from __future__ import annotations

import hashlib
import logging
import pickle
from pathlib import Path

from knowledge.fusion import reciprocal_rank_fusion
from knowledge.glossary import expand_query
from knowledge.lexical import BM25Index, tokenize
from knowledge.settings import Settings
from knowledge.types import Chunk, ChunkStore, Embedder, Hit

log = logging.getLogger(__name__)

# How many candidates each ranking contributes before fusion.
_CANDIDATES = 30


class KnowledgeBase:
    """The training material as the agent and the CLI see it."""

    def __init__(self, store: ChunkStore, embedder: Embedder, *, cache_dir: Path | None = None) -> None:
        self.store = store
        self.embedder = embedder
        self._cache_dir = cache_dir
        self.refresh()

    def refresh(self) -> None:
        """Reload the chunks and the lexical index from the store (call after an ingest)."""
        chunks = sorted(self.store.all_chunks(), key=lambda c: c.chunk_id)
        self._chunks: list[Chunk] = chunks
        self._by_id = {c.chunk_id: c for c in chunks}
        self._lexical = self._load_or_build_index(chunks)

    def __len__(self) -> int:
        return len(self._chunks)

    def _load_or_build_index(self, chunks: list[Chunk]) -> BM25Index:
        fingerprint = hashlib.sha1("\n".join(c.chunk_id for c in chunks).encode()).hexdigest()[:16]
        cache = self._cache_dir / f"bm25-{fingerprint}.pkl" if self._cache_dir else None
        if cache and cache.exists():
            try:
                with cache.open("rb") as fh:
                    return pickle.load(fh)
            except Exception:  # a stale or truncated cache is rebuilt, never fatal
                log.warning("lexical index cache unreadable, rebuilding")
        index = BM25Index(tokenize(f"{c.title} {c.section} {c.text}") for c in chunks)
        if cache:
            cache.parent.mkdir(parents=True, exist_ok=True)
            for old in cache.parent.glob("bm25-*.pkl"):
                old.unlink(missing_ok=True)
            tmp = cache.with_suffix(".tmp")
            with tmp.open("wb") as fh:
                pickle.dump(index, fh, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(cache)
        return index

    def _query_vector(self, query: str) -> list[float]:
        return self.embedder.embed_batch([query], "query")[0]

    def _dense(self, vector: list[float], n: int) -> list[tuple[str, float]]:
        return [(chunk.chunk_id, sim) for chunk, sim in self.store.query(vector, n)]

    def _lexical_ids(self, query: str, n: int) -> list[str]:
        return [self._chunks[i].chunk_id for i, _ in self._lexical.top(tokenize(query), n)]

    def _hits(self, ranked: list[tuple[str, float]], vector: list[float], dense: dict[str, float],
              k: int) -> list[Hit]:
        ranked = [(cid, score) for cid, score in ranked if cid in self._by_id][:k]
        missing = [cid for cid, _ in ranked if cid not in dense]
        similarities = getattr(self.store, "similarities", None)
        if missing and similarities is not None:
            dense = {**dense, **similarities(vector, missing)}
        hits = []
        for cid, score in ranked:
            chunk = self._by_id[cid]
            hits.append(Hit(text=chunk.text, source=chunk.source, title=chunk.title, section=chunk.section,
                            score=float(score), chunk_id=cid, relevance=float(dense.get(cid, 0.0))))
        return hits

    @staticmethod
    def _check(query: str, k: int) -> str:
        query = (query or "").strip()
        if not query:
            raise ValueError("empty query: ask a question or give some keywords")
        if k < 1:
            raise ValueError("k must be at least 1")
        return expand_query(query)  # English wealth-management words also search as their Chinese terms

    def search(self, query: str, k: int = 5) -> list[Hit]:
        """Hybrid search: dense and lexical rankings fused by reciprocal rank; best first."""
        query = self._check(query, k)
        if not self._chunks:
            return []
        vector = self._query_vector(query)
        dense = self._dense(vector, max(_CANDIDATES, k))
        lexical = self._lexical_ids(query, max(_CANDIDATES, k))
        fused = reciprocal_rank_fusion([[cid for cid, _ in dense], lexical])
        return self._hits(fused, vector, dict(dense), k)

    def search_dense(self, query: str, k: int = 5) -> list[Hit]:
        query = self._check(query, k)
        if not self._chunks:
            return []
        vector = self._query_vector(query)
        dense = self._dense(vector, k)
        return self._hits(dense, vector, dict(dense), k)

    def search_lexical(self, query: str, k: int = 5) -> list[Hit]:
        query = self._check(query, k)
        if not self._chunks:
            return []
        ranked = [(self._chunks[i].chunk_id, s) for i, s in self._lexical.top(tokenize(query), k)]
        vector = self._query_vector(query)
        return self._hits(ranked, vector, {}, k)


def open_knowledge_base(settings: Settings, embedder: Embedder | None = None) -> KnowledgeBase:
    """The knowledge base the settings name, with the default embedder unless one is given."""
    from knowledge.store import open_chunk_store

    if embedder is None:
        from knowledge.embedder import load_embedder

        embedder = load_embedder(settings)
    store = open_chunk_store(settings, embedder)
    return KnowledgeBase(store, embedder, cache_dir=settings.data_dir / "lexical")
