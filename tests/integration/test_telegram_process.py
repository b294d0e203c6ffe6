"""Smoke test of the real `adviser bot` process: it polls a fake Bot API server on 127.0.0.1 through
TELEGRAM_BASE_URL, answers, logs a note, keeps the token out of its logs, and stops on SIGTERM."""

from __future__ import annotations

import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest

pytestmark = pytest.mark.integration

TOKEN = "123456789:AAEsmoketestsmoketestsmoketest12345"
ADVISER = 4242
BOT = {"id": 99, "is_bot": True, "first_name": "Adviser Desk", "username": "adviser_desk_bot"}


class FakeBotApiServer:
    def __init__(self) -> None:
        self.updates: queue.Queue[dict] = queue.Queue()
        self.calls: list[tuple[str, dict]] = []
        self.paths: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                server.paths.append(self.path)
                params = _decode(raw, self.headers.get("Content-Type") or "")
                method = self.path.rsplit("/", 1)[1]
                server.calls.append((method, params))
                body = json.dumps({"ok": True, "result": server.answer(method, params)}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def answer(self, method: str, params: dict) -> object:
        if method == "getMe":
            return BOT
        if method == "getUpdates":
            try:
                return [self.updates.get(timeout=0.5)]
            except queue.Empty:
                return []
        if method == "sendMessage":
            return {"message_id": len(self.calls), "date": int(time.time()), "text": params.get("text", ""),
                    "chat": {"id": int(params["chat_id"]), "type": "private"}, "from": BOT}
        return True

    def texts(self) -> list[str]:
        return [params.get("text", "") for method, params in self.calls if method == "sendMessage"]

    def wait_for(self, needle: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for text in self.texts():
                if needle in text:
                    return text
            time.sleep(0.1)
        raise AssertionError(f"no message with {needle!r}; got {self.texts()}")

    def push(self, update_id: int, text: str) -> None:
        self.updates.put(message_update(update_id, text))


def message_update(update_id: int, text: str) -> dict:
    """A private text message from the adviser, as Telegram sends it."""
    message = {"message_id": update_id, "date": int(time.time()), "text": text,
               "chat": {"id": ADVISER, "type": "private"},
               "from": {"id": ADVISER, "is_bot": False, "first_name": "顾问"}}
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"update_id": update_id, "message": message}


def _decode(raw: bytes, content_type: str) -> dict:
    """python-telegram-bot posts form fields (JSON-encoded values); accept JSON bodies too."""
    if not raw:
        return {}
    if "json" in content_type:
        return json.loads(raw)
    fields = {key: values[0] for key, values in parse_qs(raw.decode()).items()}
    return {key: (value if key == "text" else _maybe_json(value)) for key, value in fields.items()}


def _maybe_json(value: str) -> object:
    try:
        return json.loads(value)
    except ValueError:
        return value


def _start_bot(tmp_path: Path, server: FakeBotApiServer, **extra_env: str) -> tuple[subprocess.Popen, Path]:
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "ALLOWED_USER_IDS": str(ADVISER),
           "TELEGRAM_BASE_URL": f"http://127.0.0.1:{server.port}/bot",
           "ADVISER_DATA_DIR": str(tmp_path / "data"),
           "HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1", **extra_env}
    log_path = tmp_path / "bot.log"
    with log_path.open("w") as log:
        process = subprocess.Popen([sys.executable, "-m", "bot", "bot"], env=env, cwd=tmp_path,
                                   stdout=log, stderr=subprocess.STDOUT)
    return process, log_path


def _stop(process: subprocess.Popen, server: FakeBotApiServer) -> None:
    if process.poll() is None:
        process.kill()
    server.httpd.shutdown()


def test_adviser_bot_polls_a_self_hosted_bot_api_and_stops_on_sigterm(tmp_path: Path) -> None:
    server = FakeBotApiServer()
    process, log_path = _start_bot(tmp_path, server)
    try:
        server.push(1, "/start")
        server.wait_for("/prep")
        server.push(2, "刚见完王总，对家族信托有兴趣，下周二再约")
        confirmation = server.wait_for("王总")
        assert "家族信托" in confirmation
        assert any(method == "setMyCommands" for method, _ in server.calls)
        assert all(path.startswith(f"/bot{TOKEN}/") for path in server.paths)  # base_url + token
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        _stop(process, server)
    output = log_path.read_text()
    assert TOKEN not in output and TOKEN.split(":")[1] not in output
    assert "家族信托" not in output  # no message bodies in the logs


def test_adviser_bot_takes_updates_on_a_webhook_with_its_secret(tmp_path: Path) -> None:
    server = FakeBotApiServer()
    port = _free_port()
    process, _ = _start_bot(tmp_path, server, TELEGRAM_WEBHOOK_URL="https://bank.example/adviser",
                            TELEGRAM_WEBHOOK_PORT=str(port), TELEGRAM_WEBHOOK_SECRET="s3cret-hook")
    try:
        deadline = time.monotonic() + 60
        while not any(method == "setWebhook" for method, _ in server.calls):
            assert time.monotonic() < deadline and process.poll() is None, "the bot never set its webhook"
            time.sleep(0.1)
        hook = next(params for method, params in server.calls if method == "setWebhook")
        assert hook["url"] == "https://bank.example/adviser/telegram"
        assert hook["secret_token"] == "s3cret-hook"
        update = message_update(1, "/help")
        assert _post_update(port, update, secret="wrong") == 403  # a forged update is refused
        assert _post_update(port, update, secret="s3cret-hook") == 200
        assert "/prep" in server.wait_for("/prep")
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        _stop(process, server)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _post_update(port: int, update: dict, *, secret: str) -> int:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/telegram", data=json.dumps(update).encode(),
                                     headers={"Content-Type": "application/json",
                                              "X-Telegram-Bot-Api-Secret-Token": secret})
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except urllib.error.URLError:  # the webhook server is not listening yet
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
