"""Client matching, isolation between advisers, bad input."""

from __future__ import annotations

import pytest

from bot.tracker.service import ClientRequired, Tracker, TrackerError
from tests.unit.tracker.helpers import note

A, B = 101, 202


def test_same_client_despite_spaces_and_width(tracker: Tracker) -> None:
    first = tracker.log_note(A, note("王总"))
    second = tracker.log_note(A, note("王 总"))
    third = tracker.log_note(A, note("王\u3000总"))
    fourth = tracker.log_note(A, note("Ｍｒ. Wang"))
    fifth = tracker.log_note(A, note("mr wang"))
    assert first.created_client and not second.created_client and not third.created_client
    assert first.client_id == second.client_id == third.client_id
    assert fourth.client_id == fifth.client_id != first.client_id
    assert [c.notes_count for c in tracker.find_clients(A, "王总")] == [3]


def test_similar_titles_are_different_clients(tracker: Tracker) -> None:
    ids = {tracker.log_note(A, note(name)).client_id for name in ("王总", "王总监", "老王")}
    assert len(ids) == 3
    assert [c.name for c in tracker.find_clients(A, "王总")] == ["王总"]


def test_find_clients_exact_first_then_alias(tracker: Tracker) -> None:
    tracker.log_note(A, note("王总"))
    tracker.log_note(A, note("Mr. Wang"))
    tracker.add_alias(A, "王总", "Mr Wang")
    found = tracker.find_clients(A, "mr. wang")
    assert [c.name for c in found] == ["Mr. Wang", "王总"]
    assert tracker.find_clients(A, "") == []


def test_alias_routes_new_notes(tracker: Tracker) -> None:
    wang = tracker.log_note(A, note("王总"))
    tracker.add_alias(A, "王总", "Wang Zong")
    assert tracker.log_note(A, note("wang zong")).client_id == wang.client_id
    assert tracker.client_profile(A, "王总").aliases == ["Wang Zong"]


def test_advisers_never_see_each_other(tracker: Tracker) -> None:
    mine = tracker.log_note(A, note("王总", amount_cny=5_000_000))
    theirs = tracker.log_note(B, note("王总"))
    assert mine.client_id != theirs.client_id
    assert [c.notes_count for c in tracker.clients(A)] == [1]
    assert tracker.client_profile(B, "王总").max_amount_cny is None
    assert tracker.find_clients(B, "李阿姨") == []
    assert tracker.delete_note(B, mine.note_id) is False
    with pytest.raises(TrackerError):
        tracker.update_note(B, mine.note_id, sentiment="positive")
    assert tracker.client_profile(A, "王总").summary.notes_count == 1
    assert tracker.undo_last(B).note_id == theirs.note_id
    assert tracker.clients(B) == []
    assert len(tracker.clients(A)) == 1


@pytest.mark.parametrize("text", ["", "   ", "\n\t "])
def test_empty_message_saves_nothing(tracker: Tracker, text: str) -> None:
    with pytest.raises(TrackerError):
        tracker.log_note(A, note("王总", text=text))
    assert tracker.clients(A) == []


def test_no_client_requires_a_name(tracker: Tracker) -> None:
    with pytest.raises(ClientRequired):
        tracker.log_note(A, note(None, text="今天聊得不错"))
    with pytest.raises(ClientRequired):
        tracker.log_note(A, note(None, text="今天聊得不错"), client_name="  ")
    assert tracker.clients(A) == []
    saved = tracker.log_note(A, note(None, text="今天聊得不错"), client_name="陈姐")
    assert saved.client_name == "陈姐" and saved.created_client


def test_odd_text_is_stored_as_is_less_control_characters(tracker: Tracker) -> None:
    text = "王总 😀 <b>加仓</b> \x00\x07\x1b[2J tab\t\n" + "很长" * 6000
    kept = "王总 😀 <b>加仓</b>  tab\t\n" + "很长" * 6000
    saved = tracker.log_note(A, note("王总", text=text, next_step="\x1b[31m周五\x9b再约"))
    stored = tracker.client_profile(A, "王总").notes[0].note
    assert stored.raw_text == kept and saved.note.raw_text == kept
    assert stored.next_step == "周五再约"


def test_bad_fields_rejected(tracker: Tracker) -> None:
    with pytest.raises(TrackerError):
        tracker.log_note(A, note("王总", sentiment="angry"))
    with pytest.raises(TrackerError):
        tracker.log_note(A, note("王总", risk_level="R9"))
    saved = tracker.log_note(A, note("王总"))
    with pytest.raises(TrackerError):
        tracker.update_note(A, saved.note_id, colour="red")
    with pytest.raises(TrackerError):
        tracker.update_note(A, saved.note_id, raw_text=" ")
    assert tracker.clients(A)[0].notes_count == 1
