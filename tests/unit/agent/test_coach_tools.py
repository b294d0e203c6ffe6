"""AgentTools: typed results with a text rendering for an LLM."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.agent.playbooks import Playbooks
from bot.agent.tools import AgentTools, LogResult, SearchResult, is_relevant, threshold_for
from bot.tracker.service import ClientRequired, Tracker
from knowledge.types import Hit
from tests.unit.agent.conftest import RESIST_PASSAGE, FakeKnowledge, passage

NOW = datetime(2026, 3, 10, 9, 30)


@pytest.fixture
def tools(library: Playbooks, tracker: Tracker) -> AgentTools:
    knowledge = FakeKnowledge([passage(RESIST_PASSAGE, 0.9), passage("无关段落", 0.80)])
    return AgentTools(knowledge, tracker, library)


def test_search_keeps_only_relevant_hits(tools) -> None:  # noqa: ANN001
    result = tools.search_knowledge("客户抗拒怎么办", k=5)
    assert isinstance(result, SearchResult)
    assert [h.text for h in result.hits] == [RESIST_PASSAGE] and result.dropped == 1
    assert "中高净值客户拓展与经营" in result.text


def test_search_with_nothing_relevant_says_so(tools) -> None:  # noqa: ANN001
    tools.knowledge.hits = [passage("x", 0.5)]
    result = tools.search_knowledge("怎么做红烧肉")
    assert not result.found and "没有找到" in result.text


def test_hits_without_dense_score_fall_back_to_lexical_overlap() -> None:
    plain = Hit(text="客户抗拒购买产品时不要直接问原因", source="s", title="t", section="", score=0.1)
    assert is_relevant(plain, "客户抗拒购买产品")
    assert not is_relevant(plain, "红烧肉的做法")


def test_english_queries_get_the_cross_lingual_threshold() -> None:
    assert threshold_for("how to segment clients") < threshold_for("客户怎么分层")


def test_log_visit_saves_and_renders(tools) -> None:  # noqa: ANN001
    result = tools.log_visit(1, "刚见完王总，聊得不错", NOW)
    assert isinstance(result, LogResult)
    assert result.saved.client_name == "王总" and "王总" in result.text


def test_log_visit_with_named_client(tools) -> None:  # noqa: ANN001
    result = tools.log_visit(1, "聊得不错，下周再约", NOW, client_name="李阿姨")
    assert result.saved.client_name == "李阿姨"


def test_log_visit_propagates_client_required(tools) -> None:  # noqa: ANN001
    with pytest.raises(ClientRequired):
        tools.log_visit(1, "聊得不错，下周再约", NOW)


def test_profile_due_and_grid(tools) -> None:  # noqa: ANN001
    from bot.tracker.note import ParsedNote

    note = ParsedNote(raw_text="见了王总", client="王总", sentiment="resistant",
                      follow_up_on=date(2026, 3, 12))
    tools.tracker.log_note(1, note, at=NOW)
    assert "王总" in tools.client_profile(1, "王总").text
    assert "没有" in tools.client_profile(1, "赵总").text
    due = tools.due_followups(1, days=7, today=NOW.date())
    assert [i.client.name for i in due.items] == ["王总"] and "王总" in due.text
    grid = tools.client_grid(1)
    assert "抗拒" in grid.text and "王总" in grid.text
    assert tools.client_grid(2).text == "还没有客户记录。"
