"""Data protection: every change audited (who, when, what, never content), erasure of one client,
owner-only files, CSV cells that cannot run as formulas, bounded amounts, a corrupt database."""

from __future__ import annotations

import csv
import io
import os
import stat
from datetime import datetime

import pytest
from sqlalchemy import text

from bot.tracker import migrations
from bot.tracker.records import AuditRecord
from bot.tracker.service import Tracker, TrackerError, TrackerUnavailable
from tests.unit.tracker.helpers import SHANGHAI, note

A, B = 11, 22


def test_every_change_is_audited_without_content(tracker: Tracker) -> None:
    first = tracker.log_note(A, note("王总", text="王总 身份证110101199003071234 想买基金"))
    tracker.update_note(A, first.note_id, sentiment="positive")
    tracker.add_alias(A, "王总", "Mr. Wang")
    second = tracker.log_note(A, note("李阿姨"))
    tracker.undo_last(A)
    tracker.delete_note(A, first.note_id)
    changes = tracker.changes(A)
    assert [c.action for c in changes] == ["log_note", "update_note", "add_alias", "log_note", "undo",
                                           "delete_note"]
    assert all(c.adviser_id == A and c.at.tzinfo is not None for c in changes)
    assert changes[1].detail["fields"] == ["sentiment"] and changes[4].note_id == second.note_id
    dumped = repr(changes)
    assert "110101199003071234" not in dumped and "李阿姨" not in dumped and "王总" not in dumped
    assert tracker.changes(B) == []


def test_delete_client_erases_notes_follow_ups_and_names_in_answers(tracker: Tracker) -> None:
    from datetime import date

    tracker.log_note(A, note("王总", text="王总 50万 周五签", follow_up_on=date(2030, 1, 4)))
    tracker.log_note(A, note("王总", text="王总 又聊了"))
    tracker.add_alias(A, "王总", "Mr. Wang")
    tracker.log_note(A, note("李阿姨"))
    tracker.log_note(B, note("王总", text="另一位顾问的王总"))
    tracker.record_audit(AuditRecord(
        adviser_id=A, at=datetime.now(SHANGHAI), intent="prep", backend="offline", source_ids=[],
        answer="明天见王总（Mr. Wang）：先问家族信托", guardrails=[]))
    deleted = tracker.delete_client(A, "王 总")
    assert deleted is not None and (deleted.notes_deleted, deleted.follow_ups_deleted) == (2, 1)
    assert deleted.name == "王总" and deleted.aliases == ["Mr. Wang"]
    assert [c.name for c in tracker.clients(A)] == ["李阿姨"]
    assert tracker.client_profile(A, "Mr. Wang") is None
    assert [d.client.name for d in tracker.due_followups(A, within_days=9999)] == ["李阿姨"]
    assert [c.name for c in tracker.clients(B)] == ["王总"]
    assert tracker.client_profile(B, "王总").notes[0].note.raw_text == "另一位顾问的王总"
    answer = tracker.audit_records(A)[0].answer
    assert "王总" not in answer and "Mr. Wang" not in answer and "家族信托" in answer
    erased = tracker.changes(A)[-1]
    assert erased.action == "delete_client" and erased.detail["notes"] == 2 and "王总" not in repr(erased)
    assert tracker.delete_client(A, "王总") is None
    assert tracker.delete_client(A, "没这个人") is None


def test_delete_client_never_touches_another_advisers_client(tracker: Tracker) -> None:
    tracker.log_note(B, note("张先生"))
    assert tracker.delete_client(A, "张先生") is None
    assert [c.name for c in tracker.clients(B)] == ["张先生"]
    assert tracker.changes(A) == []


@pytest.mark.parametrize("amount", [-1, 10**12, 10**30, 2.5, True])
def test_out_of_range_amounts_are_a_clear_error_not_a_database_error(tracker: Tracker, amount) -> None:
    with pytest.raises(TrackerError, match="金额"):
        tracker.log_note(A, note("王总", text="机密内容", amount_cny=amount))
    saved = tracker.log_note(A, note("王总"))
    with pytest.raises(TrackerError, match="金额") as raised:
        tracker.update_note(A, saved.note_id, amount_cny=10**30)
    assert "机密内容" not in str(raised.value)


def test_currency_is_stored_and_foreign_amounts_do_not_set_the_tier(tracker: Tracker) -> None:
    tracker.log_note(A, note("吴总", amount_cny=5_000_000, currency="USD"))
    profile = tracker.client_profile(A, "吴总")
    assert profile.notes[0].note.currency == "USD" and profile.notes[0].note.amount_cny == 5_000_000
    assert profile.max_amount_cny is None and profile.summary.tier is None
    tracker.log_note(A, note("吴总", amount_cny=300_000))
    assert tracker.client_profile(A, "吴总").max_amount_cny == 300_000
    with pytest.raises(TrackerError, match="币种"):
        tracker.log_note(A, note("吴总", currency="dollars"))


