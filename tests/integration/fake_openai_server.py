"""A local OpenAI-compatible chat server with scripted behaviour, for fault tests: answer, call a tool,
429, 500, hang, trickle. It records every request it received and when."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def completion(content: str | None = None, *, tool: tuple[str, dict] | None = None,
               finish: str = "stop") -> dict:
    message: dict = {"role": "assistant", "content": content}
    if tool is not None:
        name, arguments = tool
        message["tool_calls"] = [{"id": f"call_{time.monotonic_ns()}", "type": "function",
                                  "function": {"name": name, "arguments": json.dumps(arguments)}}]
        finish = "tool_calls"
    return {"id": "chatcmpl-fake", "object": "chat.completion", "created": 0, "model": "stub-model",
            "choices": [{"index": 0, "message": message, "finish_reason": finish}],
            "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120}}


# What the server does with the n-th request (0-based): a dict is sent as JSON, an int is an HTTP error
# status, "hang" never answers, "trickle" sends headers then a byte a second.
Script = Callable[[int, dict], "dict | int | str"]


@dataclass
class Received:
    at: float
    body: dict


@dataclass
class FakeOpenAI:
    script: Script
    received: list[Received] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)

    def start(self) -> str:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                index = len(fake.received)
                fake.received.append(Received(time.monotonic(), body))
                fake.respond(self, fake.script(index, body))

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def respond(self, handler: BaseHTTPRequestHandler, action: dict | int | str) -> None:
        try:
            if action == "hang":
                self.stopping.wait(60)
            elif action == "trickle":
                handler.send_response(200)
                handler.send_header("Content-Type", "application/json")
                handler.send_header("Content-Length", "100000")
                handler.end_headers()
                while not self.stopping.wait(1):
                    handler.wfile.write(b" ")
                    handler.wfile.flush()
            elif isinstance(action, int):
                data = json.dumps({"error": {"message": "scripted", "type": "server_error"}}).encode()
                handler.send_response(action)
                handler.send_header("Content-Type", "application/json")
                handler.send_header("Content-Length", str(len(data)))
                handler.end_headers()
                handler.wfile.write(data)
            else:
                data = json.dumps(action).encode()
                handler.send_response(200)
                handler.send_header("Content-Type", "application/json")
                handler.send_header("Content-Length", str(len(data)))
                handler.end_headers()
                handler.wfile.write(data)
        except OSError:  # the client hung up (cancelled at its deadline): that is the point
            pass

    def stop(self) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()
