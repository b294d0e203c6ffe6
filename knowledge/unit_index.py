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

from knowledge.keyed_arrays import read_keyed, save_keyed, saved_key
from knowledge.types import ChunkStore

log = logging.getLogger(__name__)

CACHE_FILE = "units.npz"
_VERSION = "units-v1"


class UnitIndex:
    """Unit vectors (float16 rows, unit length) and the passage each belongs to; `origin` names the store
    they were read from and `key` the passages they cover (see `load_unit_index`)."""

    def __init__(self, chunk_ids: np.ndarray, owners: np.ndarray, vectors: np.ndarray, *, origin: str,
                 key: str) -> None:
        import torch  # loaded with the embedder anyway; imported late like it

        self.chunk_ids = chunk_ids  # the passages, each once, sorted
        self.owners = owners  # per row: its passage's position in chunk_ids
        self.vectors = vectors
        self.origin = origin
        self.key = key
        self._owners = torch.from_numpy(owners.astype(np.int64))
        self._matrix = torch.from_numpy(vectors)  # shares the array's memory

    @property
    def size(self) -> int:
        return len(self.owners)

    def covers_every_passage(self) -> bool:
        # A passage with no row is read again: a store written before units gets them on its next ingest
        # (ids unchanged), and a process that read the store between an ingest's writes saw none yet.
        return bool(np.bincount(self.owners, minlength=len(self.chunk_ids)).all())

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


def load_unit_index(store: ChunkStore, chunk_ids: Sequence[str], dimension: int, cache_dir: Path | None,
                    current: UnitIndex | None = None) -> UnitIndex:
    """The unit index of the passages `chunk_ids`: the one held (`current`) or saved when it covers them,
    else one updated from it, or read whole from the store; saved again when it changed.

    A saved index that matches is used without touching the store's units: any read of chromadb's units
    collection, even a count, loads all of it (+780 MB at 100,000 passages). Rows are reused only from the
    same store (a store deleted and ingested again, say with another model, has another identity)."""
    chunk_ids = sorted(chunk_ids)
    origin = f"{_VERSION}:{store.store_id}"
    key = hashlib.sha1("\n".join([origin, *chunk_ids]).encode()).hexdigest()[:16]
    path = cache_dir / CACHE_FILE if cache_dir else None
    base = current if current is not None and current.origin == origin else None
    if path and (base is None or (base.key != key and saved_key(path) == key)):
        # The saved one: the only one there is, or one another process (an ingest) saved for these passages.
        base = _saved(path, origin, dimension) or base
    if base is not None and base.key == key and base.covers_every_passage():
        return base
    started = time.perf_counter()
    index = _updated(store, chunk_ids, base, dimension, origin, key)
    log.info("unit index of %d units built in %.1f s", index.size, time.perf_counter() - started)
    if path:
        try:
            save_keyed(path, key, chunk_ids=index.chunk_ids, owners=index.owners, vectors=index.vectors,
                       origin=np.array(origin))
        except OSError as error:  # a read-only data dir still searches; it reads the units again next time
            log.warning("unit index not saved: %s", type(error).__name__)
    return index


def _saved(path: Path, origin: str, dimension: int) -> UnitIndex | None:
    saved = read_keyed(path)
    if saved is None:
        return None
    key, arrays = saved
    same_store = "origin" in arrays and str(arrays["origin"]) == origin
    if not same_store or arrays["vectors"].shape[1:] != (dimension,):
        return None
    return UnitIndex(arrays["chunk_ids"], arrays["owners"], arrays["vectors"], origin=origin, key=key)


def _updated(store: ChunkStore, chunk_ids: list[str], base: UnitIndex | None, dimension: int, origin: str,
             key: str) -> UnitIndex:
    wanted = np.asarray(chunk_ids, dtype=str)
    if base is not None:
        kept_rows = np.isin(base.chunk_ids, wanted)[base.owners]
        covered = set(base.chunk_ids[np.unique(base.owners[kept_rows])].tolist())
        missing = [cid for cid in chunk_ids if cid not in covered]
        if len(missing) <= len(chunk_ids) // 2:  # else one pass over all units is quicker
            fetched_owners, fetched = _read_units(store, missing, dimension)
            kept = int(kept_rows.sum())
            # One new matrix, written in place: the held index keeps serving searches until it is replaced.
            vectors = np.empty((kept + len(fetched), dimension), dtype=np.float16)
            np.compress(kept_rows, base.vectors, axis=0, out=vectors[:kept])
            vectors[kept:] = fetched
            owners = np.concatenate([base.chunk_ids[base.owners[kept_rows]],
                                     np.asarray(fetched_owners, dtype=str)])
            log.info("unit index: %d units kept, %d read from the store", kept, len(fetched))
            return _indexed(wanted, owners, vectors, origin, key)
    owners, vectors = _read_units(store, None, dimension)
    return _indexed(wanted, np.asarray(owners, dtype=str), vectors, origin, key)


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


def _indexed(chunk_ids: np.ndarray, owner_ids: np.ndarray, vectors: np.ndarray, origin: str,
             key: str) -> UnitIndex:
    """Rows of passages not among `chunk_ids` (sorted) are dropped: the store and the passages read a moment
    apart may differ by an ingest."""
    positions = np.searchsorted(chunk_ids, owner_ids)
    positions = np.minimum(positions, max(len(chunk_ids) - 1, 0))
    known = (chunk_ids[positions] == owner_ids) if len(chunk_ids) else np.zeros(len(owner_ids), dtype=bool)
    if not known.all():  # a copy of the matrix only when rows go
        vectors, positions = vectors[known], positions[known]
    return UnitIndex(chunk_ids, positions.astype(np.int32), np.ascontiguousarray(vectors), origin=origin,
                     key=key)
