"""Inline keyboards and their callback data (Telegram allows 64 bytes: ids and indexes only).

Callback data forms:
  note:<note_id>:undo | note:<note_id>:edit | note:<note_id>:s:<sentiment> | note:<note_id>:back (restore)
  who:<pending_id>:<index>  (a client for the pending note) | who:<pending_id>:x (cancel)
  kind:<pending_id>:log | kind:<pending_id>:ask | kind:<pending_id>:x  (note or question; save a group note)
  src:<key>:<index>  (show the passage of a source)
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.agent.tools import EMOTION_CN

NOTE_PREFIX = "note"
WHO_PREFIX = "who"
KIND_PREFIX = "kind"
SOURCE_PREFIX = "src"
CANCEL = "x"
LOG, ASK = "log", "ask"
MAX_CLIENT_BUTTONS = 8
MAX_SOURCE_BUTTONS = 5


def note_keyboard(note_id: int) -> InlineKeyboardMarkup:
    sentiments = [InlineKeyboardButton(f"情绪：{label}", callback_data=f"{NOTE_PREFIX}:{note_id}:s:{value}")
                  for value, label in EMOTION_CN.items()]
    actions = [InlineKeyboardButton("✏️ 更正", callback_data=f"{NOTE_PREFIX}:{note_id}:edit"),
               InlineKeyboardButton("↩️ 撤销", callback_data=f"{NOTE_PREFIX}:{note_id}:undo")]
    return InlineKeyboardMarkup([sentiments, actions])


def restore_keyboard(note_id: int) -> InlineKeyboardMarkup:
    button = InlineKeyboardButton("↩️ 恢复", callback_data=f"{NOTE_PREFIX}:{note_id}:back")
    return InlineKeyboardMarkup([[button]])


def kind_keyboard(pending_id: str, *, from_group: bool = False) -> InlineKeyboardMarkup:
    """记录拜访 / 只是提问 (or, for a note moved out of a group, 记录拜访 / 不记录)."""
    data = f"{KIND_PREFIX}:{pending_id}"
    second = (InlineKeyboardButton("不记录", callback_data=f"{data}:{CANCEL}") if from_group
              else InlineKeyboardButton("❓ 只是提问", callback_data=f"{data}:{ASK}"))
    first = InlineKeyboardButton("📝 记录拜访", callback_data=f"{data}:{LOG}")
    return InlineKeyboardMarkup([[first, second]])


def sources_keyboard(key: str, count: int) -> InlineKeyboardMarkup | None:
    """📖 1 📖 2 ...: a tap shows that passage."""
    if count == 0:
        return None
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(f"📖 {index + 1}", callback_data=f"{SOURCE_PREFIX}:{key}:{index}")
        for index in range(min(count, MAX_SOURCE_BUTTONS))]])


def client_keyboard(pending_id: str, names: list[str]) -> InlineKeyboardMarkup:
    rows = [[InlineKeyboardButton(name, callback_data=f"{WHO_PREFIX}:{pending_id}:{index}")]
            for index, name in enumerate(names[:MAX_CLIENT_BUTTONS])]
    rows.append([InlineKeyboardButton("取消，不记录", callback_data=f"{WHO_PREFIX}:{pending_id}:{CANCEL}")])
    return InlineKeyboardMarkup(rows)


@dataclass(frozen=True)
class NoteAction:
    note_id: int
    action: str  # "undo", "edit", "back" (restore) or "sentiment"
    value: str | None = None


@dataclass(frozen=True)
class ClientChoice:
    pending_id: str
    index: int | None  # None: cancel


@dataclass(frozen=True)
class KindChoice:
    pending_id: str
    choice: str  # LOG, ASK or CANCEL


@dataclass(frozen=True)
class SourceChoice:
    key: str
    index: int


Action = NoteAction | ClientChoice | KindChoice | SourceChoice


def parse_callback(data: str | None) -> Action | None:
    """The action a button stands for, or None for data we did not make (old or forged buttons)."""
    parts = (data or "").split(":")
    try:
        if parts[0] == NOTE_PREFIX and len(parts) == 3 and parts[2] in ("undo", "edit", "back"):
            return NoteAction(int(parts[1]), parts[2])
        if parts[0] == NOTE_PREFIX and len(parts) == 4 and parts[2] == "s" and parts[3] in EMOTION_CN:
            return NoteAction(int(parts[1]), "sentiment", parts[3])
        if parts[0] == WHO_PREFIX and len(parts) == 3:
            index = None if parts[2] == CANCEL else int(parts[2])
            return ClientChoice(parts[1], index)
        if parts[0] == KIND_PREFIX and len(parts) == 3 and parts[2] in (LOG, ASK, CANCEL):
            return KindChoice(parts[1], parts[2])
        if parts[0] == SOURCE_PREFIX and len(parts) == 3:
            return SourceChoice(parts[1], int(parts[2]))
    except ValueError:
        return None
    return None
