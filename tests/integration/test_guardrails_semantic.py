"""The semantic check with the real multilingual-e5-small: promises the patterns miss, warnings that pass."""

from __future__ import annotations

import pytest

from bot.agent.guardrails import PROMISE, Guardrails

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def guard(real_model_dir) -> Guardrails:
    from knowledge.embedder import load_embedder
    from knowledge.settings import get_settings

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HF_HUB_OFFLINE", "1")
        patch.setenv("EMBEDDING_MODEL", str(real_model_dir))
        get_settings.cache_clear()
        try:
            return Guardrails.load(embedder=load_embedder(get_settings()))
        finally:
            get_settings.cache_clear()


# Worded so that no pattern in promises.yaml matches: only the meaning gives them away. (Likening a
# product to a deposit, "买它就跟把钱存银行一个样", was one of them until the patterns learnt it.)
PATTERN_MISSES = ["放心，到期本息肯定一起回来。", "出了亏损我们行来扛。"]


@pytest.mark.parametrize("sentence", PATTERN_MISSES)
def test_a_promise_the_patterns_miss_is_removed_by_meaning(guard: Guardrails, sentence: str) -> None:
    assert guard.promise_rule(sentence) is None
    result = guard.check_answer(f"期限一年。{sentence}")
    assert PROMISE in result.fired and sentence not in result.text


@pytest.mark.parametrize("sentence", [
    "不能承诺保本。",
    "理财非存款，产品有风险。",
    "业绩比较基准不代表未来表现。",
    "先了解客户的风险承受能力，再推荐产品。",
    "九宫格把客户按资产和关系分成九类。",
    "定期存款保本保息，但收益较低。",
])
def test_warnings_and_ordinary_advice_pass_with_the_model(guard: Guardrails, sentence: str) -> None:
    assert guard.check_answer(sentence).fired == ()


def test_the_check_is_learnt_once(guard: Guardrails) -> None:
    guard.meaning.learned()  # the labelled sentences are embedded here, on the first check, and never again
    calls: list[int] = []
    embed = guard.meaning.embedder.embed_batch

    def counting(texts, kind="passage"):
        calls.append(len(texts))
        return embed(texts, kind)

    guard.meaning.embedder.embed_batch = counting  # type: ignore[method-assign]
    try:
        guard.check_answer("这款产品期限一年。收益不错。先约客户见面。")
    finally:
        del guard.meaning.embedder.embed_batch
    assert calls == [2]  # the answer's two claims (the third says nothing of money), nothing else
