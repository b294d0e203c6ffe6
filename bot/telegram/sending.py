"""Sending to Telegram with retries: flood control (RetryAfter) and network blips are retried;
a bad request is not (sending it again would fail the same way)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TypeVar

from telegram import Bot, InlineKeyboardMarkup, Message
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.agent.reply import Reply
from bot.telegram.formatting import plain_messages, reply_messages

log = logging.getLogger(__name__)
T = TypeVar("T")
ATTEMPTS = 4
MAX_FLOOD_WAIT_S = 60.0
TYPING_EVERY_S = 4.0  # Telegram shows "typing" for about 5 s per action


async def with_retries(call: Callable[[], Awaitable[T]], *, attempts: int = ATTEMPTS,
                       backoff_s: float = 0.5, idempotent: bool = True) -> T:
    """`idempotent=False` (sending a message): a timeout is not retried, the message may have arrived."""
    for attempt in range(1, attempts + 1):
        try:
            return await call()
        except RetryAfter as exc:
            if attempt == attempts:
                raise
            wait = _seconds(exc)
            log.warning("Telegram flood control: waiting %.1f s", wait)
            await asyncio.sleep(min(wait, MAX_FLOOD_WAIT_S))
        except (BadRequest, Forbidden):
            raise  # our request or the chat is the problem: retrying cannot help
        except TimedOut:
            if not idempotent or attempt == attempts:
                raise
            await asyncio.sleep(backoff_s * 2 ** (attempt - 1))
        except NetworkError as exc:
            if attempt == attempts:
                raise
            log.warning("Telegram network error (%s), retry %d", type(exc).__name__, attempt)
            await asyncio.sleep(backoff_s * 2 ** (attempt - 1))
    raise AssertionError("unreachable")


def _seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 warns that the int form will become a timedelta: take both
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if hasattr(value, "total_seconds") else float(value)


async def send_html(bot: Bot, chat_id: int, pieces: list[str], *,
                    reply_markup: InlineKeyboardMarkup | None = None,
                    reply_to: int | None = None) -> Message | None:
    """Send pieces in order; the keyboard goes on the last one (it belongs under the whole answer)."""
    sent = None
    for index, piece in enumerate(pieces):
        last = index == len(pieces) - 1
        markup = reply_markup if last else None
        quoted = reply_to if index == 0 else None
        sent = await with_retries(lambda piece=piece, markup=markup, quoted=quoted: bot.send_message(
            chat_id, piece, parse_mode=ParseMode.HTML, reply_markup=markup,
            reply_to_message_id=quoted, allow_sending_without_reply=True), idempotent=False)
    return sent


async def send_reply(bot: Bot, chat_id: int, reply: Reply, *,
                     reply_markup: InlineKeyboardMarkup | None = None,
                     reply_to: int | None = None, notice: str | None = None) -> Message | None:
    return await send_html(bot, chat_id, reply_messages(reply, notice=notice), reply_markup=reply_markup,
                           reply_to=reply_to)


async def send_text(bot: Bot, chat_id: int, text: str, *, reply_markup: InlineKeyboardMarkup | None = None,
                    reply_to: int | None = None) -> Message | None:
    """Our own plain text (escaped all the same: it may quote a client's name)."""
    return await send_html(bot, chat_id, plain_messages(text), reply_markup=reply_markup, reply_to=reply_to)


async def typing(bot: Bot, chat_id: int) -> None:
    try:
        await bot.send_chat_action(chat_id, ChatAction.TYPING)
    except NetworkError:
        pass  # only a courtesy: never let it cost the answer


@contextlib.asynccontextmanager
async def keep_typing(bot: Bot, chat_id: int, every_s: float = TYPING_EVERY_S) -> AsyncIterator[None]:
    """"typing" shown for as long as the block runs (the answer is being made), not just the first 5 s."""

    async def repeat() -> None:
        while True:
            await typing(bot, chat_id)
            await asyncio.sleep(every_s)

    task = asyncio.create_task(repeat())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
