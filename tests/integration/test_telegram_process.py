"""Smoke test of the real `adviser bot` process: it polls a fake Bot API server on 127.0.0.1 through
TELEGRAM_BASE_URL, answers, logs a note, keeps the token out of its logs, and stops on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.integration.fake_bot_server import WARM_UP_SECONDS, FakeBotApiServer

pytestmark = pytest.mark.integration

REPO_ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456789:AAEsmoketestsmoketestsmoketest12345"
ADVISER = 4242


def message_update(update_id: int, text: str) -> dict:
    """A private text message from the adviser, as Telegram sends it (posted to the webhook)."""
    message = {"message_id": update_id, "date": int(time.time()), "text": text,
               "chat": {"id": ADVISER, "type": "private"},
               "from": {"id": ADVISER, "is_bot": False, "first_name": "顾问"}}
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"update_id": update_id, "message": message}


def _start_bot(tmp_path: Path, server: FakeBotApiServer, model_dir: Path,
               **extra_env: str) -> tuple[subprocess.Popen, Path]:
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "ALLOWED_USER_IDS": str(ADVISER),
           "TELEGRAM_BASE_URL": server.base_url, "ADVISER_DATA_DIR": str(tmp_path / "data"),
           "HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(REPO_ROOT),
           "EMBEDDING_MODEL": str(model_dir), "TRANSFORMERS_OFFLINE": "1", **extra_env}
    log_path = tmp_path / "bot.log"
    with log_path.open("w") as log:
        process = subprocess.Popen([sys.executable, "-m", "bot", "bot"], env=env, cwd=tmp_path,
                                   stdout=log, stderr=subprocess.STDOUT)
    return process, log_path


def _stop(process: subprocess.Popen, server: FakeBotApiServer) -> None:
    if process.poll() is None:
        process.kill()
    server.stop()


def test_adviser_bot_polls_a_self_hosted_bot_api_and_stops_on_sigterm(tmp_path: Path,
                                                                     real_model_dir: Path) -> None:
    server = FakeBotApiServer()
    process, log_path = _start_bot(tmp_path, server, real_model_dir)
    try:
        server.message(ADVISER, "/start")
        server.wait_text(ADVISER, "/prep", timeout=WARM_UP_SECONDS)
        server.message(ADVISER, "刚见完王总，对家族信托有兴趣，下周二再约")
        confirmation = server.wait_text(ADVISER, "王总").text
        assert "家族信托" in confirmation
        assert server.of("setMyCommands")
        assert all(path.startswith(f"/bot{TOKEN}/") for path in server.paths)  # base_url + token
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        _stop(process, server)
    output = log_path.read_text()
    assert TOKEN not in output and TOKEN.split(":")[1] not in output
    assert "家族信托" not in output  # no message bodies in the logs


def test_adviser_bot_takes_updates_on_a_webhook_with_its_secret(tmp_path: Path, real_model_dir: Path) -> None:
    server = FakeBotApiServer()
    port = _free_port()
    process, _ = _start_bot(tmp_path, server, real_model_dir, TELEGRAM_WEBHOOK_URL="https://bank.example/adviser",
                            TELEGRAM_WEBHOOK_PORT=str(port), TELEGRAM_WEBHOOK_SECRET="s3cret-hook")
    try:
        deadline = time.monotonic() + WARM_UP_SECONDS
        while not server.of("setWebhook"):
            assert time.monotonic() < deadline and process.poll() is None, "the bot never set its webhook"
            time.sleep(0.1)
        hook = server.of("setWebhook")[0].params
        assert hook["url"] == "https://bank.example/adviser/telegram"
        assert hook["secret_token"] == "s3cret-hook"
        update = message_update(1, "/help")
        assert _post_update(port, update, secret="wrong") == 403  # a forged update is refused
        assert _post_update(port, update, secret="s3cret-hook") == 200
        assert "/prep" in server.wait_text(ADVISER, "/prep").text
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
