"""Fakes for the COACH room's tests: a knowledge base that returns chosen passages, a real tracker."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.agent.playbooks import load_playbooks
from bot.agent.tools import AgentTools
from knowledge.types import Hit


@dataclass(frozen=True)
class ScoredHit(Hit):
    """A Hit with the dense cosine SEARCH adds (`relevance`), whether or not Hit has the field yet."""

    relevance: float = 0.0


def hit(text: str, relevance: float = 0.9, *, title: str = "中高净值客户拓展与经营", section: str = "要点",
        source: str = "003_b7087327f6cf66b7.txt") -> ScoredHit:
    return ScoredHit(text=text, source=source, title=title, section=section, score=0.5,
                     chunk_id=f"c{abs(hash(text)) % 10_000}", relevance=relevance)


class FakeKnowledge:
    """Returns the same passages for any query, and records the queries."""

    def __init__(self, hits: list[Hit] | None = None) -> None:
        self.hits = list(hits or [])
        self.queries: list[str] = []

    def search(self, query: str, k: int = 5) -> list[Hit]:
        self.queries.append(query)
        return self.hits[:k]


RESIST_PASSAGE = ("当遇到抗拒购买产品的客户时,客户经理不应直接询问其抗拒的具体原因,"
                  "而应该在当下场景中避免深化客户的负面情绪。")
TIER_PASSAGE = "中银财富管理客户:在我行月日均金融资产达到等值人民币100万元(含)以上。"


def make_tracker(tmp_path: Path):  # noqa: ANN201
    from bot.tracker.service import Tracker

    return Tracker(f"sqlite:///{tmp_path / 'coach-tracker.db'}")


def make_tools(tmp_path: Path, hits: list[Hit] | None = None) -> AgentTools:
    return AgentTools(FakeKnowledge(hits), make_tracker(tmp_path), load_playbooks())
