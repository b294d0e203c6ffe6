"""A quoted objection from an unnamed client is coaching, never a visit note to log."""

import pytest

from bot.agent.intents import classify_intent


@pytest.mark.parametrize("text", [
    "客户总说保险都是骗人的",
    "我有个客户老是觉得银行理财不靠谱",
    "客户说要和老婆商量一下",
    "有位客户嫌大额存单利息太低",
    "很多客户担心私募跑路",
])
def test_unnamed_client_quote_is_an_objection(text: str) -> None:
    assert classify_intent(text) == "objection"


def test_named_client_report_is_still_logged() -> None:
    assert classify_intent("下午见了周阿姨，她说存款到期想买点年金，下周三再聊") == "log"
