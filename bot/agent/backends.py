"""Chat models by `settings.llm_backend`: an OpenAI-compatible API, Ollama, or none (offline).

Imports are lazy: the offline default must not pay for langchain_openai / langchain_ollama at start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from knowledge.settings import Settings

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

BACKENDS = ("offline", "openai", "ollama")


class BackendConfigError(ValueError):
    """The chosen backend lacks a setting it needs. Message is user-facing."""


def build_chat_model(settings: Settings) -> BaseChatModel | None:
    """The configured chat model, or None for the offline backend."""
    backend = settings.llm_backend
    if backend == "offline":
        return None
    if backend == "openai":
        if not settings.llm_model:
            raise BackendConfigError(
                "LLM_BACKEND=openai needs LLM_MODEL (and LLM_BASE_URL for non-OpenAI APIs).")
        from langchain_openai import ChatOpenAI

        # Local OpenAI-compatible servers (vLLM ...) take any key; the client insists on one.
        api_key = (settings.llm_api_key.get_secret_value() if settings.llm_api_key else "") or "not-needed"
        # max_retries=0: the LLM composer retries 429/5xx itself, inside the answer's deadline.
        # stream_usage: token counts also when the answer is streamed (cost metering).
        return ChatOpenAI(base_url=settings.llm_base_url or None, api_key=api_key, model=settings.llm_model,
                          timeout=settings.llm_timeout_seconds, max_retries=0, temperature=0.3,
                          max_completion_tokens=settings.llm_max_tokens, stream_usage=True)
    if backend == "ollama":
        model = settings.ollama_model or settings.llm_model
        if not model:
            raise BackendConfigError("LLM_BACKEND=ollama needs OLLAMA_MODEL.")
        from langchain_ollama import ChatOllama

        return ChatOllama(base_url=settings.ollama_base_url, model=model, temperature=0.3,
                          num_predict=settings.llm_max_tokens,
                          client_kwargs={"timeout": settings.llm_timeout_seconds})
    raise BackendConfigError(f"Unknown LLM_BACKEND {backend!r}; choose one of {', '.join(BACKENDS)}.")


def backend_name(settings: Settings) -> str:
    """What replies and the audit call the backend: openai:MODEL, ollama:MODEL."""
    model = settings.llm_model
    if settings.llm_backend == "ollama":
        model = settings.ollama_model or model
    return f"{settings.llm_backend}:{model}"


def is_retryable(exc: BaseException) -> bool:
    """A model call worth repeating: rate limited (429) or a server error (5xx).

    langchain-openai raises langchain_core's provider-neutral errors; the Ollama client its own.
    """
    from langchain_core.exceptions import ModelAPIError, ModelRateLimitError
    from ollama import ResponseError

    if isinstance(exc, ModelRateLimitError | ModelAPIError):
        return True
    return isinstance(exc, ResponseError) and (exc.status_code == 429 or exc.status_code >= 500)
