"""An LLM answer shown while it is written: one message with the text so far, edited at most about once
a second (Telegram's edit limits), removed when the finished reply (formatted, with its source buttons)
is sent. The offline backend never calls it, so offline answers arrive as before.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time

from telegram import Bot
from telegram.error import TelegramError

log = logging.getLogger(__name__)

EVERY_SECONDS = 1.0
MAX_CHARS = 4000  # under Telegram's 4096 per message; the finished reply is split properly
WRITING = " ✍️"


class DraftStream:
    """`on_text` is called from the composer's thread with the whole text so far; the bot calls run on
    `loop`. At most one send/edit is in flight; the newest text wins."""

    def __init__(self, bot: Bot, chat_id: int, loop: asyncio.AbstractEventLoop, *,
                 reply_to: int | None = None, every_s: float = EVERY_SECONDS) -> None:
        self.bot, self.chat_id, self.loop, self.reply_to, self.every_s = bot, chat_id, loop, reply_to, every_s
        self.message_id: int | None = None
        self._lock = threading.Lock()
        self._last = 0.0
        self._in_flight: asyncio.Future | None = None
        self._shown = ""

    def on_text(self, text: str) -> None:
        now = time.monotonic()
        with self._lock:
            busy = self._in_flight is not None and not self._in_flight.done()
            if busy or now - self._last < self.every_s or not text.strip():
                return
            self._last = now
            self._in_flight = asyncio.run_coroutine_threadsafe(self._show(text), self.loop)

    async def _show(self, text: str) -> None:
        shown = text[:MAX_CHARS] + WRITING
        if shown == self._shown:
            return
        try:
            if self.message_id is None:
                sent = await self.bot.send_message(self.chat_id, shown, reply_to_message_id=self.reply_to)
                self.message_id = sent.message_id
            else:
                await self.bot.edit_message_text(shown, chat_id=self.chat_id, message_id=self.message_id)
            self._shown = shown
        except TelegramError as exc:  # a skipped progress update loses nothing: the reply follows
            log.info("draft update skipped: %s", type(exc).__name__)

    async def finish(self) -> None:
        """Wait for the last update, then remove the draft (the finished reply is sent after)."""
        with self._lock:
            pending = self._in_flight
            self._last = float("inf")  # no update starts after this
        if pending is not None:
            await asyncio.wrap_future(pending)
        if self.message_id is not None:
            try:
                await self.bot.delete_message(self.chat_id, self.message_id)
            except TelegramError as exc:
                log.info("draft not removed: %s", type(exc).__name__)
