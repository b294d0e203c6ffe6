"""Tiers, cadence and the familiarity x emotion grid."""

from __future__ import annotations

from datetime import date

from bot.tracker import classify
from bot.tracker.service import Tracker
from tests.unit.tracker.helpers import at, note

A = 11


def test_tier_labels_and_cadence_defaults() -> None:
    thresholds = classify.DEFAULT_TIER_THRESHOLDS_CNY
    assert classify.tier_label(None, thresholds) is None
    assert classify.tier_label(150_000, thresholds) == "<20万"
    assert classify.tier_label(200_000, thresholds) == "20万+"
    assert classify.tier_label(1_000_000, thresholds) == "100万+"
    assert classify.tier_label(60_000_000, thresholds) == "600万+"
    per_month = classify.DEFAULT_CONTACTS_PER_MONTH
    assert classify.cadence_days(None, thresholds, per_month) == 30
    assert classify.cadence_days(300_000, thresholds, per_month) == 15  # twice a month for 20万+
    assert classify.cadence_days(7_000_000, thresholds, per_month) == 7


def test_configurable_thresholds(tracker_url: str) -> None:
    tracker = Tracker(tracker_url, tier_thresholds_cny=[50_000, 500_000],
                      contacts_per_month_by_tier=[1, 3, 6])
    try:
        tracker.log_note(A, note("王总", amount_cny=600_000), at=at("2026-11-01"))
        assert tracker.clients(A)[0].tier == "50万+"
        due = tracker.due_followups(A, within_days=0, today=date(2026, 11, 6))
        assert [(d.reason, d.due_on) for d in due] == [("cadence", date(2026, 11, 6))]
    finally:
        tracker.close()


def test_due_lists_follow_ups_and_cadence(tracker: Tracker) -> None:
    tracker.log_note(A, note("王总", amount_cny=500_000), at=at("2026-11-01"))  # 20万+: every 15 days
    tracker.log_note(A, note("李阿姨"), at=at("2026-11-10"))  # unknown assets: monthly
    tracker.log_note(A, note("陈姐", follow_up_on=date(2026, 11, 18)), at=at("2026-11-15"))
    due = tracker.due_followups(A, within_days=3, today=date(2026, 11, 20))
    assert [(d.client.name, d.reason, d.due_on, d.overdue_days) for d in due] == [
        ("王总", "cadence", date(2026, 11, 16), 4),
        ("陈姐", "follow_up", date(2026, 11, 18), 2),
    ]
    assert due[1].follow_up_id is not None and due[1].last_note
    assert tracker.due_followups(A, within_days=0, today=date(2026, 11, 2)) == []
    later = tracker.due_followups(A, within_days=7, today=date(2026, 12, 5))
    assert {d.client.name for d in later} == {"王总", "李阿姨", "陈姐"}


def test_grid_from_history_and_latest_feeling(tracker: Tracker) -> None:
    tracker.log_note(A, note("新客户", sentiment="resistant"), at=at("2026-11-01"))
    for day, feeling in (("2026-09-01", "positive"), ("2026-10-01", "neutral"), ("2026-11-01", "positive")):
        tracker.log_note(A, note("老客户", sentiment=feeling), at=at(day))
    tracker.log_note(A, note("熟人", sentiment="resistant"), at=at("2026-11-01"))
    tracker.log_note(A, note("熟人", sentiment="neutral"), at=at("2026-11-05"))
    grid = tracker.grid(A)
    assert len(grid) == 9
    names = {key: [c.name for c in cell] for key, cell in grid.items() if cell}
    assert names == {("new", "resistant"): ["新客户"], ("close", "positive"): ["老客户"],
                     ("acquainted", "resistant"): ["熟人"]}


def test_holdings_make_a_client_known(tracker: Tracker) -> None:
    tracker.log_note(A, note("王总", amount_cny=3_000_000), at=at("2026-11-01"))
    assert tracker.clients(A)[0].familiarity == "acquainted"
