"""Bad input never crashes; several clients split; reports vs questions; speed sanity."""

from __future__ import annotations

import random
from datetime import datetime

import pytest

from bot.tracker.parser import EmptyMessage, is_visit_report, parse_many, parse_note
from bot.tracker.text import strip_controls

NOW = datetime(2026, 3, 4, 10, 0)


@pytest.mark.parametrize("text", ["", " ", "\n\t  ", "\u3000", "\x00\x1b[31m"])
def test_empty_message_is_a_clear_error(text):
    with pytest.raises(EmptyMessage, match="empty message"):
        parse_note(text, NOW)
    assert issubclass(EmptyMessage, ValueError)


@pytest.mark.parametrize("text", [
    "王总" + "很好" * 6000 + "50万 明天",
    "🎉🔥💰 王总 👍 50万 🙏",
    "王总\x00\x01\x02\x1b[31m 50万\x7f",
    "<script>alert(1)</script><b>王总</b> **50万** [链接](http://x)",
    "）（【】《》?？!！,,,。。。",
    "9" * 5000,
    "下个月99号 13月40日 0/0 2026-13-45",
    "\ud800 孤立代理",
])
def test_never_crashes(text):
    note = parse_note(text, NOW)
    assert note.raw_text == strip_controls(text)
    assert note.sentiment in ("resistant", "neutral", "positive")


def test_random_noise_never_crashes():
    rng = random.Random(7)
    alphabet = "王总李阿姨万亿w k下周月号日1234567890.,/ 明后天不没兴趣\x00🎉"
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 80)))
        if text.strip():
            parse_note(text, NOW)


def test_long_message_keeps_leading_fields():
    note = parse_note("王总 50万 周五签。" + "流水账" * 5000, NOW)
    assert (note.client, note.amount_cny, note.follow_up_on.isoformat()) == ("王总", 500_000, "2026-03-06")


def test_parse_many_splits_per_client():
    message = "王总想买50万基金，周五签；李阿姨不感兴趣，怕亏。另外Mr. Chen 20w 理财 tomorrow再聊"
    notes = parse_many(message, NOW)
    assert [n.client for n in notes] == ["王总", "李阿姨", "Mr. Chen"]
    assert [n.amount_cny for n in notes] == [500_000, None, 200_000]
    assert [n.sentiment for n in notes] == ["positive", "resistant", "neutral"]
    assert [n.follow_up_on.isoformat() if n.follow_up_on else None for n in notes] == [
        "2026-03-06", None, "2026-03-05"]


def test_parse_many_single_client_is_one_note():
    notes = parse_many("王总 50万 周五签，王总很满意", NOW)
    assert len(notes) == 1 and notes[0].client == "王总"


@pytest.mark.parametrize("text", [
    "王总对基金很感兴趣，周五签", "李阿姨说不想买，怕亏", "见了张先生，在考虑年金",
    "Mr. Wang signed 1 million",
    "陈姐 50万 理财", "今天拜访了一个客户，他对保险有兴趣",
    "刚见完钱总，想了解基金", "和孙姐聊完了，下周再约", "周先生有意向做定投",
    # no client named, but a contact, a person, what happened and what next
    "刚跟客户喝完咖啡，她对养老年金有兴趣，但嫌收益太低，下周三再聊", "刚打完电话，他答应周五来网点",
    "Met a client today, she wants the annuity, call back Friday", "下午和一位企业主吃了饭，他想了解家族信托",
])
def test_visit_reports(text):
    assert is_visit_report(text)


@pytest.mark.parametrize("text", [
    "客户说基金风险太大怎么回？", "怎么跟客户介绍家族信托", "王总说考虑一下，我该怎么跟进？",
    "什么是增额终身寿",
    "年金和理财有什么区别？", "how do I handle 怕亏", "", "   ", "你好", "王总嫌基金费率高",
    "王总想买私募，怎么跟他说？",
    "她对养老年金有兴趣，但嫌收益太低", "和客户聊了聊，他担心亏损，我该怎么说", "刚吃完饭",
    "喝完咖啡了，准备回去",
])
def test_questions_are_not_reports(text):
    assert not is_visit_report(text)
