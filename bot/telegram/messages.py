"""Plain text from an adviser: gathered per chat (a burst is one message), then either the answer to what
the bot is waiting for (a correction, a client's name) or the agent's reply, sent with the right buttons.

Nothing an adviser sends is lost: a note the agent cannot place waits with buttons (which client? note or
question?), and a note sent in a group waits in the adviser's private chat, one tap from saved.
"""

from __future__ import annotations

import asyncio
import secrets
import time

from telegram import Update
from telegram.error import Forbidden, TelegramError

from bot.agent.reply import Reply
from bot.telegram import note_actions
from bot.telegram.access import is_private, strip_mention
from bot.telegram.debounce import Debouncer, join_burst
from bot.telegram.formatting import MAX_SOURCES
from bot.telegram.keyboards import client_keyboard, kind_keyboard, sources_keyboard
from bot.telegram.notes_flow import GONE, confirm_logged, send_confirmation, strike_out
from bot.telegram.pending import FROM_GROUP, WAITS_FOR_KIND, PendingNote, reply_kind
from bot.telegram.sending import keep_typing, send_reply, send_text
from bot.telegram.state import (
    Context,
    conversation_of,
    notice_to_show,
    remember_sources,
    services_of,
)
from bot.telegram.streaming import DraftStream

DEBOUNCER = "debouncer"  # bot_data
PRIVATE_ONLY = "客户信息只在私聊里处理，请私聊我使用这个功能。"
MOVED_TO_PRIVATE = "客户信息只在私聊处理，已私聊你。"
GROUP_NOTE = "你在群里发的这条拜访记录还没有保存：\n\n{text}\n\n点“📝 记录拜访”保存到你的客户记录。"
DEEP_LINK = "客户信息只在私聊处理。点这里打开和我的私聊，一键保存这条记录：{link}"
NOTE_OR_QUESTION = "这条是拜访记录，还是只是提问？（还没有保存任何内容）"
WHICH_CLIENT = "这条拜访记录是哪位客户的？还没有保存。\n{how}；/cancel 放弃。"
CANCELLED_NOTE = "已取消，这条记录没有保存。"


def debouncer_of(context: Context) -> Debouncer:
    services = services_of(context)
    return context.bot_data.setdefault(DEBOUNCER, Debouncer(services.settings.telegram_debounce_seconds))


async def text_message(update: Update, context: Context) -> None:
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    text = strip_mention(message.text or "", context.bot.username)
    if not text:
        await send_text(context.bot, chat.id, "有什么可以帮你？发 /help 看看我能做什么。")
        return
    burst = await debouncer_of(context).collect((chat.id, user.id), text)
    if burst is None:
        return  # answered together with the first message of the burst
    text = join_burst(burst)
    if is_private(chat) and await _continues_a_conversation(update, context, text):
        return
    await answer(update, context, text)


async def answer(update: Update, context: Context, text: str, *, intent: str | None = None,
                 as_question: bool = False) -> None:
    """The agent's answer for this adviser. In a group others read it: from the material alone."""
    services = services_of(context)
    chat, user = update.effective_chat, update.effective_user
    private = is_private(chat)
    if not private and not as_question:
        kind = intent or await asyncio.to_thread(services.agent.intent_of, text)
        if kind == "log":
            await move_to_private(update, context, text)
            return
        if kind in ("tracker", "prep"):
            await send_text(context.bot, chat.id, PRIVATE_ONLY, reply_to=_message_id(update))
            return
    draft = DraftStream(context.bot, chat.id, asyncio.get_running_loop(), reply_to=_message_id(update))
    async with keep_typing(context.bot, chat.id):
        reply: Reply = await services.agent.aanswer(user.id, text, chat_id=f"tg:{chat.id}", intent=intent,
                                                    client_data=private, as_question=as_question,
                                                    on_text=draft.on_text)
    await draft.finish()
    if reply.needs_confirmation and not private:
        await move_to_private(update, context, text)
        return
    await deliver(update, context, reply, original_text=text)


