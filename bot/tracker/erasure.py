"""Erasure of one client on request (PIPL), as a plain function over a session; the service runs it in
one write. The change log keeps that it happened (counts, ids), never who."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from bot.tracker import audit, queries
from bot.tracker.models import FollowUp, VisitNote
from bot.tracker.records import DeletedClient


def erase_client(session: Session, adviser_id: int, name: str, now: datetime) -> DeletedClient | None:
    """Delete this adviser's client called `name` with all their notes and follow-ups, and their names in
    this adviser's recorded answers. None when this adviser has no such client."""
    matches = queries.find_client_rows(session, adviser_id, name)
    if not matches:
        return None
    client = matches[0]
    deleted = DeletedClient(client_id=client.id, name=client.name, aliases=list(client.aliases or []),
                            notes_deleted=0, follow_ups_deleted=0)
    deleted.follow_ups_deleted = session.execute(
        delete(FollowUp).where(FollowUp.client_id == client.id)).rowcount
    deleted.notes_deleted = session.execute(
        delete(VisitNote).where(VisitNote.client_id == client.id)).rowcount
    session.delete(client)
    session.flush()
    answers = audit.scrub_names(session, adviser_id, [deleted.name, *deleted.aliases])
    audit.add_change(session, adviser_id, "delete_client", now, client_id=deleted.client_id,
                     notes=deleted.notes_deleted, follow_ups=deleted.follow_ups_deleted,
                     answers_scrubbed=answers)
    return deleted
