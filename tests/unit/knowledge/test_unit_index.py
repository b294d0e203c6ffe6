"""The unit index: exact, saved under a key of the passages, updated by reading only new passages' units."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from knowledge.keyed_arrays import save_keyed
from knowledge.types import Chunk
from knowledge.unit_index import CACHE_FILE, load_unit_index
from tests.fakes import FakeEmbedder, MemoryChunkStore


class CountingStore(MemoryChunkStore):
    """Counts the unit vectors read back, as the real store's reads are what a reopen must avoid."""

    def __init__(self, embedder: FakeEmbedder) -> None:
        super().__init__(embedder)
        self.units_read = 0

    def unit_vectors(self, chunk_ids: Sequence[str] | None = None) -> Iterator[tuple[list[str], Any]]:
        for owners, vectors in super().unit_vectors(chunk_ids):
            self.units_read += len(owners)
            yield owners, vectors


def _chunk(number: int, text: str) -> Chunk:
    return Chunk(chunk_id=f"c{number:02d}", text=text, source="guide.txt", title="指南", section="",
                 position=number)


TEXTS = ["沙龙前先找对目标客户。再寻求异业结盟。", "基金定投适合收入稳定的上班族。", "保险是保障。不是投资。",
         "资产配置的核心是分散风险。"]


def _ids(store: MemoryChunkStore) -> list[str]:
    return sorted(store.chunks)


def test_every_passage_ranks_by_its_closest_unit_exactly(fake_embedder: FakeEmbedder) -> None:
    store = CountingStore(fake_embedder)
    store.upsert([_chunk(i, text) for i, text in enumerate(TEXTS)])
    index = load_unit_index(store, _ids(store), fake_embedder.dimension, None)
    query = fake_embedder.embed_batch(["再寻求异业结盟。"], "query")[0]
    ranked = index.nearest(query, 10)
    assert [cid for cid, _ in ranked][0] == "c00" and len(ranked) == len(TEXTS)  # each passage once
    expected = {cid: max(float(np.dot(unit, query)) for unit in units)
                for cid, units in store.unit_vectors_of.items()}
    for cid, score in ranked:
        assert abs(score - expected[cid]) < 1e-2  # float16 rows
    assert index.nearest(query, 2) == ranked[:2]


def test_a_reopen_reads_no_unit_and_a_new_passage_reads_only_its_own(fake_embedder: FakeEmbedder,
                                                                      tmp_path: Path) -> None:
    store = CountingStore(fake_embedder)
    store.upsert([_chunk(i, text) for i, text in enumerate(TEXTS[:3])])
    first = load_unit_index(store, _ids(store), fake_embedder.dimension, tmp_path)
    assert (tmp_path / CACHE_FILE).is_file() and store.units_read == first.size == 5

    store.units_read = 0
    again = load_unit_index(store, _ids(store), fake_embedder.dimension, tmp_path)
    assert store.units_read == 0 and np.array_equal(again.vectors, first.vectors)

    store.delete(["c01"])
    store.upsert([_chunk(3, TEXTS[3])])
    updated = load_unit_index(store, _ids(store), fake_embedder.dimension, tmp_path)
    assert store.units_read == 1  # the new passage's one unit
    fresh = load_unit_index(store, _ids(store), fake_embedder.dimension, None)
    query = fake_embedder.embed_batch(["分散风险"], "query")[0]
    assert updated.nearest(query, 5) == fresh.nearest(query, 5)
    assert "c01" not in dict(updated.nearest(query, 5))


def test_units_added_under_the_same_passages_are_read_again(fake_embedder: FakeEmbedder,
                                                           tmp_path: Path) -> None:
    store = CountingStore(fake_embedder)
    store.upsert([_chunk(i, text) for i, text in enumerate(TEXTS)])
    lost = store.unit_vectors_of.pop("c02")  # a store written before units had them
    assert load_unit_index(store, _ids(store), fake_embedder.dimension, tmp_path).size == 4
    store.unit_vectors_of["c02"] = lost  # the next ingest's index_missing_units
    assert load_unit_index(store, _ids(store), fake_embedder.dimension, tmp_path).size == 6


def test_an_unreadable_or_foreign_file_is_rebuilt(fake_embedder: FakeEmbedder, tmp_path: Path) -> None:
    store = CountingStore(fake_embedder)
    store.upsert([_chunk(i, text) for i, text in enumerate(TEXTS)])
    (tmp_path / CACHE_FILE).write_bytes(b"not an npz")
    assert load_unit_index(store, _ids(store), fake_embedder.dimension, tmp_path).size == 6
    # Saved by a model of another size: its rows can't be kept.
    save_keyed(tmp_path / CACHE_FILE, "another", chunk_ids=np.asarray(_ids(store)),
               owners=np.zeros(6, dtype=np.int32), vectors=np.zeros((6, 8), dtype=np.float16))
    store.units_read = 0
    assert load_unit_index(store, _ids(store), fake_embedder.dimension, tmp_path).size == 6
    assert store.units_read == 6


def test_rows_of_another_store_are_not_reused(fake_embedder: FakeEmbedder, tmp_path: Path) -> None:
    # The store deleted and ingested again (say with another model): same passage ids, other vectors.
    first = CountingStore(fake_embedder)
    first.upsert([_chunk(i, text) for i, text in enumerate(TEXTS)])
    load_unit_index(first, _ids(first), fake_embedder.dimension, tmp_path)
    again = CountingStore(fake_embedder)
    again.upsert([_chunk(i, text) for i, text in enumerate(TEXTS)])
    assert load_unit_index(again, _ids(again), fake_embedder.dimension, tmp_path).size == 6
    assert again.units_read == 6


def test_a_refresh_starts_from_the_index_held(fake_embedder: FakeEmbedder, tmp_path: Path) -> None:
    store = CountingStore(fake_embedder)
    store.upsert([_chunk(i, text) for i, text in enumerate(TEXTS[:3])])
    held = load_unit_index(store, _ids(store), fake_embedder.dimension, tmp_path)
    (tmp_path / CACHE_FILE).unlink()  # not read: the held index is the starting point
    assert load_unit_index(store, _ids(store), fake_embedder.dimension, tmp_path, held) is held
    store.units_read = 0
    store.upsert([_chunk(3, TEXTS[3])])
    updated = load_unit_index(store, _ids(store), fake_embedder.dimension, tmp_path, held)
    assert store.units_read == 1 and updated.size == 6 and (tmp_path / CACHE_FILE).is_file()


def test_a_refresh_takes_what_another_process_saved_for_the_same_passages(fake_embedder: FakeEmbedder,
                                                                         tmp_path: Path) -> None:
    store = CountingStore(fake_embedder)
    store.upsert([_chunk(i, text) for i, text in enumerate(TEXTS[:3])])
    held = load_unit_index(store, _ids(store), fake_embedder.dimension, tmp_path / "bot")
    store.upsert([_chunk(3, TEXTS[3])])
    ingested = load_unit_index(store, _ids(store), fake_embedder.dimension, tmp_path / "bot")  # the ingest
    store.units_read = 0
    refreshed = load_unit_index(store, _ids(store), fake_embedder.dimension, tmp_path / "bot", held)
    assert store.units_read == 0 and np.array_equal(refreshed.vectors, ingested.vectors)


def test_an_empty_store_searches_nothing(fake_embedder: FakeEmbedder, tmp_path: Path) -> None:
    store = CountingStore(fake_embedder)
    index = load_unit_index(store, [], fake_embedder.dimension, tmp_path)
    assert index.size == 0 and index.nearest([1.0] + [0.0] * 63, 5) == []
