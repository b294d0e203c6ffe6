"""Suitability answers: levels first, and an elderly client is never "可以推荐" on levels alone."""

from __future__ import annotations

from bot.agent.playbook_files import shipped_playbooks
from bot.agent.playbooks import SuitabilityAnswers
from bot.agent.suitability import SuitabilityCase, elderly_in, find_case
from bot.agent.suitability import compose_suitability as compose

PRODUCT_RISK = {"基金": "R4", "私募": "R4", "理财": "R3", "国债": "R1"}
CHINESE = shipped_playbooks().suitability["zh"]


def compose_suitability(case: SuitabilityCase | None, words: SuitabilityAnswers = CHINESE) -> str:
    assert case is not None
    return compose(case, words)


def test_age_or_words_of_65_and_over_mark_an_elderly_client() -> None:
    assert elderly_in("客户82岁 风评C4") == "82岁"
    assert elderly_in("七十多的阿姨想买基金") == "七十多"
    assert elderly_in("老太太测出来C4") == "老太太"
    assert elderly_in("客户45岁 C4") is None and elderly_in("客户C4想买R3") is None


def test_an_elderly_client_with_matching_levels_gets_look_closer_not_can_sell() -> None:
    case = find_case("客户82岁了 风评C4 想买R4的基金 能直接卖吗", PRODUCT_RISK)
    assert case is not None and case.suitable and case.elderly == "82岁"
    answer = compose_suitability(case)
    assert answer.startswith("【适当性】看情况") and "可以推荐" not in answer
    assert "双录" in answer and "高龄" in answer


def test_low_risk_for_an_elderly_client_may_be_sold_the_way_the_elderly_rules_say() -> None:
    elderly = compose_suitability(find_case("80岁的客户C2 想买国债", PRODUCT_RISK))
    assert "可以推荐" in elderly and "高龄客户（80岁）" in elderly and "双录" in elderly
    anyone = compose_suitability(find_case("客户C4想买R3理财", PRODUCT_RISK))
    assert "可以推荐" in anyone and "高龄" not in anyone


def test_an_unsuitable_elderly_case_is_refused_and_says_what_a_new_assessment_still_needs() -> None:
    answer = compose_suitability(SuitabilityCase(2, 4, "私募", None, elderly="老太太"))
    assert "不能推荐" in answer and "高龄客户（老太太）" in answer


def test_a_clients_level_written_as_an_r_is_the_clients_and_the_other_r_the_products() -> None:
    case = find_case("客户测评R2 非要买R4的基金 出了事他自己负责", PRODUCT_RISK)
    assert case is not None and (case.client_level, case.product_level) == (2, 4) and not case.suitable
    case = find_case("客户风险等级是R4 想买R3的理财", PRODUCT_RISK)
    assert case is not None and (case.client_level, case.product_level) == (4, 3) and case.suitable
    # A C level or a named type says who the client is: every R is then a product's.
    case = find_case("客户C3 测评R3的产品能买吗", PRODUCT_RISK)
    assert case is not None and (case.client_level, case.product_level) == (3, 3)
    assert find_case("这只R4的基金 客户能买吗", PRODUCT_RISK) is None  # the client's level is not given


def test_an_english_suitability_answer_refuses_in_english_with_the_same_levels() -> None:
    english = shipped_playbooks().suitability["en"]
    answer = compose_suitability(SuitabilityCase(2, 4, "private fund", None, elderly="82"), english)
    assert answer.startswith("[Suitability] The risk level of the client is C2 (cautious)")
    assert "usually rated R4" in answer and "neither recommend it nor process" in answer
    assert "elderly (82)" in answer and not any("\u4e00" <= ch <= "\u9fff" for ch in
                                                answer.replace("(双录)", "").replace("(风险测评)", ""))


def test_an_age_written_in_english_marks_an_elderly_client() -> None:
    assert elderly_in("client aged 82, C4, wants an R4 fund") == "82"
    assert elderly_in("my client is 78 years old") == "78 years old"
    assert elderly_in("client, 45-year-old engineer, C4") is None
    case = find_case("client aged 82, C4, wants an R4 基金, can I sell it", PRODUCT_RISK)
    assert case is not None and case.suitable and case.elderly == "82"


def test_a_client_insisting_on_a_fund_above_their_level_depends_on_the_product_and_the_level() -> None:
    # The securities suitability rules let a client above the lowest level buy a fund above it after a special
    # written warning; a bank wealth-management product never, nor a C1 client.
    insists = CHINESE.insists
    fund = find_case("客户测评C3 非要买R4的基金 说签字自愿", PRODUCT_RISK, insists=insists)
    assert fund is not None and fund.insists
    answer = compose_suitability(fund)
    assert answer.startswith("【适当性】看情况。") and "特别风险警示" in answer and "银行理财" in answer
    lowest = compose_suitability(find_case("客户C1 非要买R3的基金", PRODUCT_RISK, insists=insists))
    assert "不能推荐，也不能办理" in lowest
    wealth = compose_suitability(find_case("客户C2 非要买R3的理财", PRODUCT_RISK, insists=insists))
    assert "不能推荐，也不能办理" in wealth
    unnamed = compose_suitability(find_case("客户C3 非要买R4的 出了事自己担", PRODUCT_RISK, insists=insists))
    assert unnamed.startswith("【适当性】看情况。")  # which product decides: the answer says both
    asked = compose_suitability(find_case("客户C3 想买R4的基金", PRODUCT_RISK, insists=insists))
    assert "不能推荐，也不能办理" in asked  # nobody insists: not to be sold
    for nobody_insists in ("客户C2买R4基金 我帮他代签字行不行", "客户C3坚持定投R4的股票基金 能办吗",
                           "客户C3想买R4的基金 他自己担心亏"):
        case = find_case(nobody_insists, PRODUCT_RISK, insists=insists)
        assert case is not None and not case.insists, nobody_insists
    english = shipped_playbooks().suitability["en"]
    case = find_case("C2 client insists on an R4 股票基金, will sign a waiver", PRODUCT_RISK,
                     insists=english.insists)
    assert compose_suitability(case, english).startswith("[Suitability] It depends.")


def test_an_elderly_client_insisting_gets_the_elderly_rules_for_insisting_not_a_new_assessment() -> None:
    case = find_case("78岁的老太太C3 非要买R4的基金", PRODUCT_RISK, insists=CHINESE.insists)
    assert case is not None and case.insists and case.elderly
    answer = compose_suitability(case)
    assert CHINESE.insisted_elderly.format(elderly="78岁") in answer
    assert CHINESE.unsuitable_elderly.format(elderly="78岁") not in answer
    english = shipped_playbooks().suitability["en"]
    case = find_case("client aged 80, C3, insists on an R4 基金", PRODUCT_RISK, insists=english.insists)
    assert english.insisted_elderly.format(elderly="80") in compose_suitability(case, english)
