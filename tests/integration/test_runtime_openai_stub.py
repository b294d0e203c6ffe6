"""The openai backend end to end, through settings, against a tiny OpenAI-compatible stub server."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.agent.factory import build_agent
from bot.agent.service import FALLBACK_NOTICE
from knowledge.settings import get_settings
from tests.unit.agent.runtime_fakes import FakeKnowledge, FakeTools, FakeTracker, fake_brain

pytestmark = pytest.mark.integration


def completion(message: dict, finish: str) -> dict:
    return {"id": "chatcmpl-stub", "object": "chat.completion", "created": 0, "model": "stub-model",
            "choices": [{"index": 0, "message": message, "finish_reason": finish}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}


class StubHandler(BaseHTTPRequestHandler):
    requests: list[dict] = []
    fail = False

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append({"path": self.path, "body": body,
                                    "auth": self.headers.get("Authorization")})
        if type(self).fail:
            self.send_response(500)
            self.end_headers()
            return
        if any(m["role"] == "tool" for m in body["messages"]):
            reply = completion({"role": "assistant", "content": "先认同客户的感受，再了解过往经历。"}, "stop")
        else:
            arguments = json.dumps({"query": "抗拒型客户"})
            call = {"id": "call_1", "type": "function",
                    "function": {"name": "search_knowledge", "arguments": arguments}}
            reply = completion({"role": "assistant", "content": None, "tool_calls": [call]}, "tool_calls")
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def stub_url(monkeypatch):
    StubHandler.requests = []
    StubHandler.fail = False
    server = ThreadingHTTPServer(("127.0.0.1", 0), StubHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    monkeypatch.setenv("LLM_BACKEND", "openai")
    monkeypatch.setenv("LLM_BASE_URL", url)
    monkeypatch.setenv("LLM_API_KEY", "sk-test")
    monkeypatch.setenv("LLM_MODEL", "stub-model")
    monkeypatch.setenv("LLM_TIMEOUT_SECONDS", "5")
    get_settings.cache_clear()
    yield url
    server.shutdown()
    server.server_close()


def make_agent(tracker: FakeTracker):
    knowledge = FakeKnowledge()
    return build_agent(get_settings(), knowledge=knowledge, tracker=tracker, brain=fake_brain(),
                       tools=FakeTools(knowledge, tracker))


def test_openai_backend_calls_a_tool_then_answers(stub_url):
    tracker = FakeTracker()
    reply = make_agent(tracker).answer(7, "客户说保险都是骗人的，怎么回？")
    assert reply.text.startswith("先认同客户的感受，再了解过往经历。") and "📚 出处：" in reply.text
    assert reply.backend == "openai" and reply.notice is None
    assert [s.chunk_id for s in reply.sources] == ["c-obj-1", "c-disc-1"]
    first, second = StubHandler.requests
    assert first["path"] == "/v1/chat/completions"
    assert first["auth"] == "Bearer sk-test"
    assert first["body"]["model"] == "stub-model"
    assert {t["function"]["name"] for t in first["body"]["tools"]} == {
        "search_knowledge", "client_profile", "due_followups", "client_grid", "log_visit"}
    tool_message = next(m for m in second["body"]["messages"] if m["role"] == "tool")
    assert "认同情绪" in tool_message["content"]
    assert tracker.audits[-1].backend == "openai"


def test_openai_backend_error_falls_back_to_offline(stub_url):
    StubHandler.fail = True
    reply = make_agent(FakeTracker()).answer(7, "客户说保险都是骗人的，怎么回？")
    assert reply.notice == FALLBACK_NOTICE and reply.text.startswith("离线：")
