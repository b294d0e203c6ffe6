"""Write-side helpers over one session: the rows a change touches (adviser, client, follow-ups).
Times are naive UTC, as stored."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.tracker import queries
from bot.tracker.models import Adviser, Client, FollowUp, VisitNote
from bot.tracker.names import clean_display_name, name_key


def ensure_adviser(session: Session, adviser_id: int, now: datetime,
                   display_name: str | None = None) -> Adviser:
    adviser = session.get(Adviser, adviser_id)
    if adviser is None:
        adviser = Adviser(id=adviser_id, display_name=display_name, digest_enabled=True, created_at=now)
        session.add(adviser)
        session.flush()
    elif display_name and adviser.display_name != display_name:
        adviser.display_name = display_name
    return adviser


def client_for(session: Session, adviser_id: int, name: str, now: datetime) -> tuple[Client, bool]:
    """This adviser's client called `name` (or carrying it as an alias), created when missing."""
    matches = queries.find_client_rows(session, adviser_id, name)
    if matches:
        return matches[0], False
    client = Client(adviser_id=adviser_id, name=clean_display_name(name), name_key=name_key(name),
                    aliases=[], alias_keys=[], notes_count=0, created_at=now)
    session.add(client)
    session.flush()  # a concurrent writer with the same name -> IntegrityError -> retry finds it
    return client, True


def lock_client(session: Session, client: Client) -> None:
    # Serialise writers on one client (PostgreSQL) so cached counts stay exact; SQLite already is.
    session.execute(select(Client.id).where(Client.id == client.id).with_for_update())


def close_follow_ups(session: Session, client: Client, note: VisitNote, note_day: date) -> None:
    """A new note closes the client's open follow-ups due by its day, or all of them when it sets its own."""
    query = update(FollowUp).where(
        FollowUp.client_id == client.id, FollowUp.done.is_(False), FollowUp.note_id != note.id)
    if note.follow_up_on is None:
        query = query.where(FollowUp.due_on <= note_day)
    session.execute(query.values(done=True, closed_by_note_id=note.id))


def delete_note_row(session: Session, row: VisitNote) -> None:
    """Remove a note with its follow-up, reopen what it closed, and drop a client left with nothing."""
    client = session.get(Client, row.client_id)
    session.execute(delete(FollowUp).where(FollowUp.note_id == row.id))
    session.execute(update(FollowUp).where(FollowUp.closed_by_note_id == row.id)
                    .values(done=False, closed_by_note_id=None))
    session.delete(row)
    session.flush()
    queries.refresh_client_stats(session, client)
    if client.notes_count == 0 and not client.aliases:
        session.delete(client)  # a client exists because notes named them; none left, nothing to keep
