"""KnowledgeBase.search(): dense vectors and BM25 over Chinese tokens, fused by weighted reciprocal rank.

Four rankings of passages: dense over whole passages, dense over their sentence units (small-to-big:
a passage ranks by its closest sentence or list item, so a question naming one item of a long passage
still finds it), BM25 over passages, and dense over the question bank (knowledge/question_bank.py: how
advisers ask for a passage of the course, written by trainers; BM25 reads those questions' words too).
They see a passage with its article title and section heading
(a numbered list item says little without "沙龙活动的步骤" above it), and the query with the domain
synonyms of its words (knowledge/synonyms.yaml), so a question in an adviser's own words still meets
the course's terms.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from knowledge.fusion import reciprocal_rank_fusion
from knowledge.glossary import SynonymMap, default_synonyms, expand_query
from knowledge.lexical import LEXICAL_VERSION, BM25Index, document_tokens, tokenize
from knowledge.passage_index import PassageIndex, load_passage_index
from knowledge.settings import Settings
from knowledge.types import Chunk, ChunkStore, Embedder, Hit
from knowledge.unit_index import UnitIndex, load_unit_index

log = logging.getLogger(__name__)

# How many candidates each ranking contributes before fusion.
_CANDIDATES = 30
# Fusion weights and RRF constant, chosen on the dev splits of bench/retrieval_*.json and the shared dev
# set (bench/retrieval.py prints every mode side by side). With the question bank the passages' own
# vectors weigh least: their prose is furthest from how advisers ask.
DENSE_WEIGHT = 0.5
UNIT_WEIGHT = 1.0
LEXICAL_WEIGHT = 1.5
QUESTION_WEIGHT = 1.5
# A question counts only this near (e5-small cosine, query to query): only the course has a question bank,
# so a loosely related course question must not lift a course passage over an uploaded document that the
# other rankings put first. Dev figures are the same anywhere from 0.80 to 0.88 and drop at 0.90.
QUESTION_FLOOR = 0.85
FUSION_K = 3  # a small k trusts each ranking's head: measured best of 2, 3, 5, 10, 20, 60
# Synonyms weigh this much of a word the adviser actually wrote (lexical ranking).
SYNONYM_WEIGHT = 0.5
_INDEX_PREFIX = "bm25s-"
# How often a search checks whether another process changed the passages (`follow_writes`).
WRITES_CHECK_SECONDS = 30.0


class KnowledgeBase:
    """The training material as the agent and the CLI see it."""

    def __init__(self, store: ChunkStore, embedder: Embedder, *, cache_dir: Path | None = None,
                 synonyms: SynonymMap | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.store = store
        self.embedder = embedder
        self._cache_dir = cache_dir
        self._synonyms = synonyms if synonyms is not None else default_synonyms()
        self._units: UnitIndex | None = None  # a refresh updates the one held, if any
        self._passages: PassageIndex | None = None
        self._clock = clock
        self._checked_at = clock()
        self._refreshing = threading.RLock()  # one refresh at a time: an upload's, or one that follows writes
        self.refresh()

    def refresh(self) -> None:
        """Reload the passages, the lexical index and the unit index from the store (call after an
        ingest)."""
        with self._refreshing:
            self._refresh()

    def follow_writes(self) -> None:
        """Refresh when another process (an `adviser ingest` while the bot runs) changed the passages.
        Checked at most every WRITES_CHECK_SECONDS by the store's generation, which reads nothing else; a
        store with none (written before generations) is not followed, as reading it all is the refresh's
        cost. While one thread refreshes, the others search what is held."""
        now = self._clock()
        if now - self._checked_at < WRITES_CHECK_SECONDS or not self._refreshing.acquire(blocking=False):
            return
        try:
            self._checked_at = now
            generation = self.store.generation()
            if generation is not None and generation != self._passages.generation:
                log.info("the passages changed in another process: refreshing")
                self._refresh()
        finally:
            self._refreshing.release()

    def _refresh(self) -> None:
        passages = load_passage_index(self.store, self.embedder.dimension, self._cache_dir, self._passages)
        # The questions as the store indexed them: the dense ranking and BM25 read the same bank.
        question_chunks, questions, vectors = self.store.question_vectors()
        question_matrix = np.asarray(vectors, dtype=np.float32).reshape(len(vectors), self.embedder.dimension)
        asked: dict[str, list[str]] = {}
        for chunk_id, question in sorted(zip(question_chunks, questions, strict=True)):
            asked.setdefault(chunk_id, []).append(question)
        lexical = self._load_or_build_index(passages.chunks, asked)
        units = load_unit_index(self.store, [c.chunk_id for c in passages.chunks], self.embedder.dimension,
                                self._cache_dir, self._units)
        # Built first and swapped in one statement: a search running meanwhile (the bot refreshes after an
        # upload) uses what was held, not one index of the new passages with the old list of them.
        (self._passages, self._question_chunks, self._question_matrix, self._lexical,
         self._units) = (passages, question_chunks, question_matrix, lexical, units)

    def __len__(self) -> int:
        return len(self._passages)

    def _load_or_build_index(self, chunks: list[Chunk], asked: dict[str, list[str]]) -> BM25Index:
        """The BM25 index of the chunks, saved or built (from the tokens stored at ingest)."""
        # The fingerprint covers what is indexed (ids hash the text, title and section; the questions
        # asked of each) and how.
        how = f"v4.{LEXICAL_VERSION}"  # v4: the vocabulary in sorted arrays (lexical.TermIds)
        listed = [how, *(c.chunk_id for c in chunks),
                  *(f"{chunk_id}:{q}" for chunk_id, questions in asked.items() for q in questions)]
        fingerprint = hashlib.sha1("\n".join(listed).encode()).hexdigest()[:16]
        folder = self._cache_dir / f"{_INDEX_PREFIX}{fingerprint}" if self._cache_dir else None
        if folder and folder.is_dir():
            try:
                index = BM25Index.load(folder)
                if index.size == len(chunks):
                    return index
            except (OSError, ValueError, KeyError):  # a stale or truncated index is rebuilt, never fatal
                pass
            log.warning("lexical index cache unreadable, rebuilding")
        started = time.perf_counter()
        index = BM25Index(_indexed_documents(chunks, asked, self.store.stored_tokens()))
        log.info("lexical index of %d passages built in %.1f s", index.size, time.perf_counter() - started)
        if folder:
            try:
                folder.parent.mkdir(parents=True, exist_ok=True)
                for old in folder.parent.iterdir():  # earlier indexes and the former pickle caches
                    if old == folder or not old.name.startswith((_INDEX_PREFIX, "bm25-")):
                        continue
                    shutil.rmtree(old, ignore_errors=True) if old.is_dir() else old.unlink(missing_ok=True)
                index.save(folder)
            except OSError as error:  # a read-only data dir still searches, it only rebuilds next time
                log.warning("lexical index not saved: %s", type(error).__name__)
        return index

    def _query_vector(self, query: str) -> list[float]:
        return self.embedder.embed_batch([query], "query")[0]

    def _dense(self, vector: list[float], n: int) -> list[tuple[str, float]]:
        return self._passages.nearest(vector, n)

    def _lexical_ranking(self, query: str, n: int) -> list[tuple[str, float]]:
        extra = tokenize(" ".join(self._synonyms.expansions(query)))
        ranked = self._lexical.top(tokenize(query), n, extra_tokens=extra, extra_weight=SYNONYM_WEIGHT)
        return [(self._passages.chunks[i].chunk_id, score) for i, score in ranked]

    def _question_ranking(self, vector: list[float], n: int) -> list[tuple[str, float]]:
        """Chunks by their nearest question of the bank, best first, each once."""
        if not self._question_chunks:
            return []
        similarities = self._question_matrix @ np.asarray(vector, dtype=np.float32)
        best: dict[str, float] = {}
        for row in np.argsort(-similarities):
            if similarities[row] < QUESTION_FLOOR:
                break
            best.setdefault(self._question_chunks[row], float(similarities[row]))
            if len(best) == n:
                break
        return list(best.items())

    def _hits(self, ranked: list[tuple[str, float]], vector: list[float], dense: dict[str, float],
              k: int) -> list[Hit]:
        passages = self._passages  # the ones held now, should a refresh replace them meanwhile
        held = [(chunk, score) for chunk, score in ((passages.get(cid), score) for cid, score in ranked)
                if chunk is not None][:k]
        missing = [chunk.chunk_id for chunk, _ in held if chunk.chunk_id not in dense]
        if missing:  # found by words only: their cosine is the relevance an answer is gated on
            dense = {**dense, **passages.similarities(vector, missing)}
        hits = []
        for chunk, score in held:
            cid = chunk.chunk_id
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
        """Dense (passages and their sentence units) and lexical rankings fused by weighted reciprocal
        rank; best first."""
        query = self._check(query, k)
        self.follow_writes()
        if not self._passages.chunks:
            return []
        vector = self._query_vector(query)
        pool = max(_CANDIDATES, k)
        dense = self._dense(vector, pool)
        lexical = self._lexical_ranking(query, pool)
        units = self._units.nearest(vector, pool)
        questions = self._question_ranking(vector, pool)
        fused = reciprocal_rank_fusion(
            [[cid for cid, _ in ranking] for ranking in (dense, units, lexical, questions)],
            weights=[DENSE_WEIGHT, UNIT_WEIGHT, LEXICAL_WEIGHT, QUESTION_WEIGHT], k=FUSION_K)
        return self._hits(fused, vector, dict(dense), k)

    def search_dense(self, query: str, k: int = 5) -> list[Hit]:
        query = self._check(query, k)
        if not self._passages.chunks:
            return []
        vector = self._query_vector(query)
        dense = self._dense(vector, k)
        return self._hits(dense, vector, dict(dense), k)

    def search_units(self, query: str, k: int = 5) -> list[Hit]:
        """Passages ranked by their closest sentence unit alone (dense), for comparison."""
        query = self._check(query, k)
        if not self._passages.chunks:
            return []
        vector = self._query_vector(query)
        return self._hits(self._units.nearest(vector, k), vector, {}, k)

    def search_questions(self, query: str, k: int = 5) -> list[Hit]:
        """Passages ranked by their nearest question of the question bank alone, for comparison."""
        query = self._check(query, k)
        if not self._passages.chunks:
            return []
        vector = self._query_vector(query)
        return self._hits(self._question_ranking(vector, k), vector, {}, k)

    def search_lexical(self, query: str, k: int = 5) -> list[Hit]:
        query = self._check(query, k)
        if not self._passages.chunks:
            return []
        ranked = self._lexical_ranking(query, k)
        vector = self._query_vector(query)
        return self._hits(ranked, vector, {}, k)


def _indexed_documents(chunks: list[Chunk], asked: dict[str, list[str]],
                       stored: dict[str, str]) -> Iterator[list[str]]:
    """Each chunk's BM25 tokens: stored at ingest (that spares a large store's first open the tokenizing,
    most of its build) and the words of its question-bank questions (doc2query). Each passage's stored
    tokens are dropped as the index reads them, so they are not all held through the build."""
    for chunk in chunks:
        yield [*document_tokens(chunk, stored.pop(chunk.chunk_id, "")),
               *tokenize(" ".join(asked.get(chunk.chunk_id, ())))]


def search_cache_dir(settings: Settings) -> Path:
    """Where the search indexes built from the store are kept: the passage snapshot, BM25 and the unit
    index."""
    return settings.data_dir / "lexical"


def prepare_search_indexes(settings: Settings, store: ChunkStore, embedder: Embedder) -> None:
    """Build and save the search indexes of what the store holds now (after an ingest), so the process that
    searches next only loads them."""
    KnowledgeBase(store, embedder, cache_dir=search_cache_dir(settings))


def open_knowledge_base(settings: Settings, embedder: Embedder | None = None) -> KnowledgeBase:
    """The knowledge base the settings name, with the default embedder unless one is given."""
    from knowledge.store import open_chunk_store

    if embedder is None:
        from knowledge.embedder import load_embedder

        embedder = load_embedder(settings)
    store = open_chunk_store(settings, embedder)
    return KnowledgeBase(store, embedder, cache_dir=search_cache_dir(settings))
