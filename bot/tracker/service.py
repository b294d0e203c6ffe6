"""The tracker's public face: every call is scoped to one adviser (their Telegram user id;
the local console uses LOCAL_ADVISER_ID). Implementation lives in sibling modules
(models, migrations, queries); this class is what the agent, the bot and the CLI call.

CONTRACT STUB: signatures and result types are fixed; bodies are being implemented.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO

from bot.tracker.note import ParsedNote

LOCAL_ADVISER_ID = 0
FAMILIARITY = ("new", "acquainted", "close")
EMOTIONS = ("resistant", "neutral", "positive")


class TrackerError(Exception):
    """Bad input the adviser can fix (empty message, unknown note id ...). Message is user-facing."""


class ClientRequired(TrackerError):
    """The note names no client: ask the adviser which client, then call log_note(client_name=...)."""


@dataclass
class SavedNote:
    note_id: int
    client_id: int
    client_name: str
    created_client: bool
    note: ParsedNote
    created_at: datetime
    follow_up_id: int | None = None


@dataclass
class ClientSummary:
    client_id: int
    name: str
    tier: str | None  # e.g. "20万+", "100万+", "600万+", or None when assets unknown
    risk_level: str | None
    notes_count: int
    last_contact: datetime | None
    sentiment: str | None  # from the latest notes
    familiarity: str  # one of FAMILIARITY


@dataclass
class ClientProfile:
    summary: ClientSummary
    aliases: list[str]
    notes: list[SavedNote]  # newest first
    open_objections: list[str]
    products: list[str]
    max_amount_cny: int | None
    open_follow_ups: list[date] = field(default_factory=list)


@dataclass
class DueItem:
    client: ClientSummary
    due_on: date
    reason: str  # "follow_up" (a date the adviser set) or "cadence" (overdue for contact by tier)
    overdue_days: int
    follow_up_id: int | None = None
    last_note: str | None = None


@dataclass
class AuditRecord:
    adviser_id: int
    at: datetime
    intent: str
    backend: str
    source_ids: list[str]
    answer: str
    guardrails: list[str]


class Tracker:
    def __init__(self, url: str, *, tier_thresholds_cny: list[int] | None = None,
                 contacts_per_month_by_tier: list[int] | None = None, tz: str = "Asia/Shanghai") -> None:
        raise NotImplementedError

    def ensure_adviser(self, adviser_id: int, display_name: str | None = None) -> None: ...
    def log_note(self, adviser_id: int, note: ParsedNote, *, client_name: str | None = None,
                 at: datetime | None = None) -> SavedNote: ...
    def undo_last(self, adviser_id: int) -> SavedNote | None: ...
    def delete_note(self, adviser_id: int, note_id: int) -> bool: ...
    def update_note(self, adviser_id: int, note_id: int, **fields: object) -> SavedNote: ...
    def find_clients(self, adviser_id: int, name: str) -> list[ClientSummary]: ...
    def clients(self, adviser_id: int) -> list[ClientSummary]: ...
    def client_profile(self, adviser_id: int, name: str) -> ClientProfile | None: ...
    def due_followups(self, adviser_id: int, *, within_days: int = 7,
                      today: date | None = None) -> list[DueItem]: ...
    def grid(self, adviser_id: int) -> dict[tuple[str, str], list[ClientSummary]]: ...
    def export_csv(self, adviser_id: int, out: IO[str]) -> int: ...
    def record_audit(self, record: AuditRecord) -> None: ...
    def audit_records(self, adviser_id: int, since: datetime | None = None) -> list[AuditRecord]: ...
    def set_digest(self, adviser_id: int, *, enabled: bool, at: str | None = None) -> None: ...
    def digest_subscribers(self) -> list[tuple[int, str]]: ...  # (adviser_id, "HH:MM")
    def close(self) -> None: ...
