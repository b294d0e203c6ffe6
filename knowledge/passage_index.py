"""The passages as the searching process holds them: their text and headings, and their vectors in one
float16 matrix searched exactly, read from a snapshot in the data dir instead of from the store.

Why not chromadb: at 100,000 passages the first touch of the passages' collection (a query, a get, even a
count) loads its whole HNSW index into the process, +230 MB, and reading every passage back takes seconds
to half a minute. The same vectors as float16 rows take 77 MB, and a matrix-vector product over them takes
a few milliseconds (its best candidates scored again in single precision, so the ranking is exact).

The snapshot is saved under a key of the store's identity and its generation, a token every finished write
to the passages changes (`ChunkStore.generation`), so a process checks it without touching the passages.
The ingest that changed the passages writes it (knowledge.base.prepare_search_indexes), so the bot usually
only loads it; the bot saves one itself after its own upload. A store with no finished generation (written
before generations existed, being written, or left by a writer that died) is read on every open and
nothing is saved, until an ingest stamps one.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from knowledge.keyed_arrays import load_keyed, pack_strings, save_keyed, unpack_strings
from knowledge.types import Chunk, ChunkStore

log = logging.getLogger(__name__)

CACHE_FILE = "passages.npz"
_VERSION = "passages-v1"
# The fields many passages share (one article's title, one file's name): saved once each, and held once.
_SHARED_FIELDS = ("source", "title", "section", "source_key")
_RESCORED = 64  # candidates of the half-precision product scored again exactly, at least


class PassageIndex:
    """The passages sorted by id, and their vectors (float16 rows, unit length) in the same order; `key`
    names the store and generation they were read from (None: a store with no generation, not saved);
    `generation` is the store's when they were loaded."""

    def __init__(self, chunks: list[Chunk], vectors: np.ndarray, *, key: str | None) -> None:
        import torch  # loaded with the embedder anyway; imported late like it

        self.chunks = chunks
        self.vectors = vectors
        self.key = key
        self.generation: str | None = None
        self._rows = {chunk.chunk_id: row for row, chunk in enumerate(chunks)}
        self._matrix = torch.from_numpy(vectors)  # shares the array's memory

    def __len__(self) -> int:
        return len(self.chunks)

    def get(self, chunk_id: str) -> Chunk | None:
        row = self._rows.get(chunk_id)
        return None if row is None else self.chunks[row]

    def nearest(self, vector: Sequence[float], k: int) -> list[tuple[str, float]]:
        """Passages by cosine similarity to a query vector, best first; up to k."""
        if not self.chunks:
            return []
        import torch

        # A half-precision product picks the candidates; its scores are rounded to about 5e-4, so the best
        # few would tie. They are scored again in single precision, as `similarities` scores any passage.
        rough = self._matrix @ torch.tensor(vector, dtype=torch.float16)
        candidates = torch.topk(rough, min(max(4 * k, _RESCORED), len(self.chunks))).indices.numpy()
        scores = self._exact(vector, candidates)
        best = np.argsort(-scores, kind="stable")[:k]
        return [(self.chunks[candidates[i]].chunk_id, float(scores[i])) for i in best]

    def similarities(self, vector: Sequence[float], chunk_ids: Sequence[str]) -> dict[str, float]:
        """Cosine similarity of a query vector to the given passages (those held)."""
        rows = [(cid, self._rows[cid]) for cid in chunk_ids if cid in self._rows]
        if not rows:
            return {}
        scores = self._exact(vector, np.asarray([row for _, row in rows]))
        return {cid: float(score) for (cid, _), score in zip(rows, scores, strict=True)}

    def _exact(self, vector: Sequence[float], rows: np.ndarray) -> np.ndarray:
        return self.vectors[rows].astype(np.float32) @ np.asarray(vector, dtype=np.float32)


