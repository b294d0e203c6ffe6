"""What the bot waits for (a note's client, a correction) is kept per note, expires, and is never lost
to a second message or a failing Telegram call."""

from __future__ import annotations

import pytest
from telegram.error import TimedOut

from bot.telegram.formatting import EMPTY_ANSWER, plain_messages
from bot.telegram.pending import EDIT_TTL_S, PENDING_TTL_S, Conversation, reply_kind
from bot.telegram.sending import with_retries
from tests.unit.telegram.conftest import ADVISER, GROUP
from tests.unit.telegram.fake_bot_api import BOT_USERNAME


def test_pending_notes_are_kept_apart_taken_once_and_expire():
    conversation = Conversation()
    first = conversation.add_pending("刚聊完，客户想买年金", ["王总"], now=0)
    second = conversation.add_pending("刚聊完，客户想买基金", ["王总"], now=1)
    assert conversation.take_pending(first.id, now=2).text.endswith("年金")
    assert conversation.take_pending(first.id, now=3) is None and conversation.was_handled(first.id)
    assert conversation.latest_pending(now=PENDING_TTL_S + 10) is None  # expired
    assert not conversation.was_handled(second.id)


def test_a_correction_waits_only_ten_minutes():
    conversation = Conversation()
    conversation.start_edit(7, now=0)
    assert conversation.take_edit(now=EDIT_TTL_S + 1) is None
    conversation.start_edit(7, now=0)
    assert conversation.take_edit(now=60) == 7 and conversation.take_edit(now=61) is None


@pytest.mark.parametrize(("text", "kind"), [
    ("陈姐", "name"), ("张建国", "name"), ("Mr. Wang", "name"), ("王总", "name"),
    ("取消", "cancel"), ("算了", "cancel"),
    ("好的", None), ("谢谢", None), ("王总是谁？", None), ("刚见完李总，想买基金，下周再约", None),
])
def test_what_a_reply_to_which_client_means(text, kind):
    assert reply_kind(text, ["王总"]) == kind


def _button(tg, label: str, call_index: int = -1) -> str:
    calls = [c for c in tg.api.sent() if tg.api.buttons(c)]
    return dict(tg.api.buttons(calls[call_index]))[label]


async def test_a_second_unnamed_note_does_not_drop_the_first(tg):
    await tg.say(ADVISER, "刚见完王总，想买50万理财")
    await tg.say(ADVISER, "/log 刚聊完，客户想买年金，月底再约")
    await tg.say(ADVISER, "/log 刚聊完，客户想买基金，下周再约")
    first_choice = _button(tg, "王总", call_index=-2)
    await tg.send(tg.updates.callback(ADVISER, first_choice))
    notes = tg.agent.tracker.client_profile(ADVISER, "王总").notes
    assert any("年金" in n.note.raw_text for n in notes)


async def test_a_failing_button_answer_does_not_lose_the_note(tg):
    await tg.say(ADVISER, "刚见完王总，想买50万理财")
    await tg.say(ADVISER, "/log 刚聊完，客户想买年金，月底再约")
    tg.api.failures["answerCallbackQuery"] = [(400, {"ok": False, "error_code": 400,
                                                     "description": "Bad Request: query is too old"})]
    await tg.send(tg.updates.callback(ADVISER, _button(tg, "王总")))
    assert tg.agent.tracker.client_profile(ADVISER, "王总").summary.notes_count == 2
    assert "出了点问题" not in tg.api.last_text(ADVISER)


async def test_an_expired_correction_leaves_the_old_note_alone(tg):
    await tg.say(ADVISER, "刚见完王总，想买50万理财")
    note_id = tg.agent.tracker.client_profile(ADVISER, "王总").notes[0].note_id
    tg.app.user_data[ADVISER]["conversation"].editing = (note_id, -EDIT_TTL_S * 2)
    await tg.say(ADVISER, "刚见完李总，想买基金")
    assert tg.agent.tracker.client_profile(ADVISER, "王总").max_amount_cny == 500_000
    assert tg.agent.tracker.client_profile(ADVISER, "李总") is not None


async def test_cancel_words_answer_the_which_client_question(tg):
    await tg.say(ADVISER, "/log 刚聊完，客户想买年金，月底再约")
    assert "没有保存" in await tg.say(ADVISER, "算了")
    assert tg.agent.tracker.clients(ADVISER) == []


async def test_a_mention_of_another_bot_with_a_longer_name_is_not_ours(tg):
    out = await tg.say(ADVISER, f"@{BOT_USERNAME}2 客户嫌收益低怎么回", chat_id=GROUP, chat_type="supergroup")
    assert out == ""


async def test_business_messages_are_not_answered(tg):
    update = tg.updates.message(ADVISER, "刚见完王总，想买50万理财", business_connection_id="bc1")
    await tg.send(update)
    assert tg.api.sent() == [] and tg.agent.tracker.clients(ADVISER) == []


def test_an_empty_answer_is_never_sent_empty():
    assert plain_messages("  ") == [EMPTY_ANSWER]


async def test_a_send_that_timed_out_is_not_sent_twice():
    attempts = []

    async def send():
        attempts.append(1)
        raise TimedOut()

    with pytest.raises(TimedOut):
        await with_retries(send, idempotent=False, backoff_s=0)
    assert len(attempts) == 1
