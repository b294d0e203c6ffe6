"""Logging a visit from Telegram: confirmation buttons (pressed twice), corrections, unknown client."""

from __future__ import annotations

from tests.unit.telegram.conftest import ADVISER, OTHER_ADVISER


def _callback(tg, label: str) -> str:
    for call in reversed(tg.api.sent()):
        for text, data in tg.api.buttons(call):
            if text == label:
                return data
    raise AssertionError(f"no button {label}")


async def _log(tg, text: str = "刚见完王总，想买50万理财，下周二再约") -> str:
    return await tg.say(ADVISER, text)


async def test_a_visit_message_is_confirmed_with_what_was_understood(tg):
    out = await _log(tg)
    for expected in ("客户：王总", "50万", "情绪", "跟进"):
        assert expected in out


async def test_undo_button_pressed_twice_removes_once(tg):
    await _log(tg)
    await _log(tg, "刚见完王总，又聊了一次，还是想买理财")
    undo = _callback(tg, "↩️ 撤销")
    await tg.send(tg.updates.callback(ADVISER, undo))
    assert tg.agent.tracker.client_profile(ADVISER, "王总").summary.notes_count == 1
    assert "已撤销" in tg.api.sent("editMessageText")[-1].text
    await tg.send(tg.updates.callback(ADVISER, undo))
    assert tg.agent.tracker.client_profile(ADVISER, "王总").summary.notes_count == 1
    assert "已经撤销" in tg.api.sent("answerCallbackQuery")[-1].params["text"]


async def test_sentiment_button_corrects_once(tg):
    await _log(tg)
    positive = _callback(tg, "情绪：积极")
    await tg.send(tg.updates.callback(ADVISER, positive))
    assert tg.agent.tracker.client_profile(ADVISER, "王总").summary.sentiment == "positive"
    edits = len(tg.api.sent("editMessageText"))
    await tg.send(tg.updates.callback(ADVISER, positive))
    assert len(tg.api.sent("editMessageText")) == edits  # nothing changed, nothing rewritten
    assert len(tg.api.sent("answerCallbackQuery")) == 2  # but every press is answered


async def test_another_advisers_button_cannot_touch_my_note(tg):
    await _log(tg)
    undo = _callback(tg, "↩️ 撤销")
    await tg.send(tg.updates.callback(OTHER_ADVISER, undo))
    assert tg.agent.tracker.client_profile(ADVISER, "王总").summary.notes_count == 1


async def test_edit_button_then_corrected_message_replaces_the_note(tg):
    await _log(tg)
    await tg.send(tg.updates.callback(ADVISER, _callback(tg, "✏️ 更正")))
    assert "更正后的完整记录" in tg.api.last_text(ADVISER)
    out = await tg.say(ADVISER, "刚见完王总，想买80万年金，下周五再约")
    assert "已更正" in out and "80万" in out
    profile = tg.agent.tracker.client_profile(ADVISER, "王总")
    assert profile.summary.notes_count == 1 and profile.max_amount_cny == 800_000


async def test_cancel_stops_a_correction(tg):
    await _log(tg)
    await tg.send(tg.updates.callback(ADVISER, _callback(tg, "✏️ 更正")))
    assert "已取消" in await tg.say(ADVISER, "/cancel")
    await tg.say(ADVISER, "客户说保险都是骗人的，怎么回？")
    assert tg.agent.tracker.client_profile(ADVISER, "王总").max_amount_cny == 500_000


async def test_unknown_client_is_asked_with_buttons_and_a_button_logs_it(tg):
    await _log(tg)
    out = await tg.say(ADVISER, "/log 刚见完，客户想买50万理财，下周再聊")
    assert "哪位客户" in out or "客户名字" in out
    choose = _callback(tg, "王总")
    await tg.send(tg.updates.callback(ADVISER, choose))
    assert tg.agent.tracker.client_profile(ADVISER, "王总").summary.notes_count == 2
    await tg.send(tg.updates.callback(ADVISER, choose))  # second press: nothing logged twice
    assert tg.agent.tracker.client_profile(ADVISER, "王总").summary.notes_count == 2
    assert "处理过了" in tg.api.sent("answerCallbackQuery")[-1].params["text"]


async def test_unknown_client_answered_by_typing_a_name(tg):
    await tg.say(ADVISER, "/log 刚聊完，客户对年金有兴趣，月底再约")
    out = await tg.say(ADVISER, "陈姐")
    assert "客户：陈姐" in out
    assert tg.agent.tracker.client_profile(ADVISER, "陈姐").summary.notes_count == 1


async def test_unknown_client_cancel_button_saves_nothing(tg):
    await tg.say(ADVISER, "/log 刚聊完，客户对年金有兴趣，月底再约")
    await tg.send(tg.updates.callback(ADVISER, _callback(tg, "取消，不记录")))
    assert tg.agent.tracker.clients(ADVISER) == []
    assert "没有保存" in tg.api.last_text(ADVISER)


async def test_forged_button_data_is_refused_politely(tg):
    await tg.send(tg.updates.callback(ADVISER, "note:abc:undo"))
    await tg.send(tg.updates.callback(ADVISER, "something-else"))
    answers = tg.api.sent("answerCallbackQuery")
    assert len(answers) == 2 and all("失效" in a.params["text"] for a in answers)
