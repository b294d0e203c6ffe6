"""Small numbered migrations (simonw/llm style): a list of functions, applied in order, each
recorded by name in `_migrations`. Add a new function at the end; never edit an applied one.

Each migration spells out its own tables and columns: a later change to models.py must not change
what an earlier migration creates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    select,
    text,
)

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
    # The schema as first shipped. Text columns are plain TEXT here; NUL escaping is done by the model type.
    meta = MetaData()
    Table("advisers", meta,
          Column("id", BigInteger, primary_key=True, autoincrement=False),
          Column("display_name", String(200)),
          Column("digest_enabled", Boolean, nullable=False),
          Column("digest_at", String(5)),
          Column("created_at", DateTime, nullable=False))
    Table("clients", meta,
          Column("id", Integer, primary_key=True),
          Column("adviser_id", BigInteger, ForeignKey("advisers.id"), nullable=False, index=True),
          Column("name", String(200), nullable=False),
          Column("name_key", String(200), nullable=False),
          Column("aliases", JSON, nullable=False),
          Column("alias_keys", JSON, nullable=False),
          Column("risk_level", String(2)),
          Column("assets_cny", BigInteger),
          Column("sentiment", String(10)),
          Column("notes_count", Integer, nullable=False),
          Column("first_contact", DateTime),
          Column("last_contact", DateTime),
          Column("created_at", DateTime, nullable=False),
          UniqueConstraint("adviser_id", "name_key", name="uq_clients_adviser_key"))
    Table("visit_notes", meta,
          Column("id", Integer, primary_key=True),
          Column("adviser_id", BigInteger, ForeignKey("advisers.id"), nullable=False),
          Column("client_id", Integer, ForeignKey("clients.id"), nullable=False, index=True),
          Column("raw_text", Text, nullable=False),
          Column("client_text", String(200)),
          Column("amount_cny", BigInteger),
          Column("products", JSON, nullable=False),
          Column("sentiment", String(10), nullable=False),
          Column("objections", JSON, nullable=False),
          Column("next_step", Text),
          Column("follow_up_on", Date),
          Column("risk_level", String(2)),
          Column("created_at", DateTime, nullable=False),
          Column("recorded_at", DateTime, nullable=False),
          Column("updated_at", DateTime),
          Index("ix_notes_adviser_created", "adviser_id", "created_at"))
    Table("follow_ups", meta,
          Column("id", Integer, primary_key=True),
          Column("adviser_id", BigInteger, ForeignKey("advisers.id"), nullable=False, index=True),
          Column("client_id", Integer, ForeignKey("clients.id"), nullable=False, index=True),
          Column("note_id", Integer, ForeignKey("visit_notes.id"), nullable=False, index=True),
          Column("due_on", Date, nullable=False),
          Column("done", Boolean, nullable=False),
          Column("closed_by_note_id", Integer))
    Table("audit_records", meta,
          Column("id", Integer, primary_key=True),
          Column("adviser_id", BigInteger, nullable=False),
          Column("at", DateTime, nullable=False),
          Column("intent", String(40), nullable=False),
          Column("backend", String(40), nullable=False),
          Column("source_ids", JSON, nullable=False),
          Column("answer", Text, nullable=False),
          Column("guardrails", JSON, nullable=False),
          Index("ix_audit_adviser_at", "adviser_id", "at"))
    meta.create_all(conn)


@migration
def m002_note_currency(conn: Connection) -> None:
    # "50万美元" is not 50万 CNY: the amount's currency, CNY for every note written before
    conn.execute(text("ALTER TABLE visit_notes ADD COLUMN currency VARCHAR(3) NOT NULL DEFAULT 'CNY'"))


@migration
def m003_client_changes(conn: Connection) -> None:
    # who changed which client's data, when and how (ids and field names, never content)
    meta = MetaData()
    Table("client_changes", meta,
          Column("id", Integer, primary_key=True),
          Column("adviser_id", BigInteger, nullable=False),
          Column("at", DateTime, nullable=False),
          Column("action", String(40), nullable=False),
          Column("client_id", Integer),
          Column("note_id", Integer),
          Column("detail", JSON, nullable=False),
          Index("ix_changes_adviser_at", "adviser_id", "at"))
    meta.create_all(conn)


@migration
def m004_audit_cost(conn: Connection) -> None:
    # cost metering per answer (model calls, tokens, model id) and why an LLM answer fell back; backend
    # names carry the model (openai:MODEL), wider than the first 40 characters
    for column in ("model_calls INTEGER NOT NULL DEFAULT 0", "tokens INTEGER NOT NULL DEFAULT 0",
                   "model VARCHAR(120)", "fallback_reason VARCHAR(60)"):
        conn.execute(text(f"ALTER TABLE audit_records ADD COLUMN {column}"))
    if conn.dialect.name == "postgresql":  # SQLite does not enforce VARCHAR lengths
        conn.execute(text("ALTER TABLE audit_records ALTER COLUMN backend TYPE VARCHAR(120)"))


def migrate(engine: Engine, *, until: str | None = None) -> list[str]:
    """Apply pending migrations in one transaction; returns the names applied now. `until` stops after
    that migration (to build an older schema, e.g. to test an upgrade).
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
            if fn.__name__ == until:
                break
        return applied
