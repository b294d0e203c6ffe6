"""Audit trails kept in the tracker database: answers given (audit_records) and changes to client data
(client_changes). Plain functions over a session; the service decides when to call them."""

from __future__ import annotations

from datetime import datetime, tzinfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.tracker import queries
from bot.tracker.models import AuditEntry, ClientChange
from bot.tracker.records import AuditRecord, ChangeRecord

ERASED_MARK = "［已删除客户］"


def add_answer(session: Session, record: AuditRecord, zone: tzinfo, now: datetime) -> None:
    session.add(AuditEntry(
        adviser_id=record.adviser_id, at=queries.to_utc_naive(record.at, zone) if record.at else now,
        intent=record.intent, backend=record.backend, source_ids=[str(s) for s in record.source_ids],
        answer=record.answer, guardrails=[str(g) for g in record.guardrails], model_calls=record.model_calls,
        tokens=record.tokens, model=record.model, fallback_reason=record.fallback_reason))


def answers(session: Session, adviser_id: int, zone: tzinfo, since: datetime | None) -> list[AuditRecord]:
    query = select(AuditEntry).where(AuditEntry.adviser_id == adviser_id)
    if since is not None:
        query = query.where(AuditEntry.at >= queries.to_utc_naive(since, zone))
    return [AuditRecord(adviser_id=row.adviser_id, at=queries.to_local(row.at, zone), intent=row.intent,
                        backend=row.backend, source_ids=list(row.source_ids or []), answer=row.answer,
                        guardrails=list(row.guardrails or []), model_calls=row.model_calls, tokens=row.tokens,
                        model=row.model, fallback_reason=row.fallback_reason)
            for row in session.scalars(query.order_by(AuditEntry.at, AuditEntry.id))]


def add_change(session: Session, adviser_id: int, action: str, now: datetime, *, client_id: int | None = None,
               note_id: int | None = None, **detail: object) -> None:
    session.add(ClientChange(adviser_id=adviser_id, at=now, action=action, client_id=client_id,
                             note_id=note_id, detail=detail))


def changes(session: Session, adviser_id: int, zone: tzinfo, since: datetime | None) -> list[ChangeRecord]:
    query = select(ClientChange).where(ClientChange.adviser_id == adviser_id)
    if since is not None:
        query = query.where(ClientChange.at >= queries.to_utc_naive(since, zone))
    return [ChangeRecord(adviser_id=row.adviser_id, at=queries.to_local(row.at, zone), action=row.action,
                         client_id=row.client_id, note_id=row.note_id, detail=dict(row.detail or {}))
            for row in session.scalars(query.order_by(ClientChange.at, ClientChange.id))]


def scrub_names(session: Session, adviser_id: int, names: list[str]) -> int:
    """Replace an erased client's names in this adviser's recorded answers; returns the answers changed."""
    changed = 0
    names = sorted({name for name in names if name}, key=len, reverse=True)
    for name in names:
        rows = session.scalars(select(AuditEntry).where(AuditEntry.adviser_id == adviser_id,
                                                        AuditEntry.answer.contains(name)))
        for row in rows:
            session.execute(update(AuditEntry).where(AuditEntry.id == row.id)
                            .values(answer=row.answer.replace(name, ERASED_MARK)))
            changed += 1
    return changed
