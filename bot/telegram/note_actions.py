"""What the buttons under a confirmation do to the tracker: undo, set the sentiment, restore.

Plain functions over the tracker's public methods (tested without Telegram). Each returns the note as it
was or is now, so the channel can strike the old confirmation through and offer to put it back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.telegram.pending import Restorable

UNDO = "undo"
CORRECT = "correct"


@dataclass(frozen=True)
class SentimentChange:
    saved: Any | None  # the note after the change; None: the note is gone
    changed: bool


def undo(tracker: Any, adviser_id: int, note_id: int) -> Any | None:
    """Delete one of this adviser's notes; the note as it was, or None when it was gone already."""
    saved = tracker.get_note(adviser_id, note_id)
    if saved is None or not tracker.delete_note(adviser_id, note_id):
        return None
    return saved


def set_sentiment(tracker: Any, adviser_id: int, note_id: int, sentiment: str) -> SentimentChange:
    """Pressing the sentiment that is already set changes nothing (and the bot says so)."""
    current = tracker.get_note(adviser_id, note_id)
    if current is None:
        return SentimentChange(None, changed=False)
    if current.note.sentiment == sentiment:
        return SentimentChange(current, changed=False)
    return SentimentChange(tracker.update_note(adviser_id, note_id, sentiment=sentiment), changed=True)


def correct(tracker: Any, adviser_id: int, note_id: int, text: str, now: datetime) -> Any | None:
    """Replace a note with a corrected message, parsed again; the client stays when none is named.

    The note as saved now, or None when it is gone. Raises the parser's EmptyMessage for blank text.
    """
    from bot.tracker.parser import parse_note

    current = tracker.get_note(adviser_id, note_id)
    if current is None:
        return None
    parsed = parse_note(text, now)
    return tracker.update_note(adviser_id, note_id, **_fields(parsed, parsed.client or current.client_name))


def restore(tracker: Any, adviser_id: int, item: Restorable) -> Any:
    """Put back what an undo removed (logged again) or what a correction replaced (old fields back)."""
    saved = item.saved
    if item.kind == UNDO:
        return tracker.log_note(adviser_id, saved.note, client_name=saved.client_name, at=saved.created_at)
    return tracker.update_note(adviser_id, saved.note_id, **_fields(saved.note, saved.client_name))


def _fields(note: Any, client: str) -> dict[str, Any]:
    """Every field of a note the tracker lets a correction change."""
    return {"client": client, "raw_text": note.raw_text, "amount_cny": note.amount_cny,
            "currency": note.currency, "products": list(note.products), "sentiment": note.sentiment,
            "objections": list(note.objections), "next_step": note.next_step,
            "follow_up_on": note.follow_up_on, "risk_level": note.risk_level}
