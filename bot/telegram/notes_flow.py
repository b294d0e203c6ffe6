"""Confirmations of logged notes in the chat: sent with their buttons, struck through after an undo or a
correction (with ↩️ 恢复 for a minute), restored. Shared by the message handlers and the buttons."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from telegram import Message
from telegram.error import TelegramError

from bot.telegram.confirmation import confirmation_text
from bot.telegram.formatting import escape, plain_messages, strike
from bot.telegram.keyboards import note_keyboard, restore_keyboard
from bot.telegram.note_actions import CORRECT, UNDO, snapshot
from bot.telegram.pending import RESTORE_TTL_S, Confirmation, Conversation, NoteSnapshot
from bot.telegram.sending import send_html, send_text
from bot.telegram.state import CONVERSATION, Context, conversation_of, services_of

RESTORE_OFFER = "一分钟内可以点“↩️ 恢复”找回。"
STRUCK = {UNDO: "↩️ 已撤销。", CORRECT: "✏️ 已更正，见下一条。"}
GONE = "这条记录已经撤销或不存在了，没有再做改动。"


def confirmation_html(saved: Any, context: Context, *, corrected: bool = False) -> str:
    text = confirmation_text(saved, services_of(context).today(), corrected=corrected)
    return plain_messages(text)[0]


async def send_confirmation(context: Context, chat_id: int, saved: Any, *, reply_to: int | None = None,
                            corrected: bool = False) -> Message | None:
    """The note as understood, with its buttons; remembered so an undo can strike it through later."""
    html = confirmation_html(saved, context, corrected=corrected)
    sent = await send_html(context.bot, chat_id, [html], reply_markup=note_keyboard(saved.note_id),
                           reply_to=reply_to)
    if sent is not None:
        conversation_of(context).remember_confirmation(
            saved.note_id, Confirmation(chat_id, sent.message_id, html, snapshot(saved)))
    return sent


async def confirm_logged(context: Context, chat_id: int, user_id: int, note_id: int, *,
                         reply_to: int | None = None) -> None:
    saved = await asyncio.to_thread(services_of(context).agent.tracker.get_note, user_id, note_id)
    if saved is None:  # undone between logging and now (another device): nothing to confirm
        await send_text(context.bot, chat_id, "这条记录已经撤销了。")
        return
    await send_confirmation(context, chat_id, saved, reply_to=reply_to)


async def strike_out(context: Context, user_id: int, note_id: int, kind: str, before: NoteSnapshot, *,
                     fallback: tuple[int, int, str] | None = None) -> bool:
    """Strike the note's confirmation through, remove its buttons, offer ↩️ 恢复 on it for a minute.

    `fallback` (chat id, message id, html) is the pressed message when no confirmation was remembered.
    False when there was no message to edit (the caller offers the restore in its own reply).
    """
    conversation = conversation_of(context)
    conversation.offer_restore(note_id, before, kind, time.time())
    record = conversation.confirmations.pop(note_id, None)
    target = (record.chat_id, record.message_id, record.html) if record else fallback
    if target is None:
        return False
    chat_id, message_id, html = target
    try:
        await context.bot.edit_message_text(strike(html, STRUCK[kind] + RESTORE_OFFER), chat_id=chat_id,
                                            message_id=message_id, parse_mode="HTML",
                                            reply_markup=restore_keyboard(note_id))
    except TelegramError:
        return False  # too old to edit: the change itself is saved
    expire_restore(context, user_id, chat_id, message_id, note_id)
    return True


def expire_restore(context: Context, user_id: int, chat_id: int, message_id: int, note_id: int) -> None:
    """After a minute the ↩️ 恢复 button goes (pressing it later would only say it is too late)."""
    if context.job_queue is None:
        return
    data = {"user_id": user_id, "chat_id": chat_id, "message_id": message_id, "note_id": note_id}
    context.job_queue.run_once(_remove_restore_button, RESTORE_TTL_S + 1, data=data)


async def _remove_restore_button(context: Context) -> None:
    data = context.job.data
    user_data = context.application.user_data.get(data["user_id"], {})
    conversation: Conversation | None = user_data.get(CONVERSATION)
    if conversation is None or data["note_id"] not in conversation.restorable:
        return  # restored already: that message now carries the note's own buttons
    conversation.restorable.pop(data["note_id"], None)
    try:
        await context.bot.edit_message_reply_markup(chat_id=data["chat_id"], message_id=data["message_id"],
                                                    reply_markup=None)
    except TelegramError:
        pass


def restored_html(saved: Any, context: Context) -> str:
    return "♻️ " + escape("已恢复：") + "\n" + confirmation_html(saved, context).split("\n", 1)[1]
