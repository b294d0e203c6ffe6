"""Small-to-big's dense ranking: every sentence unit's vector in one float16 matrix, searched exactly.

The units live in the store (chromadb, so a shared Chroma server has them too), but they are not searched
there: at 100,000 passages (400,000 units) the first touch of chromadb's units collection (a query, a get,
even a count) loads all of it into the process, +780 MB. As float16 rows the same vectors take 290 MB,
and one exact matrix-vector product over them (torch, half precision) takes about 20 ms on 2 cores, with
every passage ranked by its closest unit exactly, where the index gave an approximate top few.

The matrix is saved in the data dir under a key of the passages it covers and built by the ingest that
changed them (knowledge.base.prepare_search_indexes), so the searching process only loads it. When the
passages change, the saved rows of the passages that stay are kept and only the units of new passages are
read from the store.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from knowledge.keyed_arrays import read_keyed, save_keyed
from knowledge.types import ChunkStore

log = logging.getLogger(__name__)

CACHE_FILE = "units.npz"
_VERSION = "units-v1"


class UnitIndex:
    """Unit vectors (float16 rows, unit length) and the passage each belongs to."""

    def __init__(self, chunk_ids: np.ndarray, owners: np.ndarray, vectors: np.ndarray) -> None:
        import torch  # loaded with the embedder anyway; imported late like it

        self.chunk_ids = chunk_ids  # the passages, each once
        self.owners = owners  # per row: its passage's position in chunk_ids
        self.vectors = vectors
        self._owners = torch.from_numpy(owners.astype(np.int64))
        self._matrix = torch.from_numpy(vectors)  # shares the array's memory

    @property
    def size(self) -> int:
        return len(self.owners)

    def nearest(self, vector: Sequence[float], k: int) -> list[tuple[str, float]]:
        """Passages ranked by their closest unit's cosine similarity, best first, each once; up to k."""
        if not self.size:
            return []
        import torch

        query = torch.tensor(vector, dtype=torch.float16)
        scores = (self._matrix @ query).float()
        best = torch.full((len(self.chunk_ids),), -2.0).scatter_reduce_(0, self._owners, scores, "amax")
        top = torch.topk(best, min(k, len(self.chunk_ids)))
        return [(str(self.chunk_ids[i]), float(score))
                for score, i in zip(top.values.tolist(), top.indices.tolist(), strict=True) if score > -2.0]


def unit_index_key(chunk_ids: Sequence[str]) -> str:
    """What a saved matrix must match: the passages (an id hashes its text and headings, so the same id has
    the same units)."""
    listed = "\n".join([_VERSION, *chunk_ids])
    return hashlib.sha1(listed.encode()).hexdigest()[:16]


def load_unit_index(store: ChunkStore, chunk_ids: Sequence[str], dimension: int,
                    cache_dir: Path | None) -> UnitIndex:
    """The unit index of the passages `chunk_ids` (sorted): saved, updated from a saved one, or read whole
    from the store; saved again when it changed.

    A saved index that matches is used without touching the store's units: any read of chromadb's units
    collection, even a count, loads all of it (+780 MB at 100,000 passages)."""
    key = unit_index_key(chunk_ids)
    path = cache_dir / CACHE_FILE if cache_dir else None
    saved = read_keyed(path) if path else None
    arrays = saved[1] if saved and saved[1]["vectors"].shape[1:] == (dimension,) else None
    if saved and arrays and saved[0] == key and _every_passage_has_units(arrays):
        return UnitIndex(arrays["chunk_ids"], arrays["owners"], arrays["vectors"])
    started = time.perf_counter()
    index = _updated(store, chunk_ids, arrays, dimension)
    log.info("unit index of %d units built in %.1f s", index.size, time.perf_counter() - started)
    if path:
        try:
            save_keyed(path, key, chunk_ids=index.chunk_ids, owners=index.owners, vectors=index.vectors)
        except OSError as error:  # a read-only data dir still searches; it reads the units again next time
            log.warning("unit index not saved: %s", type(error).__name__)
    return index


def _every_passage_has_units(arrays: dict[str, np.ndarray]) -> bool:
    # A passage with none is read again: a store written before units gets them on its next ingest (ids
    # unchanged), and an ingest that stopped half-way is completed by the next one.
    return bool(np.bincount(arrays["owners"], minlength=len(arrays["chunk_ids"])).all())


def _updated(store: ChunkStore, chunk_ids: Sequence[str], saved: dict[str, np.ndarray] | None,
             dimension: int) -> UnitIndex:
    wanted = np.asarray(chunk_ids, dtype=str)
    if saved is not None:
        kept_rows = np.isin(saved["chunk_ids"], wanted)[saved["owners"]]
        covered = set(saved["chunk_ids"][np.unique(saved["owners"][kept_rows])].tolist())
        missing = [cid for cid in chunk_ids if cid not in covered]
        if len(missing) <= len(chunk_ids) // 2:  # else one pass over all units is quicker
            fetched_owners, fetched = _read_units(store, missing, dimension)
            owners = np.concatenate([saved["chunk_ids"][saved["owners"][kept_rows]],
                                     np.asarray(fetched_owners, dtype=str)])
            vectors = np.concatenate([saved["vectors"][kept_rows], fetched])
            log.info("unit index: %d units kept, %d read from the store", int(kept_rows.sum()), len(fetched))
            return _indexed(wanted, owners, vectors)
    owners, vectors = _read_units(store, None, dimension)
    return _indexed(wanted, np.asarray(owners, dtype=str), vectors)


def _read_units(store: ChunkStore, chunk_ids: list[str] | None,
                dimension: int) -> tuple[list[str], np.ndarray]:
    owners: list[str] = []
    blocks = [np.zeros((0, dimension), dtype=np.float16)]
    if chunk_ids == []:
        return owners, blocks[0]
    for page_owners, page_vectors in store.unit_vectors(chunk_ids):
        if not page_owners:
            continue
        owners.extend(page_owners)
        blocks.append(np.asarray(page_vectors, dtype=np.float16))
    return owners, np.concatenate(blocks)


def _indexed(chunk_ids: np.ndarray, owner_ids: np.ndarray, vectors: np.ndarray) -> UnitIndex:
    """Rows of passages not among `chunk_ids` (sorted) are dropped: the store and the passages read a moment
    apart may differ by an ingest."""
    positions = np.searchsorted(chunk_ids, owner_ids)
    positions = np.minimum(positions, max(len(chunk_ids) - 1, 0))
    known = (chunk_ids[positions] == owner_ids) if len(chunk_ids) else np.zeros(len(owner_ids), dtype=bool)
    if not known.all():  # a copy of the matrix only when rows go
        vectors, positions = vectors[known], positions[known]
    return UnitIndex(chunk_ids, positions.astype(np.int32), np.ascontiguousarray(vectors))
