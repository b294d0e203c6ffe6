"""`adviser bot` start-up errors: one clear line, no traceback, the token never echoed."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.telegram.app import TokenError, check_token, file_base_url
from knowledge.settings import get_settings


def run_bot(monkeypatch, token: str | None):
    if token is None:
        monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    else:
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", token)
    get_settings.cache_clear()
    return CliRunner().invoke(main, ["bot"])


def test_missing_token_is_one_clear_line(monkeypatch):
    result = run_bot(monkeypatch, None)
    assert result.exit_code == 1
    assert "TELEGRAM_BOT_TOKEN is not set" in result.output and "Traceback" not in result.output


def test_a_webhook_needs_its_secret(monkeypatch):
    from tests.unit.telegram.fake_bot_api import TOKEN

    monkeypatch.setenv("TELEGRAM_WEBHOOK_URL", "https://bank.example/adviser")
    result = run_bot(monkeypatch, TOKEN)
    assert result.exit_code == 1 and "TELEGRAM_WEBHOOK_SECRET is required" in result.output


def test_malformed_token_is_refused_without_echoing_it(monkeypatch):
    result = run_bot(monkeypatch, "not-a-token-s3cr3t")
    assert result.exit_code == 1
    assert "malformed" in result.output and "s3cr3t" not in result.output


@pytest.mark.parametrize("token", ["", "abc:def", "123:short", "12345678:spaces in it abcdefghijklmnopqrstu"])
def test_check_token_rejects(token):
    with pytest.raises(TokenError):
        check_token(token)


def test_file_url_sits_beside_the_bot_api():
    assert file_base_url("http://127.0.0.1:8081/bot") == "http://127.0.0.1:8081/file/bot"
    assert file_base_url("https://proxy.bank.local/tg/") == "https://proxy.bank.local/tg/file/bot"


def test_webhook_url_switches_from_polling_to_a_webhook(monkeypatch):
    from telegram.ext import Application

    from bot.agent.factory import build_agent
    from bot.telegram.app import run_bot
    from tests.unit.telegram.conftest import small_knowledge
    from tests.unit.telegram.fake_bot_api import TOKEN

    started = {}
    monkeypatch.setattr(Application, "run_webhook", lambda self, **kw: started.update(webhook=kw))
    monkeypatch.setattr(Application, "run_polling", lambda self, **kw: started.update(polling=kw))
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    get_settings.cache_clear()
    agent = build_agent(get_settings(), knowledge=small_knowledge())
    run_bot(get_settings(), agent)
    assert "polling" in started and "webhook" not in started
    monkeypatch.setenv("TELEGRAM_WEBHOOK_URL", "https://bank.example/adviser/")
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", "hook-secret")
    monkeypatch.setenv("TELEGRAM_WEBHOOK_PORT", "8444")
    get_settings.cache_clear()
    run_bot(get_settings(), agent)
    hook = started["webhook"]
    assert hook["webhook_url"] == "https://bank.example/adviser/telegram"
    assert (hook["port"], hook["secret_token"]) == (8444, "hook-secret")
    agent.close()