async def deliver(update: Update, context: Context, reply: Reply, *, original_text: str = "") -> None:
    chat_id, user_id = update.effective_chat.id, update.effective_user.id
    reply_to = _message_id(update)
    conversation = conversation_of(context)
    if reply.needs_confirmation:
        pending = conversation.add_pending(original_text, [], time.time(), kind=WAITS_FOR_KIND)
        sent = await send_text(context.bot, chat_id, NOTE_OR_QUESTION, reply_to=reply_to,
                               reply_markup=kind_keyboard(pending.id))
        pending.prompt = (chat_id, sent.message_id) if sent else None
        return
    if reply.needs_client:
        names = reply.client_candidates
        pending = conversation.add_pending(original_text, names, time.time())
        how = "点下面的客户，或者直接回复客户名字" if names else "请直接回复客户名字"
        sent = await send_text(context.bot, chat_id, WHICH_CLIENT.format(how=how), reply_to=reply_to,
                               reply_markup=client_keyboard(pending.id, names))
        pending.prompt = (chat_id, sent.message_id) if sent else None
        return
    if reply.logged_note is not None and reply.note_id:
        await confirm_logged(context, chat_id, user_id, reply.note_id, reply_to=reply_to)
        if reply.notice:  # e.g. an amount the parser refused: the rest of the note was saved
            await send_text(context.bot, chat_id, f"⚠️ {reply.notice}")
        return
    notice = notice_to_show(context.chat_data, reply.notice, services_of(context).today())
    markup = None
    if reply.sources:
        key = secrets.token_hex(3)
        remember_sources(context.chat_data, key, reply.sources[:MAX_SOURCES])
        markup = sources_keyboard(key, len(reply.sources))
    await send_reply(context.bot, chat_id, reply, reply_markup=markup, reply_to=reply_to, notice=notice)


async def move_to_private(update: Update, context: Context, text: str) -> None:
    """A note sent in a group: kept, and offered to the adviser in private (or by a deep link)."""
    chat, user = update.effective_chat, update.effective_user
    pending = conversation_of(context).add_pending(text, [], time.time(), kind=FROM_GROUP)
    try:
        sent = await send_text(context.bot, user.id, GROUP_NOTE.format(text=text),
                               reply_markup=kind_keyboard(pending.id, from_group=True))
    except Forbidden:  # the adviser never opened a private chat with the bot: a link opens it
        link = f"https://t.me/{context.bot.username}?start={pending.id}"
        await send_text(context.bot, chat.id, DEEP_LINK.format(link=link), reply_to=_message_id(update))
        return
    pending.prompt = (user.id, sent.message_id) if sent else None
    await send_text(context.bot, chat.id, MOVED_TO_PRIVATE, reply_to=_message_id(update))


async def offer_pending(update: Update, context: Context, pending: PendingNote) -> None:
    """/start <id> from the deep link: the waiting group note, with its save button, in private."""
    sent = await send_text(context.bot, update.effective_chat.id, GROUP_NOTE.format(text=pending.text),
                           reply_markup=kind_keyboard(pending.id, from_group=True))
    pending.prompt = (update.effective_chat.id, sent.message_id) if sent else None


async def save_note(update: Update, context: Context, text: str, client_name: str | None = None) -> None:
    agent = services_of(context).agent
    chat = update.effective_chat
    async with keep_typing(context.bot, chat.id):
        reply = await asyncio.to_thread(agent.log_note, update.effective_user.id, text,
                                        client_name=client_name, chat_id=f"tg:{chat.id}")
    await deliver(update, context, reply, original_text=text)


async def remove_buttons(context: Context, pending: PendingNote) -> None:
    """The question a pending note asked is answered: its buttons go (a courtesy: failures are ignored)."""
    if pending.prompt is None:
        return
    chat_id, message_id = pending.prompt
    try:
        await context.bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id, reply_markup=None)
    except TelegramError:
        pass


async def _continues_a_conversation(update: Update, context: Context, text: str) -> bool:
    """A correction the bot asked for, or the client of a waiting note: handled here (True)."""
    conversation, now = conversation_of(context), time.time()
    note_id = conversation.take_edit(now)
    if note_id is not None:
        await correct(update, context, note_id, text)
        return True
    pending = conversation.latest_pending(now)
    kind = reply_kind(text, pending.names) if pending else None
    if kind is None:
        return False
    conversation.take_pending(pending.id, now)
    await remove_buttons(context, pending)
    if kind == "cancel":
        await send_text(context.bot, update.effective_chat.id, CANCELLED_NOTE)
    else:
        await save_note(update, context, pending.text, client_name=text)
    return True


async def correct(update: Update, context: Context, note_id: int, text: str) -> None:
    """Replace a note with the corrected message; the old confirmation is struck through."""
    from bot.tracker.errors import TrackerError
    from bot.tracker.parser import EmptyMessage

    services = services_of(context)
    user_id, chat_id = update.effective_user.id, update.effective_chat.id
    tracker = services.agent.tracker
    before = await asyncio.to_thread(tracker.get_note, user_id, note_id)
    try:
        saved = await asyncio.to_thread(note_actions.correct, tracker, user_id, note_id, text, services.now())
    except (EmptyMessage, TrackerError):
        await send_text(context.bot, chat_id, "没能更正：这条更正里没有读出拜访内容，原记录没有改动。")
        return
    if saved is None or before is None:
        await send_text(context.bot, chat_id, GONE)
        return
    await strike_out(context, user_id, note_id, note_actions.CORRECT, note_actions.snapshot(before))
    await send_confirmation(context, chat_id, saved, reply_to=_message_id(update), corrected=True)


def _message_id(update: Update) -> int | None:
    return update.effective_message.message_id if update.effective_message else None
