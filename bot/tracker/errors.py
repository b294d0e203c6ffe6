"""Tracker errors (re-exported by bot.tracker.service, where callers import them from)."""

from __future__ import annotations


class TrackerError(Exception):
    """Bad input the adviser can fix (empty message, unknown note id ...). Message is user-facing."""


class ClientRequired(TrackerError):
    """The note names no client: ask the adviser which client, then call log_note(client_name=...)."""
