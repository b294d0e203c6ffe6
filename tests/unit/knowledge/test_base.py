"""KnowledgeBase over a real local chromadb (PersistentClient in tmp_path) with the FakeEmbedder."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.base import KnowledgeBase, open_knowledge_base
from knowledge.lexical import BM25Index
from knowledge.settings import get_settings
from knowledge.store import ChromaChunkStore, open_chunk_store
from knowledge.types import Chunk, Hit, embedding_text
from tests.fakes import FakeEmbedder

HIT_KEYS = {"text", "source", "title", "section", "score"}

PASSAGES = [
    ("高净值客户经营", "家族信托", "家族信托可以实现财富传承和资产隔离，适合高净值客户的传承安排。"),
    ("高净值客户经营", "私密性", "高净值客户更看重资产的私密性，沟通时要注意保密和信任关系。"),
    ("基金入门", "定投", "基金定投适合收入稳定但没有时间研究市场的上班族，按月投入可以摊薄成本。"),
    ("基金入门", "风险等级", "理财产品按风险等级分为R1到R5，要与客户的风险承受能力相匹配。"),
    ("保险规划", "保障", "保险不是投资，而是为家庭的主要收入来源提供保障，先保障后理财。"),
    ("养老规划", "复利", "养老规划要尽早开始，复利需要时间，年轻时每月少量投入也有效果。"),
    ("资产配置", "分散", "资产配置的核心是分散风险，不要把鸡蛋放在一个篮子里。"),
    ("客户拜访", "首次拜访", "第一次拜访客户时，先了解家庭结构、资金用途和投资经验。"),
]


def make_chunks(passages: list[tuple[str, str, str]] = PASSAGES, source: str = "training.txt") -> list[Chunk]:
    return [Chunk(chunk_id=f"{source}-{i:03d}", text=text, source=source, title=title, section=section,
                  position=i) for i, (title, section, text) in enumerate(passages)]


@pytest.fixture
def store(fake_embedder: FakeEmbedder) -> ChromaChunkStore:
    chroma_store = open_chunk_store(get_settings(), fake_embedder)
    chroma_store.upsert(make_chunks())
    return chroma_store


@pytest.fixture
def kb(store: ChromaChunkStore, fake_embedder: FakeEmbedder, tmp_path: Path) -> KnowledgeBase:
    return KnowledgeBase(store, fake_embedder, cache_dir=tmp_path / "lexical")


@pytest.fixture
def no_default_embedding_function(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make chromadb's default embedding function (ONNX MiniLM, downloaded at run time) fail if touched.

    Returns the list of attempted uses; the forbidden methods also raise, so a use cannot go unnoticed.
    """
    from chromadb.api import types as chroma_types
    from chromadb.utils.embedding_functions import onnx_mini_lm_l6_v2

    used: list[str] = []

    def forbidden(name: str):  # noqa: ANN202
        # chromadb checks that an embedding function's __call__ is exactly (self, input).
        def method(self, input):  # noqa: A002, ANN001, ANN202
            used.append(name)
            raise AssertionError(f"chromadb's default embedding function was used ({name})")

        return method

    def forbidden_init(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        used.append("ONNXMiniLM_L6_V2.__init__")
        raise AssertionError("chromadb's default embedding function was used (ONNXMiniLM_L6_V2.__init__)")

    default_cls = chroma_types.DefaultEmbeddingFunction
    onnx_cls = onnx_mini_lm_l6_v2.ONNXMiniLM_L6_V2
    monkeypatch.setattr(default_cls, "__call__", forbidden("DefaultEmbeddingFunction.__call__"))
    monkeypatch.setattr(default_cls, "embed_query", forbidden("DefaultEmbeddingFunction.embed_query"))
    monkeypatch.setattr(onnx_cls, "__init__", forbidden_init)
    monkeypatch.setattr(onnx_cls, "__call__", forbidden("ONNXMiniLM_L6_V2.__call__"))
    return used


# ----------------------------------------------------------------------------- hybrid search


def test_hybrid_search_returns_hits_best_first(kb: KnowledgeBase) -> None:
    hits = kb.search("家族信托 财富传承", k=3)
    assert 1 <= len(hits) <= 3
    assert all(isinstance(hit, Hit) for hit in hits)
    assert hits[0].section == "家族信托"
    assert hits[0].source == "training.txt" and hits[0].title == "高净值客户经营"
    scores = [hit.score for hit in hits]
    assert scores == sorted(scores, reverse=True)
    assert len({hit.chunk_id for hit in hits}) == len(hits)


def test_hit_as_json_has_exactly_the_promised_keys(kb: KnowledgeBase) -> None:
    for hit in kb.search("基金定投", k=5):
        payload = hit.as_json()
        assert set(payload) == HIT_KEYS
        assert isinstance(payload["score"], float)


def test_hybrid_scores_are_rrf_and_relevance_is_cosine(kb: KnowledgeBase,
                                                        fake_embedder: FakeEmbedder) -> None:
    hits = kb.search("基金定投 上班族", k=len(PASSAGES))
    assert hits[0].section == "定投"
    # Fused scores are weighted reciprocal ranks: at most the sum of the weights over k + 1.
    from knowledge.base import DENSE_WEIGHT, FUSION_K, LEXICAL_WEIGHT, UNIT_WEIGHT

    ceiling = (DENSE_WEIGHT + UNIT_WEIGHT + LEXICAL_WEIGHT) / (FUSION_K + 1)
    assert all(0 < hit.score <= ceiling + 1e-9 for hit in hits)
    query = fake_embedder.embed_batch(["基金定投 上班族"], "query")[0]
    for hit in hits:
        passage = fake_embedder.embed_batch([hit.text], "passage")[0]
        expected = sum(a * b for a, b in zip(query, passage, strict=True))
        assert hit.relevance == pytest.approx(expected, abs=2e-3)  # passages are held as float16 rows


@pytest.mark.parametrize("k", [1, 2, 5])
def test_k_is_respected(kb: KnowledgeBase, k: int) -> None:
    assert len(kb.search("客户 风险 投资 保障", k=k)) == k
    assert len(kb.search_dense("客户 风险 投资 保障", k=k)) == k
    assert len(kb.search_lexical("风险", k=k)) <= k


def test_k_larger_than_the_store(kb: KnowledgeBase) -> None:
    hits = kb.search("理财", k=50)
    assert len(hits) <= len(PASSAGES)
    assert len(kb.search_dense("理财", k=50)) == len(PASSAGES)


@pytest.mark.parametrize("query", ["", "   ", "\n\t"])
def test_empty_query_is_rejected(kb: KnowledgeBase, query: str) -> None:
    for search in (kb.search, kb.search_dense, kb.search_lexical):
        with pytest.raises(ValueError, match="empty query"):
            search(query)


def test_k_below_one_is_rejected(kb: KnowledgeBase) -> None:
    with pytest.raises(ValueError, match="k must be"):
        kb.search("基金", k=0)


def test_query_without_lexical_tokens_still_gets_dense_hits(kb: KnowledgeBase) -> None:
    # Only stopwords and punctuation: BM25 has nothing, the dense ranking still answers.
    assert kb.search_lexical("的？吗！", k=3) == []
    hits = kb.search("的？吗！", k=3)
    assert len(hits) == 3


def test_dense_and_lexical_rankings(kb: KnowledgeBase) -> None:
    dense = kb.search_dense("养老规划 复利", k=2)
    assert dense[0].section == "复利"
    assert dense[0].score == pytest.approx(dense[0].relevance)
    lexical = kb.search_lexical("养老规划 复利", k=2)
    assert lexical[0].section == "复利"
    assert lexical[0].relevance is not None and lexical[0].relevance > 0


def test_empty_store_returns_no_hits(fake_embedder: FakeEmbedder, tmp_path: Path) -> None:
    kb = KnowledgeBase(open_chunk_store(get_settings(), fake_embedder), fake_embedder,
                       cache_dir=tmp_path / "lexical")
    assert len(kb) == 0
    assert kb.search("基金") == []
    assert kb.search_dense("基金") == []
    assert kb.search_lexical("基金") == []
    with pytest.raises(ValueError):
        kb.search("")


# ----------------------------------------------------------------------------- refresh and cache


def test_refresh_picks_up_chunks_added_after_opening(kb: KnowledgeBase, store: ChromaChunkStore) -> None:
    assert len(kb) == len(PASSAGES)
    assert kb.search_lexical("可转债", k=3) == []
    store.upsert(make_chunks([("债券入门", "可转债", "可转债兼有债券和股票的特点，下有保底上不封顶。")],
                             source="bonds.txt"))
    # Not visible to the lexical index (nor as a Hit) until refresh.
    assert all(hit.source != "bonds.txt" for hit in kb.search("可转债", k=10))
    kb.refresh()
    assert len(kb) == len(PASSAGES) + 1
    lexical = kb.search_lexical("可转债", k=3)
    assert lexical and lexical[0].source == "bonds.txt"
    assert kb.search("可转债 债券", k=3)[0].source == "bonds.txt"


def test_refresh_after_delete_drops_hits(kb: KnowledgeBase, store: ChromaChunkStore) -> None:
    doomed = [c.chunk_id for c in make_chunks() if c.section == "复利"]
    store.delete(doomed)
    kb.refresh()
    assert len(kb) == len(PASSAGES) - 1
    assert all(hit.section != "复利" for hit in kb.search("养老规划 复利", k=len(PASSAGES)))


def test_lexical_index_cache_is_written_and_reused(store: ChromaChunkStore, fake_embedder: FakeEmbedder,
                                                   tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache_dir = tmp_path / "lexical"
    (cache_dir).mkdir()
    (cache_dir / "bm25-0123456789abcdef.pkl").write_bytes(b"a cache of the former hand-written index")
    first = KnowledgeBase(store, fake_embedder, cache_dir=cache_dir)
    cached = list(cache_dir.glob("bm25s-*"))
    assert len(cached) == 1 and cached[0].is_dir()
    assert not list(cache_dir.glob("bm25-*.pkl"))  # the former pickle cache is cleaned up
    expected = [hit.chunk_id for hit in first.search_lexical("基金定投", k=3)]

    import knowledge.base as base_mod

    class NoRebuild(BM25Index):
        def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
            raise AssertionError("the cached lexical index should have been loaded")

    with monkeypatch.context() as patch:
        patch.setattr(base_mod, "BM25Index", NoRebuild)
        second = KnowledgeBase(store, fake_embedder, cache_dir=cache_dir)
    assert [hit.chunk_id for hit in second.search_lexical("基金定投", k=3)] == expected

    # New chunks -> new fingerprint -> one cache folder, the old one removed.
    store.upsert(make_chunks([("债券入门", "可转债", "可转债兼有债券和股票的特点。")], source="bonds.txt"))
    second.refresh()
    assert [p.name for p in cache_dir.glob("bm25s-*")] != [p.name for p in cached]
    assert len(list(cache_dir.glob("bm25s-*"))) == 1


def test_corrupt_lexical_cache_is_rebuilt(store: ChromaChunkStore, fake_embedder: FakeEmbedder,
                                          tmp_path: Path) -> None:
    cache_dir = tmp_path / "lexical"
    KnowledgeBase(store, fake_embedder, cache_dir=cache_dir)
    (folder,) = cache_dir.glob("bm25s-*")
    for file in folder.glob("*.npy"):
        file.write_bytes(b"not numpy")
    kb = KnowledgeBase(store, fake_embedder, cache_dir=cache_dir)
    assert kb.search_lexical("家族信托", k=1)[0].section == "家族信托"
    assert BM25Index.load(folder).size == len(PASSAGES)


def test_stored_tokens_are_read_only_to_build_the_lexical_index(store: ChromaChunkStore,
                                                                 fake_embedder: FakeEmbedder, tmp_path: Path,
                                                                 monkeypatch) -> None:
    # A large store's stored tokens were most of the passages' memory: a process that loads the saved
    # index never reads them.
    reads = []
    stored_tokens = store.stored_tokens
    monkeypatch.setattr(store, "stored_tokens", lambda: reads.append(1) or stored_tokens())
    for expected_reads in (1, 1):  # built, then loaded
        kb = KnowledgeBase(store, fake_embedder, cache_dir=tmp_path / "lexical")
        assert len(kb) == len(PASSAGES) and len(reads) == expected_reads
        assert all(kb._passages.get(c.chunk_id) is c for c in kb._passages.chunks)
        assert kb.search_lexical("家族信托", k=1)[0].section == "家族信托"


def test_without_cache_dir_nothing_is_written(store: ChromaChunkStore, fake_embedder: FakeEmbedder,
                                              tmp_path: Path) -> None:
    kb = KnowledgeBase(store, fake_embedder)
    assert kb.search("家族信托", k=1)[0].section == "家族信托"
    assert not list(tmp_path.rglob("bm25s-*")) and not list(tmp_path.rglob("*.npz"))


# ----------------------------------------------------------------------------- the chromadb store


def test_store_round_trip_and_cosine_space(store: ChromaChunkStore, fake_embedder: FakeEmbedder) -> None:
    assert store.count() == len(PASSAGES)
    pages = list(store.passages())
    chunks = {c.chunk_id: c for page, _ in pages for c in page}
    assert set(store.stored_tokens()) == set(chunks)  # stored at ingest for the lexical index
    assert chunks == {c.chunk_id: c for c in make_chunks()}
    assert store.ids_by_source() == {"training.txt": set(chunks)}
    assert store._collection.metadata.get("hnsw:space") == "cosine"
    # Each passage with the vector of what the dense ranking embeds (a prose passage: its text alone).
    for page, vectors in pages:
        for chunk, vector in zip(page, vectors, strict=True):
            expected = fake_embedder.embed_batch([embedding_text(chunk)], "passage")[0]
            assert list(vector) == pytest.approx(expected, abs=1e-6)


def test_upsert_is_idempotent(store: ChromaChunkStore) -> None:
    store.upsert(make_chunks())
    assert store.count() == len(PASSAGES)


def test_collection_uses_our_embedding_function(store: ChromaChunkStore) -> None:
    ef = store._collection._embedding_function
    assert type(ef).__name__ == "AdviserEmbeddingFunction"
    assert ef.name() == "adviser-desk-embedder"


def test_reopen_passes_our_embedding_function(fake_embedder: FakeEmbedder,
                                              no_default_embedding_function: list[str]) -> None:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = get_settings()
    first = open_chunk_store(settings, fake_embedder)
    first.upsert(make_chunks())
    del first

    reopened = open_chunk_store(settings, FakeEmbedder())
    assert type(reopened._collection._embedding_function).__name__ == "AdviserEmbeddingFunction"
    assert reopened.count() == len(PASSAGES)
    # Writing documents through the reopened store embeds with ours, never chromadb's default.
    reopened.upsert(make_chunks([("债券入门", "可转债", "可转债兼有债券和股票的特点。")], source="bonds.txt"))
    # Even a bare client that reopens the collection without naming a function gets ours back from the
    # stored config when it has to embed, and ours refuses rather than fall back to the ONNX default.
    client = chromadb.PersistentClient(path=str(settings.chroma_dir),
                                       settings=ChromaSettings(anonymized_telemetry=False))
    bare = client.get_collection(settings.chroma_collection)
    assert bare.configuration_json["embedding_function"]["name"] == "adviser-desk-embedder"
    assert bare.count() == len(PASSAGES) + 1
    with pytest.raises(Exception, match="no embedder configured"):
        bare.add(ids=["bare-1"], documents=["没有嵌入函数的文档"])
    assert bare.count() == len(PASSAGES) + 1
    kb = KnowledgeBase(reopened, reopened._embedder)
    assert kb.search("可转债", k=1)[0].source == "bonds.txt"
    assert no_default_embedding_function == []


def test_open_knowledge_base_uses_the_given_embedder(fake_embedder: FakeEmbedder,
                                                     no_default_embedding_function: list[str]) -> None:
    settings = get_settings()
    open_chunk_store(settings, fake_embedder).upsert(make_chunks())
    kb = open_knowledge_base(settings, fake_embedder)
    assert len(kb) == len(PASSAGES)
    assert kb.search("首次拜访 家庭结构", k=1)[0].section == "首次拜访"
    assert list((settings.data_dir / "lexical").glob("bm25s-*"))
    assert no_default_embedding_function == []
