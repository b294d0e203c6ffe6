"""Small builders for tracker tests."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.tracker.note import ParsedNote
from bot.tracker.service import Tracker

SHANGHAI = ZoneInfo("Asia/Shanghai")


def note(client: str | None, text: str = "见了客户，聊了配置", **fields: object) -> ParsedNote:
    return ParsedNote(raw_text=text, client=client, **fields)


def at(day: date | str, hour: int = 10) -> datetime:
    day = date.fromisoformat(day) if isinstance(day, str) else day
    return datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


NOTES_PER_WRITER = 50


def write_notes(url: str, adviser_id: int, tag: str) -> None:
    """One writer process (importable by name, so `spawn` can start it)."""
    tracker = Tracker(url)
    try:
        for index in range(NOTES_PER_WRITER):
            # Both writers hit the same client too, so client creation and counts race.
            name = "王总" if index % 2 else f"{tag}{index}"
            tracker.log_note(adviser_id, note(name, text=f"{tag} {index}"))
    finally:
        tracker.close()
