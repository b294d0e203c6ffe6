"""Read-side helpers: rows -> result types, and the client statistics kept on each client row."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.tracker import classify
from bot.tracker.currency import DEFAULT_CURRENCY
from bot.tracker.models import Client, VisitNote
from bot.tracker.names import name_key
from bot.tracker.note import ParsedNote


def to_local(value: datetime | None, zone: tzinfo) -> datetime | None:
    return value.replace(tzinfo=UTC).astimezone(zone) if value is not None else None


def to_utc_naive(value: datetime, zone: tzinfo) -> datetime:
    """Naive datetimes are taken as local time in the adviser's zone."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(UTC).replace(tzinfo=None)


def note_from_row(row: VisitNote, client_name: str) -> ParsedNote:
    return ParsedNote(
        raw_text=row.raw_text, client=row.client_text or client_name, amount_cny=row.amount_cny,
        products=list(row.products or []), sentiment=row.sentiment, objections=list(row.objections or []),
        next_step=row.next_step, follow_up_on=row.follow_up_on, risk_level=row.risk_level,
        currency=row.currency or "CNY",
    )


def find_client_rows(session: Session, adviser_id: int, name: str) -> list[Client]:
    """Exact normalised-name matches first, then clients who carry the name as an alias."""
    key = name_key(name)
    if not key:
        return []
    exact = list(session.scalars(
        select(Client).where(Client.adviser_id == adviser_id, Client.name_key == key).order_by(Client.id)))
    seen = {client.id for client in exact}
    aliased = [
        client for client in session.scalars(
            select(Client).where(Client.adviser_id == adviser_id).order_by(Client.id))
        if client.id not in seen and key in (client.alias_keys or [])
    ]
    return exact + aliased


def refresh_client_stats(session: Session, client: Client) -> None:
    """Recompute what a client row caches from its notes (count, contact span, assets, risk, emotion).
    Assets count CNY amounts only: there are no exchange rates here, and 50万美元 is not 50万元."""
    session.flush()
    count, first, last = session.execute(
        select(func.count(VisitNote.id), func.min(VisitNote.created_at), func.max(VisitNote.created_at))
        .where(VisitNote.client_id == client.id)
    ).one()
    biggest = session.execute(select(func.max(VisitNote.amount_cny)).where(
        VisitNote.client_id == client.id, VisitNote.currency == DEFAULT_CURRENCY)).scalar()
    newest = select(VisitNote).where(VisitNote.client_id == client.id).order_by(
        VisitNote.created_at.desc(), VisitNote.id.desc())
    client.notes_count = count
    client.first_contact = first
    client.last_contact = last
    client.assets_cny = biggest
    client.sentiment = classify.emotion([row.sentiment for row in session.scalars(newest.limit(2))])
    latest_risk = session.scalars(
        newest.where(VisitNote.risk_level.is_not(None)).limit(1)).first()
    client.risk_level = latest_risk.risk_level if latest_risk is not None else None
