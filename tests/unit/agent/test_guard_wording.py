"""The promise patterns on the wordings a keyword list misses, and on the honest sentences next to them:
questions asked as A-not-A, deposits spoken of across clauses, warnings that the loss is the investor's,
payments already made, and words that only look like a negation ("别人")."""

from __future__ import annotations

import pytest

from bot.agent.guardrails import PROMISE, Guardrails

GUARD = Guardrails.load()


@pytest.mark.parametrize("sentence", [
    "这只理财从没亏过，以后照样不会。",          # a record carried into the future
    "这款产品不会出现本金损失的情况。",          # the loss said not to exist
    "净值绝对不会跌破1。",
    "到期本金足额返还给您。",
    "不管行情怎么走，每年照样拿到3.8%。",         # whatever the market does
    "这只基金收益是定死的，每年4%。",
    "这款理财净值不会有一点波动。",
    "这只债基就跟国债一样稳。",                  # likened to a deposit or a treasury bond
    "买它就跟把钱存银行一个样。",
    "你就说这款是个定期。",                      # telling the client it is a deposit
    "把它说成是一笔定期就行。",
    "The fund pays 4% a year no matter what.",
    "There's no way you could lose on this.",
    "行里不会让这个产品亏的。",
    "别人都说这款稳赚不赔，确实是。",            # 别人 is no 别: no negation
    "这款理财亏不亏都有银行兜着。",              # A-not-A then 都: whether or not, a promise
    "这只基金收益基本上是固定的。",
    "这款理财的回撤小到可以忽略不计。",
    "It is essentially a deposit, only the rate is higher.",
    "跟客户说“这款稳赚”就行。",                      # a claim put in the client's ears, quoted
    "呢只基金保证有5厘回报。",                       # Cantonese, no negation
    "呢只产品唔系保本，但系保证有4厘。",             # Cantonese: the promise after 但系
])
def test_promises_in_other_words_are_caught(sentence: str) -> None:
    assert GUARD.promise_rule(sentence) is not None


@pytest.mark.parametrize("sentence", [
    "这款理财会不会亏，要看持有期间的市场。",      # A-not-A: a question, not a claim
    "能不能保本，要看产品类型。",
    "基金也可能跌，买之前要想清楚。",              # a warning
    "亏损要由投资者自己承担，银行不会赔。",
    "赎回的钱已经到账了，一分不少。",              # a payment already made
    "三年期定期存款利率2%，到期本息一分不少。",     # a deposit, the claim in its next clause
    "大额存单比定期利率高一点，到期保本保息。",     # deposits compared with deposits
    "理财和定期的区别在于是否保本。",              # a comparison that likens nothing
    "保本理财早就没有了。",
    "呢只基金唔保证收益，净值有升有跌。",          # Cantonese: 唔 negates
])
def test_honest_sentences_next_to_them_pass(sentence: str) -> None:
    assert GUARD.promise_rule(sentence) is None


@pytest.mark.parametrize("sentence", [
    "本金百分之百安全，收益还比存款高。",          # something else compared with a deposit
    "存款利率太低，这个比存款强还保本。",
    "这个跟定期是一个性质，就是利息高点。",
])
def test_a_comparison_with_a_deposit_is_no_deposit_claim(sentence: str) -> None:
    assert PROMISE in GUARD.check_answer(sentence).fired


@pytest.mark.parametrize(("answer", "promises"), [
    ("亏钱？不存在的。", True),
    ("本金安全吗？放心。", True),
    ("Can I lose money? No way.", True),
    ("会亏吗？会的，净值会波动。", False),       # answered, not denied
    ("会亏吗？不好说，要看市场。", False),
    ("期限多长？放心吧，到期提醒您。", False),     # no question about losing money
])
def test_a_loss_question_answered_by_a_bare_denial_promises(answer: str, promises: bool) -> None:
    assert (PROMISE in GUARD.check_answer(answer).fired) is promises
