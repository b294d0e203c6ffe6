"""English questions also search the material's Chinese vocabulary."""

from __future__ import annotations

from knowledge.glossary import expand_query


def test_english_terms_get_their_chinese_terms_longest_phrase_first():
    expanded = expand_query("How to pitch a family trust to business owners?")
    assert "家族信托" in expanded and "企业主" in expanded
    assert expanded.startswith("How to pitch a family trust")


def test_words_of_an_advisers_life_and_products_get_their_chinese_terms():
    expanded = expand_query("returnee couple just got a green card, only buys index funds")
    assert all(term in expanded for term in ("海归", "夫妻", "绿卡", "指数基金"))


def test_words_inside_other_words_do_not_match():
    assert expand_query("trustworthy fundamentals") == "trustworthy fundamentals"


def test_chinese_queries_are_left_alone():
    assert expand_query("客户嫌收益低怎么办") == "客户嫌收益低怎么办"


def test_mixed_queries_do_not_repeat_terms_already_there():
    assert expand_query("客户 client 异议 objection").count("异议") == 1


def test_synonym_groups_expand_both_ways():
    from knowledge.glossary import SynonymMap

    synonyms = SynonymMap([["转介绍", "客户推荐", "转介"], ["沙龙", "客户活动"]])
    assert synonyms.expansions("怎么让老客户做转介绍") == ["客户推荐"]  # 转介 is already in the question
    assert synonyms.expansions("办一场客户活动") == ["沙龙"]
    assert synonyms.expansions("基金定投") == []


def test_shipped_synonym_file_loads_and_pairs_course_terms_with_everyday_words():
    from knowledge.glossary import default_synonyms

    assert "沙龙" in default_synonyms().expansions("想办个客户活动")
    assert "约见" in default_synonyms().expansions("第一次面谈要准备什么")
