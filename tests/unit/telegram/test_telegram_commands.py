"""Each command through the real Application with Telegram's HTTP faked."""

from __future__ import annotations

import csv
import io
import re

from openpyxl import load_workbook

from bot.telegram.app import COMMANDS, _post_init
from tests.unit.telegram.conftest import ADVISER, OTHER_ADVISER


async def test_set_my_commands_registers_the_menu(tg):
    await _post_init(tg.app)
    call = tg.api.sent("setMyCommands")[0]
    assert [c["command"] for c in call.params["commands"]] == [name for name, _ in COMMANDS]


async def test_start_and_help_list_the_commands(tg):
    out = await tg.say(ADVISER, "/start")
    assert "/prep" in out and "/digest" in out
    assert "/followups" in await tg.say(ADVISER, "/help")


async def test_every_answer_is_html_and_shows_typing(tg):
    await tg.say(ADVISER, "客户说基金风险太大，只买保本的，怎么回？")
    assert tg.api.sent("sendChatAction")[0].params["action"] == "typing"
    assert all(c.params["parse_mode"] == "HTML" for c in tg.api.sent())


async def test_free_text_question_gets_a_coached_answer(tg):
    out = await tg.say(ADVISER, "客户说回去跟老婆商量，怎么办")
    assert "可以这样说" in out and "家人" in out


async def test_ask_without_a_question_shows_usage(tg):
    assert "用法" in await tg.say(ADVISER, "/ask")


async def test_log_command_saves_a_note_with_buttons(tg):
    out = await tg.say(ADVISER, "/log 刚见完王总，对家族信托有兴趣，准备500万，下周二再约")
    assert "王总" in out and "500万" in out
    labels = [label for label, _ in tg.api.buttons(tg.api.sent()[-1])]
    assert "↩️ 撤销" in labels and "✏️ 更正" in labels
    assert tg.agent.tracker.client_profile(ADVISER, "王总").summary.notes_count == 1


async def test_clients_client_and_followups(tg):
    await tg.say(ADVISER, "刚见完李阿姨，怕亏，不想买基金，明天再联系")
    assert "李阿姨" in await tg.say(ADVISER, "/clients")
    assert "李阿姨" in await tg.say(ADVISER, "/client 李阿姨")
    assert "李阿姨" in await tg.say(ADVISER, "/followups")
    assert "没有" in await tg.say(ADVISER, "/client 不存在的人")


async def test_followups_answers_when_nothing_is_due(tg):
    assert "没有到期或逾期" in await tg.say(ADVISER, "/followups")


async def test_prep_uses_the_tracker(tg):
    await tg.say(ADVISER, "刚见完王总，嫌收益低，想再看看，下周五再约")
    out = await tg.say(ADVISER, "/prep 王总")
    assert "王总" in out and "开场" in out
    assert "用法" in await tg.say(ADVISER, "/prep")


async def test_export_sends_only_my_clients_as_xlsx_and_csv_with_chinese_headers(tg):
    await tg.say(ADVISER, "刚见完王总，想买50万的理财和年金，下周二再约")
    await tg.say(ADVISER, "刚见完=HYPERLINK(1)，聊了聊")
    await tg.say(OTHER_ADVISER, "刚见完赵总，想买保险")
    await tg.say(ADVISER, "/export")
    xlsx, csv_file = tg.api.sent("sendDocument")[-2:]
    assert xlsx.files["document"][0].endswith(".xlsx") and csv_file.files["document"][0].endswith(".csv")
    raw = csv_file.files["document"][1]
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:2] == ["客户", "层级"] and "拜访时间" in rows[0]
    wang = next(row for row in rows if row[0] == "王总")
    visited = wang[rows[0].index("拜访时间")]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", visited)
    assert "、" in wang[rows[0].index("产品")]
    assert not any("赵总" in cell for row in rows for cell in row)
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    sheet = load_workbook(io.BytesIO(xlsx.files["document"][1])).active
    assert [cell.value for cell in sheet[1]][:2] == ["客户", "层级"]
    assert sheet.max_row == len(rows)
    assert all(not str(cell.value or "").startswith("=") for row in sheet.iter_rows() for cell in row)


async def test_export_with_no_notes_says_so(tg):
    assert "没有拜访记录" in await tg.say(ADVISER, "/export")
    assert tg.api.sent("sendDocument") == []


async def test_undo_removes_the_last_note(tg):
    await tg.say(ADVISER, "刚见完王总，想买50万理财")
    assert "已撤销" in await tg.say(ADVISER, "/undo")
    assert tg.agent.tracker.client_profile(ADVISER, "王总") is None
    assert "没有可以撤销" in await tg.say(ADVISER, "/undo")


async def test_cancel_with_nothing_pending(tg):
    assert "没有进行中的操作" in await tg.say(ADVISER, "/cancel")


async def test_digest_on_off_and_time(tg):
    assert "提醒：开，每天 08:30" in await tg.say(ADVISER, "/digest")
    assert "已关闭" in await tg.say(ADVISER, "/digest off")
    assert "提醒：关" in await tg.say(ADVISER, "/digest")
    assert "07:45" in await tg.say(ADVISER, "/digest 7:45")
    assert "用法" in await tg.say(ADVISER, "/digest 25:99")


async def test_unknown_command_gets_help(tg):
    assert "/prep" in await tg.say(ADVISER, "/nonsense")


async def test_clients_come_as_text_and_as_a_picture(tg):
    await tg.say(ADVISER, "刚见完李阿姨，怕亏，不想买基金，明天再联系")
    out = await tg.say(ADVISER, "/clients")
    assert "李阿姨" in out
    photo = tg.api.sent("sendPhoto")[-1]
    assert photo.files["photo"][1].startswith(b"\x89PNG")


async def test_clients_without_any_client_send_no_picture(tg):
    await tg.say(ADVISER, "/clients")
    assert tg.api.sent("sendPhoto") == []
