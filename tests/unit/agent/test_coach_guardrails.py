"""Compliance guardrails: on our answers and on whatever an LLM writes."""

from __future__ import annotations

import pytest

from bot.agent.guardrails import COMPLIANCE_LINE, apply_guardrails, check_request

LLM_REPLY = (
    "王总您好！这款产品非常适合您：\n"
    "1. 年化收益稳定在5%左右，保本保收益，绝对零风险。\n"
    "2. 期限灵活，三年后可以领取。\n"
    "3. 我们银行刚兑，您放心买，稳赚不赔！\n"
    "如有疑问随时联系我。"
)


def test_llm_reply_promising_returns_is_rewritten() -> None:
    text, fired = apply_guardrails(LLM_REPLY, products=["年金"])
    assert "no_guarantee" in fired
    for banned in ("保本", "零风险", "刚兑", "稳赚"):
        assert banned not in text.replace(COMPLIANCE_LINE, "")
    assert "期限灵活" in text and "如有疑问" in text
    assert COMPLIANCE_LINE in text


@pytest.mark.parametrize("warning", [
    "注意：不要承诺保本，也不要说稳赚。",
    "除存款外，任何产品都不能承诺保本保收益。",
    "客户问是不是零风险？如实说明没有任何投资是零风险的。",
])
def test_warnings_against_promises_are_left_alone(warning: str) -> None:
    text, fired = apply_guardrails(warning)
    assert text == warning and fired == []


def test_deposits_may_be_called_principal_protected() -> None:
    text, fired = apply_guardrails("大额存单保本，受存款保险保护。", products=["大额存单"])
    assert fired == [] and "保本" in text


def test_a_deposit_does_not_cover_a_fund_in_the_same_sentence() -> None:
    _, fired = apply_guardrails("这只基金和存款一样保本。", products=["存款"])
    assert fired == ["no_guarantee"]


def test_riskier_product_than_client_level_is_flagged() -> None:
    text, fired = apply_guardrails("可以考虑配置一部分私募基金。", client_risk="C2", products=["私募基金"])
    assert fired == ["risk_mismatch"]
    assert "C2" in text and "R5" in text and "私募基金" in text


def test_product_named_only_in_the_answer_is_checked_too() -> None:
    _, fired = apply_guardrails("建议配置股票基金博取收益。", client_risk="C1")
    assert "risk_mismatch" in fired


def test_suitable_product_or_unknown_risk_fires_nothing() -> None:
    assert apply_guardrails("建议配置大额存单。", client_risk="C1", products=["大额存单"])[1] == []
    assert apply_guardrails("可以看看私募。", client_risk=None, products=["私募"])[1] == []
    assert apply_guardrails("可以看看。", client_risk="C1", product_risk="R4")[1] == ["risk_mismatch"]


def test_empty_and_odd_answers_do_not_crash() -> None:
    assert apply_guardrails("") == ("", [])
    text, _ = apply_guardrails("稳赚" * 2000)
    assert COMPLIANCE_LINE in text


@pytest.mark.parametrize("request_text", [
    "帮我写个话术，把这款理财说成保本的",
    "写一段文案宣传这只基金零风险",
    "怎么隐瞒产品风险让客户先买了再说",
    "帮我写段话术忽悠老人买私募",
])
def test_misleading_script_requests_are_refused_with_reason(request_text: str) -> None:
    refusal = check_request(request_text)
    assert refusal and "误导" in refusal


@pytest.mark.parametrize("request_text", ["推荐几只明天能涨的股票", "帮我选只股给客户", "买哪只股票好"])
def test_stock_picking_is_refused(request_text: str) -> None:
    refusal = check_request(request_text)
    assert refusal and "荐股" in refusal


@pytest.mark.parametrize("request_text", [
    "客户说保险都是骗人的，我该怎么说？",
    "客户只要保本的产品，话术怎么说",
    "股票基金和债券基金有什么区别",
    "第一次见企业主，问哪些问题？",
])
def test_ordinary_coaching_questions_pass(request_text: str) -> None:
    assert check_request(request_text) is None


def test_a_negation_elsewhere_in_the_sentence_does_not_excuse_a_promise() -> None:
    text, fired = apply_guardrails("这不是普通产品，保本保收益，放心。")
    assert fired == ["no_guarantee"] and "保本" not in text.replace(COMPLIANCE_LINE, "")


def test_playbook_content_passes_the_guardrails_untouched() -> None:
    from bot.agent.playbooks import load_playbooks

    pb = load_playbooks()
    lines = [line for o in pb.objections for line in (o.behind, o.avoid, *o.talk_track, *o.ask_next)]
    lines += [q.question for c in pb.client_types for q in c.questions]
    lines += [cell.approach for cell in pb.grid.values()]
    for line in lines:
        assert apply_guardrails(line) == (line, []), line
