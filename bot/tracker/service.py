"""The tracker's public face: every call is scoped to one adviser (their Telegram user id; the CLI uses
ADVISER_ID, LOCAL_ADVISER_ID by default). Rows become records through records.Book; the views live in
reports, the audit trails in audit, a client's erasure in erasure; this class is what the agent, the
bot and the CLI call.

Follow-up completion rule: a new note on a client closes that client's open follow-ups (set by
earlier notes) that are due on or before the new note's day, and all of them when the new note sets
its own follow-up date (the new plan replaces the old). Undoing or deleting that note reopens them.

Every change to a client's data leaves a client_changes record (who, when, what; never content).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import IO
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.tracker import audit, classify, erasure, queries, reports, rows
from bot.tracker.edits import EDITABLE_FIELDS, check_note_fields, coerce_fields
from bot.tracker.errors import ClientRequired, TrackerError, TrackerUnavailable
from bot.tracker.models import Adviser, Client, FollowUp, VisitNote
from bot.tracker.names import clean_display_name, name_key
from bot.tracker.note import ParsedNote
from bot.tracker.records import (
    EMOTIONS,
    FAMILIARITY,
    LOCAL_ADVISER_ID,
    AuditRecord,
    Book,
    ChangeRecord,
    ClientProfile,
    ClientSummary,
    DeletedClient,
    DueItem,
    SavedNote,
)
from bot.tracker.store import Store
from bot.tracker.text import strip_controls

__all__ = ["LOCAL_ADVISER_ID", "FAMILIARITY", "EMOTIONS", "TrackerError", "ClientRequired",
           "TrackerUnavailable", "SavedNote", "ClientSummary", "ClientProfile", "DueItem", "AuditRecord",
           "ChangeRecord", "DeletedClient", "Tracker"]

DEFAULT_DIGEST_TIME = "08:30"
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class Tracker:
    def __init__(self, url: str, *, tier_thresholds_cny: list[int] | None = None,
                 contacts_per_month_by_tier: list[int] | None = None, tz: str = "Asia/Shanghai",
                 default_digest_time: str = DEFAULT_DIGEST_TIME) -> None:
        self.zone = ZoneInfo(tz)
        self.book = Book(
            zone=self.zone,
            tier_thresholds=sorted(tier_thresholds_cny or classify.DEFAULT_TIER_THRESHOLDS_CNY),
            contacts_per_month=list(contacts_per_month_by_tier or classify.DEFAULT_CONTACTS_PER_MONTH))
        self.tier_thresholds = self.book.tier_thresholds
        self.contacts_per_month = self.book.contacts_per_month
        self.default_digest_time = default_digest_time
        self.store = Store(url)
        self.engine = self.store.engine
        try:
            self.store.ready()
        except TrackerUnavailable:
            pass  # said on first use: a broken client database must not stop knowledge answers

    @classmethod
    def from_settings(cls, settings: object) -> Tracker:
        """Build from the app's Settings (duck-typed: the tracker imports nothing of ours)."""
        return cls(settings.tracker_url, tier_thresholds_cny=list(settings.tier_thresholds_cny),
                   contacts_per_month_by_tier=list(settings.contacts_per_month_by_tier), tz=settings.tz,
                   default_digest_time=settings.digest_time)

    # -- plumbing --------------------------------------------------------------------------------

    def _now(self) -> datetime:
        return datetime.now(UTC).replace(tzinfo=None)

    def _today(self) -> date:
        return datetime.now(self.zone).date()

    # -- writing -----------------------------------------------------------------------------------

    def ensure_adviser(self, adviser_id: int, display_name: str | None = None) -> None:
        self.store.write(lambda session: rows.ensure_adviser(session, adviser_id, self._now(), display_name))

    def log_note(self, adviser_id: int, note: ParsedNote, *, client_name: str | None = None,
                 at: datetime | None = None) -> SavedNote:
        raw_text = strip_controls(note.raw_text) if isinstance(note.raw_text, str) else ""
        if not raw_text.strip():
            raise TrackerError("消息是空的，没有保存。")
        name = client_name if client_name and client_name.strip() else note.client
        if not name or not name_key(name):
            raise ClientRequired("这条记录是关于哪位客户的？还没有保存。")
        check_note_fields(note)
        when = queries.to_utc_naive(at, self.zone) if at else self._now()
        next_step = strip_controls(note.next_step) if note.next_step else None

        def work(session: Session) -> SavedNote:
            rows.ensure_adviser(session, adviser_id, self._now())
            client, created = rows.client_for(session, adviser_id, name, self._now())
            rows.lock_client(session, client)
            row = VisitNote(
                adviser_id=adviser_id, client_id=client.id, raw_text=raw_text,
                client_text=clean_display_name(name), amount_cny=note.amount_cny, currency=note.currency,
                products=list(note.products), sentiment=note.sentiment, objections=list(note.objections),
                next_step=next_step, follow_up_on=note.follow_up_on, risk_level=note.risk_level,
                created_at=when, recorded_at=self._now())
            session.add(row)
            session.flush()
            rows.close_follow_ups(session, client, row, self.book.local_day(row.created_at))
            if note.follow_up_on is not None:
                session.add(FollowUp(adviser_id=adviser_id, client_id=client.id, note_id=row.id,
                                     due_on=note.follow_up_on, done=False))
            queries.refresh_client_stats(session, client)
            audit.add_change(session, adviser_id, "log_note", self._now(), client_id=client.id,
                             note_id=row.id, created_client=created)
            return self.book.saved(session, row, client, created)

        return self.store.write(work)

    def undo_last(self, adviser_id: int) -> SavedNote | None:
        def work(session: Session) -> SavedNote | None:
            latest = (select(VisitNote).where(VisitNote.adviser_id == adviser_id)
                      .order_by(VisitNote.recorded_at.desc(), VisitNote.id.desc()).limit(1))
            row = session.scalars(latest).first()
            if row is None:
                return None
            saved = self.book.saved(session, row, session.get(Client, row.client_id))
            rows.delete_note_row(session, row)
            audit.add_change(session, adviser_id, "undo", self._now(), client_id=saved.client_id,
                             note_id=saved.note_id)
            return saved

        return self.store.write(work)

    def delete_note(self, adviser_id: int, note_id: int) -> bool:
        def work(session: Session) -> bool:
            row = session.get(VisitNote, note_id)
            if row is None or row.adviser_id != adviser_id:
                return False  # gone already, or not this adviser's: same answer, nothing revealed
            client_id = row.client_id
            rows.delete_note_row(session, row)
            audit.add_change(session, adviser_id, "delete_note", self._now(), client_id=client_id,
                             note_id=note_id)
            return True

        return self.store.write(work)

    def update_note(self, adviser_id: int, note_id: int, **fields: object) -> SavedNote:
        fields.pop("rejected_amounts", None)  # what the parser refused; nothing to store
        unknown = set(fields) - EDITABLE_FIELDS
        if unknown:
            raise TrackerError(f"不能修改：{'、'.join(sorted(unknown))}。")
        values = coerce_fields(fields)

        def work(session: Session) -> SavedNote:
            row = session.get(VisitNote, note_id)
            if row is None or row.adviser_id != adviser_id:
                raise TrackerError(f"没有第 {note_id} 条记录。")
            old_client = session.get(Client, row.client_id)
            client = old_client
            if "client" in values:
                client, _ = rows.client_for(session, adviser_id, values.pop("client"), self._now())
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
            audit.add_change(session, adviser_id, "update_note", self._now(), client_id=client.id,
                             note_id=note_id, fields=sorted(fields), moved_from_client=(
                                 old_client.id if old_client.id != client.id else None))
            return self.book.saved(session, row, client)

        return self.store.write(work)

    def add_alias(self, adviser_id: int, name: str, alias: str) -> ClientSummary:
        """Let another name (Mr. Wang, 王总 的英文名 ...) find this client."""
        def work(session: Session) -> ClientSummary:
            matches = queries.find_client_rows(session, adviser_id, name)
            if not matches or not name_key(alias):
                raise TrackerError(f"没有叫「{clean_display_name(name)}」的客户。")
            client = matches[0]
            if name_key(alias) not in (client.alias_keys or []):
                client.aliases = [*client.aliases, clean_display_name(alias)]
                client.alias_keys = [*client.alias_keys, name_key(alias)]
                audit.add_change(session, adviser_id, "add_alias", self._now(), client_id=client.id)
            return self.book.summary(client)

        return self.store.write(work)

    def delete_client(self, adviser_id: int, name: str) -> DeletedClient | None:
        """Erase one of this adviser's clients (PIPL): the client, all their notes and follow-ups, their
        names in this adviser's recorded answers. None when this adviser has no such client (another
        adviser's client of the same name is never touched). Chat memory is the caller's to clear, with
        the names returned."""
        return self.store.write(lambda session: erasure.erase_client(session, adviser_id, name, self._now()))

    # -- reading -------------------------------------------------------------------------------------

    def find_clients(self, adviser_id: int, name: str) -> list[ClientSummary]:
        with self.store.reading() as session:
            return [self.book.summary(c) for c in queries.find_client_rows(session, adviser_id, name)]

    def clients(self, adviser_id: int) -> list[ClientSummary]:
        with self.store.reading() as session:
            rows = session.scalars(select(Client).where(Client.adviser_id == adviser_id)
                                   .order_by(Client.last_contact.desc(), Client.id))
            return [self.book.summary(c) for c in rows]

    def get_note(self, adviser_id: int, note_id: int) -> SavedNote | None:
        with self.store.reading() as session:
            row = session.get(VisitNote, note_id)
            if row is None or row.adviser_id != adviser_id:
                return None
            return self.book.saved(session, row, session.get(Client, row.client_id))

    def client_profile(self, adviser_id: int, name: str) -> ClientProfile | None:
        with self.store.reading() as session:
            matches = queries.find_client_rows(session, adviser_id, name)
            return reports.build_profile(self.book, session, matches[0]) if matches else None

    def due_followups(self, adviser_id: int, *, within_days: int = 7,
                      today: date | None = None) -> list[DueItem]:
        with self.store.reading() as session:
            return reports.due_items(self.book, session, adviser_id, within_days, today or self._today())

    def grid(self, adviser_id: int) -> dict[tuple[str, str], list[ClientSummary]]:
        cells: dict[tuple[str, str], list[ClientSummary]] = {
            (familiarity, emotion): [] for familiarity in FAMILIARITY for emotion in EMOTIONS}
        for summary in self.clients(adviser_id):
            cells[(summary.familiarity, summary.sentiment or "neutral")].append(summary)
        return cells

    def export_csv(self, adviser_id: int, out: IO[str]) -> int:
        with self.store.reading() as session:
            return reports.write_csv(self.book, session, adviser_id, out)

    # -- audit and digest --------------------------------------------------------------------------

    def record_audit(self, record: AuditRecord) -> None:
        self.store.write(lambda session: audit.add_answer(session, record, self.zone, self._now()))

    def audit_records(self, adviser_id: int, since: datetime | None = None) -> list[AuditRecord]:
        with self.store.reading() as session:
            return audit.answers(session, adviser_id, self.zone, since)

    def changes(self, adviser_id: int, since: datetime | None = None) -> list[ChangeRecord]:
        """Changes this adviser made to client data, oldest first."""
        with self.store.reading() as session:
            return audit.changes(session, adviser_id, self.zone, since)

    def set_digest(self, adviser_id: int, *, enabled: bool, at: str | None = None) -> None:
        normalised = None
        if at is not None:
            match = _HHMM.match(at.strip())
            if not match:
                raise TrackerError("推送时间要写成 HH:MM，例如 08:30。")
            normalised = f"{int(match.group(1)):02d}:{match.group(2)}"

        def work(session: Session) -> None:
            adviser = rows.ensure_adviser(session, adviser_id, self._now())
            adviser.digest_enabled = enabled
            if normalised is not None:
                adviser.digest_at = normalised

        self.store.write(work)

    def digest_subscribers(self) -> list[tuple[int, str]]:
        """Advisers who get the daily digest (the local console adviser never does)."""
        with self.store.reading() as session:
            rows = session.scalars(select(Adviser).where(Adviser.digest_enabled.is_(True),
                                                         Adviser.id != LOCAL_ADVISER_ID).order_by(Adviser.id))
            return [(row.id, row.digest_at or self.default_digest_time) for row in rows]

    def close(self) -> None:
        self.store.close()
