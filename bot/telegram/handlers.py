"""Thin async handlers: read the update, call the agent or the tracker (in a worker thread), reply.

Access and the group rule are checked once, before any of these run (see `gate` in app.py).
"""

from __future__ import annotations

import asyncio
import io
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from telegram import InputFile, Update
from telegram.ext import ContextTypes

from bot.agent.reply import Reply
from bot.telegram.access import Access, is_private, strip_mention
from bot.telegram.keyboards import client_keyboard, note_keyboard
from bot.telegram.pending import Conversation, reply_kind
from bot.telegram.sending import send_reply, send_text, typing, with_retries
from bot.telegram.uploads import check_upload, ingest_uploaded, upload_path

Context = ContextTypes.DEFAULT_TYPE
CONVERSATION = "conversation"  # user_data: what the bot waits for from this adviser (pending.py)

HELP = """我是你的理财顾问助手。直接发消息就行：
• 问异议怎么回、见客户问什么、培训资料里的内容
• 见完客户发一句话记录，例如：刚见完王总，对家族信托有兴趣，下周二再约

命令：
/ask 问题 — 提问
/prep 客户名 — 拜访前准备
/log 拜访记录 — 记录一次拜访
/clients — 客户九宫格
/client 客户名 — 客户档案
/followups — 近期要跟进的客户
/export — 导出我的客户记录（CSV）
/undo — 撤销最近一条记录
/cancel — 取消进行中的操作
/digest on|off|HH:MM — 每日跟进提醒"""

ASK_USAGE = "用法：/ask 问题，例如 /ask 客户嫌收益低怎么回？"
PRIVATE_ONLY = "客户信息只在私聊里处理，请私聊我使用这个功能。"
NOT_SUPPORTED = "暂时只支持文字消息（管理员可以上传培训文档）。"


@dataclass
class Services:
    agent: Any  # bot.agent.service.Agent
    access: Access
    settings: Any  # knowledge.settings.Settings

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.settings.tz)

    @property
    def uploads_dir(self) -> Path:
        return Path(self.settings.data_dir) / "uploads"


def services_of(context: Context) -> Services:
    return context.bot_data["services"]


def conversation_of(context: Context) -> Conversation:
    return context.user_data.setdefault(CONVERSATION, Conversation())


def _args(update: Update, context: Context) -> str:
    return " ".join(context.args or []).strip()


async def _answer(update: Update, context: Context, text: str, *, intent: str | None = None) -> None:
    """Agent answer for this adviser, sent back with the right keyboard."""
    services = services_of(context)
    chat, user = update.effective_chat, update.effective_user
    await typing(context.bot, chat.id)
    private = is_private(chat)
    if not private and (intent or services.agent.intent_of(text)) in ("log", "tracker", "prep"):
        await send_text(context.bot, chat.id, PRIVATE_ONLY, reply_to=update.effective_message.message_id)
        return
    # In a group, others read the answer: it comes from the material alone, never from the tracker.
    reply: Reply = await services.agent.aanswer(user.id, text, chat_id=f"tg:{chat.id}", intent=intent,
                                                client_data=private)
    await deliver(update, context, reply, original_text=text)


async def deliver(update: Update, context: Context, reply: Reply, *, original_text: str = "") -> None:
    chat_id = update.effective_chat.id
    reply_to = update.effective_message.message_id if update.effective_message else None
    if reply.needs_client:
        conversation = conversation_of(context)
        pending = conversation.add_pending(original_text, reply.client_candidates, time.monotonic())
        text = reply.text + "\n可以点下面的已有客户，或者直接回复客户名字；/cancel 放弃。"
        await send_text(context.bot, chat_id, text, reply_to=reply_to,
                        reply_markup=client_keyboard(pending.id, reply.client_candidates))
        return
    markup = note_keyboard(reply.note_id) if reply.logged_note is not None and reply.note_id else None
    await send_reply(context.bot, chat_id, reply, reply_markup=markup, reply_to=reply_to)


