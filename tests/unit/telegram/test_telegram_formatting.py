"""Telegram HTML: escaped, split under 4096 characters at paragraph boundaries."""

from __future__ import annotations

from bot.agent.reply import Reply, Source
from bot.telegram.formatting import TELEGRAM_LIMIT, escape, passage_message, reply_messages, split_text
from tests.unit.telegram.conftest import ADVISER

COURSE = Source(title="客户经营", section="九宫格", source="uploads/003_b7087327f6cf66b7.txt", chunk_id="c1",
                text="按熟悉程度和情绪把客户分成九类。")


def test_short_text_is_one_piece():
    assert split_text("第一段。\n\n第二段。") == ["第一段。\n\n第二段。"]


def test_long_text_splits_at_paragraphs_and_keeps_everything():
    paragraphs = [f"第{i}段：" + "客户资产配置建议。" * 40 for i in range(30)]
    text = "\n\n".join(paragraphs)
    pieces = split_text(text)
    assert len(pieces) > 1
    assert all(len(escape(p)) <= TELEGRAM_LIMIT for p in pieces)
    assert "\n\n".join(pieces) == text  # split only between paragraphs: nothing lost or cut
    assert all(p.startswith("第") for p in pieces)


def test_one_huge_paragraph_is_split_by_lines_then_characters():
    huge_line = "字" * 10_000
    pieces = split_text(huge_line)
    assert "".join(pieces) == huge_line
    assert all(len(p) <= TELEGRAM_LIMIT for p in pieces)


def test_escaping_counts_against_the_limit_and_never_cuts_an_entity():
    text = "<&>" * 3000
    pieces = [escape(p) for p in split_text(text)]
    assert all(len(p) <= TELEGRAM_LIMIT for p in pieces)
    assert all(not p.endswith("&amp") and not p.endswith("&l") for p in pieces)


def test_reply_messages_escape_user_text_and_bold_only_our_header():
    reply = Reply(intent="knowledge", text="<script>alert(1)</script> & <b>x</b>", sources=[COURSE])
    html = reply_messages(reply)[0]
    assert "&lt;script&gt;" in html and "&amp;" in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert "<b>📚 出处：</b>" in html


def test_sources_show_their_label_never_a_file_name():
    html = reply_messages(Reply(intent="knowledge", text="答案", sources=[COURSE]))[0]
    assert "[1] 《客户经营》 · 九宫格" in html
    assert "003_b7087327f6cf66b7" not in html and ".txt" not in html
    shown = passage_message(COURSE.label, COURSE.text)
    assert shown == "<b>《客户经营》 · 九宫格</b>\n\n按熟悉程度和情绪把客户分成九类。"


def test_notice_comes_first():
    first = reply_messages(Reply(intent="other", text="答案"), notice="LLM 不可用")[0]
    assert first.startswith("⚠️ LLM 不可用")


async def test_hostile_input_is_escaped_end_to_end(tg):
    await tg.say(ADVISER, "刚见完<b>王总</b>&co，想买50万理财")
    for call in tg.api.sent():
        body = call.text.replace("<b>📚 出处：</b>", "")
        assert "<b>王总" not in body


async def test_a_long_answer_arrives_in_several_messages_with_the_buttons_on_the_last(tg, monkeypatch):
    long_reply = Reply(intent="knowledge", text="\n\n".join(["客户经营情况记录。" * 50] * 20),
                       sources=[COURSE])

    async def answer(*args, **kwargs):
        return long_reply

    monkeypatch.setattr(tg.agent, "aanswer", answer)
    await tg.say(ADVISER, "客户经营怎么做")
    sent = tg.api.sent()
    assert len(sent) >= 2 and all(len(c.text) <= TELEGRAM_LIMIT for c in sent)
    assert tg.api.buttons(sent[-1]) and not tg.api.buttons(sent[0])
    await tg.send(tg.updates.callback(ADVISER, tg.api.buttons(sent[-1])[0][1]))
    assert "分成九类" in tg.api.last_text(ADVISER)
    assert "分成九类" in await tg.say(ADVISER, "/source 1")
