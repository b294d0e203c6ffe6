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
