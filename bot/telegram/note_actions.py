"""What the buttons under a confirmation do to the tracker: undo, set the sentiment, restore.

Plain functions over the tracker's public methods (tested without Telegram). Each returns the note as it
was or is now, so the channel can strike the old confirmation through and offer to put it back.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.telegram.pending import NoteSnapshot, Restorable

UNDO = "undo"
CORRECT = "correct"
# What a correction may change (with the client), by the parsed note's field names.
CORRECTABLE = ("raw_text", "amount_cny", "currency", "products", "sentiment", "objections", "next_step",
               "follow_up_on", "risk_level")


@dataclass(frozen=True)
class SentimentChange:
    saved: Any | None  # the note after the change; None: the note is gone
    changed: bool


def snapshot(saved: Any) -> NoteSnapshot:
    """A tracker SavedNote as plain data."""
    return NoteSnapshot(saved.note_id, saved.client_name, saved.created_at, dataclasses.asdict(saved.note))


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
    fields = _correctable(dataclasses.asdict(parsed))
    return tracker.update_note(adviser_id, note_id, client=parsed.client or current.client_name, **fields)


def restore(tracker: Any, adviser_id: int, item: Restorable) -> Any:
    """Put back what an undo removed (logged again) or what a correction replaced (old fields back)."""
    from bot.tracker.note import ParsedNote

    note = item.note
    if item.kind == UNDO:
        return tracker.log_note(adviser_id, ParsedNote(**note.fields), client_name=note.client_name,
                                at=note.created_at)
    return tracker.update_note(adviser_id, note.note_id, client=note.client_name,
                               **_correctable(note.fields))


def _correctable(fields: dict[str, Any]) -> dict[str, Any]:
    return {name: fields[name] for name in CORRECTABLE if name in fields}
