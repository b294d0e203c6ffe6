"""SQLAlchemy 2 models of the tracker. Times are stored as naive UTC (SQLite keeps no zone);
the service converts them to aware datetimes in the adviser's zone on the way out."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# PostgreSQL text cannot hold NUL; notes are stored as written, so NUL is escaped reversibly there.
_ESC, _NUL = "\ue000", "\ue001"


class NoteText(TypeDecorator):
    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):  # noqa: ANN001, ANN201
        if value is None or dialect.name != "postgresql":
            return value
        return value.replace(_ESC, _ESC + _ESC).replace("\x00", _ESC + _NUL)

    def process_result_value(self, value, dialect):  # noqa: ANN001, ANN201
        if value is None or dialect.name != "postgresql" or _ESC not in value:
            return value
        out, chars = [], iter(value)
        for ch in chars:
            out.append(("\x00" if next(chars, _ESC) == _NUL else _ESC) if ch == _ESC else ch)
        return "".join(out)


class Base(DeclarativeBase):
    pass


class Adviser(Base):
    __tablename__ = "advisers"

    # The Telegram user id (LOCAL_ADVISER_ID = 0 for the console): not autoincremented.
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    display_name: Mapped[str | None] = mapped_column(String(200))
    digest_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    digest_at: Mapped[str | None] = mapped_column(String(5))  # "HH:MM" local; None -> the default time
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Client(Base):
    __tablename__ = "clients"
    __table_args__ = (UniqueConstraint("adviser_id", "name_key", name="uq_clients_adviser_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    adviser_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("advisers.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200))
    aliases: Mapped[list] = mapped_column(JSON, default=list)
    alias_keys: Mapped[list] = mapped_column(JSON, default=list)
    risk_level: Mapped[str | None] = mapped_column(String(2))
    assets_cny: Mapped[int | None] = mapped_column(BigInteger)  # largest amount mentioned in notes
    sentiment: Mapped[str | None] = mapped_column(String(10))
    notes_count: Mapped[int] = mapped_column(Integer, default=0)
    first_contact: Mapped[datetime | None] = mapped_column(DateTime)
    last_contact: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class VisitNote(Base):
    __tablename__ = "visit_notes"
    __table_args__ = (Index("ix_notes_adviser_created", "adviser_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    adviser_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("advisers.id"))
    client_id: Mapped[int] = mapped_column(Integer, ForeignKey("clients.id"), index=True)
    raw_text: Mapped[str] = mapped_column(NoteText)
    client_text: Mapped[str | None] = mapped_column(String(200))  # the name as written in the note
    amount_cny: Mapped[int | None] = mapped_column(BigInteger)  # in `currency` (m002)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    products: Mapped[list] = mapped_column(JSON, default=list)
    sentiment: Mapped[str] = mapped_column(String(10), default="neutral")
    objections: Mapped[list] = mapped_column(JSON, default=list)
    next_step: Mapped[str | None] = mapped_column(NoteText)
    follow_up_on: Mapped[date | None] = mapped_column(Date)
    risk_level: Mapped[str | None] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(DateTime)  # when the contact happened
    recorded_at: Mapped[datetime] = mapped_column(DateTime)  # when it was saved
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)


class FollowUp(Base):
    __tablename__ = "follow_ups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    adviser_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("advisers.id"), index=True)
    client_id: Mapped[int] = mapped_column(Integer, ForeignKey("clients.id"), index=True)
    note_id: Mapped[int] = mapped_column(Integer, ForeignKey("visit_notes.id"), index=True)
    due_on: Mapped[date] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    # The note that completed it, so undoing that note reopens the follow-up.
    closed_by_note_id: Mapped[int | None] = mapped_column(Integer)


class AuditEntry(Base):
    __tablename__ = "audit_records"
    __table_args__ = (Index("ix_audit_adviser_at", "adviser_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    adviser_id: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[datetime] = mapped_column(DateTime)
    intent: Mapped[str] = mapped_column(String(40))
    backend: Mapped[str] = mapped_column(String(120))  # openai:MODEL (m004 widened it)
    source_ids: Mapped[list] = mapped_column(JSON, default=list)
    answer: Mapped[str] = mapped_column(NoteText)
    guardrails: Mapped[list] = mapped_column(JSON, default=list)
    model_calls: Mapped[int] = mapped_column(Integer, default=0)
    tokens: Mapped[int] = mapped_column(Integer, default=0)
    model: Mapped[str | None] = mapped_column(String(120))
    fallback_reason: Mapped[str | None] = mapped_column(String(60))


class ClientChange(Base):
    """Who changed which client's data, when and how (m003). Ids and field names only, never content:
    an erased client leaves a record that says so without saying who they were."""
    __tablename__ = "client_changes"
    __table_args__ = (Index("ix_changes_adviser_at", "adviser_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    adviser_id: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[datetime] = mapped_column(DateTime)
    action: Mapped[str] = mapped_column(String(40))
    client_id: Mapped[int | None] = mapped_column(Integer)
    note_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
