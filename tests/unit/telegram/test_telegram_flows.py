"""The adviser's week without friction: confirmations that point to their buttons, undo struck through with
a restore, note-or-question buttons, group notes saved in private, state kept over a restart, bursts
answered once, digest previews."""

from __future__ import annotations

import asyncio
from datetime import date

from telegram import Update

from bot.agent.tools import EMOTION_CN
from bot.telegram.app import build_application
from bot.telegram.confirmation import confirmation_text
from bot.telegram.debounce import Debouncer, join_burst
from bot.telegram.formatting import TELEGRAM_LIMIT
from bot.telegram.messages import DEBOUNCER
from bot.telegram.pending import RESTORE_TTL_S
from bot.tracker.service import SavedNote
from tests.unit.telegram.conftest import ADVISER, GROUP, OTHER_ADVISER
from tests.unit.telegram.fake_bot_api import BOT_USERNAME, FakeBotApi, Updates


def _button(tg, label: str) -> str:
    for call in reversed(tg.api.calls):
        for text, data in tg.api.buttons(call):
            if text == label:
                return data
    raise AssertionError(f"no button {label}")


def _answers(tg) -> list[str]:
    return [c.params.get("text", "") for c in tg.api.sent("answerCallbackQuery")]


def _edits(tg) -> list:
    return tg.api.sent("editMessageText")


# -- confirmations -------------------------------------------------------------------------------------

def test_a_confirmation_shows_the_weekday_and_points_to_its_buttons():
    from bot.tracker.note import ParsedNote

    note = ParsedNote(raw_text="x", client="王总", amount_cny=500_000, currency="USD",
                      follow_up_on=date(2026, 12, 31))
    saved = SavedNote(note_id=1, client_id=1, client_name="王总", created_client=False, note=note,
                      created_at=None)
    text = confirmation_text(saved, date(2026, 11, 30))
    assert "跟进：12月31日（周四）" in text and "50万美元" in text
    assert "✏️ 更正" in text and "↩️ 撤销" in text and "/undo" not in text


async def test_pressing_the_sentiment_already_set_says_so_and_posts_nothing(tg):
    await tg.say(ADVISER, "刚见完王总，想买50万理财，下周二再约")
    sends = len(tg.api.sent())
    current = EMOTION_CN[tg.agent.tracker.client_profile(ADVISER, "王总").notes[0].note.sentiment]
    await tg.send(tg.updates.callback(ADVISER, _button(tg, f"情绪：{current}")))
    assert _answers(tg)[-1] == f"已经是「{current}」"
    assert len(tg.api.sent()) == sends and _edits(tg) == []


async def test_undo_button_strikes_the_confirmation_and_restore_brings_the_note_back(tg):
    await tg.say(ADVISER, "刚见完王总，想买50万理财，下周二再约")
    await tg.send(tg.updates.callback(ADVISER, _button(tg, "↩️ 撤销")))
    struck = _edits(tg)[-1]
    assert struck.text.startswith("<s>") and "已撤销" in struck.text
    assert [label for label, _ in tg.api.buttons(struck)] == ["↩️ 恢复"]
    assert tg.agent.tracker.clients(ADVISER) == []
    await tg.send(tg.updates.callback(ADVISER, _button(tg, "↩️ 恢复")))
    assert tg.agent.tracker.client_profile(ADVISER, "王总").summary.notes_count == 1
    restored = _edits(tg)[-1]
    assert "已恢复" in restored.text and "↩️ 撤销" in dict(tg.api.buttons(restored))
    await tg.send(tg.updates.callback(ADVISER, struck.params["reply_markup"]["inline_keyboard"][0][0]
                                      ["callback_data"]))
    assert tg.agent.tracker.client_profile(ADVISER, "王总").summary.notes_count == 1  # restored once


async def test_restore_is_offered_for_a_minute_only(tg):
    await tg.say(ADVISER, "刚见完王总，想买50万理财")
    await tg.send(tg.updates.callback(ADVISER, _button(tg, "↩️ 撤销")))
    conversation = tg.app.user_data[ADVISER]["conversation"]
    for item in conversation.restorable.values():
        item.at -= RESTORE_TTL_S + 1
    await tg.send(tg.updates.callback(ADVISER, _button(tg, "↩️ 恢复")))
    assert "不能恢复" in _answers(tg)[-1]
    assert tg.agent.tracker.clients(ADVISER) == []


async def test_undo_command_strikes_the_old_confirmation(tg):
    await tg.say(ADVISER, "刚见完王总，想买50万理财")
    confirmation = tg.api.sent()[-1]
    out = await tg.say(ADVISER, "/undo")
    assert "已撤销" in out and "恢复" in out
    struck = _edits(tg)[-1]
    assert struck.params["message_id"] == confirmation.params.get("message_id", struck.params["message_id"])
    assert struck.text.startswith("<s>")