# -- commands ---------------------------------------------------------------------------------------

async def start(update: Update, context: Context) -> None:
    name = update.effective_user.first_name or ""
    await send_text(context.bot, update.effective_chat.id, f"你好{name}！\n\n{HELP}")


async def help_command(update: Update, context: Context) -> None:
    await send_text(context.bot, update.effective_chat.id, HELP)


async def ask(update: Update, context: Context) -> None:
    question = _args(update, context)
    if not question:
        await send_text(context.bot, update.effective_chat.id, ASK_USAGE)
        return
    await _answer(update, context, question)


async def prep(update: Update, context: Context) -> None:
    name = _args(update, context)
    if not name:
        await send_text(context.bot, update.effective_chat.id, "用法：/prep 客户名，例如 /prep 王总")
        return
    await _answer(update, context, f"帮我准备一下见{name}", intent="prep")


async def log_command(update: Update, context: Context) -> None:
    text = _args(update, context)
    if not text:
        await send_text(context.bot, update.effective_chat.id,
                        "用法：/log 拜访记录，例如 /log 刚见完王总，想买50万理财，下周三再约")
        return
    await _answer(update, context, text, intent="log")


async def clients(update: Update, context: Context) -> None:
    await _answer(update, context, "我的客户九宫格", intent="tracker")


async def client(update: Update, context: Context) -> None:
    name = _args(update, context)
    chat_id = update.effective_chat.id
    if not name:
        await send_text(context.bot, chat_id, "用法：/client 客户名，例如 /client 王总")
        return
    tools = services_of(context).agent.tools
    result = await asyncio.to_thread(tools.client_profile, update.effective_user.id, name)
    await send_text(context.bot, chat_id, result.text)


async def followups(update: Update, context: Context) -> None:
    await _answer(update, context, "近期要跟进哪些客户？", intent="tracker")


async def export(update: Update, context: Context) -> None:
    services = services_of(context)
    user_id, chat_id = update.effective_user.id, update.effective_chat.id
    buffer = io.StringIO()
    rows = await asyncio.to_thread(services.agent.tracker.export_csv, user_id, buffer)
    if rows == 0:
        await send_text(context.bot, chat_id, "还没有拜访记录可以导出。")
        return
    data = buffer.getvalue().encode("utf-8-sig")  # with a BOM, Excel opens Chinese text correctly
    name = f"clients-{datetime.now(services.tz):%Y%m%d}.csv"
    await with_retries(lambda: context.bot.send_document(
        chat_id, InputFile(data, filename=name), caption=f"你的客户记录：{rows} 条拜访记录。"))


async def undo(update: Update, context: Context) -> None:
    reply = await asyncio.to_thread(services_of(context).agent.undo_last, update.effective_user.id)
    await send_reply(context.bot, update.effective_chat.id, reply)


async def cancel(update: Update, context: Context) -> None:
    text = "已取消，没有保存任何内容。" if conversation_of(context).cancel() else "现在没有进行中的操作。"
    await send_text(context.bot, update.effective_chat.id, text)


async def digest(update: Update, context: Context) -> None:
    from bot.tracker.errors import TrackerError

    services = services_of(context)
    user_id, chat_id = update.effective_user.id, update.effective_chat.id
    arg = _args(update, context).lower()
    tracker = services.agent.tracker
    await asyncio.to_thread(tracker.ensure_adviser, user_id)  # new advisers get the digest by default
    try:
        if arg in ("on", "开"):
            await asyncio.to_thread(tracker.set_digest, user_id, enabled=True)
        elif arg in ("off", "关"):
            await asyncio.to_thread(tracker.set_digest, user_id, enabled=False)
            await send_text(context.bot, chat_id, "已关闭每日跟进提醒。/digest on 重新打开。")
            return
        elif arg:
            await asyncio.to_thread(tracker.set_digest, user_id, enabled=True, at=arg)
    except TrackerError:
        await send_text(context.bot, chat_id, "用法：/digest on、/digest off 或 /digest 08:30")
        return
    subscribers = dict(await asyncio.to_thread(tracker.digest_subscribers))
    if user_id in subscribers:
        text = f"每日跟进提醒：开，每天 {subscribers[user_id]}（{services.settings.tz}）。"
    else:
        text = "每日跟进提醒：关。/digest on 打开。"
    await send_text(context.bot, chat_id, text)


