"""The Agent: one function that answers an adviser, whatever the channel (console, CLI, Telegram).

`answer` runs four named steps, then records:
  route    what the message needs (a talk track, a visit note, the tracker, the material ...)
  retrieve the slots, citations, passages and client record that need calls for
  compose  the one Composer seam (offline, or an LLM with the offline answer as fallback)
  guard    compliance checks on whatever was composed, whoever composed it
  record   conversation memory and the audit trail
A visit note is logged by the Agent itself (never by a composer, so never twice), and a message that
could be a note or a question is not guessed: the reply asks.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.agent.composer import Composer, Request
from bot.agent.reply import ENGLISH_NOTICE, Reply
from bot.agent.suitability import client_level_in, product_in
from bot.tracker.errors import ClientRequired, TrackerError
from bot.tracker.service import AuditRecord

if TYPE_CHECKING:
    from bot.agent.guardrails import Guardrails
    from bot.agent.memory import ConversationMemory
    from bot.agent.retrieve import Retriever
    from bot.agent.route import Route
    from bot.agent.router import Router
    from bot.agent.tools import AgentTools, LogResult

log = logging.getLogger(__name__)

REFUSED = "request_refused"
EMPTY_MESSAGE = "请发一个问题，或一条拜访记录（例如：刚见完王总，他想再看看…）。"
ASK_CLIENT = "这条拜访记录是哪位客户的？回复客户名字我再保存（还没保存）。"
CONFIRM = "这条像是拜访记录，又像是在提问。要我把它记成拜访记录吗？（还没保存）"
# A named client's words answered as an objection may also be worth keeping: say how, never log unasked.
LOG_HINT = "📝 要把{client}的这句话记进拜访记录，发送 /log 加上这段话。"
LOG_HINT_ENGLISH = "📝 To keep what {client} said in the visit notes, send /log followed by this message."
PRIVATE_ONLY = "客户信息只在私聊处理：请私聊我发这条。"
WARM_UP_QUESTION = "客户说收益太低，怎么回？"
_PRONOUNS = ("他", "她", "这位客户", "这个客户", "该客户")


class Agent:
    def __init__(self, *, tools: AgentTools, router: Router, retriever: Retriever, composer: Composer,
                 guardrails: Guardrails, tz: str, memory: ConversationMemory | None = None,
                 owns_tracker: bool = False) -> None:
        self.tools = tools
        self.tracker = tools.tracker
        self.knowledge = tools.knowledge
        self.router = router
        self.playbooks = router.playbooks  # the one library the router, composer and digest share
        self.retriever = retriever
        self.composer = composer
        self.guardrails = guardrails
        self.memory = memory
        self._owns_tracker = owns_tracker  # close only a tracker we opened, not the bot's shared one
        self._tz = ZoneInfo(tz)
        self._known_advisers: set[int] = set()
        self._adviser_lock = threading.Lock()

    @property
    def backend(self) -> str:
        return self.composer.name

    # -- public API ----------------------------------------------------------------------------

    def answer(self, adviser_id: int, text: str, *, chat_id: str | None = None, now: datetime | None = None,
               intent: str | None = None, client_data: bool = True, as_question: bool = False,
               on_text: Callable[[str], None] | None = None) -> Reply:
        """Answer one message: a question, a request, or a visit note to log.

        `intent="log"` is the explicit /log command; `as_question` is the adviser's "只是提问" (never log).
        `client_data=False` answers from the material alone, for a chat others read (a Telegram group).
        `chat_id` names the conversation whose memory this message reads and extends; without it the
        message stands alone (`adviser ask`). `on_text` gets the answer so far while an LLM writes it.
        """
        now = self._now(now)
        text = (text or "").strip()
        if not text:
            return Reply(intent="other", text=EMPTY_MESSAGE)
        self._ensure_adviser(adviser_id)
        chat = chat_id
        if intent == "log":  # the /log command: no routing (and no model) needed
            if not client_data:
                return self._finish(adviser_id, chat, text, Reply(intent="log", text=PRIVATE_ONLY), now,
                                    client_data=False)
            logged = self._log(adviser_id, text, now, client_name=None)
            return self._finish(adviser_id, chat, text, logged, now)
        route = self.route(adviser_id, self._about(chat, text), as_question=as_question,
                           client_data=client_data)
        if not client_data and route.kind in ("log", "confirm", "tracker"):
            reply = Reply(intent=route.intent, text=PRIVATE_ONLY)
        elif route.kind == "log":
            reply = self._log(adviser_id, text, now, client_name=None)
        elif route.needs_confirmation:
            reply = Reply(intent="log", text=CONFIRM, needs_confirmation=True)
        else:
            history = tuple(self.memory.history(chat)) if self.memory and chat else ()
            request = Request(adviser_id, text, now, route, client_data=client_data, history=history,
                              on_text=on_text)
            reply, remembered = self._compose(request)
            return self._finish(adviser_id, chat, text, reply, now, client_data=client_data,
                                remembered=remembered)
        return self._finish(adviser_id, chat, text, reply, now, client_data=client_data)

    async def aanswer(self, adviser_id: int, text: str, **kwargs: Any) -> Reply:
        """`answer` from async code (Telegram handlers): runs in a worker thread, never blocks the loop."""
        import asyncio

        return await asyncio.to_thread(self.answer, adviser_id, text, **kwargs)

    def route(self, adviser_id: int, text: str, *, as_question: bool = False,
              client_data: bool = True) -> Route:
        """What a message is (step 1 of `answer`), without answering it."""
        @functools.cache  # the router may ask of one client several times; one tracker read each
        def known(name: str) -> bool:
            return client_data and self.tools.client_profile(adviser_id, name).profile is not None

        return self.router.route(text, known_client=known, as_question=as_question)

    def intent_of(self, text: str, adviser_id: int = 0) -> str:
        return self.route(adviser_id, text).intent

    def log_note(self, adviser_id: int, text: str, *, client_name: str | None = None,
                 now: datetime | None = None, chat_id: str | None = None) -> Reply:
        """Log `text` as a visit note: after the adviser confirmed it, or named its client."""
        now = self._now(now)
        self._ensure_adviser(adviser_id)
        name = client_name.strip() if client_name else None
        reply = self._log(adviser_id, text.strip(), now, client_name=name or None)
        return self._finish(adviser_id, chat_id, text, reply, now)

    def undo_last(self, adviser_id: int) -> Reply:
        """Remove the adviser's most recent note (the console's /undo, `adviser undo`)."""
        saved = self.tracker.undo_last(adviser_id)
        if saved is None:
            text = "没有可以撤销的拜访记录。"
        else:
            text = f"已撤销：{saved.client_name} 的拜访记录（{saved.created_at:%m-%d %H:%M}）。"
        reply = Reply(intent="log", text=text, note_id=saved.note_id if saved else None)
        self._audit(adviser_id, reply, self._now(None))
        return reply

    def warm_up(self) -> None:
        """Load now what the first answer would wait for: the model, the knowledge index, the library's
        phrasings. Raises what opening them raises (the caller logs it: the first answer will say so)."""
        self.knowledge.search(WARM_UP_QUESTION, k=1)
        self.router.matcher.rank(WARM_UP_QUESTION)
        self.guardrails.warm_up()
        # Where each talk track's course quotes are (《title》· section), found once now, not by the
        # first adviser who meets that talk track.
        self.retriever.citations.sources([c for e in self.playbooks.entries for c in e.citations])

    def close(self) -> None:
        if self.memory:
            self.memory.close()
        if self._owns_tracker:
            self.tracker.close()

    # -- steps ---------------------------------------------------------------------------------

    def _compose(self, request: Request) -> tuple[Reply, str]:
        """The reply, and what the conversation memory keeps of it (no compliance notes)."""
        route = request.route
        context = self.retriever.retrieve(request)
        draft = self.composer.compose(request, context)
        # An adviser who wrote English is told why this answer is Chinese; one who mixed in Chinese reads it.
        notice = draft.notice or (ENGLISH_NOTICE if request.english and not draft.english else None)
        reply = Reply(intent=route.intent, text=draft.text, sources=draft.sources, backend=draft.backend,
                      notice=notice, fallback_reason=draft.fallback_reason,
                      model_calls=draft.model_calls, tokens=draft.tokens, model=draft.model,
                      english=draft.english)
        if route.refusal is not None:
            reply.guardrails.append(REFUSED)
        if route.kind == "objection" and route.client and request.client_data:
            reply.text += "\n" + (LOG_HINT_ENGLISH if draft.english else LOG_HINT).format(client=route.client)
        profile = context.profile.profile if context.profile else None
        remembered = self._guard(request.text, reply, reviewed=draft.reviewed,
                                 client_risk=profile.summary.risk_level if profile else None,
                                 products=tuple(profile.products) if profile else ())
        return reply, remembered

    def _log(self, adviser_id: int, text: str, now: datetime, *, client_name: str | None) -> Reply:
        try:
            result = self.tools.log_visit(adviser_id, text, now, client_name=client_name)
        except ClientRequired:
            return Reply(intent="log", text=ASK_CLIENT, needs_client=True,
                         client_candidates=self._client_names(adviser_id))
        except TrackerError as exc:
            return Reply(intent="log", text=str(exc))
        return _logged(result)

    def _guard(self, text: str, reply: Reply, *, client_risk: str | None, products: tuple[str, ...],
               reviewed: bool) -> str:
        """Compliance checks on the composed answer (levels the adviser states count too); returns the
        advice without the notes the checks appended."""
        client_risk = client_level_in(text) or client_risk
        asked = product_in(text, self.playbooks.product_risk)
        if asked is not None:
            products = (*products, asked[0])
        result = self.guardrails.check_answer(reply.text, client_risk=client_risk, products=products,
                                              product_risk=f"R{asked[1]}" if asked else None,
                                              reviewed=reviewed, english=reply.english)
        reply.text = result.text
        reply.guardrails += [rule for rule in result.fired if rule not in reply.guardrails]
        return result.advice

    def _finish(self, adviser_id: int, chat: str | None, text: str, reply: Reply, now: datetime, *,
                client_data: bool = True, remembered: str | None = None) -> Reply:
        if self.memory and chat:
            kept = reply.text if remembered is None else remembered
            self.memory.append(chat, text, kept, at=now, adviser_id=adviser_id)
            client = (reply.logged_note or {}).get("client") or self.router.client_named(text)
            if client and client_data:
                self.memory.remember_client(chat, client, adviser_id=adviser_id)
        self._audit(adviser_id, reply, now)
        return reply

    def _audit(self, adviser_id: int, reply: Reply, now: datetime) -> None:
        source_ids = [s.chunk_id or s.source for s in reply.sources]
        record = AuditRecord(adviser_id=adviser_id, at=now, intent=reply.intent, backend=reply.backend,
                             source_ids=source_ids, answer=reply.text, guardrails=list(reply.guardrails),
                             model_calls=reply.model_calls, tokens=reply.tokens, model=reply.model,
                             fallback_reason=reply.fallback_reason)
        try:
            self.tracker.record_audit(record)
        except Exception as exc:
            # The adviser keeps the answer; the failure is loud in the logs for the bank to see. The error
            # type only: a database error quotes its parameters, and those hold the answer text.
            log.error("audit record could not be written (adviser %s): %s", adviser_id, type(exc).__name__)

    # -- helpers -------------------------------------------------------------------------------

    def _about(self, chat: str | None, text: str) -> str:
        """"他最近怎么样" after talking about 王总 -> about 王总."""
        if self.memory is None or chat is None or self.router.client_named(text):
            return text
        if not any(pronoun in text for pronoun in _PRONOUNS):
            return text
        last = self.memory.last_client(chat)
        return f"{last}：{text}" if last else text

    def _now(self, now: datetime | None) -> datetime:
        if now is None:
            return datetime.now(self._tz)
        return now if now.tzinfo else now.replace(tzinfo=self._tz)

    def _ensure_adviser(self, adviser_id: int) -> None:
        if adviser_id in self._known_advisers:
            return
        # Held while creating, so a second message of a new adviser never logs before the row exists.
        with self._adviser_lock:
            if adviser_id not in self._known_advisers:
                self.tracker.ensure_adviser(adviser_id)
                self._known_advisers.add(adviser_id)

    def _client_names(self, adviser_id: int, limit: int = 8) -> list[str]:
        try:
            return [c.name for c in self.tracker.clients(adviser_id)[:limit]]
        except TrackerError:
            return []


def _logged(result: LogResult) -> Reply:
    saved = result.saved
    logged = saved.note.as_json()
    logged["client"] = saved.client_name
    return Reply(intent="log", text=result.text, logged_note=logged, note_id=saved.note_id,
                 notice=result.warning)
