"""An Agent for unit tests: the small talk-track library in tests/library (so trainers may edit the
shipped one freely), the fake embedder with thresholds on its scale, guardrails without the model."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from bot.agent.factory import build_agent
from bot.agent.guardrails import Guardrails
from bot.agent.playbook_files import load_playbooks
from bot.agent.playbooks import DEFAULT_DIR, Playbooks
from bot.agent.service import Agent
from knowledge.settings import Settings
from knowledge.types import Hit
from tests.fakes import FakeEmbedder

LIBRARY = Path(__file__).parent / "library"
COURSE_TABLES = ("tiers.json", "cadence.json", "product_risk.json", "suitability_answers.yaml",
                 "call_plan.yaml")


def copy_test_library(folder: Path) -> Playbooks:
    """The test library copied into `folder` with the shipped course tables (tiers, cadence, risk)."""
    shutil.copytree(LIBRARY, folder)
    for name in COURSE_TABLES:
        shutil.copy(DEFAULT_DIR / name, folder / name)
    return load_playbooks(folder)




def build_test_agent(settings: Settings, library: Playbooks, *, knowledge: Any, tracker: Any = None) -> Agent:
    agent = build_agent(settings, knowledge=knowledge, tracker=tracker, embedder=FakeEmbedder(),
                        playbooks=library, guardrails=Guardrails.load(product_risk=library.product_risk))
    # The fake embedder hashes characters: a paraphrase sharing half its characters is "near" on its scale.
    agent.router.threshold, agent.router.second_concern = 0.6, 0.7
    # A classifier over hashed characters of a twenty-entry library learns nothing about intent.
    agent.router.matcher.classifier_weight = 0.0
    return agent


# One question and the one passage every search returns, for the LLM composer's tests.
OBJECTION = "收益才两个点客户看不上"
PASSAGE = Hit(text="当遇到抗拒购买产品的客户时,客户经理不应直接询问其抗拒的具体原因。",
              source="/srv/course/003.txt", title="中高净值客户拓展与经营", section="抗拒型客户", score=0.5,
              chunk_id="c-resist", relevance=0.9)


class OnePassage:
    def search(self, query: str, k: int = 5) -> list[Hit]:
        return [PASSAGE]

    def search_lexical(self, query: str, k: int = 5) -> list[Hit]:
        return [PASSAGE]
