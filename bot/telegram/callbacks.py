"""Inline button presses: a logged note's sentiment, correction, undo and restore; the client of a waiting
note; note or question; a source's passage.

Every press is answered (Telegram shows a spinner until then), and pressing twice changes nothing twice:
undo and sentiment are idempotent, and a pending note or a restore is consumed once.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable

from telegram import Update
from telegram.error import TelegramError

from bot.telegram import note_actions
from bot.telegram.confirmation import sentiment_label
from bot.telegram.formatting import escape, passage_message, strike
from bot.telegram.keyboards import (
    ASK,
    LOG,
    ClientChoice,
    KindChoice,
    NoteAction,
    SourceChoice,
    note_keyboard,
    parse_callback,
)
from bot.telegram.messages import CANCELLED_NOTE, answer, remove_buttons, save_note
from bot.telegram.notes_flow import GONE, confirmation_html, restored_html, strike_out
from bot.telegram.pending import Confirmation
from bot.telegram.sending import send_html, send_text
from bot.telegram.state import Context, conversation_of, services_of, source_at

EDIT_PROMPT = ("请发一条更正后的完整记录（例如：刚见完王总，想买80万年金，下周五再约），我会替换原记录。"
               "/cancel 放弃。")
TOO_LATE = "已超过一分钟，不能恢复了。"


async def button(update: Update, context: Context) -> None:
    query = update.callback_query
    action = parse_callback(query.data)
    if isinstance(action, NoteAction):
        await _note_action(update, context, action)
    elif isinstance(action, ClientChoice):
        await _client_choice(update, context, action)
    elif isinstance(action, KindChoice):
        await _kind_choice(update, context, action)
    elif isinstance(action, SourceChoice):
        await _show_source(update, context, action)
    else:
        await query.answer("这个按钮已经失效了。")


async def _note_action(update: Update, context: Context, action: NoteAction) -> None:
    query = update.callback_query
    if action.action == "edit":
        conversation_of(context).start_edit(action.note_id, time.time())
        await query.answer()
        await send_text(context.bot, update.effective_chat.id, EDIT_PROMPT)
    elif action.action == "undo":
        await _undo(update, context, action.note_id)
    elif action.action == "back":
        await _restore(update, context, action.note_id)
    else:
        await _set_sentiment(update, context, action.note_id, action.value or "")


async def _undo(update: Update, context: Context, note_id: int) -> None:
    query, user_id = update.callback_query, update.effective_user.id
    tracker = services_of(context).agent.tracker
    before = await asyncio.to_thread(note_actions.undo, tracker, user_id, note_id)
    if before is None:
        await _quietly(query.answer(GONE))
        return
    await _quietly(query.answer("已撤销"))
    message = query.message
    pressed = (message.chat_id, message.message_id, escape(message.text or "")) if message else None
    await strike_out(context, user_id, note_id, note_actions.UNDO, note_actions.snapshot(before),
                     fallback=pressed)


async def _restore(update: Update, context: Context, note_id: int) -> None:
    query, user_id = update.callback_query, update.effective_user.id
    conversation = conversation_of(context)
    item = conversation.take_restore(note_id, time.time())
    if item is None:
        await _quietly(query.answer(TOO_LATE), query.edit_message_reply_markup(None))
        return
    saved = await asyncio.to_thread(note_actions.restore, services_of(context).agent.tracker, user_id, item)
    await _quietly(query.answer("已恢复"))
    newer = conversation.confirmations.pop(note_id, None) if item.kind == note_actions.CORRECT else None
    if newer is not None:  # the corrected version's confirmation no longer stands
        await _quietly(context.bot.edit_message_text(strike(newer.html, "已恢复为原来的记录。"),
                                                     chat_id=newer.chat_id, message_id=newer.message_id,
                                                     parse_mode="HTML", reply_markup=None))
    html = restored_html(saved, context)
    markup = note_keyboard(saved.note_id)
    await _quietly(query.edit_message_text(html, parse_mode="HTML", reply_markup=markup))
    if query.message is not None:
        conversation.remember_confirmation(
            saved.note_id, Confirmation(query.message.chat_id, query.message.message_id, html,
                                        note_actions.snapshot(saved)))


async def _set_sentiment(update: Update, context: Context, note_id: int, sentiment: str) -> None:
    query, user_id = update.callback_query, update.effective_user.id
    tracker = services_of(context).agent.tracker
    change = await asyncio.to_thread(note_actions.set_sentiment, tracker, user_id, note_id, sentiment)
    if change.saved is None:
        await _quietly(query.answer(GONE))
        return
    if not change.changed:
        await _quietly(query.answer(f"已经是「{sentiment_label(sentiment)}」"))
        return
    await _quietly(query.answer("已更新"))
    html = confirmation_html(change.saved, context, corrected=True)
    await _quietly(query.edit_message_text(html, parse_mode="HTML", reply_markup=note_keyboard(note_id)))
    if query.message is not None:
        conversation_of(context).remember_confirmation(
            note_id, Confirmation(query.message.chat_id, query.message.message_id, html,
                                  note_actions.snapshot(change.saved)))


async def _client_choice(update: Update, context: Context, choice: ClientChoice) -> None:
    query = update.callback_query
    conversation = conversation_of(context)
    pending = conversation.take_pending(choice.pending_id, time.time())
    if pending is None:
        await _quietly(query.answer(_gone_text(context, choice.pending_id)))
        return
    if choice.index is None or choice.index >= len(pending.names):
        await _quietly(query.answer("已取消"), query.edit_message_reply_markup(None))
        await send_text(context.bot, update.effective_chat.id, CANCELLED_NOTE)
        return
    name = pending.names[choice.index]
    await save_note(update, context, pending.text, client_name=name)  # first: the note must not wait
    await _quietly(query.answer(f"记到 {name}"), query.edit_message_reply_markup(None))


async def _kind_choice(update: Update, context: Context, choice: KindChoice) -> None:
    query = update.callback_query
    pending = conversation_of(context).take_pending(choice.pending_id, time.time())
    if pending is None:
        await _quietly(query.answer(_gone_text(context, choice.pending_id)))
        return
    await _quietly(query.answer())
    await remove_buttons(context, pending)
    if choice.choice == LOG:
        await save_note(update, context, pending.text)
    elif choice.choice == ASK:
        await answer(update, context, pending.text, as_question=True)
    else:
        await send_text(context.bot, update.effective_chat.id, CANCELLED_NOTE)


async def _show_source(update: Update, context: Context, choice: SourceChoice) -> None:
    query = update.callback_query
    source = source_at(context.chat_data, choice.key, choice.index)
    if source is None:
        await _quietly(query.answer("这条出处已经过期了，请重新提问。"))
        return
    await _quietly(query.answer())
    await send_html(context.bot, update.effective_chat.id, [passage_message(source.label, source.text)])


def _gone_text(context: Context, pending_id: str) -> str:
    handled = conversation_of(context).was_handled(pending_id)
    return "这条记录已经处理过了。" if handled else "这条记录已失效、没有保存，请重新发送。"


async def _quietly(*calls: Awaitable[object]) -> None:
    """Courtesy calls (answering the press, removing the buttons): a failure there changes nothing saved."""
    for call in calls:
        try:
            await call
        except TelegramError:
            pass
