"""Inline keyboards and their callback data (Telegram allows 64 bytes: ids and indexes only).

Callback data forms:
  note:<note_id>:undo | note:<note_id>:edit | note:<note_id>:s:<sentiment>
  who:<pending_id>:<index>  (a client for the pending note) | who:<pending_id>:x (cancel)
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.agent.tools import EMOTION_CN

NOTE_PREFIX = "note"
WHO_PREFIX = "who"
CANCEL = "x"
MAX_CLIENT_BUTTONS = 8


def note_keyboard(note_id: int) -> InlineKeyboardMarkup:
    sentiments = [InlineKeyboardButton(f"情绪：{label}", callback_data=f"{NOTE_PREFIX}:{note_id}:s:{value}")
                  for value, label in EMOTION_CN.items()]
    actions = [InlineKeyboardButton("✏️ 更正", callback_data=f"{NOTE_PREFIX}:{note_id}:edit"),
               InlineKeyboardButton("↩️ 撤销", callback_data=f"{NOTE_PREFIX}:{note_id}:undo")]
    return InlineKeyboardMarkup([sentiments, actions])


def client_keyboard(pending_id: str, names: list[str]) -> InlineKeyboardMarkup:
    rows = [[InlineKeyboardButton(name, callback_data=f"{WHO_PREFIX}:{pending_id}:{index}")]
            for index, name in enumerate(names[:MAX_CLIENT_BUTTONS])]
    rows.append([InlineKeyboardButton("取消，不记录", callback_data=f"{WHO_PREFIX}:{pending_id}:{CANCEL}")])
    return InlineKeyboardMarkup(rows)


@dataclass(frozen=True)
class NoteAction:
    note_id: int
    action: str  # "undo", "edit" or "sentiment"
    value: str | None = None


@dataclass(frozen=True)
class ClientChoice:
    pending_id: str
    index: int | None  # None: cancel


def parse_callback(data: str | None) -> NoteAction | ClientChoice | None:
    """The action a button stands for, or None for data we did not make (old or forged buttons)."""
    parts = (data or "").split(":")
    try:
        if parts[0] == NOTE_PREFIX and len(parts) == 3 and parts[2] in ("undo", "edit"):
            return NoteAction(int(parts[1]), parts[2])
        if parts[0] == NOTE_PREFIX and len(parts) == 4 and parts[2] == "s" and parts[3] in EMOTION_CN:
            return NoteAction(int(parts[1]), "sentiment", parts[3])
        if parts[0] == WHO_PREFIX and len(parts) == 3:
            index = None if parts[2] == CANCEL else int(parts[2])
            return ClientChoice(parts[1], index)
    except ValueError:
        return None
    return None
