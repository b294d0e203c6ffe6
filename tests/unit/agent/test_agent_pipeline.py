"""Agent.answer: route -> retrieve -> compose -> guard -> record, through the real pieces."""

from __future__ import annotations

from datetime import datetime

from bot.agent.composer import Composer, Context, Draft, FallbackComposer, Request
from bot.agent.reply import Reply, Source
from bot.agent.service import Agent

NOW = datetime(2026, 3, 4, 10, 0)


def test_objection_gets_its_talk_track_with_slots_and_readable_sources(agent: Agent) -> None:
    reply = agent.answer(1, "收益才两个点客户看不上", now=NOW)
    assert reply.intent == "objection"
    assert "【收益太低】" in reply.text and "这类产品的收益" in reply.text
    assert reply.logged_note is None and not reply.needs_confirmation


def test_slots_make_two_questions_read_differently(agent: Agent) -> None:
    one = agent.answer(1, "客户嫌收益太低 私募 50万", now=NOW).text
    two = agent.answer(1, "客户嫌收益太低 年金 20万", now=NOW).text
    assert one != two
    assert "私募的收益" in one and "50万什么时候要用" in one


def test_course_citations_show_title_and_section_never_a_file(agent: Agent) -> None:
    reply = agent.answer(1, "客户说回去跟老婆商量", now=NOW)
    assert [s.label for s in reply.sources] == ["《中高净值客户拓展与经营》 · 抗拒型客户"]
    assert ".txt" not in reply.full_text and "📚 出处：" in reply.full_text
    assert reply.as_json()["answer"] == reply.full_text


def test_a_clear_visit_report_is_logged(agent: Agent) -> None:
    reply = agent.answer(1, "刚见完王总，对家族信托有兴趣，下周二再约", now=NOW)
    assert reply.intent == "log" and reply.logged_note["client"] == "王总"
    assert agent.tracker.client_profile(1, "王总") is not None


def test_a_report_that_also_asks_is_not_guessed(agent: Agent) -> None:
    reply = agent.answer(1, "刚见完王总 他嫌收益低 怎么回", now=NOW)
    assert reply.needs_confirmation and reply.logged_note is None
    assert agent.tracker.client_profile(1, "王总") is None
    logged = agent.log_note(1, "刚见完王总 他嫌收益低 怎么回", now=NOW)
    assert logged.logged_note["client"] == "王总"


def test_just_a_question_is_never_logged(agent: Agent) -> None:
    reply = agent.answer(1, "刚见完王总 他嫌收益低 怎么回", now=NOW, as_question=True)
    assert reply.intent != "log" and reply.logged_note is None
    assert agent.tracker.client_profile(1, "王总") is None


def test_a_note_without_a_client_asks_which_one_in_chinese(agent: Agent) -> None:
    agent.answer(1, "刚见完李姐，买了20万理财", now=NOW)
    reply = agent.log_note(1, "刚跟客户喝完咖啡，她说再想想", now=NOW)
    assert reply.needs_client and "哪位客户" in reply.text and "李姐" in reply.client_candidates
    assert agent.log_note(1, "刚跟客户喝完咖啡，她说再想想", client_name="李姐", now=NOW).logged_note


def test_compliance_question_answers_verdict_first(agent: Agent) -> None:
    reply = agent.answer(1, "能帮客户做风评吗", now=NOW)
    assert reply.intent == "knowledge" and reply.text.startswith("不行。")


def test_method_question_answers_from_the_library(agent: Agent) -> None:
    reply = agent.answer(1, "九宫格是啥", now=NOW)
    assert "【九宫格】" in reply.text and reply.sources


def test_off_topic_says_the_material_does_not_cover_it(agent: Agent) -> None:
    reply = agent.answer(1, "帮我订机票", now=NOW)
    assert reply.intent == "other" and "培训资料里没有" in reply.text


def test_prep_for_a_known_client_reads_the_tracker(agent: Agent) -> None:
    agent.answer(1, "刚见完王总，怕亏，下周二再约", now=NOW)
    reply = agent.answer(1, "明天见王总 帮我准备一下", now=NOW)
    assert reply.intent == "prep" and "【王总】" in reply.text and "目标" in reply.text


def test_a_first_meeting_without_history_gets_the_first_meeting_plan(agent: Agent) -> None:
    reply = agent.answer(1, "明天第一次见开厂的", now=NOW)
    assert reply.intent == "prep" and "【企业主初次拜访】" in reply.text and "可能听到的顾虑" in reply.text


def test_advisers_never_see_each_others_clients(agent: Agent) -> None:
    agent.answer(1, "刚见完王总，怕亏，下周二再约", now=NOW)
    reply = agent.answer(2, "明天见王总 帮我准备一下", now=NOW)
    assert "怕亏" not in reply.text


def test_group_chats_never_log_nor_show_clients(agent: Agent) -> None:
    reply = agent.answer(1, "刚见完王总，对家族信托有兴趣", now=NOW, client_data=False)
    assert reply.logged_note is None and "私聊" in reply.text
    assert agent.tracker.client_profile(1, "王总") is None


def test_every_answer_is_audited(agent: Agent) -> None:
    agent.answer(1, "收益才两个点客户看不上", now=NOW)
    records = agent.tracker.audit_records(1, since=datetime(2026, 1, 1))
    assert [r.intent for r in records] == ["objection"]


def test_memory_only_with_a_chat_id(agent: Agent) -> None:
    agent.answer(1, "收益才两个点客户看不上")
    assert agent.memory.history("cli") == []
    agent.answer(1, "收益才两个点客户看不上", chat_id="tg:1")
    assert len(agent.memory.history("tg:1")) == 1


