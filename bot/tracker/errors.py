"""Tracker errors (re-exported by bot.tracker.service, where callers import them from).
Messages are user-facing Chinese and never quote a note."""

from __future__ import annotations


class TrackerError(Exception):
    """Bad input the adviser can fix (empty message, unknown note id ...). Message is user-facing."""


class ClientRequired(TrackerError):
    """The note names no client: ask the adviser which client, then call log_note(client_name=...)."""


class TrackerUnavailable(TrackerError):
    """The client database cannot be opened or used (corrupt file, server down). Raised on first use, not
    when the Tracker is built, so knowledge-only answers keep working; the message names the database and
    what to do."""
