"""Chat models chosen by settings.llm_backend."""

from __future__ import annotations

import pytest

from bot.agent.backends import BackendConfigError, build_chat_model
from knowledge.settings import get_settings


def settings_with(monkeypatch, **env: str):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    return get_settings()


def test_offline_has_no_chat_model(monkeypatch):
    assert build_chat_model(settings_with(monkeypatch)) is None


def test_openai_backend_uses_base_url_key_model_and_timeout(monkeypatch):
    settings = settings_with(monkeypatch, LLM_BACKEND="openai", LLM_BASE_URL="http://127.0.0.1:9/v1",
                             LLM_API_KEY="sk-x", LLM_MODEL="qwen-plus", LLM_TIMEOUT_SECONDS="7")
    model = build_chat_model(settings)
    assert type(model).__name__ == "ChatOpenAI"
    assert model.model_name == "qwen-plus"
    assert model.openai_api_base == "http://127.0.0.1:9/v1"
    assert model.request_timeout == 7.0
    assert model.openai_api_key.get_secret_value() == "sk-x"


def test_openai_backend_without_key_still_builds(monkeypatch):
    settings = settings_with(monkeypatch, LLM_BACKEND="openai", LLM_MODEL="local", LLM_API_KEY="")
    model = build_chat_model(settings)
    assert model.openai_api_key.get_secret_value() == "not-needed"


def test_ollama_backend(monkeypatch):
    model = build_chat_model(settings_with(monkeypatch, LLM_BACKEND="ollama", OLLAMA_MODEL="qwen2.5:7b",
                                           OLLAMA_BASE_URL="http://127.0.0.1:11434"))
    assert type(model).__name__ == "ChatOllama"
    assert model.model == "qwen2.5:7b" and model.base_url == "http://127.0.0.1:11434"


@pytest.mark.parametrize("backend", ["openai", "ollama"])
def test_missing_model_is_a_clear_error(monkeypatch, backend):
    with pytest.raises(BackendConfigError, match="needs"):
        build_chat_model(settings_with(monkeypatch, LLM_BACKEND=backend))
