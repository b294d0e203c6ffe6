"""The openai backend end to end (settings -> factory -> Agent) against a local fake OpenAI-compatible
server: the request the model gets, and every fault ending in the offline answer within the deadline
plus one second, with no request reaching the server after the deadline."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bot.agent.service import Agent
from bot.tracker.service import Tracker
from knowledge.settings import get_settings
from tests.coach import OBJECTION, OnePassage, build_test_agent, copy_test_library
from tests.integration.fake_openai_server import FakeOpenAI, completion

pytestmark = pytest.mark.integration

DEADLINE = 2.0


@pytest.fixture
def serve(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    servers: list[FakeOpenAI] = []
    tracker = Tracker(f"sqlite:///{tmp_path / 'tracker.db'}")
    library = copy_test_library(tmp_path / "library")

    def start(script, **env: str) -> tuple[FakeOpenAI, Agent]:
        server = FakeOpenAI(script)
        servers.append(server)
        settings = {"LLM_BACKEND": "openai", "LLM_BASE_URL": server.start(), "LLM_API_KEY": "sk-test",
                    "LLM_MODEL": "stub-model", "LLM_DEADLINE_SECONDS": str(DEADLINE),
                    "LLM_TIMEOUT_SECONDS": "10", **env}
        for name, value in settings.items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()
        return server, build_test_agent(get_settings(), library, knowledge=OnePassage(), tracker=tracker)

    yield start
    for server in servers:
        server.stop()
    tracker.close()


def timed_answer(agent: Agent, text: str = OBJECTION):
    started = time.monotonic()
    reply = agent.answer(7, text)
    return reply, time.monotonic() - started, started


def test_a_tool_call_round_trip_and_the_request_the_model_received(serve):
    def script(n: int, body: dict):
        if n == 0:
            return completion(tool=("search_knowledge", {"query": "抗拒型客户"}))
        return completion("先认同客户对收益的在意[1]，不要直接问原因[2]。\n出处：\n- 《编的》")

    server, agent = serve(script)
    reply, _, _ = timed_answer(agent)
    assert reply.backend == "openai:stub-model" and reply.fallback_reason is None
    assert "出处" not in reply.text and "编的" not in reply.full_text
    assert reply.model_calls == 2 and reply.tokens == 240
    first, second = (r.body for r in server.received)
    assert first["model"] == "stub-model" and first["max_completion_tokens"] == 800
    assert "理财顾问助手" in first["messages"][0]["content"]
    assert [t["function"]["name"] for t in first["tools"]] == ["search_knowledge"]
    assert "[1] 【已审核的话术：" in first["messages"][-1]["content"]
    tool_message = next(m for m in second["messages"] if m["role"] == "tool")
    assert tool_message["content"].startswith("[2] 《中高净值客户拓展与经营》抗拒型客户")
    assert agent.tracker.audit_records(7)[-1].backend == "openai:stub-model"


def test_429_then_success_is_retried_inside_the_deadline(serve):
    server, agent = serve(lambda n, body: 429 if n == 0 else completion("先认同客户[1]。"))
    reply, elapsed, _ = timed_answer(agent)
    assert reply.backend == "openai:stub-model" and len(server.received) == 2 and reply.model_calls == 2


def test_500_falls_back_after_one_retry(serve):
    server, agent = serve(lambda n, body: 500)
    reply, elapsed, _ = timed_answer(agent)
    assert reply.backend == "offline" and reply.fallback_reason == "OpenAIAPIError"
    assert "【收益太低】" in reply.text and reply.notice and len(server.received) == 2


@pytest.mark.parametrize("behaviour", ["hang", "trickle"])
def test_a_stuck_server_is_cut_off_at_the_deadline_and_hears_nothing_after(serve, behaviour):
    server, agent = serve(lambda n, body: behaviour)
    reply, elapsed, started = timed_answer(agent)
    assert reply.backend == "offline" and reply.fallback_reason == "deadline" and "【收益太低】" in reply.text
    assert elapsed < DEADLINE + 1
    time.sleep(1.5)  # long enough for a retry or a next agent step to have shown up
    assert len(server.received) == 1 and server.received[0].at < started + DEADLINE


def test_a_tool_call_loop_stops_at_the_model_call_cap(serve):
    server, agent = serve(lambda n, body: completion(tool=("search_knowledge", {"query": f"q{n}"})),
                          LLM_MAX_MODEL_CALLS="3")
    reply, elapsed, started = timed_answer(agent)
    assert reply.backend == "offline" and reply.fallback_reason and reply.model_calls == 3
    assert "tools" not in server.received[-1].body  # the last call had to answer
    time.sleep(1.0)
    assert len(server.received) == 3 and elapsed < DEADLINE + 1


def test_a_closed_port_falls_back(serve):
    server, agent = serve(lambda n, body: completion("x"))
    server.stop()
    reply, elapsed, _ = timed_answer(agent)
    assert reply.backend == "offline" and reply.fallback_reason == "OpenAIConnectionError"
