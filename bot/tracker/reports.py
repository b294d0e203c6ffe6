"""Views over one adviser's book: client profile, what is due, CSV export."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from typing import IO

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.tracker import classify, queries
from bot.tracker.models import Client, FollowUp, VisitNote
from bot.tracker.records import Book, ClientProfile, ClientSummary, DueItem
from bot.tracker.text import csv_cell

RECENT_NOTES_FOR_OBJECTIONS = 3
PROFILE_NOTES = 50
LAST_NOTE_CHARS = 300
CSV_COLUMNS = ("note_id", "client_id", "client_name", "client_tier", "client_risk_level",
               "client_notes_count", "client_last_contact", "client_sentiment", "client_familiarity",
               "noted_at", "amount_cny",
               "products", "sentiment", "objections", "next_step", "follow_up_on", "risk_level", "raw_text",
               "currency")


def _newest(client_id: int):  # noqa: ANN202
    return select(VisitNote).where(VisitNote.client_id == client_id).order_by(
        VisitNote.created_at.desc(), VisitNote.id.desc())


def build_profile(book: Book, session: Session, client: Client) -> ClientProfile:
    rows = list(session.scalars(_newest(client.id).limit(PROFILE_NOTES)))
    objections: list[str] = []
    for row in rows[:RECENT_NOTES_FOR_OBJECTIONS]:
        objections += [o for o in row.objections or [] if o not in objections]
    products: list[str] = []
    for row in rows:
        products += [p for p in row.products or [] if p not in products]
    open_dates = session.scalars(select(FollowUp.due_on).where(
        FollowUp.client_id == client.id, FollowUp.done.is_(False)).order_by(FollowUp.due_on))
    return ClientProfile(
        summary=book.summary(client), aliases=list(client.aliases or []),
        notes=[book.saved(session, row, client) for row in rows], open_objections=objections,
        products=products, max_amount_cny=client.assets_cny, open_follow_ups=list(open_dates),
    )


def _last_note(session: Session, client_id: int) -> str | None:
    row = session.scalars(_newest(client_id).limit(1)).first()
    return row.raw_text[:LAST_NOTE_CHARS] if row else None


def due_items(book: Book, session: Session, adviser_id: int, within_days: int, today: date) -> list[DueItem]:
    """Follow-ups the adviser set, plus clients overdue for contact by their tier's cadence,
    due on or before today + within_days (overdue ones included, however old)."""
    horizon = today + timedelta(days=max(0, within_days))
    clients = {c.id: c for c in session.scalars(select(Client).where(Client.adviser_id == adviser_id))}
    items: list[DueItem] = []
    planned: set[int] = set()
    follow_ups = session.scalars(select(FollowUp).where(
        FollowUp.adviser_id == adviser_id, FollowUp.done.is_(False), FollowUp.due_on <= horizon))
    for follow_up in follow_ups:
        client = clients[follow_up.client_id]
        planned.add(client.id)
        items.append(DueItem(client=book.summary(client), due_on=follow_up.due_on, reason="follow_up",
                             overdue_days=max(0, (today - follow_up.due_on).days), follow_up_id=follow_up.id,
                             last_note=_last_note(session, client.id)))
    for client in clients.values():
        if client.id in planned or client.last_contact is None:
            continue
        gap = classify.cadence_days(client.assets_cny, book.tier_thresholds, book.contacts_per_month)
        if gap is None:
            continue
        due_on = book.local_day(client.last_contact) + timedelta(days=gap)
        if due_on <= horizon:
            items.append(DueItem(client=book.summary(client), due_on=due_on, reason="cadence",
                                 overdue_days=max(0, (today - due_on).days),
                                 last_note=_last_note(session, client.id)))
    items.sort(key=lambda item: (item.due_on, item.client.name))
    return items


def write_csv(book: Book, session: Session, adviser_id: int, out: IO[str]) -> int:
    """One row per note, with the client's columns; returns the number of rows written. Every text cell
    goes through csv_cell, so a note starting with = + - @ cannot run as a formula in Excel."""
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    summaries: dict[int, ClientSummary] = {}
    written = 0
    rows = session.execute(select(VisitNote, Client).join(Client, VisitNote.client_id == Client.id)
                           .where(VisitNote.adviser_id == adviser_id, Client.adviser_id == adviser_id)
                           .order_by(Client.name, VisitNote.created_at, VisitNote.id))
    for note, client in rows:
        summary = summaries.setdefault(client.id, book.summary(client))
        writer.writerow([csv_cell(value) for value in (
            note.id, client.id, client.name, summary.tier or "", summary.risk_level or "",
            summary.notes_count,
            summary.last_contact.isoformat() if summary.last_contact else "", summary.sentiment or "",
            summary.familiarity, queries.to_local(note.created_at, book.zone).isoformat(),
            "" if note.amount_cny is None else note.amount_cny, "|".join(note.products or []),
            note.sentiment, "|".join(note.objections or []), note.next_step or "",
            note.follow_up_on.isoformat() if note.follow_up_on else "", note.risk_level or "", note.raw_text,
            note.currency or "CNY",
        )])
        written += 1
    return written
