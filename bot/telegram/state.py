"""What every handler reads from the application: the shared services, and per-user and per-chat state.

`user_data` holds the adviser's Conversation (pending.py); `chat_data` the sources of recent answers (a
tap shows the passage) and which notices the chat has seen. Both are persisted in the data dir.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from telegram.ext import ContextTypes

from bot.agent.playbooks import DEFAULT_DIR
from bot.agent.reply import Source
from bot.telegram.access import Access
from bot.telegram.pending import Conversation

Context = ContextTypes.DEFAULT_TYPE
CONVERSATION = "conversation"
SOURCES = "sources"  # chat_data: key -> the sources of one answer
LAST_SOURCES = "last_sources"  # chat_data: the key of the latest answer's sources (/source N)
NOTICES = "notices"  # chat_data: notice text -> the day it was last shown
MAX_REMEMBERED_ANSWERS = 20


@dataclass
class Services:
    agent: Any  # bot.agent.service.Agent
    access: Access
    settings: Any  # knowledge.settings.Settings
    playbooks_dir: Path = DEFAULT_DIR  # the talk-track library admins' uploads go to

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.settings.tz)

    @property
    def uploads_dir(self) -> Path:
        return Path(self.settings.data_dir) / "uploads"

    def now(self) -> datetime:
        return datetime.now(self.tz)

    def today(self) -> date:
        return self.now().date()


def services_of(context: Context) -> Services:
    return context.bot_data["services"]


def conversation_of(context: Context) -> Conversation:
    return context.user_data.setdefault(CONVERSATION, Conversation())


@dataclass(frozen=True)
class Passage:
    """What a tap on a source shows, kept as plain text (the chat state outlives code changes)."""

    label: str  # 《标题》· 小节
    text: str


def remember_sources(chat_data: dict, key: str, sources: list[Source]) -> None:
    kept: dict[str, list[Passage]] = chat_data.setdefault(SOURCES, {})
    kept[key] = [Passage(source.label, source.text) for source in sources]
    while len(kept) > MAX_REMEMBERED_ANSWERS:
        kept.pop(next(iter(kept)))
    chat_data[LAST_SOURCES] = key


def source_at(chat_data: dict, key: str | None, index: int) -> Passage | None:
    passages = chat_data.get(SOURCES, {}).get(key or chat_data.get(LAST_SOURCES), [])
    return passages[index] if 0 <= index < len(passages) else None


def notice_to_show(chat_data: dict, notice: str | None, today: date) -> str | None:
    """A notice (e.g. the LLM is down) is said once a day in a chat, not under every answer."""
    if not notice:
        return None
    shown: dict[str, date] = chat_data.setdefault(NOTICES, {})
    if shown.get(notice) == today:
        return None
    shown[notice] = today
    return notice
