"""Wiring: build the Agent from settings with the real knowledge base, tracker and brain."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from bot.agent.brain import Brain
    from bot.agent.service import Agent
    from knowledge.settings import Settings

log = logging.getLogger(__name__)


def build_agent(settings: Settings | None = None, *, knowledge: Any = None, tracker: Any = None,
                chat_model: BaseChatModel | None = None, brain: Brain | None = None,
                tools: Any = None) -> Agent:
    """The Agent for this process. Pass pieces to override the real ones (tests, benchmarks).

    `chat_model` forces the LLM path with that model; otherwise `settings.llm_backend` decides.
    """
    from bot.agent.backends import build_chat_model
    from bot.agent.brain import Brain
    from bot.agent.memory import ConversationMemory
    from bot.agent.service import Agent
    from knowledge.settings import get_settings

    settings = settings or get_settings()
    if knowledge is None:
        knowledge = LazyKnowledge(settings)
    owns_tracker = tracker is None
    if owns_tracker:
        tracker = open_tracker(settings)
    if tools is None:
        from bot.agent.tools import AgentTools

        tools = AgentTools(knowledge, tracker, _load_playbooks())
    memory = ConversationMemory.in_data_dir(settings.data_dir, max_turns=settings.memory_turns)
    model = chat_model if chat_model is not None else build_chat_model(settings)
    llm = None
    if model is not None:
        from bot.agent.llm import LLMBackend

        name = settings.llm_backend if settings.llm_backend != "offline" else type(model).__name__
        llm = LLMBackend(model, tools, name=name)
    return Agent(tools=tools, tracker=tracker, knowledge=knowledge, settings=settings,
                 brain=brain or Brain.default(), memory=memory, llm=llm, owns_tracker=owns_tracker)


class LazyKnowledge:
    """Opens the knowledge base (and loads the embedding model) on the first search.

    Logging a note or asking about follow-ups then never pays for the model: that keeps `adviser ask`
    and the console quick to start.
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

    def warm_up(self) -> None:
        try:
            self.base  # noqa: B018 - opening is the point
        except Exception as exc:  # not ingested yet, store down: the first question will say so
            log.warning("knowledge base not ready: %s", type(exc).__name__)

    def refresh(self) -> None:
        if self._base is not None:
            self._base.refresh()

    def __getattr__(self, name: str) -> Any:
        # Anything else KnowledgeBase offers (store, embedder ...) opens it.
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.base, name)


def warm_up_in_background(knowledge: Any) -> None:
    """Start loading the embedding model and the store now, so the first question does not wait for it.

    A daemon thread: quitting during the warm-up never waits for it. A knowledge base that is already
    open (not a LazyKnowledge) has nothing to warm up.
    """
    if isinstance(knowledge, LazyKnowledge):
        threading.Thread(target=knowledge.warm_up, name="knowledge-warm-up", daemon=True).start()


def open_tracker(settings: Settings) -> Any:
    """The tracker database from settings (SQLite in the data dir unless DATABASE_URL says otherwise)."""
    from bot.tracker.service import Tracker

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return Tracker.from_settings(settings)


def _load_playbooks() -> Any:
    """The COACH room's playbooks, through whichever loader name bot.agent.playbooks exposes."""
    from bot.agent import playbooks

    for name in ("load_playbooks", "load", "load_default"):
        loader = getattr(playbooks, name, None)
        if callable(loader):
            return loader()
    raise RuntimeError("bot.agent.playbooks has no loader function")
