"""`adviser notes parse`: parse visit messages from stdin without saving anything.

One message per line in, one JSON object per line out (with --json). A blank line prints the same keys,
all null/empty (sentiment "neutral"), so output lines stay aligned with input lines."""

from __future__ import annotations

import json
import sys
from datetime import datetime

import click

from bot.tracker.note import ParsedNote
from bot.tracker.text import strip_controls


def _default_now() -> datetime:
    from zoneinfo import ZoneInfo

    from knowledge.settings import get_settings

    return datetime.now(ZoneInfo(get_settings().tz)).replace(tzinfo=None)


def _parse_now(value: str | None) -> datetime:
    if not value:
        return _default_now()
    try:
        return datetime.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"not an ISO date/time: {value!r} (e.g. 2026-03-04T10:00)") from exc


def _readable(note: ParsedNote) -> str:
    data = note.as_json()
    shown = {key: value if value not in (None, []) else "-" for key, value in data.items()}
    lines = [f"  {key:<16} {strip_controls(str(value))}" for key, value in shown.items()]
    if note.amount_warning():
        lines.append(f"  ⚠️ {note.amount_warning()}")
    return "\n".join(lines)


@click.group(name="notes")
def notes_group() -> None:
    """Visit-message parsing (read only: nothing is saved)."""


@notes_group.command(name="parse")
@click.option("--now", "now_text", metavar="ISO_DATETIME",
              help="Message time that 明天/周五 resolve against (default: now in TZ).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per input line.")
def parse_command(now_text: str | None, as_json: bool) -> None:
    """Read one message per line on stdin and print what the parser understood."""
    from bot.tracker.parser import parse_note

    now = _parse_now(now_text)
    for line in sys.stdin:
        message = line.rstrip("\r\n")
        note = parse_note(message, now) if message.strip() else ParsedNote(raw_text=message)
        if as_json:
            sys.stdout.write(json.dumps(note.as_json(), ensure_ascii=False) + "\n")
        else:
            sys.stdout.write(f"{strip_controls(message).strip()[:80] or '（空行）'}\n{_readable(note)}\n\n")
        sys.stdout.flush()


def register(group: click.Group) -> None:
    """Add `adviser notes` to the `adviser` group."""
    group.add_command(notes_group)
