"""read_signal: the rule-made readings of a message, with no model."""

from __future__ import annotations

import pytest

from bot.agent.hard_signals import read_signal
from bot.agent.playbook_files import load_playbooks
from bot.tracker.parser import extract_client_name

PRODUCT_RISK = load_playbooks().product_risk


def signal_kind(text: str, *, known: str = "王总") -> str | None:
    client = extract_client_name(text)
    signal = read_signal(text, client, asks="？" in text or "怎么" in text or "咋" in text,
                         asks_leave="能不能" in text, product_risk=PRODUCT_RISK,
                         known_client=lambda name: name == known)
    return signal.kind if signal else None


@pytest.mark.parametrize(("text", "kind"), [
    ("刚见完王总，对家族信托有兴趣，下周二再约", "log"),
    ("刚见完王总 他嫌收益低 怎么回", "confirm"),
    ("客户风险等级C2 想买R4的产品", "suitability"),
    ("明天见王总 帮我准备一下", "meeting_ahead"),
    ("王姨每次聊完都说好好好 这个咋破", None),
    ("客户保单签了第8天 我能不能帮他退", None),
    ("约了三次 她一直讲“钞票还是买房子实在”", None),       # past tries, not a meeting ahead
    ("周六请我吃饭 说带两个朋友 饭桌上要注意啥", "meeting_ahead"),
    ("澳门客户吐槽“跨境理财通又要开户又要见证 好烦” 他本来有兴趣的", None),  # a meeting in his words
])
def test_signals(text: str, kind: str | None) -> None:
    assert signal_kind(text) == kind


def test_a_meeting_ahead_knows_when_the_clients_words_are_what_to_answer() -> None:
    text = "约了刘姐周五来网点 她一直说买保险不吉利 怎么回她"
    signal = read_signal(text, "刘姐", asks=True, asks_leave=False, product_risk=PRODUCT_RISK,
                         known_client=lambda name: False)
    assert signal is not None and signal.kind == "meeting_ahead" and signal.answers_quote
    plain = read_signal("约了刘姐周五来网点 帮我准备一下", "刘姐", asks=False, asks_leave=False,
                        product_risk=PRODUCT_RISK, known_client=lambda name: False)
    assert plain is not None and plain.kind == "meeting_ahead" and not plain.answers_quote
