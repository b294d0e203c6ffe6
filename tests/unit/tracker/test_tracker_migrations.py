"""Numbered migrations apply once; the default SQLite file runs in WAL mode with a busy timeout."""

from __future__ import annotations

from sqlalchemy import text

from bot.tracker import migrations
from bot.tracker.service import Tracker
from knowledge.settings import get_settings
from tests.unit.tracker.helpers import note


def test_migrations_recorded_and_idempotent(tracker: Tracker) -> None:
    assert migrations.migrate(tracker.engine) == []
    with tracker.engine.connect() as conn:
        names = list(conn.execute(text("SELECT name FROM _migrations ORDER BY name")).scalars())
    assert names == [fn.__name__ for fn in migrations.MIGRATIONS]


def test_reopening_keeps_data(tracker_url: str) -> None:
    first = Tracker(tracker_url)
    first.log_note(3, note("王总"))
    first.close()
    again = Tracker(tracker_url)
    try:
        assert [c.name for c in again.clients(3)] == ["王总"]
    finally:
        again.close()


def test_default_sqlite_in_data_dir_uses_wal(isolated_environment) -> None:  # noqa: ANN001
    settings = get_settings()
    tracker = Tracker.from_settings(settings)
    try:
        tracker.log_note(0, note("王总"))
        with tracker.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
        assert (isolated_environment / "tracker.db").exists()
    finally:
        tracker.close()


def test_m001_is_written_out_not_taken_from_todays_models(tracker_url: str) -> None:
    from sqlalchemy import create_engine, inspect

    engine = create_engine(tracker_url)
    try:
        assert migrations.migrate(engine, until="m001_initial") == ["m001_initial"]
        schema = inspect(engine)
        assert "client_changes" not in schema.get_table_names()
        assert "currency" not in {c["name"] for c in schema.get_columns("visit_notes")}
        assert migrations.migrate(engine)[:2] == ["m002_note_currency", "m003_client_changes"]
        schema = inspect(engine)
        assert "client_changes" in schema.get_table_names()
        assert "currency" in {c["name"] for c in schema.get_columns("visit_notes")}
    finally:
        engine.dispose()
