"""Who may use the bot, group etiquette, and keeping one adviser's clients out of groups."""

from __future__ import annotations

from bot.telegram.access import Access
from tests.unit.telegram.conftest import ADMIN, ADVISER, GROUP, STRANGER
from tests.unit.telegram.fake_bot_api import BOT_USERNAME


async def test_a_stranger_gets_one_refusal_with_their_id_and_nothing_is_stored(tg):
    out = await tg.say(STRANGER, "刚见完王总，想买50万理财")
    assert str(STRANGER) in out and "管理员" in out
    assert await tg.say(STRANGER, "/start") == ""  # one refusal, not one per message
    assert tg.agent.tracker.clients(STRANGER) == []
    assert tg.agent.tracker.audit_records(STRANGER) == []
    assert tg.api.sent("sendChatAction") == []


async def test_a_strangers_button_press_is_refused(tg):
    await tg.send(tg.updates.callback(STRANGER, "note:1:undo"))
    answer = tg.api.sent("answerCallbackQuery")[0]
    assert str(STRANGER) in answer.params["text"]


def test_nobody_is_allowed_by_default():
    empty = Access.of([], [])
    assert not empty.may_use(ADVISER) and not empty.is_admin(ADVISER)
    assert Access.of([], [ADMIN]).may_use(ADMIN)  # admins may always use the bot


async def test_in_a_group_plain_chatter_is_ignored(tg):
    assert await tg.say(ADVISER, "大家中午吃什么", chat_id=GROUP, chat_type="supergroup") == ""
    assert [c.method for c in tg.api.calls if c.method != "getMe"] == []


async def test_in_a_group_a_mention_or_a_reply_gets_an_answer(tg):
    out = await tg.say(ADVISER, f"@{BOT_USERNAME} 客户嫌收益太低，怎么回？", chat_id=GROUP,
                       chat_type="supergroup")
    assert "可以这样说" in out
    out = await tg.say(ADVISER, "那客户嫌收益低呢？", chat_id=GROUP, chat_type="supergroup",
                       reply_to_bot=True)
    assert out


async def test_a_stranger_in_a_group_is_ignored_unless_they_address_the_bot(tg):
    assert await tg.say(STRANGER, "随便聊聊", chat_id=GROUP, chat_type="group") == ""
    assert str(STRANGER) in await tg.say(STRANGER, f"@{BOT_USERNAME} 你好", chat_id=GROUP, chat_type="group")


async def test_tracker_commands_work_only_in_private(tg):
    await tg.say(ADVISER, "刚见完王总，想买50万理财")
    for command in ("/clients", f"/followups@{BOT_USERNAME}", "/client 王总", "/export", "/prep 王总"):
        out = await tg.say(ADVISER, command, chat_id=GROUP, chat_type="supergroup")
        assert "私聊" in out and "王总" not in out
    assert tg.api.sent("sendDocument") == []


async def test_a_visit_note_mentioned_in_a_group_is_not_logged_there(tg):
    out = await tg.say(ADVISER, f"@{BOT_USERNAME} 刚见完李总，想买100万理财", chat_id=GROUP,
                       chat_type="supergroup")
    assert "私聊" in out
    assert tg.agent.tracker.clients(ADVISER) == []


async def test_a_command_for_another_bot_is_ignored_in_groups(tg):
    assert await tg.say(ADVISER, "/help@some_other_bot", chat_id=GROUP, chat_type="supergroup") == ""


async def test_a_coaching_answer_in_a_group_never_uses_my_clients_data(tg):
    await tg.say(ADVISER, "/log 刚见完钱总，风险评级C2，想了解基金")
    group = await tg.say(ADVISER, f"@{BOT_USERNAME} 钱总嫌收益太低，怎么回？", chat_id=GROUP,
                         chat_type="supergroup")
    assert "可以这样说" in group and "C2" not in group and "风险等级" not in group


async def test_a_channel_post_is_ignored(tg):
    post = {"update_id": 999, "channel_post": {"message_id": 5, "date": 0, "text": "频道公告",
                                               "chat": {"id": -100999, "type": "channel", "title": "频道"}}}
    await tg.send(post)
    assert [c.method for c in tg.api.calls if c.method != "getMe"] == []
