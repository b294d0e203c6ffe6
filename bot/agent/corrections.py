"""Correcting or undoing one logged note, by its id: what the bot's inline buttons do.

Plain functions over the tracker, so any channel can offer them and tests need no Telegram.
Every function is idempotent: a second press of the same button changes nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.agent.tools import EMOTION_CN, render_saved
from bot.tracker.errors import TrackerError
from bot.tracker.note import SENTIMENTS

GONE = "这条记录已经撤销或不存在了，没有再做改动。"


@dataclass
class Correction:
    text: str
    changed: bool
    note_id: int | None = None


def undo_note(tracker: Any, adviser_id: int, note_id: int) -> Correction:
    """Remove one note of this adviser; pressing undo again says so and removes nothing."""
    if tracker.delete_note(adviser_id, note_id):
        return Correction("↩️ 已撤销这条拜访记录。", changed=True)
    return Correction(GONE, changed=False)


def set_sentiment(tracker: Any, adviser_id: int, note_id: int, sentiment: str) -> Correction:
    if sentiment not in SENTIMENTS:
        return Correction(f"情绪只能是：{'、'.join(EMOTION_CN.values())}。", changed=False, note_id=note_id)
    current = tracker.get_note(adviser_id, note_id)
    if current is None:
        return Correction(GONE, changed=False)
    if current.note.sentiment == sentiment:
        return Correction("✅ 已记录：\n" + render_saved(current), changed=False, note_id=note_id)
    saved = tracker.update_note(adviser_id, note_id, sentiment=sentiment)
    return Correction("✏️ 已更正：\n" + render_saved(saved), changed=True, note_id=note_id)


def replace_note(tracker: Any, adviser_id: int, note_id: int, text: str, now: datetime) -> Correction:
    """Replace a note with a corrected message: parsed again; the client stays when none is named."""
    from bot.tracker.parser import EmptyMessage, parse_note

    try:
        parsed = parse_note(text, now)
    except EmptyMessage:
        return Correction("更正内容是空的，原记录没有改动。", changed=False, note_id=note_id)
    fields = parsed.as_json()
    fields["raw_text"] = parsed.raw_text
    fields["follow_up_on"] = parsed.follow_up_on
    if not fields.get("client"):
        fields.pop("client")
    try:
        saved = tracker.update_note(adviser_id, note_id, **fields)
    except TrackerError as exc:
        if tracker.get_note(adviser_id, note_id) is None:
            return Correction(GONE, changed=False)
        return Correction(f"没能更正：{exc}", changed=False, note_id=note_id)
    return Correction("✏️ 已更正：\n" + render_saved(saved), changed=True, note_id=note_id)

