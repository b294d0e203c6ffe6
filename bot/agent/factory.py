"""Wiring: build the Agent from settings with the real knowledge base, tracker, library and composers."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from knowledge.types import EmbedKind

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from bot.agent.guardrails import Guardrails
    from bot.agent.playbooks import Playbooks
    from bot.agent.service import Agent
    from knowledge.phrases import Phrase, PhraseIndex
    from knowledge.settings import Settings
    from knowledge.types import Embedder

log = logging.getLogger(__name__)


def build_agent(settings: Settings | None = None, *, knowledge: Any = None, tracker: Any = None,
                chat_model: BaseChatModel | None = None, embedder: Embedder | None = None,
                playbooks: Playbooks | None = None, guardrails: Guardrails | None = None) -> Agent:
    """The Agent for this process. Pass pieces to override the real ones (tests, benchmarks).

    `embedder` defaults to the knowledge base's own (loaded on first use); `chat_model` forces the LLM
    path with that model, otherwise `settings.llm_backend` decides.
    """
    from bot.agent.backends import backend_name, build_chat_model
    from bot.agent.composer import FallbackComposer
    from bot.agent.memory import ConversationMemory
    from bot.agent.offline import OfflineComposer
    from bot.agent.phrase_match import PhraseMatcher, library_phrases
    from bot.agent.playbook_files import shipped_playbooks
    from bot.agent.request_meaning import library_requests
    from bot.agent.retrieve import Retriever
    from bot.agent.router import Router
    from bot.agent.service import Agent
    from bot.agent.sources import CitationResolver
    from bot.agent.tools import AgentTools
    from knowledge.embed_cache import CachedEmbedder
    from knowledge.settings import get_settings

    settings = settings or get_settings()
    if knowledge is None:
        knowledge = LazyKnowledge(settings)
    if embedder is None:
        embedder = knowledge if isinstance(knowledge, LazyKnowledge) else knowledge.embedder
    embedder = CachedEmbedder(embedder)
    owns_tracker = tracker is None
    if owns_tracker:
        tracker = open_tracker(settings)
    from bot.agent.guardrails import Guardrails

    playbooks = playbooks or shipped_playbooks()
    tools = AgentTools(knowledge, tracker, playbooks)
    guardrails = guardrails or Guardrails.load(embedder=embedder, product_risk=playbooks.product_risk,
                                               cache_dir=settings.data_dir / "guard",
                                               honest_requests=library_requests(playbooks))
    phrases = library_phrases(playbooks)
    matcher = PhraseMatcher(phrases, LazyPhrases(settings, phrases, embedder))
    router = Router(playbooks, matcher, guardrails.check_request)
    composer: Any = OfflineComposer(playbooks, tools, router)
    model = chat_model if chat_model is not None else build_chat_model(settings)
    if model is not None:
        from bot.agent.llm import LLMComposer

        name = backend_name(settings) if settings.llm_backend != "offline" else type(model).__name__
        composer = FallbackComposer(LLMComposer(model, tools, name=name, settings=settings), composer)
    memory = ConversationMemory.in_data_dir(settings.data_dir, max_turns=settings.memory_turns,
                                            retention_days=settings.memory_retention_days)
    return Agent(tools=tools, router=router, retriever=Retriever(tools, playbooks, router,
                                                                  CitationResolver(knowledge)),
                 composer=composer, guardrails=guardrails, tz=settings.tz, memory=memory,
                 owns_tracker=owns_tracker)


class LazyKnowledge:
    """Opens the knowledge base (and loads the embedding model) on the first search or embedding.

    Logging a note or asking about follow-ups then never pays for the model: that keeps `adviser ask`
    and the console quick to start. It is also the Embedder of the router and the guardrails, so the
    process loads the model once.
    """

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._base: Any = None
        self._lock = threading.Lock()

    @property
    def base(self) -> Any:
        with self._lock:
            if self._base is None:
                from knowledge.base import open_knowledge_base

                self._base = open_knowledge_base(self._settings)
            return self._base

    def search(self, query: str, k: int = 5) -> list:
        return self.base.search(query, k=k)

    def embed_batch(self, texts: Sequence[str], kind: EmbedKind = "passage") -> list[list[float]]:
        return self.base.embedder.embed_batch(texts, kind)

    def refresh(self) -> None:
        if self._base is not None:
            self._base.refresh()

    def __getattr__(self, name: str) -> Any:
        # Anything else KnowledgeBase offers (store, embedder ...) opens it.
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.base, name)


class LazyPhrases:
    """The library's example phrasings in the vector store, synced on first use (only changed ones are
    embedded), so commands that never route by meaning never load the model."""

    def __init__(self, settings: Settings, phrases: Sequence[Phrase], embedder: Embedder) -> None:
        self._settings, self._phrases, self._embedder = settings, phrases, embedder
        self._index: PhraseIndex | None = None
        self._lock = threading.Lock()

    def __call__(self) -> PhraseIndex:
        with self._lock:
            if self._index is None:
                from knowledge.phrases import open_phrase_index

                index = open_phrase_index(self._settings, self._embedder)
                added = index.sync(self._phrases)
                if added:
                    log.info("talk-track library: %d example phrasings embedded", added)
                self._index = index
            return self._index


def warm_up_in_background(agent: Agent) -> None:
    """Start loading the model, the knowledge index and the library's phrasings now, so the first question
    does not wait for them. A daemon thread: quitting during the warm-up never waits for it."""
    def warm() -> None:
        try:
            agent.warm_up()
        except Exception as exc:  # not ingested yet, store down: the first question will say so
            log.warning("knowledge base not ready: %s", type(exc).__name__)

    threading.Thread(target=warm, name="agent-warm-up", daemon=True).start()


def open_tracker(settings: Settings) -> Any:
    """The tracker database from settings (SQLite in the data dir unless DATABASE_URL says otherwise)."""
    from bot.tracker.service import Tracker

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return Tracker.from_settings(settings)