async def test_a_correction_strikes_the_old_confirmation_and_can_be_restored(tg):
    await tg.say(ADVISER, "刚见完王总，想买50万理财，下周二再约")
    await tg.send(tg.updates.callback(ADVISER, _button(tg, "✏️ 更正")))
    out = await tg.say(ADVISER, "刚见完王总，想买80万年金，下周五再约")
    assert "已更正" in out and "80万" in out
    assert _edits(tg)[-1].text.startswith("<s>") and "已更正" in _edits(tg)[-1].text
    assert tg.agent.tracker.client_profile(ADVISER, "王总").max_amount_cny == 800_000
    await tg.send(tg.updates.callback(ADVISER, _button(tg, "↩️ 恢复")))
    profile = tg.agent.tracker.client_profile(ADVISER, "王总")
    assert profile.max_amount_cny == 500_000 and profile.summary.notes_count == 1


# -- which client, note or question ---------------------------------------------------------------------

async def test_which_client_is_asked_in_chinese_and_its_buttons_go_once_answered(tg):
    await tg.say(ADVISER, "刚见完王总，想买50万理财")
    out = await tg.say(ADVISER, "/log 刚见完，客户想买年金，下周再聊")
    assert "哪位客户" in out and "Which" not in out
    await tg.say(ADVISER, "王总")
    removed = tg.api.sent("editMessageReplyMarkup")[-1]
    assert not removed.params.get("reply_markup", {}).get("inline_keyboard")
    assert tg.agent.tracker.client_profile(ADVISER, "王总").summary.notes_count == 2


AMBIGUOUS = "客户说保险都是骗人的，怎么回？"  # the test library reads it as a report and as a question


async def test_note_or_question_buttons_log_it_and_ask_for_the_client(tg):
    await tg.say(ADVISER, "刚见完王总，想买50万理财")
    out = await tg.say(ADVISER, AMBIGUOUS)
    assert "拜访记录" in out and "提问" in out and "还没有保存" in out
    await tg.send(tg.updates.callback(ADVISER, _button(tg, "📝 记录拜访")))
    assert "哪位客户" in tg.api.last_text(ADVISER)
    await tg.send(tg.updates.callback(ADVISER, _button(tg, "📝 记录拜访")))  # pressed twice: asked once
    assert "处理过" in _answers(tg)[-1]
    await tg.send(tg.updates.callback(ADVISER, _button(tg, "王总")))
    assert tg.agent.tracker.client_profile(ADVISER, "王总").summary.notes_count == 2
    assert "已记录" in tg.api.last_text(ADVISER)


async def test_note_or_question_buttons_answer_it_without_logging(tg):
    await tg.say(ADVISER, AMBIGUOUS)
    await tg.send(tg.updates.callback(ADVISER, _button(tg, "❓ 只是提问")))
    assert tg.agent.tracker.clients(ADVISER) == []
    assert "拜访记录" not in tg.api.last_text(ADVISER)
    removed = tg.api.sent("editMessageReplyMarkup")[-1]
    assert not removed.params.get("reply_markup", {}).get("inline_keyboard")


# -- groups ---------------------------------------------------------------------------------------------

async def test_a_note_in_a_group_moves_to_private_and_one_tap_saves_it(tg):
    group = await tg.say(ADVISER, f"@{BOT_USERNAME} 刚见完李总，想买100万理财", chat_id=GROUP,
                         chat_type="supergroup")
    assert "已私聊你" in group and "李总" not in group
    private = tg.api.last_text(ADVISER)
    assert "李总" in private and "还没有保存" in private
    await tg.send(tg.updates.callback(ADVISER, _button(tg, "📝 记录拜访")))
    assert tg.agent.tracker.client_profile(ADVISER, "李总").summary.notes_count == 1


async def test_a_note_in_a_group_gets_a_deep_link_when_the_bot_may_not_write_first(tg):
    blocked = {"ok": False, "error_code": 403, "description": "Forbidden: bot can't initiate conversation"}
    tg.api.failures["sendMessage"] = [(403, blocked)]
    group = await tg.say(OTHER_ADVISER, f"@{BOT_USERNAME} 刚见完赵总，想买保险", chat_id=GROUP,
                         chat_type="supergroup")
    link = group.split(f"t.me/{BOT_USERNAME}?start=")[1].split()[0]
    out = await tg.say(OTHER_ADVISER, f"/start {link}")
    assert "赵总" in out
    await tg.send(tg.updates.callback(OTHER_ADVISER, _button(tg, "📝 记录拜访")))
    assert tg.agent.tracker.client_profile(OTHER_ADVISER, "赵总").summary.notes_count == 1
    assert "处理过" in await tg.say(OTHER_ADVISER, f"/start {link}")


