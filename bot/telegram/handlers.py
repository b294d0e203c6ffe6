"""Thin async handlers for commands, documents and other updates: read, call the agent or the tracker (in a
worker thread), reply. Plain text goes through messages.py.

Access and the group rule are checked once, before any of these run (see `gate` in app.py).
"""

from __future__ import annotations

import asyncio
import time
from datetime import datetime

from telegram import InputFile, Update

from bot.telegram.charts import FOLLOW_UP_DAYS, clients_png
from bot.telegram.export import export_table
from bot.telegram.formatting import passage_message
from bot.telegram.jobs import NOTHING_DUE
from bot.telegram.keyboards import restore_keyboard
from bot.telegram.messages import answer, offer_pending, remove_buttons
from bot.telegram.note_actions import UNDO
from bot.telegram.notes_flow import RESTORE_OFFER, expire_restore, strike_out
from bot.telegram.pending import FROM_GROUP
from bot.telegram.sending import keep_typing, send_html, send_reply, send_text, with_retries
from bot.telegram.state import Context, conversation_of, services_of, source_at
from bot.telegram.uploads import check_upload, ingest_uploaded, install_playbook, is_playbook, upload_path

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
/export — 导出我的客户记录（Excel 和 CSV）
/undo — 撤销最近一条记录
/source 编号 — 看上一条回答引用的原文
/cancel — 取消进行中的操作
/digest on|off|HH:MM — 每日跟进提醒"""

ASK_USAGE = "用法：/ask 问题，例如 /ask 客户嫌收益低怎么回？"
NOT_SUPPORTED = "暂时只支持文字消息（管理员可以上传培训文档和话术库 .yaml 文件）。"
GONE_PENDING = "这条记录已经处理过或已过期，没有待保存的内容。"
SOURCE_USAGE = "用法：/source 编号（上一条回答“出处”里的编号），例如 /source 1"


def _args(context: Context) -> str:
    return " ".join(context.args or []).strip()


# -- commands ---------------------------------------------------------------------------------------

async def start(update: Update, context: Context) -> None:
    """/start, or /start <pending id> from the deep link a group reply gave."""
    pending_id = _args(context)
    if pending_id:
        pending = conversation_of(context).peek_pending(pending_id, time.time())
        if pending is not None and pending.kind == FROM_GROUP:
            await offer_pending(update, context, pending)
            return
        await send_text(context.bot, update.effective_chat.id, GONE_PENDING)
        return
    name = update.effective_user.first_name or ""
    await send_text(context.bot, update.effective_chat.id, f"你好{name}！\n\n{HELP}")


async def help_command(update: Update, context: Context) -> None:
    await send_text(context.bot, update.effective_chat.id, HELP)


async def ask(update: Update, context: Context) -> None:
    question = _args(context)
    if not question:
        await send_text(context.bot, update.effective_chat.id, ASK_USAGE)
        return
    await answer(update, context, question)


async def prep(update: Update, context: Context) -> None:
    name = _args(context)
    if not name:
        await send_text(context.bot, update.effective_chat.id, "用法：/prep 客户名，例如 /prep 王总")
        return
    await answer(update, context, f"帮我准备一下见{name}", intent="prep")


async def log_command(update: Update, context: Context) -> None:
    text = _args(context)
    if not text:
        await send_text(context.bot, update.effective_chat.id,
                        "用法：/log 拜访记录，例如 /log 刚见完王总，想买50万理财，下周三再约")
        return
    await answer(update, context, text, intent="log")


async def clients(update: Update, context: Context) -> None:
    """The nine-grid as text, then as a picture with the next two weeks' follow-ups."""
    services = services_of(context)
    tracker, user_id, today = services.agent.tracker, update.effective_user.id, services.today()
    listing = await asyncio.to_thread(services.agent.tools.client_grid, user_id)
    await send_text(context.bot, update.effective_chat.id, "客户九宫格（熟悉程度 × 情绪）：\n" + listing.text)
    grid = listing.grid
    if not any(grid.values()):
        return  # nothing to draw: the text already says there are no clients yet
    due = await asyncio.to_thread(tracker.due_followups, user_id, within_days=FOLLOW_UP_DAYS, today=today)
    picture = await asyncio.to_thread(clients_png, grid, due, today)
    if picture is not None:
        await with_retries(lambda: context.bot.send_photo(update.effective_chat.id,
                                                          InputFile(picture, filename="clients.png")))


async def client(update: Update, context: Context) -> None:
    name = _args(context)
    chat_id = update.effective_chat.id
    if not name:
        await send_text(context.bot, chat_id, "用法：/client 客户名，例如 /client 王总")
        return
    tools = services_of(context).agent.tools
    result = await asyncio.to_thread(tools.client_profile, update.effective_user.id, name)
    await send_text(context.bot, chat_id, result.text)


async def followups(update: Update, context: Context) -> None:
    """A command, so no routing by meaning: the tracker's due and overdue follow-ups of the coming week."""
    due = await asyncio.to_thread(services_of(context).agent.tools.due_followups, update.effective_user.id)
    await send_text(context.bot, update.effective_chat.id, due.text)


