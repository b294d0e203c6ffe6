"""Whole-message cases from our own table: client, amount, sentiment and follow-up date together."""

from __future__ import annotations

import pytest

from bot.tracker.parser import parse_note
from tests.unit.tracker.parser_cases import NOW, all_cases


@pytest.mark.parametrize(("message", "client", "amount", "sentiments", "follow_up", "now"), all_cases())
def test_message_fields(message, client, amount, sentiments, follow_up, now):
    note = parse_note(message, now or NOW).as_json()
    assert note["client"] == client
    assert note["amount_cny"] == amount
    assert note["sentiment"] in sentiments
    assert note["follow_up_on"] == follow_up


def test_raw_text_is_kept_as_written_less_control_characters():
    message = "  王总\t对基金有兴趣 🎉 <b>50万</b>\x07 \x1b[31m红字\x1b[0m\n下周再约 "
    assert parse_note(message, NOW).raw_text == "  王总\t对基金有兴趣 🎉 <b>50万</b> 红字\n下周再约 "
