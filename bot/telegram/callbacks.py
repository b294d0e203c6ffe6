"""Inline button presses: correct or undo a logged note, pick the client of a pending note.

Every press is answered (Telegram shows a spinner until then), and pressing twice changes nothing twice:
undo and sentiment are idempotent in bot.agent.corrections, and a pending note is consumed once.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable

from telegram import Update
from telegram.error import BadRequest, TelegramError

from bot.agent.corrections import Correction, set_sentiment, undo_note
from bot.telegram.formatting import plain_messages
from bot.telegram.handlers import Context, conversation_of, log_for_client, services_of
from bot.telegram.keyboards import ClientChoice, NoteAction, note_keyboard, parse_callback
from bot.telegram.sending import send_text

EDIT_PROMPT = ("请发一条更正后的完整记录（例如：刚见完王总，想买80万年金，下周五再约），我会替换原记录。"
               "/cancel 放弃。")


async def button(update: Update, context: Context) -> None:
    query = update.callback_query
    action = parse_callback(query.data)
    if isinstance(action, NoteAction):
        await _note_action(update, context, action)
    elif isinstance(action, ClientChoice):
        await _client_choice(update, context, action)
    else:
        await query.answer("这个按钮已经失效了。")


async def _note_action(update: Update, context: Context, action: NoteAction) -> None:
    query = update.callback_query
    user_id = update.effective_user.id
    tracker = services_of(context).agent.tracker
    if action.action == "edit":
        conversation_of(context).start_edit(action.note_id, time.monotonic())
        await query.answer()
        await send_text(context.bot, update.effective_chat.id, EDIT_PROMPT)
        return
    if action.action == "undo":
        result = await asyncio.to_thread(undo_note, tracker, user_id, action.note_id)
        await _show(update, result, keep_buttons=False)
        return
    result = await asyncio.to_thread(set_sentiment, tracker, user_id, action.note_id, action.value)
    await _show(update, result, keep_buttons=True)


async def _show(update: Update, result: Correction, *, keep_buttons: bool) -> None:
    """Answer the press; when something changed, rewrite the confirmation message in place."""
    query = update.callback_query
    if not result.changed:
        await query.answer(result.text[:190], show_alert=False)
        return
    await query.answer("已更新")
    markup = note_keyboard(result.note_id) if keep_buttons and result.note_id else None
    try:
        await query.edit_message_text(plain_messages(result.text)[0], parse_mode="HTML", reply_markup=markup)
    except BadRequest:
        pass  # the message is too old to edit: the change itself is saved


async def _client_choice(update: Update, context: Context, choice: ClientChoice) -> None:
    query = update.callback_query
    conversation = conversation_of(context)
    pending = conversation.take_pending(choice.pending_id, time.monotonic())
    if pending is None:
        handled = conversation.was_handled(choice.pending_id)
        await query.answer("这条记录已经处理过了。" if handled else "这条记录已失效、没有保存，请重新发送。")
        return
    if choice.index is None or choice.index >= len(pending.names):
        await _quietly(query.answer("已取消"), query.edit_message_reply_markup(None))
        await send_text(context.bot, update.effective_chat.id, "已取消，这条记录没有保存。")
        return
    name = pending.names[choice.index]
    await log_for_client(update, context, pending.text, name)  # first: the note must not wait on Telegram
    await _quietly(query.answer(f"记到 {name}"), query.edit_message_reply_markup(None))


async def _quietly(*calls: Awaitable[object]) -> None:
    """Courtesy calls (answering the press, removing the buttons): a failure there changes nothing saved."""
    for call in calls:
        try:
            await call
        except TelegramError:
            pass
