"""Small-to-big: passages are also indexed by their sentence units (real local chromadb, FakeEmbedder)."""

from __future__ import annotations

from pathlib import Path

from ingest.pipeline import ingest_paths
from knowledge.base import KnowledgeBase
from knowledge.settings import get_settings
from knowledge.store import UNITS_SUFFIX, chroma_client, open_chunk_store
from knowledge.types import Chunk, sentence_units, unit_embedding_texts
from tests.fakes import FakeEmbedder

QUIZ = ("1、客户分层的依据有哪些?A资产规模B贡献度正确答案:A B\n"
        "2、沙龙活动举办的步骤有哪些?A找对目标客户B寻求异业结盟C策划沙龙活动正确答案:A B C\n"
        "3、锁定客户资金的关键要素有哪些?A情感B产品正确答案:A B")
OTHER = [
    "基金定投适合收入稳定的上班族，按月投入可以摊薄成本。",
    "保险不是投资，而是为家庭的主要收入来源提供保障。",
    "资产配置的核心是分散风险，不要把鸡蛋放在一个篮子里。",
]


def _chunks() -> list[Chunk]:
    chunks = [Chunk(chunk_id="quiz", text=QUIZ, source="quiz.txt", title="课后测试答案", section="",
                    position=0)]
    chunks += [Chunk(chunk_id=f"other-{i}", text=text, source="other.txt", title="理财基础", section="要点",
                     position=i) for i, text in enumerate(OTHER)]
    return chunks


def test_sentence_units_are_sentences_and_lines() -> None:
    assert sentence_units("第一句。第二句?\n列表项\n\n  ") == ["第一句。", "第二句?", "列表项"]
    assert sentence_units(QUIZ)[2] == "2、沙龙活动举办的步骤有哪些?"


def test_unit_texts_carry_the_heading() -> None:
    chunk = _chunks()[1]
    assert unit_embedding_texts(chunk) == ["理财基础 / 要点\n" + OTHER[0]]


def test_a_question_naming_one_item_finds_the_whole_passage(fake_embedder: FakeEmbedder,
                                                            tmp_path: Path) -> None:
    store = open_chunk_store(get_settings(), fake_embedder)
    store.upsert(_chunks())
    kb = KnowledgeBase(store, fake_embedder, cache_dir=tmp_path / "lexical")
    hits = kb.search_units("沙龙活动举办的步骤", k=2)
    assert hits[0].chunk_id == "quiz" and hits[0].text == QUIZ  # the parent passage, not the sentence
    assert len({hit.chunk_id for hit in kb.search_units("客户", k=4)}) == 4  # each passage once
    assert kb.search("沙龙活动举办的步骤", k=1)[0].chunk_id == "quiz"


def test_deleting_a_passage_deletes_its_units(fake_embedder: FakeEmbedder) -> None:
    store = open_chunk_store(get_settings(), fake_embedder)
    store.upsert(_chunks())
    store.delete(["quiz"])
    owners = [cid for page, _ in store.unit_vectors() for cid in page]
    assert "quiz" not in owners and len(owners) == 3
    assert store.index_missing_units() == 0


def test_units_are_read_back_by_passage_and_a_reopen_reads_none(fake_embedder: FakeEmbedder, tmp_path: Path,
                                                                 monkeypatch) -> None:
    store = open_chunk_store(get_settings(), fake_embedder)
    store.upsert(_chunks())
    (owners, vectors), = list(store.unit_vectors(["quiz"]))
    units = len(sentence_units(QUIZ))
    assert owners == ["quiz"] * units and len(vectors) == units
    KnowledgeBase(store, fake_embedder, cache_dir=tmp_path / "lexical")

    def no_reading(chunk_ids=None):  # noqa: ANN001, ANN202 - the store's signature
        raise AssertionError("the saved unit index should be used")

    reopened = open_chunk_store(get_settings(), fake_embedder)  # another process, say
    monkeypatch.setattr(reopened, "unit_vectors", no_reading)
    kb = KnowledgeBase(reopened, fake_embedder, cache_dir=tmp_path / "lexical")
    assert kb.search_units("沙龙活动举办的步骤", k=1)[0].chunk_id == "quiz"


def test_a_store_written_before_units_is_reindexed_by_the_next_ingest(fake_embedder: FakeEmbedder,
                                                                        tmp_path: Path) -> None:
    settings = get_settings()
    store = open_chunk_store(settings, fake_embedder)
    doc = tmp_path / "docs" / "guide.txt"
    doc.parent.mkdir()
    doc.write_text("沙龙活动指南\n\n沙龙活动指南\n\n沙龙前先找对目标客户,再寻求异业结盟,活动后追踪成效进展。",
                   encoding="utf-8")
    ingest_paths([doc.parent], store)
    # An older version wrote no units; one stray unit of a passage long gone is left from a crash.
    client = chroma_client(settings)
    client.delete_collection(settings.chroma_collection + UNITS_SUFFIX)
    store = open_chunk_store(settings, fake_embedder)
    units = client.get_collection(settings.chroma_collection + UNITS_SUFFIX)
    units.upsert(ids=["gone:0"], embeddings=[[1.0] + [0.0] * 63], metadatas=[{"chunk": "gone"}])
    # Until then search still works, on the passage rankings alone.
    kb = KnowledgeBase(store, fake_embedder, cache_dir=tmp_path / "lexical")
    assert "异业结盟" in kb.search("异业结盟", k=1)[0].text

    summary = ingest_paths([doc.parent], store)
    assert summary.chunks_added == 0 and summary.reindexed == store.count() > 0
    parents = {cid for page, _ in store.unit_vectors() for cid in page}
    assert parents == set().union(*store.ids_by_source().values())  # every passage, no stray
    assert ingest_paths([doc.parent], store).reindexed == 0


def test_tokens_stored_at_ingest_spare_the_tokenizer_on_open(fake_embedder: FakeEmbedder, tmp_path: Path,
                                                            monkeypatch) -> None:
    import knowledge.lexical

    store = open_chunk_store(get_settings(), fake_embedder)
    store.upsert(_chunks())
    assert store.stored_tokens()["quiz"].split(" ") == knowledge.lexical.lexical_document(_chunks()[0])

    def no_tokenizing(chunk: Chunk) -> list[str]:
        raise AssertionError("tokenized on open")

    monkeypatch.setattr(knowledge.lexical, "lexical_document", no_tokenizing)
    kb = KnowledgeBase(store, fake_embedder, cache_dir=tmp_path / "lexical")
    monkeypatch.undo()
    assert kb.search_lexical("异业结盟", k=1)[0].chunk_id == "quiz"


def test_tokens_of_another_tokenizer_version_are_ignored(fake_embedder: FakeEmbedder, monkeypatch) -> None:
    import knowledge.store

    store = open_chunk_store(get_settings(), fake_embedder)
    store.upsert(_chunks())
    monkeypatch.setattr(knowledge.store, "LEXICAL_VERSION", knowledge.store.LEXICAL_VERSION + 1)
    assert store.stored_tokens() == {}
