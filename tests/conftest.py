"""Isolation for every test: its own data dir, no hub downloads, no real secrets from `.env`."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.settings import get_settings
from tests.fakes import FakeEmbedder

REPO_ROOT = Path(__file__).resolve().parent.parent

_SCRUBBED = ("TELEGRAM_BOT_TOKEN", "TELEGRAM_BASE_URL", "TELEGRAM_WEBHOOK_URL", "LLM_BACKEND", "LLM_BASE_URL",
             "LLM_API_KEY", "LLM_MODEL", "OLLAMA_MODEL", "DATABASE_URL", "CHROMA_HOST", "EMBEDDING_MODEL",
             "ALLOWED_USER_IDS", "ADMIN_USER_IDS")


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data_dir = tmp_path / "data"
    monkeypatch.setenv("ADVISER_DATA_DIR", str(data_dir))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "False")
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    for name in _SCRUBBED:
        monkeypatch.delenv(name, raising=False)
    # A developer's `.env` must not leak into tests: settings read `.env` from the working directory.
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    yield data_dir
    get_settings.cache_clear()


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()
