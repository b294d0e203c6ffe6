"""The LLM path through langchain's create_agent, driven by a tool-calling fake chat model."""

from __future__ import annotations

import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, ToolMessage

from bot.agent.factory import build_agent
from bot.agent.service import FALLBACK_NOTICE
from knowledge.settings import get_settings
from tests.unit.agent.runtime_fakes import FakeKnowledge, FakeTools, FakeTracker, fake_brain

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


class ToolCallingFakeModel(GenericFakeChatModel):
    """Plays a script of AIMessages (tool calls, then a final answer); records what it was sent."""

    seen: list = []

    def bind_tools(self, tools, **kwargs):
        return self

    def _generate(self, messages, stop=None, run_manager=None, **kwargs):
        self.seen.append(list(messages))
        return super()._generate(messages, stop=stop, run_manager=run_manager, **kwargs)


class BrokenModel(GenericFakeChatModel):
    def bind_tools(self, tools, **kwargs):
        return self

    def _generate(self, *args, **kwargs):
        raise ConnectionError("backend down")


class SlowModel(ToolCallingFakeModel):
    def _generate(self, *args, **kwargs):
        time.sleep(2)
        return super()._generate(*args, **kwargs)


def call(name: str, args: dict, call_id: str) -> dict:
    return {"name": name, "args": args, "id": call_id, "type": "tool_call"}


def script(*messages) -> ToolCallingFakeModel:
    return ToolCallingFakeModel(messages=iter(messages), seen=[])


@pytest.fixture
def tracker() -> FakeTracker:
    return FakeTracker()


def make_agent(tracker, model):
    knowledge = FakeKnowledge()
    return build_agent(get_settings(), knowledge=knowledge, tracker=tracker, chat_model=model,
                       brain=fake_brain(), tools=FakeTools(knowledge, tracker))


def tool_messages(model: ToolCallingFakeModel) -> dict[str, str]:
    return {m.name: m.content for m in model.seen[-1] if isinstance(m, ToolMessage)}


def test_every_tool_is_reachable_through_create_agent(tracker):
    agent = make_agent(tracker, None)
    agent.answer(7, "刚见完王总，想买理财", now=NOW)  # offline log, so the profile tool has a client
    model = script(
        AIMessage(content="", tool_calls=[
            call("search_knowledge", {"query": "抗拒型客户"}, "t1"),
            call("client_profile", {"name": "王总"}, "t2"),
            call("due_followups", {"days": 7}, "t3"),
            call("client_grid", {}, "t4"),
            call("log_visit", {"note": "刚见完王总，想买理财"}, "t5"),
        ]),
        AIMessage(content="先认同王总的顾虑，再聊过往经历。"),
    )
    agent = make_agent(tracker, model)
    reply = agent.answer(7, "客户说保险都是骗人的，王总这样怎么回？", now=NOW)
    assert reply.text.startswith("先认同王总的顾虑，再聊过往经历。")
    assert "📚 出处：" in reply.text  # the agent appends the sources to any backend's answer
    assert (reply.intent, reply.backend) == ("objection", "ToolCallingFakeModel")
    assert [s.chunk_id for s in reply.sources] == ["c-obj-1", "c-disc-1"]
    results = tool_messages(model)
    assert "抗拒型客户" in results["search_knowledge"] or "认同情绪" in results["search_knowledge"]
    assert results["client_profile"] == "王总：1 条记录"
    assert results["due_followups"] == "待跟进：王总"
    assert results["client_grid"] == "九宫格：1 位客户"
    assert "未保存" in results["log_visit"]
    # The LLM's log tool is read-only: still the one note from the offline log above.
    assert len(tracker.notes[7]) == 1
    assert tracker.audits[-1].source_ids == ["c-obj-1", "c-disc-1"]
    assert tracker.audits[-1].backend == reply.backend


def test_visit_note_never_reaches_the_llm(tracker):
    model = script(AIMessage(content="不该被调用"))
    agent = make_agent(tracker, model)
    reply = agent.answer(7, "刚见完王总，想买理财", now=NOW)
    assert reply.logged_note["client"] == "王总"
    assert model.seen == []
    assert len(tracker.notes[7]) == 1


def test_guardrails_rewrite_an_llm_reply_that_promises_returns(tracker):
    model = script(AIMessage(content="这款产品保本保收益，您放心买。"))
    agent = make_agent(tracker, model)
    reply = agent.answer(7, "客户嫌收益低要转走", now=NOW)
    assert "保本" not in reply.text
    assert "no_guarantee" in reply.guardrails
    assert tracker.audits[-1].guardrails == ["no_guarantee"]
    assert "保本" not in tracker.audits[-1].answer


def test_backend_failure_falls_back_to_offline_with_notice(tracker):
    agent = make_agent(tracker, BrokenModel(messages=iter([])))
    reply = agent.answer(7, "客户说保险都是骗人的，怎么回？", now=NOW)
    assert reply.text.startswith("离线：")
    assert reply.notice == FALLBACK_NOTICE
    assert reply.backend == "offline"
    assert tracker.audits[-1].backend == "offline"


def test_backend_timeout_falls_back_to_offline(tracker, monkeypatch):
    monkeypatch.setenv("LLM_TIMEOUT_SECONDS", "0.2")
    get_settings.cache_clear()
    agent = make_agent(tracker, SlowModel(messages=iter([AIMessage(content="太慢了")]), seen=[]))
    started = time.perf_counter()
    reply = agent.answer(7, "第一次见企业主，问哪些问题？", now=NOW)
    assert time.perf_counter() - started < 1.5
    assert reply.notice == FALLBACK_NOTICE and reply.text.startswith("离线：")


def test_llm_sees_the_persisted_conversation_after_a_restart(tracker):
    first = make_agent(tracker, script(AIMessage(content="第一轮回答")))
    first.answer(7, "第一轮问题", chat_id="tg-1", now=NOW)
    first.close()
    model = script(AIMessage(content="第二轮回答"))
    second = make_agent(tracker, model)
    second.answer(7, "接着上面说", chat_id="tg-1", now=NOW)
    contents = [m.content for m in model.seen[0]]
    assert contents[-3:] == ["第一轮问题", "第一轮回答", "接着上面说"]
    assert "理财顾问助手" in contents[0]  # the system prompt


def test_empty_llm_answer_falls_back(tracker):
    agent = make_agent(tracker, script(AIMessage(content="")))
    reply = agent.answer(7, "客户说保险都是骗人的", now=NOW)
    assert reply.notice == FALLBACK_NOTICE


def test_without_client_data_the_llm_tools_find_no_client(tracker):
    agent = make_agent(tracker, None)
    agent.answer(7, "刚见完王总，想买理财", now=NOW)
    model = script(
        AIMessage(content="", tool_calls=[call("client_profile", {"name": "王总"}, "t1"),
                                          call("due_followups", {"days": 7}, "t2")]),
        AIMessage(content="先了解客户的顾虑。"),
    )
    reply = make_agent(tracker, model).answer(7, "王总这样的客户怎么沟通？", now=NOW, client_data=False)
    assert reply.text.startswith("先了解客户的顾虑。")
    results = tool_messages(model)
    assert "条记录" not in results["client_profile"] and "王总" not in results["due_followups"]