async def test_waiting_notes_and_buttons_survive_a_restart(tg, bot_settings):
    await tg.say(ADVISER, f"@{BOT_USERNAME} 刚见完周总，想买50万年金", chat_id=GROUP, chat_type="supergroup")
    save = _button(tg, "📝 记录拜访")
    await tg.app.update_persistence()
    api = FakeBotApi()
    restarted = build_application(bot_settings, tg.agent, request=api)
    async with restarted:
        await restarted.process_update(Update.de_json(tg.updates.callback(ADVISER, save), restarted.bot))
    assert tg.agent.tracker.client_profile(ADVISER, "周总").summary.notes_count == 1


# -- bursts, typing, digest ------------------------------------------------------------------------------

async def test_a_message_telegram_split_in_two_is_answered_once(tg):
    tg.app.bot_data[DEBOUNCER] = Debouncer(0.2)
    first = "客户说保险都是骗人的，" + "我该怎么回应比较好？" * 500
    updates = [tg.updates.message(ADVISER, first[:4096]), tg.updates.message(ADVISER, first[4096:])]
    await asyncio.gather(*(tg.send(update) for update in updates))
    answers = [c for c in tg.api.sent() if int(c.params["chat_id"]) == ADVISER]
    assert len(answers) >= 1 and all(len(c.text) <= TELEGRAM_LIMIT for c in answers)
    quoted = {c.params["reply_parameters"]["message_id"] for c in answers if c.params.get("reply_parameters")}
    assert len(quoted) == 1


def test_a_burst_is_glued_back_as_written():
    assert join_burst(["a" * 4096, "b"]) == "a" * 4096 + "b"
    assert join_burst(["刚见完王总", "想买50万理财"]) == "刚见完王总\n想买50万理财"


async def test_digest_on_sends_a_preview_even_when_nothing_is_due(tg):
    out = await tg.say(ADVISER, "/digest 09:15")
    assert "09:15" in out and "预览" in out and "今天没有到期的跟进" in out
    assert "预览" not in await tg.say(ADVISER, "/digest")  # asking the state sends no preview


def test_spreadsheet_formulas_in_notes_are_neutralised():
    from bot.telegram.export import safe_cell

    assert [safe_cell(v) for v in ("=1+1", "+86", "-5", "@x", "王总", 500_000, None)] == [
        "'=1+1", "'+86", "'-5", "'@x", "王总", 500_000, ""]


async def test_a_correction_keeps_the_currency_it_names(tg):
    await tg.say(ADVISER, "刚见完王总，想买50万理财，下周二再约")
    await tg.send(tg.updates.callback(ADVISER, _button(tg, "✏️ 更正")))
    out = await tg.say(ADVISER, "刚见完王总，想买50万美元的理财，下周二再约")
    assert "50万美元" in out
    await tg.send(tg.updates.callback(ADVISER, _button(tg, "↩️ 恢复")))
    note = tg.agent.tracker.client_profile(ADVISER, "王总").notes[0].note
    assert (note.amount_cny, note.currency) == (500_000, "CNY")


async def test_an_unreadable_state_file_does_not_stop_the_bot(bot_settings, tmp_path):
    from bot.telegram.app import STATE_FILE
    from tests.coach import build_test_agent, copy_test_library
    from tests.unit.telegram.conftest import small_knowledge

    state = bot_settings.data_dir / STATE_FILE
    state.parent.mkdir(parents=True, exist_ok=True)
    state.write_bytes(b"\x80\x04not a pickle")
    library = copy_test_library(tmp_path / "library")
    agent = build_test_agent(bot_settings, library, knowledge=small_knowledge())
    app = build_application(bot_settings, agent, request=FakeBotApi())
    async with app:
        await app.process_update(Update.de_json(Updates().message(ADVISER, "/help"), app.bot))
    agent.close()
    assert state.with_suffix(".unreadable").exists()


async def test_a_log_command_in_a_group_is_kept_for_private_too(tg):
    group = await tg.say(ADVISER, f"/log@{BOT_USERNAME} 刚见完孙总，想买年金", chat_id=GROUP,
                         chat_type="supergroup")
    assert "已私聊你" in group and "孙总" not in group
    await tg.send(tg.updates.callback(ADVISER, _button(tg, "📝 记录拜访")))
    assert tg.agent.tracker.client_profile(ADVISER, "孙总").summary.notes_count == 1
