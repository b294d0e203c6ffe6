"""Promise families the batch-10 dev sentences showed: the adviser making good a loss in person, and the
principal said to still be there; the honest sentences next to them must pass."""

from __future__ import annotations

import pytest

from bot.agent.guardrails import Guardrails

GUARD = Guardrails.load()


@pytest.mark.parametrize(("family", "sentence"), [
    ("personal cover", "要是到期少了，少了的那部分我自己贴给您。"),
    ("personal cover", "真跌了，差价我个人给您垫上。"),
    ("principal still there", "放心，本钱一定还在的。"),
])
def test_a_promise_of_each_new_family_is_caught(family: str, sentence: str) -> None:
    assert GUARD.promise_rule(sentence) is not None, family


@pytest.mark.parametrize(("family", "sentence"), [
    ("cover refused", "亏了的差额银行和我都不会补，要自己承担。"),
    ("principal not promised", "本钱还在不在，要看到期时的净值。"),
])
def test_the_honest_sentence_next_to_it_passes(family: str, sentence: str) -> None:
    assert GUARD.promise_rule(sentence) is None, family


@pytest.mark.parametrize("sentence", [
    "存款保险一样覆盖这个产品，放心。", "这个产品同样受存款保险保护。", "出了事总行肯定兜着。",
])
def test_deposit_insurance_and_parent_bank_promises_are_caught(sentence: str) -> None:
    assert GUARD.promise_rule(sentence) is not None


@pytest.mark.parametrize("sentence", ["存款保险只保存款，不保理财。", "这款基金不在存款保险的范围里。"])
def test_deposit_insurance_told_straight_passes(sentence: str) -> None:
    assert GUARD.promise_rule(sentence) is None