async def export(update: Update, context: Context) -> None:
    """The adviser's notes as .xlsx (Excel) and .csv, Chinese headers, local times."""
    services = services_of(context)
    user_id, chat_id = update.effective_user.id, update.effective_chat.id
    table = await asyncio.to_thread(export_table, services.agent.tracker, user_id)
    if not table:
        await send_text(context.bot, chat_id, "还没有拜访记录可以导出。")
        return
    stem = f"客户记录-{services.now():%Y%m%d}"
    xlsx = await asyncio.to_thread(table.xlsx_bytes)
    await with_retries(lambda: context.bot.send_document(
        chat_id, InputFile(xlsx, filename=f"{stem}.xlsx"),
        caption=f"你的客户记录：{len(table)} 条拜访记录（Excel 和 CSV 各一份）。"))
    await with_retries(lambda: context.bot.send_document(
        chat_id, InputFile(table.csv_bytes(), filename=f"{stem}.csv")))


async def undo(update: Update, context: Context) -> None:
    """Undo the latest note; its confirmation is struck through with ↩️ 恢复 for a minute."""
    user_id, chat_id = update.effective_user.id, update.effective_chat.id
    reply = await asyncio.to_thread(services_of(context).agent.undo_last, user_id)
    record = conversation_of(context).confirmations.get(reply.note_id) if reply.note_id else None
    if record is None:  # nothing undone, or a note confirmed elsewhere (console, CLI)
        await send_reply(context.bot, chat_id, reply)
        return
    if await strike_out(context, user_id, reply.note_id, UNDO, record.note):
        await send_text(context.bot, chat_id, f"{reply.text}\n可以点原记录下的“↩️ 恢复”找回（一分钟内）。")
        return
    sent = await send_text(context.bot, chat_id, f"{reply.text}\n{RESTORE_OFFER}",
                           reply_markup=restore_keyboard(reply.note_id))
    if sent is not None:
        expire_restore(context, user_id, chat_id, sent.message_id, reply.note_id)


async def cancel(update: Update, context: Context) -> None:
    had_anything, dropped = conversation_of(context).cancel()
    for pending in dropped:
        await remove_buttons(context, pending)
    text = "已取消，没有保存任何内容。" if had_anything else "现在没有进行中的操作。"
    await send_text(context.bot, update.effective_chat.id, text)


async def source(update: Update, context: Context) -> None:
    """/source N: the passage behind citation N of the latest answer in this chat."""
    chat_id = update.effective_chat.id
    arg = _args(context)
    found = source_at(context.chat_data, None, int(arg) - 1) if arg.isdigit() else None
    if found is None:
        await send_text(context.bot, chat_id, SOURCE_USAGE)
        return
    await send_html(context.bot, chat_id, [passage_message(found.label, found.text)])


async def digest(update: Update, context: Context) -> None:
    from bot.agent.digest import digest_text
    from bot.tracker.errors import TrackerError

    services = services_of(context)
    user_id, chat_id = update.effective_user.id, update.effective_chat.id
    arg = _args(context).lower()
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
    if user_id not in subscribers:
        await send_text(context.bot, chat_id, "每日跟进提醒：关。/digest on 打开。")
        return
    at = subscribers[user_id]
    await send_text(context.bot, chat_id, f"每日跟进提醒：开，每天 {at}（{services.settings.tz}）。")
    if arg:  # just switched on or moved: a preview now shows what will come (and that it works)
        text = await asyncio.to_thread(digest_text, tracker, user_id, services.today(),
                                       plan=services.agent.playbooks.call_plan["zh"])
        await send_text(context.bot, chat_id, "预览：\n\n" + (text or NOTHING_DUE))


# -- other updates ---------------------------------------------------------------------------------

async def document(update: Update, context: Context) -> None:
    services = services_of(context)
    chat_id, user_id = update.effective_chat.id, update.effective_user.id
    if not services.access.is_admin(user_id):
        await send_text(context.bot, chat_id, "只有管理员可以往知识库里添加培训资料和话术。")
        return
    doc = update.effective_message.document
    check = check_upload(doc.file_name, doc.file_size)
    if not check.ok:
        await send_text(context.bot, chat_id, f"❌ 没有导入：{check.reason}")
        return
    playbook = is_playbook(doc.file_name)
    where = "话术库" if playbook else "知识库"
    await send_text(context.bot, chat_id, f"收到 {doc.file_name}，正在检查并导入{where}……")
    target = upload_path(services.uploads_dir, doc.file_name, datetime.now(services.tz))
    async with keep_typing(context.bot, chat_id):
        telegram_file = await with_retries(doc.get_file)
        await with_retries(lambda: telegram_file.download_to_drive(target))
        if playbook:
            summary = await asyncio.to_thread(install_playbook, target, services.playbooks_dir)
        else:
            summary = await asyncio.to_thread(ingest_uploaded, target, services.agent.knowledge,
                                              services.settings)
    await send_text(context.bot, chat_id, summary)


async def unsupported(update: Update, context: Context) -> None:
    if update.effective_chat is not None and update.effective_chat.type == "private":
        await send_text(context.bot, update.effective_chat.id, NOT_SUPPORTED)


async def edited(update: Update, context: Context) -> None:
    await send_text(context.bot, update.effective_chat.id,
                    "改过的消息我不会重新处理。要更正记录，请点记录下面的“✏️ 更正”，或发一条新消息。")
