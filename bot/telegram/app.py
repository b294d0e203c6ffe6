"""Wiring: the python-telegram-bot Application around the shared agent. No logic lives here."""

from __future__ import annotations

import asyncio
import logging
import pickle
import re
import time
import traceback
from pathlib import Path
from typing import Any

from telegram import BotCommand, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    PersistenceInput,
    PicklePersistence,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.telegram import callbacks, handlers, messages
from bot.telegram.access import Access, addressed_to_bot, is_private, refusal_text
from bot.telegram.jobs import schedule_digest
from bot.telegram.sending import send_text
from bot.telegram.state import Context, Services, services_of

log = logging.getLogger(__name__)
TOKEN_RE = re.compile(r"^\d{5,}:[A-Za-z0-9_-]{30,}$")
REFUSAL_EVERY_S = 3600  # a stranger gets one refusal, not one per message
# Only what the bot handles. Business and guest messages look private but are chats with third parties
# (an adviser's own customers): never subscribed to, and stopped at the gate if they come anyway.
ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]
# /log is not among them: a note sent in a group is kept and offered in private (messages.move_to_private).
PRIVATE_COMMANDS = ("prep", "clients", "client", "followups", "export", "undo", "digest")
STATE_FILE = "telegram-state.pickle"  # in the data dir: pending notes, confirmations, sources
SAVE_STATE_EVERY_S = 5

COMMANDS = [
    ("start", "开始"), ("help", "帮助"), ("ask", "提问：/ask 问题"), ("prep", "拜访前准备：/prep 客户名"),
    ("log", "记录拜访：/log 拜访记录"), ("clients", "客户九宫格"), ("client", "客户档案：/client 客户名"),
    ("followups", "近期要跟进的客户"), ("export", "导出我的客户记录（Excel、CSV）"),
    ("undo", "撤销最近一条记录"), ("source", "看引用的原文：/source 编号"), ("cancel", "取消进行中的操作"),
    ("digest", "每日提醒：/digest on|off|HH:MM"),
]


SOMETHING_WENT_WRONG = "抱歉，处理这条消息时出了点问题，请稍后再试。"


class BotConfigError(ValueError):
    """A setting the bot cannot start with: said in one line at start, never echoing a secret."""


class TokenError(BotConfigError):
    """A missing or malformed bot token."""


def check_token(token: str | None) -> str:
    if not token:
        raise TokenError("TELEGRAM_BOT_TOKEN is not set (get one from @BotFather, put it in .env).")
    if not TOKEN_RE.match(token.strip()):
        raise TokenError("TELEGRAM_BOT_TOKEN is malformed: expected <digits>:<35 characters>, "
                         "as @BotFather gives it.")
    return token.strip()


def check_webhook(settings: Any) -> None:
    """A webhook without a secret would take forged updates from anyone who finds the URL."""
    if settings.telegram_webhook_url and not secret_of(settings.telegram_webhook_secret):
        raise BotConfigError("TELEGRAM_WEBHOOK_SECRET is required with TELEGRAM_WEBHOOK_URL "
                             "(a long random string; Telegram sends it with every update).")


def secret_of(value: Any) -> str | None:
    return value.get_secret_value() if value is not None else None


def file_base_url(base_url: str) -> str:
    """Files are served beside the Bot API: https://host/bot -> https://host/file/bot."""
    base = base_url.rstrip("/")
    return f"{base[:-3]}file/bot" if base.endswith("/bot") else f"{base}/file/bot"


def build_application(settings: Any, agent: Any, *, request: BaseRequest | None = None) -> Application:
    token = check_token(secret_of(settings.telegram_bot_token))
    builder = (ApplicationBuilder().token(token).post_init(_post_init).concurrent_updates(8)
               .persistence(state_persistence(Path(settings.data_dir))))
    if settings.telegram_base_url:
        builder = builder.base_url(settings.telegram_base_url).base_file_url(
            file_base_url(settings.telegram_base_url))
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    application = builder.build()
    access = Access.of(settings.allowed_user_ids, settings.admin_user_ids)
    application.bot_data["services"] = Services(agent=agent, access=access, settings=settings)
    add_handlers(application)
    if application.job_queue is not None:
        schedule_digest(application)
    return application


