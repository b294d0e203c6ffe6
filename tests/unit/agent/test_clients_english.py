"""The adviser's own clients in the adviser's language: a call plan from the tracker and the tracker's
answers are English for an adviser who wrote English (only the client's names and notes stay as written),
and the Chinese ones are exactly what they were."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from bot.agent.composer import Context, Draft, Request
from bot.agent.digest import digest_text
from bot.agent.offline_clients import prep_draft, tracker_draft
from bot.agent.playbooks import Playbooks
from bot.agent.route import Route
from bot.agent.service import Agent
from bot.agent.slots import Slots
from bot.agent.tools import render_due, tier_label
from bot.agent.wording import CHINESE, ENGLISH

LOGGED = datetime(2026, 2, 20, 10, 0)
NOW = datetime(2026, 3, 4, 10, 0)
NOTES = {"李总": "刚见完李总，对年金有兴趣，50万，风险等级C3，很积极，下周五再约",
         "王总": "刚见完王总，怕亏，下周二再约",
         "Mrs Li": "Met Mrs Li today, she worries about losing money, interested in an annuity of 300k, "
                   "call back Monday"}


@pytest.fixture
def booked(agent: Agent) -> Agent:
    for note in NOTES.values():
        agent.answer(1, note, now=LOGGED)
    return agent


def chinese_besides_names_and_notes(text: str) -> list[str]:
    """The Chinese characters left once the clients' names and (cut) notes are taken out."""
    quoted = [n[:k] for n in NOTES.values() for k in (80, 60, 30)] + list(NOTES)
    for piece in sorted(quoted, key=len, reverse=True):
        text = text.replace(piece, "")
    return re.findall(r"[\u4e00-\u9fff]", text)


def prep(agent: Agent, library: Playbooks, asked: str, client: str, **context: object) -> Draft:
    request = Request(1, asked, NOW, Route("prep", (), client))
    found = Context(slots=Slots(client=client), profile=agent.tools.client_profile(1, client), **context)
    return prep_draft(request, found, library, agent.router)


def ask_tracker(agent: Agent, library: Playbooks, asked: str, client: str | None = None,
                adviser: int = 1) -> Draft:
    return tracker_draft(Request(adviser, asked, NOW, Route("tracker", (), client)), Context(Slots()),
                         agent.tools, library)


def test_an_english_call_plan_is_english_but_for_the_clients_own_words(booked: Agent,
                                                                        library: Playbooks) -> None:
    draft = prep(booked, library, "Seeing Mrs Li tomorrow, help me prepare", "Mrs Li")
    plan = library.call_plan["en"]
    assert draft.english and chinese_besides_names_and_notes(draft.text) == []
    assert draft.text.startswith("[Mrs Li] 200,000+ yuan | risk level unknown | acquainted | mood positive")
    assert f"- 02-20: {NOTES['Mrs Li'][:80]}" in draft.text  # the note as the adviser wrote it
    assert "Products discussed: annuities, about 300,000 yuan" in draft.text
    assert f"🎯 Goal: {plan.goals['positive']}" in draft.text
    assert 'Opening: "Mrs Li, last time you were quite interested in annuities.' in draft.text
    assert f"Approach (nine-grid): {library.grid[('acquainted', 'positive')].approach_en}" in draft.text
    assert 'Likely objections and how to answer:\n• Returns too low: "' in draft.text
    cadence = " (this tier: contact at least 2 times a month)"
    assert f"Next step: {plan.next_steps['positive']}{cadence}" in draft.text


def test_a_chinese_clients_english_plan_quotes_the_chinese_notes_and_translates_the_rest(
        booked: Agent, library: Playbooks) -> None:
    draft = prep(booked, library, "Prepare me for my call with 李总", "李总")
    assert draft.english and chinese_besides_names_and_notes(draft.text) == []
    assert f"- 02-20: {NOTES['李总']}" in draft.text
    assert "Compliance: The client's risk level is C3: recommend only products at or below" in draft.text


def test_an_english_plan_with_a_talk_track_that_has_no_english_is_chinese_throughout(
        booked: Agent, library: Playbooks) -> None:
    doctor = library.entry("doctor")  # the test library's client type has no en: block
    assert doctor is not None and doctor.english is None
    draft = prep(booked, library, "Seeing Mrs Li tomorrow, help me prepare", "Mrs Li", client_type=doctor)
    assert not draft.english and draft.text.startswith("【Mrs Li】20万+｜风险等级 未知")
    assert "要问清楚的（医生）：" in draft.text and "Goal" not in draft.text


def test_the_chinese_call_plan_is_what_it_was(booked: Agent, library: Playbooks) -> None:
    draft = prep(booked, library, "帮我准备一下明天见李总", "李总")
    assert not draft.english
    assert draft.text == (
        "【李总】20万+｜风险等级 C3｜一般熟悉｜情绪 积极\n"
        "之前的记录（新的在前）：\n"
        "- 02-20：刚见完李总，对年金有兴趣，50万，风险等级C3，很积极，下周五再约\n"
        "谈过的产品：年金，金额约 50万\n"
        "待跟进：2026-02-27\n"
        "\n"
        "🎯 目标：把兴趣落到具体方案上：确认金额、期限和风险等级，争取推进成交。\n"
        "开场：“李总，上次您对年金挺感兴趣，我把方案按您的情况细化了一下，给您过一遍。”\n"
        "打法（九宫格）：潜在成交客户：纳入下月储备，尽快邀约面谈，面谈前做好准备和团队分工。\n"
        "合规：客户风险等级 C3，只推荐不高于该等级的产品，不承诺保本或收益。\n"
        "下一步：约定签约/认购时间，提前准备好风险测评和所需材料。（按层级每月至少联系 2 次）")
    resistant = prep(booked, library, "明天见王总 帮我准备一下", "王总").text
    assert "开场：“王总，上次您提到的顾虑我一直记着，今天不谈产品，就想听听您的想法。”" in resistant
    assert "下一步：约一次不谈产品的回访（两周内），先把现有资产梳理一遍给他。" in resistant