def test_export_neutralises_formulas(tracker: Tracker) -> None:
    tracker.log_note(A, note("=HYPERLINK(\"http://x\")", text="=1+2 王总"))
    tracker.log_note(A, note("@王总", text="-5 +3 @SUM(A1)", next_step="+86 电话"))
    out = io.StringIO()
    assert tracker.export_csv(A, out) == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    cells = [value for row in rows for value in row.values() if value]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    assert {row["raw_text"] for row in rows} == {"'=1+2 王总", "'-5 +3 @SUM(A1)"}
    assert rows[0]["currency"] == "CNY"


def test_sqlite_files_are_owner_only(tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "new" / "tracker.db"
    tracker = Tracker(f"sqlite:///{path}")
    try:
        tracker.log_note(A, note("王总"))
        for file in path.parent.iterdir():
            assert stat.S_IMODE(file.stat().st_mode) == 0o600, file.name
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    finally:
        tracker.close()


def test_corrupt_sqlite_file_is_one_clear_error_on_use(tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "tracker.db"
    path.write_bytes(b"this is not a database" * 200)
    tracker = Tracker(f"sqlite:///{path}")  # building it works: knowledge answers need no tracker
    try:
        for use in (lambda: tracker.clients(A), lambda: tracker.log_note(A, note("王总", text="机密"))):
            with pytest.raises(TrackerUnavailable) as raised:
                use()
            message = str(raised.value)
            assert str(path) in message and "备份" in message and "机密" not in message
            assert raised.value.__cause__ is None and raised.value.__suppress_context__
        assert issubclass(TrackerUnavailable, TrackerError)
    finally:
        tracker.close()
    os.replace(path, tmp_path / "tracker.db.bad")
    again = Tracker(f"sqlite:///{path}")
    try:
        assert again.clients(A) == []
    finally:
        again.close()


def test_an_unreachable_server_is_a_clear_error_on_use() -> None:
    tracker = Tracker("postgresql+psycopg://someone:secret@127.0.0.1:1/tracker?connect_timeout=2")
    try:
        with pytest.raises(TrackerUnavailable) as raised:
            tracker.clients(A)
        assert "DATABASE_URL" in str(raised.value) and "secret" not in str(raised.value)
    finally:
        tracker.close()


def test_upgrade_from_the_first_schema_keeps_notes_as_cny(tracker_url: str) -> None:
    from sqlalchemy import create_engine

    engine = create_engine(tracker_url)
    assert migrations.migrate(engine, until="m001_initial") == ["m001_initial"]
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO advisers (id, digest_enabled, created_at) "
                          "VALUES (1, true, '2026-01-01')"))
        conn.execute(text("INSERT INTO clients (id, adviser_id, name, name_key, aliases, alias_keys, "
                          "notes_count, created_at) "
                          "VALUES (1, 1, '王总', '王总', '[]', '[]', 1, '2026-01-01')"))
        conn.execute(text("INSERT INTO visit_notes (adviser_id, client_id, raw_text, amount_cny, products, "
                          "sentiment, objections, created_at, recorded_at) VALUES (1, 1, '王总 50万', "
                          "500000, '[]', 'neutral', '[]', '2026-01-01', '2026-01-01')"))
    engine.dispose()
    tracker = Tracker(tracker_url)
    try:
        saved = tracker.client_profile(1, "王总").notes[0]
        assert (saved.note.amount_cny, saved.note.currency) == (500_000, "CNY")
        assert tracker.changes(1) == []
    finally:
        tracker.close()


def test_a_busy_sqlite_file_is_waited_for_then_called_busy_never_corrupt(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    import sqlite3
    import threading

    from bot.tracker import db, store

    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 50)  # each attempt gives up fast; the store retries
    monkeypatch.setattr(store, "OPEN_BACKOFF_S", 0.05)
    path = tmp_path / "tracker.db"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")  # another process in the middle of its own first migration
    threading.Timer(0.3, holder.rollback).start()
    tracker = Tracker(f"sqlite:///{path}")
    try:
        assert tracker.clients(A) == []  # waited for the lock, then migrated
    finally:
        tracker.close()

    holder.execute("BEGIN EXCLUSIVE")  # held for longer than every attempt
    held = Tracker(f"sqlite:///{tmp_path / 'tracker.db'}")
    try:
        with pytest.raises(TrackerUnavailable) as raised:
            held.log_note(A, note("王总", text="机密"))
        message = str(raised.value)
        assert "正忙" in message and "损坏" not in message and "机密" not in message
    finally:
        held.close()
        holder.rollback()
        holder.close()
