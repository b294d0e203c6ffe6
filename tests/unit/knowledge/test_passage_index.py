"""The passage snapshot: exact dense search, saved under the store's generation, read from the store only
when a write changed the passages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from knowledge.keyed_arrays import pack_strings, unpack_strings
from knowledge.passage_index import CACHE_FILE, load_passage_index
from knowledge.settings import get_settings
from knowledge.store import open_chunk_store
from knowledge.types import Chunk
from tests.fakes import FakeEmbedder, MemoryChunkStore


class CountingStore(MemoryChunkStore):
    """Counts the passages read back: a reopen must read none."""

    def __init__(self, embedder: FakeEmbedder) -> None:
        super().__init__(embedder)
        self.passages_read = 0

    def passages(self) -> Iterator[tuple[list[Chunk], Any]]:
        for chunks, vectors in super().passages():
            self.passages_read += len(chunks)
            yield chunks, vectors


class UnstampedStore(CountingStore):
    """A store written before generations existed."""

    def generation(self) -> str | None:
        return None


TEXTS = ["沙龙前先找对目标客户。", "基金定投适合收入稳定的上班族。", "保险是保障，不是投资。",
         "资产配置的核心是分散风险。"]


def _chunks(texts: list[str], source: str = "guide.txt") -> list[Chunk]:
    return [Chunk(chunk_id=f"{source}-{n:02d}", text=text, source=source, title="理财指南",
                  section="第一节" if n % 2 else "", position=n, source_key=f"/docs/{source}")
            for n, text in enumerate(texts)]


def test_strings_pack_and_unpack_exactly() -> None:
    strings = ["", "沙龙", "a\nb", "", "𠮷野家 emoji 🙂"]
    assert unpack_strings(*pack_strings(strings)) == strings
    assert unpack_strings(*pack_strings([])) == []


def test_nearest_is_exact_cosine_and_similarities_cover_any_passage(fake_embedder: FakeEmbedder) -> None:
    store = CountingStore(fake_embedder)
    store.upsert(_chunks(TEXTS))
    index = load_passage_index(store, fake_embedder.dimension, None)
    query = fake_embedder.embed_batch(["基金定投 上班族"], "query")[0]
    expected = {cid: float(np.dot(vector, query)) for cid, vector in store.vectors.items()}
    ranked = index.nearest(query, 10)
    assert [cid for cid, _ in ranked] == sorted(expected, key=lambda cid: -expected[cid])
    assert all(score == pytest.approx(expected[cid], abs=2e-3) for cid, score in ranked)  # float16 rows
    assert index.nearest(query, 2) == ranked[:2]
    assert index.similarities(query, ["guide.txt-03", "gone"]) == {
        "guide.txt-03": pytest.approx(expected["guide.txt-03"], abs=2e-3)}


def test_a_reopen_reads_no_passage_and_a_write_reads_them_again(fake_embedder: FakeEmbedder,
                                                                 tmp_path: Path) -> None:
    store = CountingStore(fake_embedder)
    store.upsert(_chunks(TEXTS))
    first = load_passage_index(store, fake_embedder.dimension, tmp_path)
    assert store.passages_read == len(TEXTS) and (tmp_path / CACHE_FILE).is_file()

    reopened = load_passage_index(store, fake_embedder.dimension, tmp_path)  # another process, say
    assert store.passages_read == len(TEXTS)
    assert reopened.chunks == first.chunks  # every field, as read from the store
    assert np.array_equal(reopened.vectors, first.vectors)
    assert reopened.chunks[0].title is reopened.chunks[1].title  # a shared title is held once
    assert load_passage_index(store, fake_embedder.dimension, tmp_path, reopened) is reopened

    store.upsert(_chunks(["新的一段：客户分层。"], source="new.txt"))
    updated = load_passage_index(store, fake_embedder.dimension, tmp_path, reopened)
    assert len(updated) == len(TEXTS) + 1 and store.passages_read == 2 * len(TEXTS) + 1
    store.delete(["new.txt-00"])
    assert len(load_passage_index(store, fake_embedder.dimension, tmp_path, updated)) == len(TEXTS)


def test_another_store_never_takes_the_snapshot(fake_embedder: FakeEmbedder, tmp_path: Path) -> None:
    store = CountingStore(fake_embedder)
    store.upsert(_chunks(TEXTS))
    load_passage_index(store, fake_embedder.dimension, tmp_path)
    other = CountingStore(fake_embedder)  # same generation number, another store
    other.upsert(_chunks(TEXTS[:2]))
    assert len(load_passage_index(other, fake_embedder.dimension, tmp_path)) == 2
    assert other.passages_read == 2


def test_a_store_with_no_generation_is_read_every_time_and_nothing_is_saved(fake_embedder: FakeEmbedder,
                                                                            tmp_path: Path) -> None:
    store = UnstampedStore(fake_embedder)
    store.upsert(_chunks(TEXTS))
    held = load_passage_index(store, fake_embedder.dimension, tmp_path)
    load_passage_index(store, fake_embedder.dimension, tmp_path, held)
    assert store.passages_read == 2 * len(TEXTS) and not (tmp_path / CACHE_FILE).exists()


def test_an_unreadable_snapshot_is_read_again_from_the_store(fake_embedder: FakeEmbedder,
                                                             tmp_path: Path) -> None:
    store = CountingStore(fake_embedder)
    store.upsert(_chunks(TEXTS))
    load_passage_index(store, fake_embedder.dimension, tmp_path)
    (tmp_path / CACHE_FILE).write_bytes(b"PK\x03\x04 truncated")
    assert len(load_passage_index(store, fake_embedder.dimension, tmp_path)) == len(TEXTS)
    assert store.passages_read == 2 * len(TEXTS)


def test_the_chroma_store_changes_its_generation_on_every_write_only(fake_embedder: FakeEmbedder) -> None:
    store = open_chunk_store(get_settings(), fake_embedder)
    assert store.generation() is None  # nothing written yet
    store.upsert(_chunks(TEXTS))
    written = store.generation()
    assert written and store.generation() == written
    store.index_missing_units()  # nothing missing: no write to the passages
    assert store.generation() == written
    store.delete(["guide.txt-00"])
    assert store.generation() not in (None, written)


def test_an_ingest_stamps_a_store_written_before_generations(fake_embedder: FakeEmbedder) -> None:
    store = open_chunk_store(get_settings(), fake_embedder)
    store.upsert(_chunks(TEXTS))
    store._state.delete(ids=["generation"])  # as a store written by an earlier version
    assert store.generation() is None
    store.index_missing_units()
    assert store.generation() is not None


class WrittenWhileReadStore(CountingStore):
    """An ingest writes while the passages are being read."""

    def passages(self) -> Iterator[tuple[list[Chunk], Any]]:
        yield from super().passages()
        if self.passages_read <= len(TEXTS):
            self.upsert(_chunks(["读的时候写进来的一段。"], source="late.txt"))


def test_passages_read_while_a_write_went_on_are_not_saved(fake_embedder: FakeEmbedder,
                                                           tmp_path: Path) -> None:
    store = WrittenWhileReadStore(fake_embedder)
    store.upsert(_chunks(TEXTS))
    first = load_passage_index(store, fake_embedder.dimension, tmp_path)
    assert first.key is None and not (tmp_path / CACHE_FILE).exists()
    again = load_passage_index(store, fake_embedder.dimension, tmp_path, first)  # read again, now whole
    assert len(again) == len(TEXTS) + 1 and (tmp_path / CACHE_FILE).is_file()


def test_an_emptied_store_saves_and_reloads_no_passage(fake_embedder: FakeEmbedder, tmp_path: Path) -> None:
    store = CountingStore(fake_embedder)
    store.upsert(_chunks(TEXTS))
    store.delete(list(store.chunks))
    assert len(load_passage_index(store, fake_embedder.dimension, tmp_path)) == 0
    reloaded = load_passage_index(store, fake_embedder.dimension, tmp_path)
    assert len(reloaded) == 0 and reloaded.nearest([1.0] * fake_embedder.dimension, 3) == []
    assert store.passages_read == 0


def test_a_write_left_half_done_has_no_generation_until_an_ingest(fake_embedder: FakeEmbedder,
                                                                  tmp_path: Path) -> None:
    store = open_chunk_store(get_settings(), fake_embedder)
    store.upsert(_chunks(TEXTS))
    store._set_generation("writing-")  # as a writer killed after marking its write
    assert store.generation() is None
    load_passage_index(store, fake_embedder.dimension, tmp_path)
    assert not (tmp_path / CACHE_FILE).exists()
    store.index_missing_units()  # the next ingest
    assert store.generation() is not None


class FailingEmbedder(FakeEmbedder):
    def embed_batch(self, texts, kind="passage"):  # noqa: ANN001, ANN201 - the fake's own signature
        raise RuntimeError("model crashed")


def test_a_failed_write_still_changes_the_generation(fake_embedder: FakeEmbedder) -> None:
    store = open_chunk_store(get_settings(), fake_embedder)
    store.upsert(_chunks(TEXTS))
    before = store.generation()
    failing = open_chunk_store(get_settings(), FailingEmbedder())
    with pytest.raises(RuntimeError):
        failing.upsert(_chunks(["写到一半失败的一段。"], source="bad.txt"))
    assert store.generation() not in (None, before)


def test_a_reopened_knowledge_base_never_touches_chromadbs_passages(fake_embedder: FakeEmbedder,
                                                                    tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from knowledge.base import KnowledgeBase

    store = open_chunk_store(get_settings(), fake_embedder)
    store.upsert(_chunks(TEXTS))
    store.index_missing_units()
    KnowledgeBase(store, fake_embedder, cache_dir=tmp_path)  # as the ingest ends

    reopened = open_chunk_store(get_settings(), fake_embedder)  # the bot's process

    def touched(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the passages' collection was touched")

    for method in ("get", "count", "query", "peek"):
        monkeypatch.setattr(reopened._collection, method, touched)
        monkeypatch.setattr(reopened._units, method, touched)
    kb = KnowledgeBase(reopened, fake_embedder, cache_dir=tmp_path)
    assert kb.search("基金定投 上班族", k=1)[0].text == TEXTS[1]


def test_a_search_follows_what_another_process_wrote(fake_embedder: FakeEmbedder, tmp_path: Path) -> None:
    from knowledge.base import WRITES_CHECK_SECONDS, KnowledgeBase

    now = [0.0]
    store = CountingStore(fake_embedder)
    store.upsert(_chunks(TEXTS))
    kb = KnowledgeBase(store, fake_embedder, cache_dir=tmp_path, clock=lambda: now[0])
    store.upsert(_chunks(["家族信托可以隔离债务风险。"], source="trust.txt"))  # an ingest elsewhere
    assert "家族信托" not in kb.search("家族信托 隔离", k=1)[0].text  # not checked yet
    read = store.passages_read
    now[0] += WRITES_CHECK_SECONDS
    assert "家族信托" in kb.search("家族信托 隔离", k=1)[0].text
    assert store.passages_read == read + len(TEXTS) + 1
    now[0] += WRITES_CHECK_SECONDS
    kb.search("家族信托", k=1)  # nothing written since: nothing read again
    assert store.passages_read == read + len(TEXTS) + 1


def test_a_store_with_no_generation_is_not_read_again_by_searches(fake_embedder: FakeEmbedder,
                                                                  tmp_path: Path) -> None:
    from knowledge.base import WRITES_CHECK_SECONDS, KnowledgeBase

    now = [0.0]
    store = UnstampedStore(fake_embedder)
    store.upsert(_chunks(TEXTS))
    kb = KnowledgeBase(store, fake_embedder, cache_dir=tmp_path, clock=lambda: now[0])
    now[0] += WRITES_CHECK_SECONDS
    kb.search("基金定投", k=1)
    assert store.passages_read == len(TEXTS)