def load_passage_index(store: ChunkStore, dimension: int, cache_dir: Path | None,
                       current: PassageIndex | None = None) -> PassageIndex:
    """The store's passages: the ones held (`current`) or saved while the store's generation is the same,
    else read from the store and saved under its generation."""
    generation = store.generation()
    key = (hashlib.sha1(f"{_VERSION}:{store.store_id}:{generation}".encode()).hexdigest()[:16]
           if generation else None)
    if key is not None and current is not None and current.key == key:
        return current
    path = cache_dir / CACHE_FILE if cache_dir else None
    if key is not None and path is not None:
        saved = load_keyed(path, key)
        if saved is not None and saved["vectors"].shape[1:] == (dimension,):
            return _loaded(_from_arrays(saved, key), generation)
    started = time.perf_counter()
    index = _read(store, dimension, key)
    log.info("passages (%d) read from the store in %.1f s", len(index), time.perf_counter() - started)
    if key is not None and store.generation() != generation:  # written meanwhile: not saved as that one
        index.key = key = None
    if key is not None and path is not None:
        try:
            save_keyed(path, key, **_as_arrays(index))
        except OSError as error:  # a read-only data dir still searches; it reads the store again next time
            log.warning("passage snapshot not saved: %s", type(error).__name__)
    return _loaded(index, generation)


def _loaded(index: PassageIndex, generation: str | None) -> PassageIndex:
    index.generation = generation
    return index


def _read(store: ChunkStore, dimension: int, key: str | None) -> PassageIndex:
    chunks: list[Chunk] = []
    blocks = [np.zeros((0, dimension), dtype=np.float16)]
    # Read from the store, each passage has its own copy of its article's title and file name: held once.
    shared: dict[str, str] = {}
    for page_chunks, page_vectors in store.passages():
        if page_chunks:
            chunks.extend(Chunk(chunk_id=c.chunk_id, text=c.text, position=c.position,
                                **{name: shared.setdefault(value, value)
                                   for name, value in _shared_fields(c).items()})
                          for c in page_chunks)
            blocks.append(np.asarray(page_vectors, dtype=np.float16).reshape(len(page_chunks), dimension))
    vectors = np.concatenate(blocks)
    order = sorted(range(len(chunks)), key=lambda row: chunks[row].chunk_id)
    return PassageIndex([chunks[row] for row in order], np.ascontiguousarray(vectors[order]), key=key)


def _shared_fields(chunk: Chunk) -> dict[str, str]:
    return {name: getattr(chunk, name) for name in _SHARED_FIELDS}


def _as_arrays(index: PassageIndex) -> dict[str, np.ndarray]:
    chunks = index.chunks
    arrays = {"vectors": index.vectors,
              "positions": np.fromiter((c.position for c in chunks), dtype=np.int64, count=len(chunks))}
    arrays["ids_blob"], arrays["ids_offsets"] = pack_strings([c.chunk_id for c in chunks])
    arrays["texts_blob"], arrays["texts_offsets"] = pack_strings([c.text for c in chunks])
    for name in _SHARED_FIELDS:
        table: dict[str, int] = {}
        arrays[f"{name}_of"] = np.fromiter((table.setdefault(getattr(c, name), len(table)) for c in chunks),
                                           dtype=np.int32, count=len(chunks))
        arrays[f"{name}_blob"], arrays[f"{name}_offsets"] = pack_strings(list(table))
    return arrays


def _from_arrays(arrays: dict[str, np.ndarray], key: str) -> PassageIndex:
    ids = unpack_strings(arrays["ids_blob"], arrays["ids_offsets"])
    texts = unpack_strings(arrays["texts_blob"], arrays["texts_offsets"])
    positions = arrays["positions"].tolist()
    fields = {}
    for name in _SHARED_FIELDS:
        table = unpack_strings(arrays[f"{name}_blob"], arrays[f"{name}_offsets"])
        fields[name] = [table[i] for i in arrays[f"{name}_of"].tolist()]
    chunks = [Chunk(chunk_id=chunk_id, text=text, position=position,
                    **{name: values[row] for name, values in fields.items()})
              for row, (chunk_id, text, position) in enumerate(zip(ids, texts, positions, strict=True))]
    return PassageIndex(chunks, arrays["vectors"], key=key)
