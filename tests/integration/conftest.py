"""Shared fixtures for integration tests: the real embedding model, built or found once per session.

Tests that go through settings (load_embedder, open_knowledge_base, the CLI) must point EMBEDDING_MODEL at
`real_model_dir`, or every test would build its own copy in its empty ADVISER_DATA_DIR. Either request the
`real_model_env` fixture, or do it by hand:

    monkeypatch.setenv("EMBEDDING_MODEL", str(real_model_dir)); get_settings.cache_clear()
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
# `make test` runs `adviser model build` first, which puts the model here (the default data dir).
REPO_MODEL_DIR = REPO_ROOT / "data" / "models" / "multilingual-e5-small"


@pytest.fixture(scope="session")
def real_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built multilingual-e5-small folder: the repo's data dir when up to date, else built once here."""
    from knowledge.model_build import build_model, find_sources

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HF_HUB_OFFLINE", "1")
        patch.setenv("TRANSFORMERS_OFFLINE", "1")
        if find_sources().is_built(REPO_MODEL_DIR):
            return REPO_MODEL_DIR
        model_dir = tmp_path_factory.mktemp("model") / "multilingual-e5-small"
        build_model(model_dir)
        return model_dir


@pytest.fixture(scope="session")
def real_embedder(real_model_dir: Path):
    """One SentenceTransformerEmbedder for the whole session (the model loads once per process anyway)."""
    from knowledge.embedder import SentenceTransformerEmbedder

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HF_HUB_OFFLINE", "1")
        patch.setenv("TRANSFORMERS_OFFLINE", "1")
        return SentenceTransformerEmbedder(real_model_dir)


@pytest.fixture
def real_model_env(real_model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """EMBEDDING_MODEL -> the real model for this test, so code that reads settings loads it."""
    from knowledge.settings import get_settings

    monkeypatch.setenv("EMBEDDING_MODEL", str(real_model_dir))
    get_settings.cache_clear()
    return real_model_dir
