"""Undo, delete, update, follow-up completion, export, audit, digest."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

import pytest

from bot.tracker.service import LOCAL_ADVISER_ID, AuditRecord, Tracker, TrackerError
from tests.unit.tracker.helpers import SHANGHAI, at, note

A, B = 7, 8


def test_undo_last_removes_note_follow_up_and_fixes_counts(tracker: Tracker) -> None:
    tracker.log_note(A, note("王总", amount_cny=300_000), at=at("2026-11-01"))
    last = tracker.log_note(A, note("王总", amount_cny=2_000_000, follow_up_on=date(2026, 11, 20),
                                    risk_level="C4"), at=at("2026-11-10"))
    assert tracker.client_profile(A, "王总").summary.tier == "100万+"
    undone = tracker.undo_last(A)
    assert undone.note_id == last.note_id
    profile = tracker.client_profile(A, "王总")
    assert profile.summary.notes_count == 1 and profile.max_amount_cny == 300_000
    assert profile.summary.tier == "20万+" and profile.summary.risk_level is None
    assert profile.open_follow_ups == []
    assert tracker.undo_last(A) is not None
    assert tracker.clients(A) == []  # a client only notes named is gone with its last note
    assert tracker.undo_last(A) is None


def test_delete_is_idempotent_and_scoped(tracker: Tracker) -> None:
    keep = tracker.log_note(A, note("王总"))
    gone = tracker.log_note(A, note("王总"))
    assert tracker.delete_note(A, gone.note_id) is True
    assert tracker.delete_note(A, gone.note_id) is False
    assert tracker.delete_note(A, 999_999) is False
    assert [n.note_id for n in tracker.client_profile(A, "王总").notes] == [keep.note_id]


def test_get_note_is_scoped_to_its_adviser(tracker: Tracker) -> None:
    saved = tracker.log_note(A, note("王总", amount_cny=500_000))
    assert tracker.get_note(A, saved.note_id).note.amount_cny == 500_000
    assert tracker.get_note(B, saved.note_id) is None
    tracker.delete_note(A, saved.note_id)
    assert tracker.get_note(A, saved.note_id) is None


def test_update_note_moves_client_and_follow_up(tracker: Tracker) -> None:
    saved = tracker.log_note(A, note("王总", follow_up_on=date(2026, 12, 1)), at=at("2026-11-20"))
    updated = tracker.update_note(A, saved.note_id, client="李阿姨", follow_up_on="2026-12-03",
                                  sentiment="positive", risk_level="c3")
    assert updated.client_name == "李阿姨" and updated.note.follow_up_on == date(2026, 12, 3)
    assert tracker.find_clients(A, "王总") == []
    profile = tracker.client_profile(A, "李阿姨")
    assert profile.open_follow_ups == [date(2026, 12, 3)]
    assert profile.summary.sentiment == "positive" and profile.summary.risk_level == "C3"
    with pytest.raises(TrackerError):
        tracker.update_note(A, 424242, sentiment="neutral")


def test_follow_up_closed_by_later_contact_and_reopened_by_undo(tracker: Tracker) -> None:
    tracker.log_note(A, note("王总", follow_up_on=date(2026, 11, 13)), at=at("2026-11-10"))
    tracker.log_note(A, note("王总", text="顺路打了个电话"), at=at("2026-11-11"))
    assert tracker.client_profile(A, "王总").open_follow_ups == [date(2026, 11, 13)]  # before due: still open
    tracker.log_note(A, note("王总", text="按约回访"), at=at("2026-11-13"))
    assert tracker.client_profile(A, "王总").open_follow_ups == []
    tracker.undo_last(A)
    assert tracker.client_profile(A, "王总").open_follow_ups == [date(2026, 11, 13)]
    tracker.log_note(A, note("王总", follow_up_on=date(2026, 12, 1)), at=at("2026-11-12"))
    assert tracker.client_profile(A, "王总").open_follow_ups == [date(2026, 12, 1)]  # new plan replaces


def test_export_csv_own_notes_only(tracker: Tracker) -> None:
    tracker.log_note(A, note("王总", text="王总, \"引号\"\n第二行", amount_cny=500_000,
                             products=["基金", "保险"]))
    tracker.log_note(A, note("李阿姨", objections=["怕亏"]))
    tracker.log_note(B, note("秘密客户"))
    out = io.StringIO()
    assert tracker.export_csv(A, out) == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert {r["client_name"] for r in rows} == {"王总", "李阿姨"}
    wang = next(r for r in rows if r["client_name"] == "王总")
    assert wang["raw_text"] == "王总, \"引号\"\n第二行" and wang["products"] == "基金|保险"
    assert wang["client_tier"] == "20万+" and wang["amount_cny"] == "500000"
    assert tracker.export_csv(999, io.StringIO()) == 0


def test_audit_records_scoped_and_filtered(tracker: Tracker) -> None:
    old = datetime(2026, 11, 1, 9, tzinfo=SHANGHAI)
    new = datetime(2026, 11, 20, 9, tzinfo=SHANGHAI)
    tracker.record_audit(AuditRecord(A, old, "objection", "offline", ["s1"], "旧回答", []))
    tracker.record_audit(AuditRecord(A, new, "knowledge", "openai", ["s2", "s3"], "新回答", ["no_guarantee"]))
    tracker.record_audit(AuditRecord(B, new, "other", "offline", [], "别人的", []))
    records = tracker.audit_records(A)
    assert [r.answer for r in records] == ["旧回答", "新回答"]
    assert records[1].at == new and records[1].source_ids == ["s2", "s3"]
    recent = tracker.audit_records(A, since=new - timedelta(days=1))
    assert [r.guardrails for r in recent] == [["no_guarantee"]]


def test_digest_subscriptions(tracker: Tracker) -> None:
    tracker.ensure_adviser(A, "Alice")
    tracker.ensure_adviser(LOCAL_ADVISER_ID)
    tracker.set_digest(B, enabled=True, at="7:05")
    assert tracker.digest_subscribers() == [(A, "08:30"), (B, "07:05")]
    tracker.set_digest(A, enabled=False)
    assert tracker.digest_subscribers() == [(B, "07:05")]
    with pytest.raises(TrackerError):
        tracker.set_digest(A, enabled=True, at="25:00")
