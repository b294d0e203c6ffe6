"""Intent routing on phrasings of our own (never the evaluation sets')."""

from __future__ import annotations

import pytest

from bot.agent.intents import classify_intent, extract_client_name
from bot.agent.reply import INTENTS

CASES = [
    ("objection", "客户老说理财产品都是坑人的，我该怎么接话？"),
    ("objection", "客户一听基金就说风险太大，怎么办"),
    ("objection", "李阿姨嫌定期利息太低，想把钱转走"),
    ("objection", "客户说要回去跟老婆商量一下，怎么回应"),
    ("objection", "遇到不信任银行的客户怎么化解"),
    ("discovery", "第一次拜访一位做外贸的老板，该问些什么？"),
    ("discovery", "刚退休的客户，怎么了解他的需求"),
    ("discovery", "和高管客户见面怎么破冰"),
    ("discovery", "年轻夫妻客户有哪些痛点，怎么问"),
    ("prep", "下午去见陈姐，帮我准备一下"),
    ("prep", "周四约了刘总，怎么聊比较好"),
    ("prep", "后天见孙先生，给我一份准备"),
    ("log", "刚拜访完周总，对家族信托挺感兴趣，300万，下周三再聊"),
    ("log", "上午跟吴阿姨通了电话，她还在犹豫，月底再联系"),
    ("log", "见了老郑，签了50万年金"),
    ("tracker", "今天该联系谁"),
    ("tracker", "下周有哪些客户要跟进？"),
    ("tracker", "赵总最近怎么样"),
    ("tracker", "我的客户里哪些是积极型的"),
    ("tracker", "看一下客户九宫格"),
    ("knowledge", "私人银行客户的门槛是多少"),
    ("knowledge", "什么是公私资产混同"),
    ("knowledge", "怎么举办一场客户沙龙"),
    ("other", "你好"),
    ("other", "谢谢！"),
]


@pytest.mark.parametrize(("expected", "text"), CASES)
def test_classify_intent(expected: str, text: str) -> None:
    assert classify_intent(text) == expected


def test_always_one_of_the_intents() -> None:
    for text in ("", "   ", "？", "🙂🙂", "x" * 5000, "<b>hi</b>", "\x00\x07"):
        assert classify_intent(text) in INTENTS


@pytest.mark.parametrize(("text", "name"), [
    ("明天见王总，帮我准备一下", "王总"),
    ("李阿姨最近怎么样？", "李阿姨"),
    ("老陈那边有消息吗", "老陈"),
    ("帮我准备和Mr. Wang的会面", "Mr. Wang"),
    ("张先生说要考虑", "张先生"),
    ("这周要跟进谁？", None),
])
def test_extract_client_name(text: str, name: str | None) -> None:
    assert extract_client_name(text) == name


@pytest.mark.parametrize("text", ["见客户之前一般要准备哪些资料？", "怎样避免优质客户流失到别家银行"])
def test_general_questions_are_not_mistaken_for_prep_or_objection(text: str) -> None:
    assert classify_intent(text) == "knowledge"


def test_prep_for_an_unnamed_client_when_asked_directly() -> None:
    assert classify_intent("等下见一个新客户，帮我准备一下") == "prep"
