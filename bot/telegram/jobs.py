"""The daily digest job: every minute, send each subscribed adviser their digest once, at their time."""

from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from telegram.ext import ContextTypes

from bot.agent.digest import digest_text
from bot.telegram.sending import send_text

log = logging.getLogger(__name__)
CHECK_EVERY_S = 60
LATE_WINDOW = timedelta(minutes=30)  # a bot restarted a little after digest time still sends it
SENT_KEY = "digest_sent"
NOTHING_DUE = "☀️ 今天没有到期的跟进。"


def due_for_digest(subscribers: list[tuple[int, str]], now: datetime, sent: dict[int, date]) -> list[int]:
    """Advisers whose digest time passed (within the late window) and who got none today."""
    due = []
    for adviser_id, at in subscribers:
        hour, minute = (int(part) for part in at.split(":"))
        scheduled = datetime.combine(now.date(), time(hour, minute), tzinfo=now.tzinfo)
        if scheduled <= now < scheduled + LATE_WINDOW and sent.get(adviser_id) != now.date():
            due.append(adviser_id)
    return due


async def send_digests(context: ContextTypes.DEFAULT_TYPE) -> None:
    services = context.bot_data["services"]
    now = datetime.now(ZoneInfo(services.settings.tz))
    tracker = services.agent.tracker
    sent: dict[int, date] = context.bot_data.setdefault(SENT_KEY, {})
    subscribers = await asyncio.to_thread(tracker.digest_subscribers)
    for adviser_id in due_for_digest(subscribers, now, sent):
        if not services.access.may_use(adviser_id):
            continue  # access was withdrawn: nothing goes out to them
        sent[adviser_id] = now.date()  # before sending: a failure is logged, never repeated every minute
        try:
            text = await asyncio.to_thread(digest_text, tracker, adviser_id, now.date(),
                                           plan=services.agent.playbooks.call_plan["zh"])
            # Said even when empty: a silent digest cannot be told from a broken one.
            await send_text(context.bot, adviser_id, text or NOTHING_DUE)
        except Exception as exc:  # one adviser's failure must not stop the others' digests
            log.warning("digest for adviser %s failed: %s", adviser_id, type(exc).__name__)


def schedule_digest(application) -> None:  # noqa: ANN001 - telegram.ext.Application
    application.job_queue.run_repeating(send_digests, interval=CHECK_EVERY_S, first=5, name="digest")
