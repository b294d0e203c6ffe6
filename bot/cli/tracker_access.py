"""How the tracker's commands reach the tracker and print what it holds.

The CLI acts as one adviser: `--adviser N`, else ADVISER_ID from the settings (0, the local adviser,
by default), so advisers sharing a DATABASE_URL each keep their own book. Everything printed goes
through `safe_text`: notes are shown as typed, less terminal escapes and control characters."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import wraps

import click
from rich.console import Console

from bot.tracker.service import Tracker, TrackerError
from bot.tracker.text import strip_controls


def open_tracker() -> Tracker:
    """The tracker the settings name (DATABASE_URL, else the data dir's SQLite file); the caller closes it."""
    from knowledge.settings import get_settings

    return Tracker.from_settings(get_settings())


def plain_console() -> Console:
    """A rich console that prints text as given."""
    # No markup or highlighting: client names and notes are the adviser's text, shown as typed.
    return Console(markup=False, highlight=False)


def safe_text(text: object) -> str:
    """`text` as a string fit for the terminal: control characters and escape sequences removed."""
    return strip_controls(str(text))


def format_time(value: datetime | None) -> str:
    """A moment as `YYYY-MM-DD HH:MM`, or `-` when there is none."""
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


def with_adviser(command: Callable) -> Callable:
    """Adds --adviser (default: ADVISER_ID) and turns tracker errors into one clear line."""
    @click.option("--adviser", "adviser_id", type=int, default=None, metavar="ID",
                  help="以哪位顾问的身份操作（默认取 ADVISER_ID，未设置为 0，即本机顾问）。")
    @wraps(command)
    def run(*args: object, adviser_id: int | None, **kwargs: object) -> None:
        from knowledge.settings import get_settings

        adviser = get_settings().adviser_id if adviser_id is None else adviser_id
        try:
            command(*args, adviser=adviser, **kwargs)
        except TrackerError as error:
            raise click.ClickException(str(error)) from None

    return run
