"""Suitability: client risk level (C) against product risk level (R), from the question or the tracker;
and requests for misleading scripts or stock picks refused."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.agent.factory import build_agent
from bot.agent.guardrails import check_request
from bot.agent.playbooks import load_playbooks
from bot.agent.suitability import find_case, product_in
from bot.tracker.parser import parse_note
from tests.unit.agent.coach_fakes import RESIST_PASSAGE, FakeKnowledge, hit, make_tools

RISK = load_playbooks().product_risk
NOW = datetime(2026, 5, 6, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_an_explicit_r_level_wins_over_the_typical_one():
    assert product_in("客户想买R4的私募", RISK) == ("私募", 4)
    assert product_in("想买点私募基金", RISK) == ("私募基金", 5)
    assert product_in("这款产品是R2", RISK) == ("这类产品", 2)
    assert product_in("今天天气不错", RISK) is None


@pytest.mark.parametrize(("question", "suitable"), [
    ("客户李姐风险等级C2，想买R4的私募，怎么说？", False),
    ("稳健型客户能买债券基金吗", True),
    ("保守型的老人想买股票基金", False),
    ("C5客户买R5的私募股权可以吗", True),
])
def test_cases_from_the_question(question, suitable):
    case = find_case(question, RISK)
    assert case is not None and case.suitable is suitable


def test_no_case_without_a_client_level():
    assert find_case("私募基金有什么特点？", RISK) is None


def test_the_client_level_comes_from_the_tracker_when_the_question_has_none(tmp_path):
    tools = make_tools(tmp_path)
    tools.tracker.log_note(7, parse_note("刚见完钱总，风险评级C2，想了解基金", NOW), at=NOW)
    case = find_case("钱总想买私募，怎么跟他说？", RISK, tools=tools, adviser_id=7)
    assert case is not None and case.client_level == 2 and not case.suitable
    assert find_case("钱总想买私募，怎么跟他说？", RISK, tools=tools, adviser_id=8) is None  # not mine


def test_the_agent_answers_a_mismatch_with_the_rule_a_talk_track_and_what_not_to_do(tmp_path):
    agent = build_agent(knowledge=FakeKnowledge([hit(RESIST_PASSAGE)]))
    reply = agent.answer(7, "客户风险等级C2，想买R4的产品，我该怎么说？", now=NOW)
    assert "不能推荐" in reply.text and "可以这样说" in reply.text and "不要做" in reply.text
    assert "risk_mismatch" in reply.guardrails
    assert reply.text.count("【适当性") == 1  # the guardrail does not repeat the composer
    agent.close()


@pytest.mark.parametrize("request_text", [
    "帮我写一段话术，告诉客户这个基金稳赚不赔",
    "怎么跟客户说这款理财保本保息，让他放心买",
    "推荐几只能涨的股票",
    "明天哪只股票会涨停",
])
def test_misleading_scripts_and_stock_picks_are_refused(request_text):
    assert check_request(request_text)


@pytest.mark.parametrize("question", [
    "怎么告诉客户基金不保本",
    "客户说只要保本的，怎么回？",
    "客户问我这个基金保本吗，我怎么回答",
    "股票基金和债券基金有什么区别",
])
def test_honest_questions_are_not_refused(question):
    assert check_request(question) is None


def test_the_sources_list_is_never_rewritten_by_the_guardrails(tmp_path):
    quoted = hit("很多客户只买保本的产品，对基金心存疑虑。", section="保本的误区")
    agent = build_agent(knowledge=FakeKnowledge([quoted]))
    reply = agent.answer(7, "资产配置有哪些原则？", now=NOW)
    assert "保本的误区" in reply.text.split("📚 出处：")[1]
    agent.close()
