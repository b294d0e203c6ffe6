"""The agent's unit tests: the test library (tests/coach.py), the real tracker on SQLite, the real phrase
index on a local chromadb with the fake embedder, and a knowledge base that returns chosen passages."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.agent.playbooks import Playbooks
from bot.agent.service import Agent
from bot.tracker.service import Tracker
from knowledge.settings import get_settings
from knowledge.types import Hit
from tests.coach import build_test_agent, copy_test_library

RESIST_PASSAGE = ("当遇到抗拒购买产品的客户时,客户经理不应直接询问其抗拒的具体原因,"
                  "而应该在当下场景中避免深化客户的负面情绪。")


def passage(text: str, relevance: float = 0.9, *, title: str = "中高净值客户拓展与经营",
            section: str = "抗拒型客户", source: str = "/srv/course/003_b7087327f6cf66b7.txt") -> Hit:
    return Hit(text=text, source=source, title=title, section=section, score=0.5,
               chunk_id=f"c{abs(hash(text)) % 10_000}", relevance=relevance)


class FakeKnowledge:
    """Returns the same passages for any query, and records the queries."""

    def __init__(self, hits: list[Hit] | None = None) -> None:
        self.hits = list(hits or [])
        self.queries: list[str] = []

    def search(self, query: str, k: int = 5) -> list[Hit]:
        self.queries.append(query)
        return self.hits[:k]

    def search_lexical(self, query: str, k: int = 5) -> list[Hit]:
        return self.search(query, k)


@pytest.fixture
def library(tmp_path: Path) -> Playbooks:
    return copy_test_library(tmp_path / "library")


@pytest.fixture
def knowledge() -> FakeKnowledge:
    return FakeKnowledge([passage(RESIST_PASSAGE)])


@pytest.fixture
def tracker(tmp_path: Path) -> Tracker:
    tracker = Tracker(f"sqlite:///{tmp_path / 'tracker.db'}")
    yield tracker
    tracker.close()


@pytest.fixture
def agent(library: Playbooks, knowledge: FakeKnowledge, tracker: Tracker) -> Agent:
    agent = build_test_agent(get_settings(), library, knowledge=knowledge, tracker=tracker)
    yield agent
    agent.close()
