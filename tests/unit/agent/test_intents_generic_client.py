"""Intent edge cases: an unnamed client's quoted objection is coaching, not a note to log; a question
about the course's method is not a question about my clients."""

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


@pytest.mark.parametrize(("text", "intent"), [
    ("什么是九宫格客户分类？", "knowledge"),
    ("抗拒型客户是什么意思", "knowledge"),
    ("客户怎么分类？", "knowledge"),
    ("哪些客户是抗拒型的？", "tracker"),
    ("给我看看我的客户九宫格", "tracker"),
    ("王总是什么情况", "tracker"),
])
def test_a_question_about_the_method_is_not_a_question_about_my_clients(text, intent):
    assert classify_intent(text) == intent
