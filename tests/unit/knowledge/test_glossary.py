"""English questions also search the material's Chinese vocabulary."""

from __future__ import annotations

from knowledge.glossary import expand_query


def test_english_terms_get_their_chinese_terms_longest_phrase_first():
    expanded = expand_query("How to pitch a family trust to business owners?")
    assert "家族信托" in expanded and "企业主" in expanded
    assert expanded.startswith("How to pitch a family trust")


def test_words_inside_other_words_do_not_match():
    assert expand_query("trustworthy fundamentals") == "trustworthy fundamentals"


def test_chinese_queries_are_left_alone():
    assert expand_query("客户嫌收益低怎么办") == "客户嫌收益低怎么办"


def test_mixed_queries_do_not_repeat_terms_already_there():
    assert expand_query("客户 client 异议 objection").count("异议") == 1