def state_persistence(data_dir: Path) -> PicklePersistence:
    """What the bot waits for survives a restart: per-adviser and per-chat state, never the services."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / STATE_FILE
    set_aside_unreadable(path)
    return PicklePersistence(path, update_interval=SAVE_STATE_EVERY_S,
                             store_data=PersistenceInput(bot_data=False, callback_data=False))


def set_aside_unreadable(path: Path) -> None:
    """A state file that no longer loads (cut short by a crash, written by other code) must not keep the
    bot from starting: it is renamed, and the bot starts without waiting notes."""
    if not path.exists():
        return
    try:
        with path.open("rb") as file:
            pickle.load(file)  # our own file in our own data dir
    except Exception as exc:
        path.replace(path.with_suffix(".unreadable"))
        log.warning("bot state could not be read (%s): set aside, starting without it", type(exc).__name__)


def add_handlers(application: Application) -> None:
    application.add_handler(TypeHandler(Update, gate), group=-1)
    commands = {"start": handlers.start, "help": handlers.help_command, "ask": handlers.ask,
                "prep": handlers.prep, "log": handlers.log_command, "clients": handlers.clients,
                "client": handlers.client, "followups": handlers.followups, "export": handlers.export,
                "undo": handlers.undo, "cancel": handlers.cancel, "digest": handlers.digest,
                "source": handlers.source}
    for name, callback in commands.items():
        application.add_handler(CommandHandler(name, callback, filters=~filters.UpdateType.EDITED))
    application.add_handler(CallbackQueryHandler(callbacks.button))
    application.add_handler(MessageHandler(filters.UpdateType.EDITED, handlers.edited))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, messages.text_message))
    application.add_handler(MessageHandler(filters.Document.ALL, handlers.document))
    application.add_handler(MessageHandler(filters.COMMAND, handlers.help_command))  # unknown /command
    application.add_handler(MessageHandler(filters.ALL, handlers.unsupported))
    application.add_error_handler(on_error)


async def _post_init(application: Application) -> None:
    """Before the first update is taken: the menu, and a warm knowledge base (the embedding model and the
    index load now, not while the first adviser waits ~10 s for an answer)."""
    await application.bot.set_my_commands([BotCommand(name, text) for name, text in COMMANDS])
    await asyncio.to_thread(warm_up, application.bot_data["services"].agent)


def warm_up(agent: Any) -> None:
    """The model, the knowledge index, the library's phrasings and the guardrails, loaded once, now."""
    started = time.monotonic()
    try:
        agent.warm_up()
    except Exception as exc:  # not ingested yet, store down: the first question will say so
        log.warning("knowledge base not ready: %s", type(exc).__name__)
        return
    log.info("knowledge base ready in %.1f s", time.monotonic() - started)


async def gate(update: Update, context: Context) -> None:
    """Runs before every handler: group messages not meant for us are ignored, strangers refused.

    Nothing of a refused user is stored: no tracker row, no audit record, no message text logged.
    """
    services = services_of(context)
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    if message is not None and update.callback_query is None and not is_private(chat):
        if not addressed_to_bot(message, context.bot.username, context.bot.id):
            raise ApplicationHandlerStop
    if user is None or (message is not None and message.business_connection_id):
        raise ApplicationHandlerStop  # channel posts, business chats: not ours to answer
    if services.access.may_use(user.id):
        if message is not None and not is_private(chat) and _is_private_command(message.text):
            await send_text(context.bot, chat.id, messages.PRIVATE_ONLY, reply_to=message.message_id)
            raise ApplicationHandlerStop
        return
    if update.callback_query is not None or update.message is not None:
        await _refuse(update, context, user.id)  # not for joins, edits and other updates: they asked nothing
    raise ApplicationHandlerStop


def _is_private_command(text: str | None) -> bool:
    if not text or not text.startswith("/"):
        return False
    return text.split()[0][1:].split("@")[0].lower() in PRIVATE_COMMANDS


async def _refuse(update: Update, context: Context, user_id: int) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer(refusal_text(user_id), show_alert=True)
        return
    refused: dict[int, float] = context.bot_data.setdefault("refused_at", {})
    now = time.monotonic()
    if now - refused.get(user_id, -REFUSAL_EVERY_S) < REFUSAL_EVERY_S or update.effective_chat is None:
        return
    refused[user_id] = now
    log.info("refused a user who is not in ALLOWED_USER_IDS")
    await send_text(context.bot, update.effective_chat.id, refusal_text(user_id))


async def on_error(update: object, context: Context) -> None:
    """Log the failure (type and update id only: no message text, no token) and tell the adviser."""
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    # The frames, not the exception text: that text may quote a message or a URL with the token.
    frames = "".join(traceback.format_tb(error.__traceback__)) if error else ""
    log.error("update %s failed: %s\n%s", update_id, type(error).__name__, frames)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await send_text(context.bot, update.effective_chat.id, SOMETHING_WENT_WRONG)
        except Exception:  # Telegram itself is failing: the log line above is all we can do
            log.warning("could not tell the user about the failure")


def run_bot(settings: Any, agent: Any) -> None:
    """Long polling, or a webhook when TELEGRAM_WEBHOOK_URL is set. Ctrl-C or SIGTERM stops it cleanly."""
    quiet_http_logs()
    check_webhook(settings)
    application = build_application(settings, agent)
    if settings.telegram_webhook_url:
        secret = secret_of(settings.telegram_webhook_secret)
        url_path = "telegram"
        application.run_webhook(listen="0.0.0.0", port=settings.telegram_webhook_port, url_path=url_path,
                                webhook_url=f"{settings.telegram_webhook_url.rstrip('/')}/{url_path}",
                                secret_token=secret, allowed_updates=ALLOWED_UPDATES)
    else:
        application.run_polling(allowed_updates=ALLOWED_UPDATES)


def quiet_http_logs() -> None:
    # httpx logs every request URL at INFO, and the Bot API puts the token in the URL.
    for name in ("httpx", "httpcore", "telegram.ext.Updater"):
        logging.getLogger(name).setLevel(logging.WARNING)
