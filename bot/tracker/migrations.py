"""Small numbered migrations (simonw/llm style): a list of functions, applied in order, each
recorded by name in `_migrations`. Add a new function at the end; never edit an applied one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Column, Connection, DateTime, Engine, MetaData, String, Table, select, text

from bot.tracker import models

Migration = Callable[[Connection], None]
MIGRATIONS: list[Migration] = []

_meta = MetaData()
_applied = Table(
    "_migrations", _meta,
    Column("name", String(200), primary_key=True),
    Column("applied_at", DateTime),
)


def migration(fn: Migration) -> Migration:
    MIGRATIONS.append(fn)
    return fn


@migration
def m001_initial(conn: Connection) -> None:
    # The first schema is exactly the models as first shipped; later changes get their own ALTERs.
    models.Base.metadata.create_all(conn, tables=[
        models.Adviser.__table__, models.Client.__table__, models.VisitNote.__table__,
        models.FollowUp.__table__, models.AuditEntry.__table__,
    ])


def migrate(engine: Engine) -> list[str]:
    """Apply pending migrations in one transaction; returns the names applied now.
    Two processes starting together are serialised (PostgreSQL advisory lock; SQLite write lock)."""
    writer = engine.execution_options(tracker_write=True)
    with writer.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(734001)"))
        _meta.create_all(conn, checkfirst=True)
        done = set(conn.execute(select(_applied.c.name)).scalars())
        applied = []
        for fn in MIGRATIONS:
            if fn.__name__ in done:
                continue
            fn(conn)
            now = datetime.now(UTC).replace(tzinfo=None)
            conn.execute(_applied.insert().values(name=fn.__name__, applied_at=now))
            applied.append(fn.__name__)
        return applied
