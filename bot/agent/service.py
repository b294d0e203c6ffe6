"""The Agent: one function that answers an adviser, whatever the channel (console, CLI, Telegram).

Flow of `answer`: request guardrail -> intent (always our classifier, so `ask --json` is stable) ->
a visit note is logged deterministically (never by a backend, so never twice) -> otherwise the offline
composer or the LLM (falling back to offline on failure or timeout) -> guardrails on the generated
text (so an LLM cannot slip past) -> conversation memory -> audit record in the tracker -> Reply.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.agent.adapters import reply_from_log_result, sources_from_hits
from bot.agent.offline import SOURCES_HEADER, render_sources
from bot.agent.reply import INTENTS, Reply
from bot.agent.tools import KnowledgeOnlyTools

if TYPE_CHECKING:
    from bot.agent.brain import Brain
    from bot.agent.llm import LLMBackend
    from bot.agent.memory import ConversationMemory
    from knowledge.settings import Settings

log = logging.getLogger(__name__)

FALLBACK_NOTICE = "LLM 后端暂时不可用（超时或出错），以下是离线回答。"
REFUSED = "request_refused"
EMPTY_MESSAGE = "请发一个问题，或一条拜访记录（例如：刚见完王总，他想再看看…）。"
_PRONOUNS = ("他", "她", "这位客户", "这个客户", "该客户")


class Agent:
    def __init__(self, *, tools: Any, tracker: Any, knowledge: Any, settings: Settings, brain: Brain,
                 memory: ConversationMemory | None = None, llm: LLMBackend | None = None,
                 owns_tracker: bool = False) -> None:
        self.tools = tools
        self.tracker = tracker
        self.knowledge = knowledge
        self.settings = settings
        self.brain = brain
        self.memory = memory
        self.llm = llm
        self._owns_tracker = owns_tracker  # close only a tracker we opened, not the bot's shared one
        self._tz = ZoneInfo(settings.tz)
        self._known_advisers: set[int] = set()
        self._adviser_lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="llm") if llm else None

    @property
    def backend(self) -> str:
        return self.llm.name if self.llm else "offline"

    # -- public API ----------------------------------------------------------------------------

    def answer(self, adviser_id: int, text: str, *, chat_id: str | None = None,
               now: datetime | None = None, intent: str | None = None, client_data: bool = True) -> Reply:
        """Answer one message: a question, a request, or a visit note to log.

        `intent` is for explicit commands (/log, /prep, /followups); free text is always classified.
        `client_data=False` answers from the material alone, for a chat others read (a Telegram group):
        no client of the adviser's is looked up, so none can appear in the answer.
        """
        now = self._now(now)
        text = (text or "").strip()
        if not text:
            return Reply(intent="other", text=EMPTY_MESSAGE)
        self._ensure_adviser(adviser_id)
        chat = chat_id or f"adviser:{adviser_id}"
        intent = intent if intent in INTENTS else self._classify(text)
        refusal = self.brain.check_request(text)
        if refusal:
            reply = Reply(intent=intent, text=refusal, guardrails=[REFUSED])
        elif intent == "log" and client_data:
            reply = self._log(adviser_id, text, now, client_name=None)
        else:
            tools = self.tools if client_data else KnowledgeOnlyTools(self.tools)
            reply = self._generate(adviser_id, chat, text, intent, now, tools)
        return self._finish(adviser_id, chat, text, reply, now, client_data=client_data)

    async def aanswer(self, adviser_id: int, text: str, **kwargs: Any) -> Reply:
        """`answer` from async code (Telegram handlers): runs in a worker thread, never blocks the loop."""
        import asyncio

        return await asyncio.to_thread(self.answer, adviser_id, text, **kwargs)

    def log_note(self, adviser_id: int, text: str, *, client_name: str, now: datetime | None = None,
                 chat_id: str | None = None) -> Reply:
        """Second step of the unknown-client flow: log `text` for the client the adviser named."""
        now = self._now(now)
        self._ensure_adviser(adviser_id)
        reply = self._log(adviser_id, text.strip(), now, client_name=client_name.strip())
        return self._finish(adviser_id, chat_id or f"adviser:{adviser_id}", text, reply, now)

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

    def intent_of(self, text: str) -> str:
        """What a message is (objection, log, tracker ...), without answering it."""
        return self._classify(text)

    def close(self) -> None:
        if self._pool:
            self._pool.shutdown(wait=False, cancel_futures=True)
        if self.memory:
            self.memory.close()
        if self._owns_tracker:
            self.tracker.close()

    # -- steps ---------------------------------------------------------------------------------

    def _classify(self, text: str) -> str:
        intent = self.brain.classify_intent(text)
        return intent if intent in INTENTS else "other"

    def _log(self, adviser_id: int, text: str, now: datetime, *, client_name: str | None) -> Reply:
        from bot.tracker.service import ClientRequired, TrackerError

        try:
            result = self.tools.log_visit(adviser_id, text, now, client_name=client_name)
        except ClientRequired as exc:
            return Reply(intent="log", text=str(exc) or "这条拜访记录是哪位客户的？请告诉我客户名字。",
                         needs_client=True, client_candidates=self._client_names(adviser_id))
        except TrackerError as exc:
            return Reply(intent="log", text=str(exc))
        return reply_from_log_result(result)

    def _generate(self, adviser_id: int, chat: str, text: str, intent: str, now: datetime,
                  tools: Any) -> Reply:
        if self.llm is not None:
            history = self.memory.history(chat) if self.memory else []
            try:
                future = self._pool.submit(self.llm.answer, adviser_id, text, now=now, history=history,
                                           tools=tools)
                answered = future.result(timeout=self.settings.llm_timeout_seconds)
                return Reply(intent=intent, text=answered.text, sources=sources_from_hits(answered.hits),
                             backend=self.llm.name)
            except FutureTimeout:
                future.cancel()
                log.warning("LLM backend %s timed out; answering offline", self.llm.name)
            except Exception as exc:  # any backend failure: the adviser still gets an answer
                log.warning("LLM backend %s failed (%s); answering offline",
                            self.llm.name, type(exc).__name__)
            reply = self._offline(adviser_id, chat, text, intent, now, tools)
            reply.notice = FALLBACK_NOTICE
            return reply
        return self._offline(adviser_id, chat, text, intent, now, tools)

    def _offline(self, adviser_id: int, chat: str, text: str, intent: str, now: datetime,
                 tools: Any) -> Reply:
        about = self._resolve_pronoun(chat, text)
        reply = self.brain.compose_offline(tools, adviser_id, about, intent, now)
        reply.intent = intent
        reply.backend = "offline"
        return reply

    def _resolve_pronoun(self, chat: str, text: str) -> str:
        """"他最近怎么样" after talking about 王总 -> about 王总 (offline composer reads names from text)."""
        if self.memory is None or self.brain.extract_client_name(text):
            return text
        if not any(pronoun in text for pronoun in _PRONOUNS):
            return text
        last = self.memory.last_client(chat)
        return f"{last}：{text}" if last else text

    def _finish(self, adviser_id: int, chat: str, text: str, reply: Reply, now: datetime, *,
                client_data: bool = True) -> Reply:
        if reply.sources and SOURCES_HEADER not in reply.text:
            # Every backend's answer ends with its sources, so no channel has to add (or repeat) them.
            reply.text = f"{reply.text.rstrip()}\n\n{render_sources(reply.sources)}"
        if reply.intent != "log" and REFUSED not in reply.guardrails:
            # Visit confirmations echo the adviser's own words and are not advice: not rewritten.
            self._guard(adviser_id, chat, text, reply, client_data=client_data)
        if self.memory:
            self.memory.append(chat, text, reply.text, at=now)
            client = (reply.logged_note or {}).get("client") or self.brain.extract_client_name(text)
            if client:
                self.memory.remember_client(chat, client)
        self._audit(adviser_id, reply, now)
        return reply

    def _guard(self, adviser_id: int, chat: str, text: str, reply: Reply, *,
               client_data: bool = True) -> None:
        client_risk, products = None, ()
        # The client talked about: named here, or "他/她" meaning the last client of this chat.
        name = self.brain.extract_client_name(self._resolve_pronoun(chat, text))
        if name and client_data:
            try:
                profile = self.tracker.client_profile(adviser_id, name)
            except Exception:  # a lookup problem must not block the compliance check itself
                profile = None
            if profile is not None:
                client_risk = profile.summary.risk_level
                products = tuple(profile.products)
        # Levels the adviser states in the question count too ("客户C2，想买R4的私募").
        from bot.agent.suitability import product_in
        from bot.tracker.parser import risk_level_in

        client_risk = risk_level_in(text) or client_risk
        playbooks = getattr(self.tools, "playbooks", None)
        asked = product_in(text, playbooks.product_risk) if playbooks is not None else None
        if asked is not None:
            products = (*products, asked[0])
        product_risk = f"R{asked[1]}" if asked else None
        # The sources list quotes the material (which may say "保本"): only the advice itself is checked.
        body, header, sources = reply.text.partition(SOURCES_HEADER)
        answer, fired = self.brain.apply_guardrails(body.rstrip(), client_risk=client_risk, products=products,
                                                    product_risk=product_risk)
        reply.text = f"{answer}\n\n{header}{sources}" if header else answer
        for rule in fired or ():
            if rule not in reply.guardrails:
                reply.guardrails.append(rule)

    def _audit(self, adviser_id: int, reply: Reply, now: datetime) -> None:
        from bot.tracker.service import AuditRecord

        source_ids = [s.chunk_id or f"{s.source}#{s.section}" for s in reply.sources]
        record = AuditRecord(adviser_id=adviser_id, at=now, intent=reply.intent, backend=reply.backend,
                             source_ids=source_ids, answer=reply.text, guardrails=list(reply.guardrails))
        try:
            self.tracker.record_audit(record)
        except Exception as exc:
            # The adviser keeps the answer; the failure is loud in the logs for the bank to see. The error
            # type only: a database error quotes its parameters, and those hold the answer text.
            log.error("audit record could not be written (adviser %s): %s", adviser_id, type(exc).__name__)

    # -- helpers -------------------------------------------------------------------------------

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
        except Exception:
            return []