# -- plain messages -----------------------------------------------------------------------------------

async def text_message(update: Update, context: Context) -> None:
    message = update.effective_message
    text = strip_mention(message.text or "", context.bot.username)
    if not text:
        await send_text(context.bot, message.chat_id, "有什么可以帮你？发 /help 看看我能做什么。")
        return
    if is_private(update.effective_chat) and await _continues_a_conversation(update, context, text):
        return
    await _answer(update, context, text)


async def _continues_a_conversation(update: Update, context: Context, text: str) -> bool:
    """A correction the bot asked for, or the client of a waiting note: handled here (True)."""
    conversation, now = conversation_of(context), time.monotonic()
    note_id = conversation.take_edit(now)
    if note_id is not None:
        await _correct(update, context, note_id, text)
        return True
    pending = conversation.latest_pending(now)
    kind = reply_kind(text, pending.names) if pending else None
    if kind is None:
        return False
    conversation.take_pending(pending.id, now)
    if kind == "cancel":
        await send_text(context.bot, update.effective_chat.id, "已取消，这条记录没有保存。")
    else:
        await log_for_client(update, context, pending.text, text)
    return True


async def log_for_client(update: Update, context: Context, note_text: str, client_name: str) -> None:
    agent = services_of(context).agent
    chat = update.effective_chat
    await typing(context.bot, chat.id)
    reply = await asyncio.to_thread(agent.log_note, update.effective_user.id, note_text,
                                    client_name=client_name, chat_id=f"tg:{chat.id}")
    await deliver(update, context, reply, original_text=note_text)


async def _correct(update: Update, context: Context, note_id: int, text: str) -> None:
    from bot.agent.corrections import replace_note

    services = services_of(context)
    now = datetime.now(services.tz)
    result = await asyncio.to_thread(replace_note, services.agent.tracker, update.effective_user.id,
                                     note_id, text, now)
    markup = note_keyboard(result.note_id) if result.note_id else None
    await send_text(context.bot, update.effective_chat.id, result.text, reply_markup=markup)


async def document(update: Update, context: Context) -> None:
    services = services_of(context)
    chat_id, user_id = update.effective_chat.id, update.effective_user.id
    if not services.access.is_admin(user_id):
        await send_text(context.bot, chat_id, "只有管理员可以往知识库里添加培训资料。")
        return
    doc = update.effective_message.document
    check = check_upload(doc.file_name, doc.file_size)
    if not check.ok:
        await send_text(context.bot, chat_id, f"❌ 没有导入：{check.reason}")
        return
    await send_text(context.bot, chat_id, f"收到 {doc.file_name}，正在导入知识库……")
    await typing(context.bot, chat_id)
    target = upload_path(services.uploads_dir, doc.file_name, datetime.now(services.tz))
    telegram_file = await with_retries(doc.get_file)
    await with_retries(lambda: telegram_file.download_to_drive(target))
    summary = await asyncio.to_thread(ingest_uploaded, target, services.agent.knowledge, services.settings)
    await send_text(context.bot, chat_id, summary)


async def unsupported(update: Update, context: Context) -> None:
    if update.effective_chat is not None and is_private(update.effective_chat):
        await send_text(context.bot, update.effective_chat.id, NOT_SUPPORTED)


async def edited(update: Update, context: Context) -> None:
    await send_text(context.bot, update.effective_chat.id,
                    "改过的消息我不会重新处理。要更正记录，请点记录下面的“✏️ 更正”，或发一条新消息。")