def test_who_to_follow_up_asked_in_english_is_answered_in_english(booked: Agent, library: Playbooks) -> None:
    booked.router.route = lambda text, **kwargs: Route("tracker")  # routing is test_router's
    reply = booked.answer(1, "who should I follow up this week", now=NOW)
    assert reply.english and reply.notice is None
    assert reply.text.startswith("Clients to follow up (3, overdue first):\n- Mrs Li (200,000+ yuan): "
                                 "9 day(s) overdue, a follow-up you set | last: Met Mrs Li")
    assert "- 王总 (tier unknown): 8 day(s) overdue, a follow-up you set | last: 刚见完王总" in reply.text
    assert chinese_besides_names_and_notes(reply.text) == []
    nobody = ask_tracker(booked, library, "Who do I need to follow up today?", adviser=2)
    assert nobody.english and nobody.text == "No follow-ups due or overdue today."


def test_a_client_and_the_nine_grid_asked_in_english(booked: Agent, library: Playbooks) -> None:
    profile = ask_tracker(booked, library, "How is 李总 doing?", "李总")
    assert profile.english and chinese_besides_names_and_notes(profile.text) == []
    assert profile.text.startswith("李总: tier 200,000+ yuan, risk level C3, acquainted, mood positive, "
                                   "1 note(s), last contact 02-20\n")
    assert "Products: annuities\nLargest amount mentioned: 500,000 yuan" in profile.text
    approach = library.grid[("acquainted", "positive")].approach_en
    assert profile.text.endswith(f"\nSuggested approach: {approach}")
    unknown = ask_tracker(booked, library, "How is Mr Zhang doing?", "Mr Zhang")
    assert unknown.english and unknown.text.startswith('There is no record of "Mr Zhang" yet.')
    grid = ask_tracker(booked, library, "show my client grid")
    assert grid.english and grid.text.startswith("Client nine-grid (familiarity × mood):\n")
    assert "new client × resistant: 王总\n  Approach: Build trust first" in grid.text
    assert chinese_besides_names_and_notes(grid.text) == []
    resistant = ask_tracker(booked, library, "which clients are resistant")
    assert resistant.text.startswith("Clients who are resistant:\nnew client × resistant: 王总")
    assert ask_tracker(booked, library, "any neutral clients?").text == "No neutral clients on record yet."


def test_the_chinese_tracker_answers_are_what_they_were(booked: Agent, library: Playbooks) -> None:
    due = ask_tracker(booked, library, "这周要跟进谁？")
    assert not due.english and due.text.splitlines()[:3] == [
        "需要跟进的客户（3 位，逾期的在前）：",
        "- Mrs Li（20万+）：逾期 9 天，约定的跟进｜上次：Met Mrs Li today, she worries ",
        "- 王总（层级未知）：逾期 8 天，约定的跟进｜上次：刚见完王总，怕亏，下周二再约"]
    nobody = ask_tracker(booked, library, "这周要跟进谁？", adviser=2)
    assert nobody.text == "未来 4 天没有到期或逾期要跟进的客户。"
    assert ask_tracker(booked, library, "今天要联系谁", adviser=2).text == "今天没有到期或逾期要跟进的客户。"
    assert ask_tracker(booked, library, "抗拒型客户有哪些").text == (
        "抗拒型客户：\n新客户 × 抗拒：王总\n"
        "  打法：先建立信任，不推产品：以服务和问候开场，不直接问抗拒原因，在合适时机了解过去的经历。")
    assert ask_tracker(booked, library, "中立的客户").text == "目前没有中立型的客户记录。"
    assert ask_tracker(booked, library, "九宫格", adviser=2).text == "还没有客户记录。"
    profile = ask_tracker(booked, library, "李总最近怎么样", "李总").text
    assert profile.startswith("李总：层级 20万+，风险等级 C3，一般熟悉，情绪 积极，共 1 条记录，"
                              "上次联系 02-20\n涉及产品：年金\n提到的最大金额：50万\n")
    assert "\n建议：潜在成交客户" in profile
    assert ask_tracker(booked, library, "张三最近怎么样", "张三").text == (
        "客户记录里没有“张三”。见完客户发我一句话就能记下来。")


def test_the_daily_digest_opens_with_the_call_plans_line(booked: Agent) -> None:
    text = digest_text(booked.tracker, 1, date(2026, 2, 27), plan=booked.playbooks.call_plan["zh"])
    assert text is not None
    assert "  开场：“李总，上次您对年金挺感兴趣，我把方案按您的情况细化了一下，给您过一遍。”" in text


def test_a_due_item_and_a_tier_in_either_language(booked: Agent) -> None:
    [item] = [i for i in booked.tracker.due_followups(1, within_days=7, today=NOW.date())
              if i.client.name == "李总"]
    assert render_due(item) == render_due(item, CHINESE)
    assert render_due(item, CHINESE).startswith("李总（20万+）：逾期 5 天，约定的跟进｜上次：")
    assert render_due(item, ENGLISH).startswith("李总 (200,000+ yuan): 5 day(s) overdue, a follow-up you set")
    assert [tier_label(t, ENGLISH) for t in ("20万+", "<20万", "1.5亿+", None)] == [
        "200,000+ yuan", "<200,000 yuan", "150,000,000+ yuan", "tier unknown"]
    assert [tier_label(t) for t in ("20万+", None)] == ["20万+", "层级未知"]
