"""What the tracker hands out (plain dataclasses), and the Book that turns rows into them.

Both the service and the reports build on this module; neither imports the other's internals."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.tracker import classify, queries
from bot.tracker.models import Client, FollowUp, VisitNote
from bot.tracker.note import ParsedNote

LOCAL_ADVISER_ID = 0
FAMILIARITY = ("new", "acquainted", "close")
EMOTIONS = ("resistant", "neutral", "positive")


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
    max_amount_cny: int | None  # the largest CNY amount (foreign amounts stay on their notes)
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
    # What the answer cost with an LLM backend (also when it fell back): cost metering (m004).
    model_calls: int = 0
    tokens: int = 0  # prompt + completion
    model: str | None = None
    fallback_reason: str | None = None  # why the offline answer replaced the LLM's


@dataclass
class ChangeRecord:
    """One change to a client's data: who (adviser id), when, what (action, ids, fields); never content."""
    adviser_id: int
    at: datetime
    action: str  # log_note, update_note, delete_note, undo, add_alias, delete_client
    client_id: int | None
    note_id: int | None
    detail: dict


@dataclass
class DeletedClient:
    client_id: int
    name: str
    aliases: list[str]
    notes_deleted: int
    follow_ups_deleted: int


@dataclass(frozen=True)
class Book:
    """The rules one tracker reads its rows with: the advisers' zone, tier thresholds and contact cadence."""
    zone: tzinfo
    tier_thresholds: list[int]
    contacts_per_month: list[int]

    def local_day(self, utc_naive: datetime) -> date:
        return queries.to_local(utc_naive, self.zone).date()

    def summary(self, client: Client) -> ClientSummary:
        return ClientSummary(
            client_id=client.id, name=client.name,
            tier=classify.tier_label(client.assets_cny, self.tier_thresholds),
            risk_level=client.risk_level, notes_count=client.notes_count,
            last_contact=queries.to_local(client.last_contact, self.zone), sentiment=client.sentiment,
            familiarity=classify.familiarity(client.notes_count, client.first_contact, client.last_contact,
                                             client.assets_cny),
        )

    def saved(self, session: Session, row: VisitNote, client: Client,
              created_client: bool = False) -> SavedNote:
        follow_up_id = session.scalars(select(FollowUp.id).where(FollowUp.note_id == row.id)).first()
        return SavedNote(note_id=row.id, client_id=client.id, client_name=client.name,
                         created_client=created_client, note=queries.note_from_row(row, client.name),
                         created_at=queries.to_local(row.created_at, self.zone), follow_up_id=follow_up_id)
