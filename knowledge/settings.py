"""The one settings object, read from the environment and `.env`.

It lives in `knowledge` because that is the lowest room every other room may
import (ingest -> knowledge, bot -> knowledge); the tracker takes plain
arguments instead and imports nothing of ours.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

IdList = Annotated[list[int], NoDecode]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # Everything the product writes (vector store, tracker db, built model, logs, chat memory).
    adviser_data_dir: Path = Field(default=Path("data"))
    tz: str = "Asia/Shanghai"
    log_level: str = "INFO"

    # Knowledge base
    # A sentence-transformers folder; default: the model built in the data dir.
    embedding_model: str | None = None
    chroma_host: str | None = None
    chroma_port: int = 8000
    chroma_collection: str = "adviser_knowledge"
    # Ingest skips (with the reason) a file larger than this, or one that takes longer to read and chunk.
    ingest_max_file_mb: float = 20.0
    ingest_max_file_seconds: float = 120.0

    # Tracker
    database_url: str | None = None  # default: SQLite file in the data dir
    tier_thresholds_cny: Annotated[list[int], NoDecode] = Field(default=[200_000, 1_000_000, 6_000_000])
    contacts_per_month_by_tier: Annotated[list[int], NoDecode] = Field(default=[1, 2, 2, 4])
    # Whose book the CLI reads and writes (`adviser --adviser N ...` overrides); 0 = the local adviser.
    adviser_id: int = 0

    # Agent backends: offline (default, no model, no network), openai (any compatible API), ollama
    llm_backend: Literal["offline", "openai", "ollama"] = "offline"
    llm_base_url: str | None = None
    llm_api_key: SecretStr | None = None
    llm_model: str | None = None
    llm_timeout_seconds: float = 20.0  # one HTTP call to the model
    llm_deadline_seconds: float = 30.0  # the whole answer (every model and tool call); then offline
    llm_retries: int = 1  # retries of a call answered 429 or 5xx, inside the deadline
    llm_max_tokens: int = 800  # per model call
    llm_max_model_calls: int = 4  # per answer
    llm_context_tokens: int = 3000  # budget for chat history and tool results sent to the model
    # local: client records never reach the model (prep and tracker answers are written offline)
    llm_client_data: Literal["local", "send"] = "local"
    ollama_base_url: str = "http://127.0.0.1:11434"
    ollama_model: str | None = None
    memory_turns: int = 10
    # Chat memory older than this is deleted (secrets are redacted before anything is stored).
    memory_retention_days: int = 30

    # Telegram
    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str | None = None
    telegram_webhook_url: str | None = None
    telegram_webhook_port: int = 8443
    telegram_webhook_secret: SecretStr | None = None
    # Messages of one chat closer together than this are answered once, together (Telegram splits a
    # long message into parts of 4096 characters; advisers send a thought in two quick lines).
    telegram_debounce_seconds: float = 1.5
    allowed_user_ids: IdList = Field(default_factory=list)
    admin_user_ids: IdList = Field(default_factory=list)
    digest_time: str = "08:30"

    @field_validator(
        "allowed_user_ids", "admin_user_ids", "tier_thresholds_cny", "contacts_per_month_by_tier",
        mode="before",
    )
    @classmethod
    def _split_ints(cls, value: object) -> object:
        if isinstance(value, str):
            return [int(part) for part in value.replace(" ", "").split(",") if part]
        if isinstance(value, int):
            return [value]
        return value

    @property
    def data_dir(self) -> Path:
        return self.adviser_data_dir

    @property
    def model_dir(self) -> Path:
        """Where the sentence-transformers model lives (built once at setup if not overridden)."""
        if self.embedding_model:
            return Path(self.embedding_model)
        return self.adviser_data_dir / "models" / "multilingual-e5-small"

    @property
    def chroma_dir(self) -> Path:
        return self.adviser_data_dir / "chroma"

    @property
    def tracker_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.adviser_data_dir / 'tracker.db').resolve()}"

    @property
    def log_dir(self) -> Path:
        return self.adviser_data_dir / "logs"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings for this process. Tests clear the cache after changing the environment."""
    return Settings()
