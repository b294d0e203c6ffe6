"""The course's question bank: passages are also found by how advisers ask for them (real local chromadb,
FakeEmbedder)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.pipeline import chunk_text, shipped_sources_dir
from knowledge.base import KnowledgeBase
from knowledge.question_bank import PassageQuestions, QuestionBank, QuestionBankError, shipped_questions
from knowledge.settings import get_settings
from knowledge.store import ChromaChunkStore, chroma_client
from knowledge.types import Chunk
from tests.fakes import FakeEmbedder, MemoryChunkStore

REFERRAL = "转介绍的最佳时机是客户对服务满意的时候。"
PASSAGES = [
    Chunk(chunk_id="referral", text=REFERRAL + "\n先感谢，再请求。", source="course.txt", title="客户经营",
          section="转介绍", position=0),
    Chunk(chunk_id="salon", text="沙龙活动要先找对目标客户，再策划主题。", source="course.txt",
          title="客户经营", section="沙龙", position=1),
    Chunk(chunk_id="elsewhere", text=REFERRAL, source="upload.txt", title="别的资料", section="", position=0),
]
ASKED = "老客户不肯帮我介绍朋友 咋开口"
BANK = QuestionBank([PassageQuestions("course.txt", "转介绍的最佳时机", (ASKED, "要人脉的话术"))])


def _store(bank: QuestionBank, embedder: FakeEmbedder | None = None) -> ChromaChunkStore:
    return ChromaChunkStore(chroma_client(get_settings()), "adviser_knowledge", embedder or FakeEmbedder(),
                            bank)


def test_a_passage_is_found_by_the_way_advisers_ask_for_it(fake_embedder: FakeEmbedder,
                                                           tmp_path: Path) -> None:
    store = _store(BANK, fake_embedder)
    store.upsert(PASSAGES)
    chunk_ids, questions, vectors = store.question_vectors()
    assert chunk_ids == ["referral", "referral"] and len(vectors) == 2  # only its own source's passage
    assert sorted(questions) == sorted(BANK.entries[0].questions)
    kb = KnowledgeBase(store, fake_embedder, cache_dir=tmp_path / "lexical")
    assert kb.search_questions(ASKED, k=1)[0].chunk_id == "referral"
    assert kb.search_lexical("人脉", k=1)[0].chunk_id == "referral"  # its questions' words count for BM25
    assert kb.search(ASKED, k=1)[0].chunk_id == "referral"
    assert kb.search_questions("今天天气怎么样", k=3) == []  # no question near enough: no ranking


def test_deleting_a_passage_deletes_its_questions() -> None:
    store = _store(BANK)
    store.upsert(PASSAGES)
    store.delete(["referral"])
    assert store.question_vectors() == ([], [], [])


def test_each_ingest_reconciles_the_questions_with_the_bank() -> None:
    _store(QuestionBank([])).upsert(PASSAGES)  # indexed before the bank existed
    store = _store(BANK)
    assert store.question_vectors()[0] == []
    assert store.index_missing_units() == 0  # no unit was missing; the questions are indexed all the same
    assert store.question_vectors()[0] == ["referral", "referral"]
    store._questions._collection.delete(ids=["referral:q1"])  # an ingest stopped half-way
    store.index_missing_units()
    assert sorted(store.question_vectors()[1]) == sorted(BANK.entries[0].questions)
    changed = QuestionBank([PassageQuestions("course.txt", "沙龙活动要先找对", ("活动怎么办",))])
    reopened = _store(changed)
    reopened.index_missing_units()
    assert reopened.question_vectors()[:2] == (["salon"], ["活动怎么办"])
    emptied = _store(QuestionBank([]))
    emptied.index_missing_units()  # a bank emptied: its questions go, nothing breaks
    assert emptied.question_vectors() == ([], [], [])


def test_the_fake_store_indexes_questions_like_the_real_one() -> None:
    store = MemoryChunkStore(FakeEmbedder(), BANK)
    store.upsert(PASSAGES)
    assert store.question_vectors()[0] == ["referral", "referral"]


@pytest.mark.parametrize(("text", "message"), [
    ("passages: 7", "passages 要写成一列"),
    ("- 一列", "passages 要写成一列"),
    ("passages: [", "不是合法的 YAML"),
    ("passages:\n  - {quote: 一句原文的几个字, questions: [问]}", "第 1 条：要有 source"),
    ("passages:\n  - {source: a.txt, quote: 原文, questions: [问]}", "至少 6 个字"),
    ("passages:\n  - {source: a.txt, quote: 一句原文的几个字, questions: 问}", "questions 要写成一列问句"),
    ("passages:\n  - {source: a.txt, quote: 一句原文的几个字, questions: []}", "至少一句"),
])
def test_a_malformed_bank_is_named_in_chinese(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "course_questions.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(QuestionBankError, match=message):
        QuestionBank.from_file(path)


def test_every_shipped_entry_names_exactly_one_passage_of_the_shipped_course() -> None:
    chunks = [chunk for path in sorted(shipped_sources_dir().glob("*.txt"))
              for chunk in chunk_text(path.read_text(encoding="utf-8"), path.name)]
    bank = shipped_questions()
    landings = bank.landings(chunks)
    # 0: re-chunking cut the quote or the course changed; 2 or more: the quote is not distinctive.
    assert [entry.quote for entry, n in zip(bank.entries, landings, strict=True) if n != 1] == []
    assert len(bank.entries) > 150 and all(len(entry.questions) >= 3 for entry in bank.entries)
