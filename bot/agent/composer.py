"""compose: the one seam where an answer is written. The offline composer and the LLM composer both
take the same request and the same retrieved context, and return a Draft; the fallback wrapper turns an
LLM error or a missed deadline into the offline answer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from bot.agent.reply import Source, answers_in_english

if TYPE_CHECKING:
    from bot.agent.memory import Turn
    from bot.agent.playbooks import Circumstance, ClientType, Industry, ProductNote
    from bot.agent.route import Route
    from bot.agent.slots import Slots
    from bot.agent.tools import ProfileResult
    from knowledge.types import Hit

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Request:
    adviser_id: int
    text: str
    now: datetime
    route: Route
    client_data: bool = True  # False in a chat others read: no client record may appear
    history: tuple[Turn, ...] = ()
    # Called with the answer text so far while a model writes it (Telegram edits its message).
    on_text: Callable[[str], None] | None = None

    @property
    def english(self) -> bool:
        """The adviser wrote English: the answer is English where the library has the English words."""
        return answers_in_english(self.text)


@dataclass
class Context:
    """What retrieve found for the request: every composer writes from this and nothing else."""

    slots: Slots
    passages: list[Hit] = field(default_factory=list)  # course passages above the relevance threshold
    cited: list[Source] = field(default_factory=list)  # the matched talk tracks' citations, resolved
    profile: ProfileResult | None = None  # the named client's record (prep, tracker)
    client_type: ClientType | None = None  # the kind of client the question is about
    industry: Industry | None = None  # the client's line of business, from the question or the notes
    circumstances: tuple[Circumstance, ...] = ()  # life events the question (or the notes) mention
    product_note: ProductNote | None = None  # the kind of product the question names


@dataclass
class Draft:
    text: str
    sources: list[Source] = field(default_factory=list)
    # Written from the reviewed talk-track library and the adviser's own records, not from ingested
    # material or a model: the guard's patterns read it, its meaning check does not.
    reviewed: bool = False
    backend: str = "offline"
    notice: str | None = None
    fallback_reason: str | None = None
    model_calls: int = 0
    tokens: int = 0  # prompt + completion, over every model call of the answer
    model: str | None = None
    english: bool = False  # written in English (the adviser wrote English): no notice that it is Chinese


FALLBACK_NOTICE = "LLM 后端暂时不可用（超时或出错），以下是离线回答。"


class ComposeFailed(Exception):
    """A composer gave up on a request; the fallback answers instead.

    `reason` goes to the reply and the audit (None: the fallback answers as if it were the backend, e.g.
    a refused request); `notice` is what the adviser is told; the spend so far is still metered.
    """

    def __init__(self, reason: str | None, *, notice: str | None = FALLBACK_NOTICE, model_calls: int = 0,
                 tokens: int = 0, model: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.notice = notice
        self.model_calls = model_calls
        self.tokens = tokens
        self.model = model


class Composer(Protocol):
    name: str

    def compose(self, request: Request, context: Context) -> Draft: ...


class FallbackComposer:
    """The primary composer (an LLM), and the offline answer whenever it fails."""

    def __init__(self, primary: Composer, fallback: Composer) -> None:
        self.primary = primary
        self.fallback = fallback
        self.name = primary.name

    def compose(self, request: Request, context: Context) -> Draft:
        try:
            return self.primary.compose(request, context)
        except ComposeFailed as exc:
            failed = exc
        except Exception as exc:  # any backend failure: the adviser still gets an answer
            failed = ComposeFailed(type(exc).__name__)
        if failed.reason:
            log.warning("composer %s failed (%s); answering offline", self.primary.name, failed.reason)
        draft = self.fallback.compose(request, context)
        draft.fallback_reason = failed.reason
        draft.notice = failed.notice
        draft.model_calls, draft.tokens, draft.model = failed.model_calls, failed.tokens, failed.model
        return draft
