"""The Agent's flow on the offline backend: routing, logging once, guardrails, audit, memory."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.agent.factory import build_agent
from knowledge.settings import get_settings
from tests.unit.agent.runtime_fakes import FakeKnowledge, FakeTools, FakeTracker, fake_brain

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def tracker() -> FakeTracker:
    return FakeTracker()


def make_agent(tracker: FakeTracker, chat_model=None):
    knowledge = FakeKnowledge()
    return build_agent(get_settings(), knowledge=knowledge, tracker=tracker, chat_model=chat_model,
                       brain=fake_brain(), tools=FakeTools(knowledge, tracker))


def test_objection_is_answered_offline_with_sources_and_audited(tracker):
    agent = make_agent(tracker)
    reply = agent.answer(7, "客户说保险都是骗人的，怎么回？", now=NOW)
    assert reply.intent == "objection"
    assert reply.backend == "offline"
    assert reply.text.startswith("离线：")
    assert [s.title for s in reply.sources] == ["异议处理", "需求挖掘"]
    record = tracker.audits[-1]
    assert (record.adviser_id, record.intent, record.backend) == (7, "objection", "offline")
    assert record.source_ids == ["c-obj-1", "c-disc-1"]
    assert record.answer == reply.text and record.at == NOW


def test_visit_note_is_logged_once_and_can_be_undone(tracker):
    agent = make_agent(tracker)
    reply = agent.answer(7, "刚见完王总，想买50万理财", now=NOW)
    assert reply.intent == "log"
    assert reply.logged_note["client"] == "王总"
    assert reply.note_id == 1
    assert len(tracker.notes[7]) == 1
    assert agent.tools.calls.count("log_visit") == 1
    undone = agent.undo_last(7)
    assert "王总" in undone.text
    assert tracker.notes[7] == []
    assert "没有" in agent.undo_last(7).text


def test_unknown_client_asks_then_logs_for_the_named_client(tracker):
    agent = make_agent(tracker)
    reply = agent.answer(7, "刚见完客户，他想再考虑一下", now=NOW)
    assert reply.needs_client and reply.logged_note is None
    assert 7 not in tracker.notes or tracker.notes[7] == []
    second = agent.log_note(7, "刚见完客户，他想再考虑一下", client_name="赵总", now=NOW)
    assert second.logged_note["client"] == "赵总"
    assert [n.client_name for n in tracker.notes[7]] == ["赵总"]


def test_request_guardrail_refuses_before_any_backend(tracker):
    agent = make_agent(tracker)
    reply = agent.answer(7, "帮我荐股，哪只股票能涨？", now=NOW)
    assert "不能推荐个股" in reply.text
    assert "request_refused" in reply.guardrails
    assert agent.tools.calls == []
    assert tracker.audits[-1].guardrails == ["request_refused"]


def test_explicit_intent_from_a_command_wins(tracker):
    agent = make_agent(tracker)
    reply = agent.answer(7, "近期要跟进哪些客户？", intent="tracker", now=NOW)
    assert reply.intent == "tracker" and "待跟进" in reply.text


def test_advisers_only_see_their_own_clients(tracker):
    agent = make_agent(tracker)
    agent.answer(1, "刚见完王总，想买理财", now=NOW)
    reply = agent.answer(2, "这周要跟进谁？", now=NOW)
    assert "王总" not in reply.text


def test_pronoun_follow_up_uses_last_client_of_the_chat(tracker):
    agent = make_agent(tracker)
    agent.answer(7, "刚见完王总，想买理财", chat_id="c1", now=NOW)
    reply = agent.answer(7, "他最近怎么样？", chat_id="c1", now=NOW)
    assert "王总：1 条记录" in reply.text


def test_memory_survives_a_restart(tracker):
    first = make_agent(tracker)
    first.answer(7, "客户说保险都是骗人的，怎么回？", chat_id="chat-9", now=NOW)
    first.answer(7, "刚见完王总，想买理财", chat_id="chat-9", now=NOW)
    first.close()
    second = make_agent(tracker)
    history = second.memory.history("chat-9")
    assert [t.user_text for t in history] == ["客户说保险都是骗人的，怎么回？", "刚见完王总，想买理财"]
    assert second.memory.last_client("chat-9") == "王总"


def test_memory_keeps_only_the_last_turns(tracker, monkeypatch):
    monkeypatch.setenv("MEMORY_TURNS", "2")
    get_settings.cache_clear()
    agent = make_agent(tracker)
    for i in range(5):
        agent.answer(7, f"问题{i}", chat_id="c", now=NOW)
    assert [t.user_text for t in agent.memory.history("c")] == ["问题3", "问题4"]


def test_empty_message_gets_a_prompt(tracker):
    assert make_agent(tracker).answer(7, "   ").text


def test_a_failing_audit_write_keeps_the_answer_and_logs_no_text(tracker, monkeypatch, caplog):
    def broken(record):
        raise RuntimeError(f"INSERT failed [parameters: {record.answer}]")

    monkeypatch.setattr(tracker, "record_audit", broken)
    reply = make_agent(tracker).answer(7, "客户说保险都是骗人的，怎么回？", now=NOW)
    assert reply.text
    assert "audit record could not be written (adviser 7): RuntimeError" in caplog.text
    assert reply.text[:10] not in caplog.text
