"""The tracker's public face: every call is scoped to one adviser (their Telegram user id;
the local console uses LOCAL_ADVISER_ID). Implementation lives in sibling modules
(models, migrations, queries, reports); this class is what the agent, the bot and the CLI call.

Follow-up completion rule: a new note on a client closes that client's open follow-ups (set by
earlier notes) that are due on or before the new note's day, and all of them when the new note sets
its own follow-up date (the new plan replaces the old). Undoing or deleting that note reopens them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import IO, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.tracker import classify, migrations, queries
from bot.tracker.db import make_engine
from bot.tracker.edits import EDITABLE_FIELDS, check_note_fields, coerce_fields
from bot.tracker.errors import ClientRequired, TrackerError
from bot.tracker.models import Adviser, AuditEntry, Client, FollowUp, VisitNote
from bot.tracker.names import clean_display_name, name_key
from bot.tracker.note import ParsedNote

__all__ = ["LOCAL_ADVISER_ID", "FAMILIARITY", "EMOTIONS", "TrackerError", "ClientRequired", "SavedNote",
           "ClientSummary", "ClientProfile", "DueItem", "AuditRecord", "Tracker"]

LOCAL_ADVISER_ID = 0
FAMILIARITY = ("new", "acquainted", "close")
EMOTIONS = ("resistant", "neutral", "positive")
DEFAULT_DIGEST_TIME = "08:30"
_T = TypeVar("_T")
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


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
                 contacts_per_month_by_tier: list[int] | None = None, tz: str = "Asia/Shanghai",
                 default_digest_time: str = DEFAULT_DIGEST_TIME) -> None:
        self.zone = ZoneInfo(tz)
        self.tier_thresholds = sorted(tier_thresholds_cny or classify.DEFAULT_TIER_THRESHOLDS_CNY)
        self.contacts_per_month = list(contacts_per_month_by_tier or classify.DEFAULT_CONTACTS_PER_MONTH)
        self.default_digest_time = default_digest_time
        self.engine = make_engine(url)
        migrations.migrate(self.engine)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self.engine.execution_options(tracker_write=True), expire_on_commit=False)

    @classmethod
    def from_settings(cls, settings: object) -> Tracker:
        """Build from the app's Settings (duck-typed: the tracker imports nothing of ours)."""
        return cls(settings.tracker_url, tier_thresholds_cny=list(settings.tier_thresholds_cny),
                   contacts_per_month_by_tier=list(settings.contacts_per_month_by_tier), tz=settings.tz,
                   default_digest_time=getattr(settings, "digest_time", DEFAULT_DIGEST_TIME))

    # -- plumbing --------------------------------------------------------------------------------

    def _in_write(self, work: Callable[[Session], _T]) -> _T:
        """One short write transaction; retried once when a concurrent writer created the same row."""
        for attempt in range(3):
            try:
                with self._write.begin() as session:
                    return work(session)
            except IntegrityError:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _now(self) -> datetime:
        return datetime.now(UTC).replace(tzinfo=None)

    def _today(self) -> date:
        return datetime.now(self.zone).date()

    def _local_day(self, utc_naive: datetime) -> date:
        return queries.to_local(utc_naive, self.zone).date()

    def _ensure_adviser_row(self, session: Session, adviser_id: int,
                            display_name: str | None = None) -> Adviser:
        adviser = session.get(Adviser, adviser_id)
        if adviser is None:
            adviser = Adviser(id=adviser_id, display_name=display_name, digest_enabled=True,
                              created_at=self._now())
            session.add(adviser)
            session.flush()
        elif display_name and adviser.display_name != display_name:
            adviser.display_name = display_name
        return adviser

    def _summary(self, client: Client) -> ClientSummary:
        return ClientSummary(
            client_id=client.id, name=client.name,
            tier=classify.tier_label(client.assets_cny, self.tier_thresholds),
            risk_level=client.risk_level, notes_count=client.notes_count,
            last_contact=queries.to_local(client.last_contact, self.zone), sentiment=client.sentiment,
            familiarity=classify.familiarity(client.notes_count, client.first_contact, client.last_contact,
                                             client.assets_cny),
        )

    def _saved(self, session: Session, row: VisitNote, client: Client,
               created_client: bool = False) -> SavedNote:
        follow_up_id = session.scalars(select(FollowUp.id).where(FollowUp.note_id == row.id)).first()
        return SavedNote(note_id=row.id, client_id=client.id, client_name=client.name,
                         created_client=created_client, note=queries.note_from_row(row, client.name),
                         created_at=queries.to_local(row.created_at, self.zone), follow_up_id=follow_up_id)

    def _client_for(self, session: Session, adviser_id: int, name: str) -> tuple[Client, bool]:
        matches = queries.find_client_rows(session, adviser_id, name)
        if matches:
            return matches[0], False
        client = Client(adviser_id=adviser_id, name=clean_display_name(name), name_key=name_key(name),
                        aliases=[], alias_keys=[], notes_count=0, created_at=self._now())
        session.add(client)
        session.flush()  # a concurrent writer with the same name -> IntegrityError -> retry finds it
        return client, True

    def _lock(self, session: Session, client: Client) -> None:
        # Serialise writers on one client (PostgreSQL) so cached counts stay exact; SQLite already is.
        session.execute(select(Client.id).where(Client.id == client.id).with_for_update())

    def _close_follow_ups(self, session: Session, client: Client, note: VisitNote) -> None:
        day = self._local_day(note.created_at)
        query = update(FollowUp).where(
            FollowUp.client_id == client.id, FollowUp.done.is_(False), FollowUp.note_id != note.id)
        if note.follow_up_on is None:
            query = query.where(FollowUp.due_on <= day)
        session.execute(query.values(done=True, closed_by_note_id=note.id))

    def _delete_row(self, session: Session, row: VisitNote) -> None:
        client = session.get(Client, row.client_id)
        session.execute(delete(FollowUp).where(FollowUp.note_id == row.id))
        session.execute(update(FollowUp).where(FollowUp.closed_by_note_id == row.id)
                        .values(done=False, closed_by_note_id=None))
        session.delete(row)
        session.flush()
        queries.refresh_client_stats(session, client)
        if client.notes_count == 0 and not client.aliases:
            session.delete(client)  # a client exists because notes named them; none left, nothing to keep

    # -- writing -----------------------------------------------------------------------------------

    def ensure_adviser(self, adviser_id: int, display_name: str | None = None) -> None:
        self._in_write(lambda session: self._ensure_adviser_row(session, adviser_id, display_name))

    def log_note(self, adviser_id: int, note: ParsedNote, *, client_name: str | None = None,
                 at: datetime | None = None) -> SavedNote:
        if not isinstance(note.raw_text, str) or not note.raw_text.strip():
            raise TrackerError("The message is empty: nothing was saved.")
        name = client_name if client_name and client_name.strip() else note.client
        if not name or not name_key(name):
            raise ClientRequired("Which client is this note about? Nothing was saved yet.")
        check_note_fields(note)
        when = queries.to_utc_naive(at, self.zone) if at else self._now()

        def work(session: Session) -> SavedNote:
            self._ensure_adviser_row(session, adviser_id)
            client, created = self._client_for(session, adviser_id, name)
            self._lock(session, client)
            row = VisitNote(
                adviser_id=adviser_id, client_id=client.id, raw_text=note.raw_text,
                client_text=clean_display_name(name), amount_cny=note.amount_cny,
                products=list(note.products), sentiment=note.sentiment, objections=list(note.objections),
                next_step=note.next_step, follow_up_on=note.follow_up_on, risk_level=note.risk_level,
                created_at=when, recorded_at=self._now())
            session.add(row)
            session.flush()
            self._close_follow_ups(session, client, row)
            if note.follow_up_on is not None:
                session.add(FollowUp(adviser_id=adviser_id, client_id=client.id, note_id=row.id,
                                     due_on=note.follow_up_on, done=False))
            queries.refresh_client_stats(session, client)
            return self._saved(session, row, client, created)

        return self._in_write(work)

    def undo_last(self, adviser_id: int) -> SavedNote | None:
        def work(session: Session) -> SavedNote | None:
            latest = (select(VisitNote).where(VisitNote.adviser_id == adviser_id)
                      .order_by(VisitNote.recorded_at.desc(), VisitNote.id.desc()).limit(1))
            row = session.scalars(latest).first()
            if row is None:
                return None
            saved = self._saved(session, row, session.get(Client, row.client_id))
            self._delete_row(session, row)
            return saved

        return self._in_write(work)

    def delete_note(self, adviser_id: int, note_id: int) -> bool:
        def work(session: Session) -> bool:
            row = session.get(VisitNote, note_id)
            if row is None or row.adviser_id != adviser_id:
                return False  # gone already, or not this adviser's: same answer, nothing revealed
            self._delete_row(session, row)
            return True

        return self._in_write(work)

    def update_note(self, adviser_id: int, note_id: int, **fields: object) -> SavedNote:
        unknown = set(fields) - EDITABLE_FIELDS
        if unknown:
            raise TrackerError(f"Cannot change: {', '.join(sorted(unknown))}.")
        values = coerce_fields(fields)

        def work(session: Session) -> SavedNote:
            row = session.get(VisitNote, note_id)
            if row is None or row.adviser_id != adviser_id:
                raise TrackerError(f"No note {note_id}.")
            old_client = session.get(Client, row.client_id)
            client = old_client
            if "client" in values:
                client, _ = self._client_for(session, adviser_id, values.pop("client"))
                row.client_id = client.id
                row.client_text = client.name
                session.execute(update(FollowUp).where(FollowUp.note_id == row.id)
                                .values(client_id=client.id))
            for key, value in values.items():
                setattr(row, key, value)
            row.updated_at = self._now()
            if "follow_up_on" in values:
                session.execute(delete(FollowUp).where(FollowUp.note_id == row.id))
                if row.follow_up_on is not None:
                    session.add(FollowUp(adviser_id=adviser_id, client_id=client.id, note_id=row.id,
                                         due_on=row.follow_up_on, done=False))
            queries.refresh_client_stats(session, client)
            if old_client.id != client.id:
                queries.refresh_client_stats(session, old_client)
                if old_client.notes_count == 0 and not old_client.aliases:
                    session.delete(old_client)
            return self._saved(session, row, client)

        return self._in_write(work)

    def add_alias(self, adviser_id: int, name: str, alias: str) -> ClientSummary:
        """Let another name (Mr. Wang, 王总 的英文名 ...) find this client."""
        def work(session: Session) -> ClientSummary:
            matches = queries.find_client_rows(session, adviser_id, name)
            if not matches or not name_key(alias):
                raise TrackerError(f"No client called {name}.")
            client = matches[0]
            if name_key(alias) not in (client.alias_keys or []):
                client.aliases = [*client.aliases, clean_display_name(alias)]
                client.alias_keys = [*client.alias_keys, name_key(alias)]
            return self._summary(client)

        return self._in_write(work)

    # -- reading -------------------------------------------------------------------------------------

    def find_clients(self, adviser_id: int, name: str) -> list[ClientSummary]:
        with self._read() as session:
            return [self._summary(c) for c in queries.find_client_rows(session, adviser_id, name)]

    def clients(self, adviser_id: int) -> list[ClientSummary]:
        with self._read() as session:
            rows = session.scalars(select(Client).where(Client.adviser_id == adviser_id)
                                   .order_by(Client.last_contact.desc(), Client.id))
            return [self._summary(c) for c in rows]

    def get_note(self, adviser_id: int, note_id: int) -> SavedNote | None:
        with self._read() as session:
            row = session.get(VisitNote, note_id)
            if row is None or row.adviser_id != adviser_id:
                return None
            return self._saved(session, row, session.get(Client, row.client_id))

    def client_profile(self, adviser_id: int, name: str) -> ClientProfile | None:
        from bot.tracker.reports import build_profile

        with self._read() as session:
            matches = queries.find_client_rows(session, adviser_id, name)
            return build_profile(self, session, matches[0]) if matches else None

    def due_followups(self, adviser_id: int, *, within_days: int = 7,
                      today: date | None = None) -> list[DueItem]:
        from bot.tracker.reports import due_items

        with self._read() as session:
            return due_items(self, session, adviser_id, within_days, today or self._today())

    def grid(self, adviser_id: int) -> dict[tuple[str, str], list[ClientSummary]]:
        cells: dict[tuple[str, str], list[ClientSummary]] = {
            (familiarity, emotion): [] for familiarity in FAMILIARITY for emotion in EMOTIONS}
        for summary in self.clients(adviser_id):
            cells[(summary.familiarity, summary.sentiment or "neutral")].append(summary)
        return cells

    def export_csv(self, adviser_id: int, out: IO[str]) -> int:
        from bot.tracker.reports import write_csv

        with self._read() as session:
            return write_csv(self, session, adviser_id, out)

    # -- audit and digest --------------------------------------------------------------------------

    def record_audit(self, record: AuditRecord) -> None:
        def work(session: Session) -> None:
            session.add(AuditEntry(
                adviser_id=record.adviser_id,
                at=queries.to_utc_naive(record.at or datetime.now(UTC), self.zone),
                intent=record.intent, backend=record.backend, source_ids=[str(s) for s in record.source_ids],
                answer=record.answer, guardrails=[str(g) for g in record.guardrails]))

        self._in_write(work)

    def audit_records(self, adviser_id: int, since: datetime | None = None) -> list[AuditRecord]:
        query = select(AuditEntry).where(AuditEntry.adviser_id == adviser_id)
        if since is not None:
            query = query.where(AuditEntry.at >= queries.to_utc_naive(since, self.zone))
        with self._read() as session:
            return [AuditRecord(adviser_id=row.adviser_id, at=queries.to_local(row.at, self.zone),
                                intent=row.intent, backend=row.backend, source_ids=list(row.source_ids or []),
                                answer=row.answer, guardrails=list(row.guardrails or []))
                    for row in session.scalars(query.order_by(AuditEntry.at, AuditEntry.id))]

    def set_digest(self, adviser_id: int, *, enabled: bool, at: str | None = None) -> None:
        normalised = None
        if at is not None:
            match = _HHMM.match(at.strip())
            if not match:
                raise TrackerError("Digest time must be HH:MM, e.g. 08:30.")
            normalised = f"{int(match.group(1)):02d}:{match.group(2)}"

        def work(session: Session) -> None:
            adviser = self._ensure_adviser_row(session, adviser_id)
            adviser.digest_enabled = enabled
            if normalised is not None:
                adviser.digest_at = normalised

        self._in_write(work)

    def digest_subscribers(self) -> list[tuple[int, str]]:
        """Advisers who get the daily digest (the local console adviser never does)."""
        with self._read() as session:
            rows = session.scalars(select(Adviser).where(Adviser.digest_enabled.is_(True),
                                                         Adviser.id != LOCAL_ADVISER_ID).order_by(Adviser.id))
            return [(row.id, row.digest_at or self.default_digest_time) for row in rows]

    def close(self) -> None:
        self.engine.dispose()

