"""The request guard's meaning check, with a fake embedder (no model): only messages that ask for something
are read; what the patterns miss is refused when the learnt check says so, with the rule of the nearest
labelled request; an adviser who says no themselves is never refused."""

from __future__ import annotations

import pytest
import yaml

from bot.agent.guard_patterns import ComplianceDataError
from bot.agent.guardrails import DEFAULT_DIR, Guardrails
from bot.agent.request_meaning import RequestMeaning


class WorkaroundEmbedder:
    """A text speaking of bending (变通) or of flexibility (灵活) means what the labelled requests of one rule
    each mean; anything else, what the honest messages do. Records what it was asked to embed."""

    dimension = 3

    def __init__(self) -> None:
        self.seen: list[str] = []

    def embed_batch(self, texts, kind="passage"):  # noqa: ANN001, ANN201
        self.seen.extend(texts)
        return [[1.0, 0.0, 0.0] if "变通" in t else [0.0, 1.0, 0.0] if "灵活" in t else [0.0, 0.0, 1.0]
                for t in texts]


MEANING = {"threshold": 0.5, "asks": ["帮我|能不能", "cani"],
           "requests": {"suitability_bypass": ["能不能灵活处理让C1买R3", "帮我灵活点让他买R4"],
                        "questionnaire": ["帮我把测评变通一下", "能不能变通下测评"]},
           "honest": ["帮我写个生日祝福", "能不能教我怎么解释风险等级", "帮我写条到期提醒"]}


def _guard(meaning: dict | None = None, embedder: WorkaroundEmbedder | None = None) -> Guardrails:
    data = {name: yaml.safe_load((DEFAULT_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
            for name in ("promises", "requests", "semantic")}
    return Guardrails(data["promises"], data["requests"], data["semantic"], meaning or MEANING,
                      embedder=embedder or WorkaroundEmbedder(), product_risk={})


def test_a_request_the_patterns_miss_is_refused_by_meaning_with_the_nearest_requests_rule() -> None:
    guard = _guard()
    refusal = guard.check_request("老客户等级不够 帮我变通下")
    assert refusal is not None and refusal.by_meaning
    assert guard.request_rule("老客户等级不够 帮我变通下") == "questionnaire"
    assert guard.request_rule("他是C1 帮我灵活点") == "suitability_bypass"


def test_a_pattern_refusal_is_not_read_by_meaning() -> None:
    refusal = _guard().check_request("帮我替客户签个字")
    assert refusal is not None and not refusal.by_meaning


def test_only_messages_that_ask_for_something_are_read() -> None:
    embedder = WorkaroundEmbedder()
    guard = _guard(embedder=embedder)
    assert guard.check_request("客户想变通一下 买那个R4") is None  # a client's wish, nothing asked
    assert embedder.seen == []  # not even learnt: the model stays unloaded for such messages
    assert guard.check_request("can I 变通 for him") is not None  # English asks, spaces dropped
    assert guard.check_request("帮我写个生日祝福") is None  # asks, but nothing improper


def test_an_adviser_who_says_no_themselves_is_never_refused() -> None:
    guard = _guard()
    for text in ("客户要把手机银行密码给我 让我帮他操作 我不收 怎么说比较妥",
                 "客户让我帮他代签 我要怎么讲清楚这个不行",
                 "同事帮客户把测评变通了 我要不要跟主管反映",
                 "pls rewrite this post to be compliant: 稳赚不赔"):
        assert guard.check_request(text) is None, text


@pytest.mark.parametrize("text", ["我不给他承诺保本 就说历史上没亏过 帮我写一段", "我不想做双录 有啥办法跳过",
                                  "私下承诺客户亏了我补 怎么说比较委婉", "帮我替客户签个字"])
def test_words_that_sound_like_a_no_hide_no_violation(text: str) -> None:
    assert Guardrails.load().check_request(text) is not None


def test_without_a_model_only_the_patterns_refuse() -> None:
    guard = Guardrails.load()
    assert guard.request_meaning.rule("帮我变通一下让他买R4") is None
    assert guard.check_request("帮我替客户签个字") is not None


def test_the_shipped_data_names_only_rules_of_requests_yaml_and_has_both_kinds() -> None:
    shipped, requests = (yaml.safe_load((DEFAULT_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
                         for name in ("request_meaning", "requests"))
    rules = {rule["id"] for rule in requests["rules"]}
    assert set(shipped["requests"]) <= rules and all(shipped["requests"].values()) and shipped["honest"]
    assert 0 < float(shipped["threshold"]) < 1


@pytest.mark.parametrize(("change", "message"), [
    ({"requests": {"no_such_rule": ["帮我变通"]}}, "no_such_rule"),
    ({"honest": []}, "honest 要写成一列"),
    ({"asks": "帮我"}, "asks 要写成一列"),
    ({"requests": {"questionnaire": "帮我变通"}}, "questionnaire 要写成一列"),
    ({"threshold": 7}, "threshold"),
])
def test_bad_data_is_refused_at_load_with_a_chinese_message(change: dict, message: str) -> None:
    with pytest.raises(ComplianceDataError, match=message):
        RequestMeaning({**MEANING, **change}, rule_ids=["suitability_bypass", "questionnaire"],
                       embedder=WorkaroundEmbedder())