class BrokenComposer:
    name = "openai:test"

    def compose(self, request: Request, context: Context) -> Draft:
        raise TimeoutError


class PromisingComposer:
    name = "openai:test"

    def compose(self, request: Request, context: Context) -> Draft:
        return Draft("这款理财保本保收益，放心买。", backend=self.name)


def test_a_failing_llm_falls_back_to_the_offline_answer(agent: Agent) -> None:
    offline: Composer = agent.composer
    agent.composer = FallbackComposer(BrokenComposer(), offline)
    reply = agent.answer(1, "收益才两个点客户看不上", now=NOW)
    assert reply.backend == "offline" and reply.fallback_reason == "TimeoutError"
    assert "【收益太低】" in reply.text and reply.notice
    assert reply.as_json()["fallback_reason"] == "TimeoutError"


def test_guardrails_check_whatever_was_composed(agent: Agent) -> None:
    agent.composer = PromisingComposer()
    reply = agent.answer(1, "收益才两个点客户看不上", now=NOW)
    assert "保本保收益" not in reply.text and reply.guardrails


def test_suitability_uses_the_tracker_level_and_never_reads_r_as_the_clients(agent: Agent) -> None:
    agent.answer(1, "刚见完钱总，风险评级C2，下周再约", now=NOW)
    reply = agent.answer(1, "钱总想买R4的产品", now=NOW)
    assert "C2" in reply.text and "C4" not in reply.text and "不能推荐" in reply.text


def test_a_refused_amount_is_said_and_the_rest_of_the_note_kept(agent: Agent) -> None:
    reply = agent.answer(1, "刚见完王总，他说有-500万，下周二再约", now=NOW)
    assert reply.logged_note["client"] == "王总" and reply.logged_note["amount_cny"] is None
    assert reply.notice and "-500万" in reply.notice and reply.notice in reply.text


def test_an_adviser_writing_english_gets_the_english_talk_track(agent: Agent) -> None:
    reply = agent.answer(1, "yield too low client says", now=NOW)
    assert reply.intent == "objection" and reply.text.startswith("[Returns too low]")
    assert "You could say:" in reply.text and reply.notice is None and reply.english
    cited = Reply(intent="objection", text="...", sources=[Source("培训", "异议", "/srv/a.txt")],
                  english=True)
    assert "📚 Sources:\n- 《培训》 · 异议" in cited.full_text  # the header follows the answer's language
    chinese = agent.answer(1, "客户嫌收益太低", now=NOW)
    assert chinese.text.startswith("【收益太低】") and chinese.notice is None and not chinese.english


def test_an_english_question_the_library_has_no_english_for_is_told_why_it_is_chinese(agent: Agent) -> None:
    reply = agent.answer(1, "what does the course say about the nine grid", now=NOW)  # no en: block
    assert reply.text.startswith("【九宫格】") and not reply.english
    assert reply.notice and reply.notice.startswith("This answer is in Chinese")


def test_a_stock_tip_asked_of_the_assistant_is_not_covered_and_refused(agent: Agent) -> None:
    reply = agent.answer(1, "哪只股票会涨", now=NOW)
    assert reply.intent == "other" and "培训资料里没有" in reply.text and "不行" in reply.text


def test_memory_keeps_the_advice_not_the_compliance_notes(agent: Agent) -> None:
    agent.composer = PromisingComposer()
    reply = agent.answer(1, "收益才两个点客户看不上", chat_id="tg:1")
    [turn] = agent.memory.history("tg:1")
    assert "【合规提示】" in reply.text and "【合规提示】" not in turn.answer


def test_a_named_clients_words_are_coached_and_logging_is_offered_not_done(agent: Agent) -> None:
    reply = agent.answer(1, "李阿姨说收益才两个点 看不上", now=NOW)
    assert reply.intent == "objection" and reply.logged_note is None
    assert "/log" in reply.text and "李阿姨" in reply.text
    assert agent.tracker.client_profile(1, "李阿姨") is None


def test_prep_on_a_named_product_brings_what_to_get_right_about_it(agent: Agent) -> None:
    agent.answer(1, "刚见完王总，怕亏，下周二再约", now=NOW)
    reply = agent.answer(1, "明天见王总 家族信托这块怎么讲", now=NOW)
    assert reply.intent == "prep" and "产品要点（家族信托）" in reply.text
    reply = agent.answer(1, "明天第一次见开厂的 想聊聊家族信托", now=NOW)
    assert reply.intent == "prep" and "产品要点（家族信托）" in reply.text


def test_a_known_clients_call_prep_keeps_the_record_and_adds_the_occasion(agent: Agent) -> None:
    from bot.agent.route import Route

    agent.answer(1, "刚见完王总，怕亏，下周二再约", now=NOW)
    occasion = agent.router.playbooks.entry("owner_first_visit")
    route = Route("prep", (occasion,), "王总")
    agent.router.route = lambda text, **kwargs: route  # the routing itself is tested in test_router
    reply = agent.answer(1, "明天见王总 帮我准备一下", now=NOW)
    assert "【王总】" in reply.text and "怕亏" in reply.text
    assert f"这次是【{occasion.title}】" in reply.text


def test_an_english_request_to_prepare_a_meeting_is_never_logged_as_a_visit(agent: Agent) -> None:
    for asked in ("Seeing Mr Wang tomorrow, help me prepare", "Prepare me for my meeting with Mr Wang"):
        assert agent.answer(1, asked, now=NOW).logged_note is None
    visit = "Met Mrs Li today, she wants to prepare for retirement, call back Monday"
    report = agent.answer(1, visit, now=NOW)
    assert report.logged_note is not None and report.logged_note["client"] == "Mrs Li"
