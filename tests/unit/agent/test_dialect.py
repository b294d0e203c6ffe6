"""knowledge/dialect.yaml: each rule changes its examples and leaves its keeps alone."""

from __future__ import annotations

import pytest

from bot.agent.dialect import load_dialect_rules, standard_wording

RULES = load_dialect_rules()


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.pattern.pattern)
def test_each_rule_reads_its_examples_and_keeps_the_rest(rule) -> None:
    assert rule.examples, "every rule shows what it changes"
    for text in rule.examples:
        assert standard_wording(text, (rule,)) != text
    for text in rule.keeps:
        assert standard_wording(text, (rule,)) == text


def test_the_northwestern_sa_reads_as_sha_only_after_a_verb() -> None:
    assert standard_wording("去了聊撒") == "去了聊啥"
    assert standard_wording("渔民出海撒网 咋个说") == "渔民出海撒网 咋说"
