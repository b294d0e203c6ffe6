"""Products, sentiment with negation, objections, risk level, next step."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.tracker.parser import parse_note

NOW = datetime(2026, 3, 4, 10, 0)


@pytest.mark.parametrize(("text", "products"), [
    ("王总 买了基金和保险", ["基金", "保险"]), ("李阿姨 增额终身寿", ["增额终身寿"]), ("大额存单到期",
    ["大额存单"]),
    ("教育年金", ["教育金", "年金"]), ("家族信托 私募", ["家族信托", "私募"]), ("个人养老金 国债 黄金",
    ["养老金", "国债", "黄金"]),
    ("基金定投", ["基金", "定投"]), ("fund and insurance", ["基金", "保险"]), ("聊了聊天气", []),
])
def test_products(text, products):
    assert parse_note(text, NOW).products == products


def test_english_product_words_are_whole_words() -> None:
    note = parse_note("Mr Wang: interested in Funds and a family trust, asked about a refund, trusts me", NOW)
    assert note.products == ["基金", "家族信托"]  # no trust from "trusts me", no fund from "refund"


@pytest.mark.parametrize(("text", "sentiment"), [
    ("王总对基金不感兴趣", "resistant"), ("王总对基金没兴趣", "resistant"), ("王总对基金很感兴趣",
    "positive"),
    ("王总不排斥保险", "neutral"), ("王总不反感", "neutral"), ("王总不太认可", "resistant"),
    ("王总在考虑", "neutral"),
    ("王总 积极型 在考虑", "neutral"), ("王总成交了", "positive"), ("王总没签", "resistant"),
    ("Mr. Wang not interested", "resistant"), ("Mr. Wang signed", "positive"), ("王总", "neutral"),
])
def test_sentiment(text, sentiment):
    assert parse_note(text, NOW).sentiment == sentiment


@pytest.mark.parametrize(("text", "objection"), [
    ("怕亏", "怕亏"), ("收益太低", "收益低"), ("担心流动性", "流动性"), ("要和家人商量", "要和家人商量"),
    ("回去跟老公商量", "要和家人商量"), ("不信任保险", "不信任保险"), ("手续费高", "手续费高"),
    ("已经在别的银行买了", "已有其他银行"), ("最近手头紧", "资金紧张"), ("行情不好", "市场不好"),
])
def test_objections(text, objection):
    assert objection in parse_note("王总" + text, NOW).objections


@pytest.mark.parametrize(("text", "level"), [
    ("风险评级C3", "C3"), ("风评c2", "C2"), ("C4客户", "C4"), ("风险等级R5", "C5"), ("保守型", "C1"),
    ("谨慎型", "C2"),
    ("稳健型", "C3"), ("积极型", "C4"), ("激进型", "C5"), ("没说风险", None), ("ABC3", None),
])
def test_risk_level(text, level):
    assert parse_note("王总 " + text, NOW).risk_level == level


@pytest.mark.parametrize(("text", "step"), [
    ("秦先生在考虑，下周二再联系", "下周二再联系"), ("杨总很有兴趣，周五签合同", "周五签合同"),
    ("王总 50万 后天约面谈", "后天约面谈"), ("王总答应了，回头送资料过去", "回头送资料过去"),
    ("王总拒绝了", None),
])
def test_next_step(text, step):
    assert parse_note(text, NOW).next_step == step
