"""Amounts only where they are amounts, bounded; currencies; names before a colon; outcomes read as
positive; month end on its last day; 年后; dates with weekdays."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.tracker.cn_calendar import after_spring_festival, format_day
from bot.tracker.currency import format_money
from bot.tracker.parser import parse_note
from bot.tracker.text import csv_cell, strip_controls

NOW = datetime(2026, 3, 4, 10, 0)


@pytest.mark.parametrize(("text", "rejected"), [
    ("王总 -500万 想买基金", "-500万"), ("王总有1e30元", "1e30元"), ("王总 两千亿亿 存款", "两千亿亿"),
    ("王总他有999999999999999999999元", "999999999999999999999"), ("王总 5万亿", "5万亿"),
])
def test_implausible_amounts_are_rejected_and_the_rest_kept(text, rejected):
    note = parse_note(text, NOW)
    assert note.amount_cny is None and note.rejected_amounts == [rejected]
    assert note.client == "王总" and rejected in note.amount_warning()
    assert "没有记录金额" in note.amount_warning()


@pytest.mark.parametrize("text", ["王总在3m外的咖啡店等我", "王总\x1b[31m说不想买\x1b[0m",
                                  "王总 电话13800138000",
                                  "王总卡号6222021234567890123", "王总住500m远的小区"])
def test_numbers_that_are_not_amounts(text):
    note = parse_note(text, NOW)
    assert note.amount_cny is None and note.rejected_amounts == [] and note.amount_warning() is None


def test_a_plausible_amount_after_a_rejected_one_counts():
    note = parse_note("王总 -500万 亏了，现在还有200万", NOW)
    assert note.amount_cny == 2_000_000 and note.rejected_amounts == ["-500万"]


@pytest.mark.parametrize(("text", "amount", "currency"), [
    ("王总 50万美元 海外配置", 500_000, "USD"), ("王总 $200k fund", 200_000, "USD"),
    ("王总 30万港币", 300_000, "HKD"), ("王总 USD 1m", 1_000_000, "USD"),
    ("王总 5万 美元 保单", 50_000, "USD"),
    ("王总 10万欧元", 100_000, "EUR"), ("王总 50万", 500_000, "CNY"), ("王总 3000元", 3000, "CNY"),
])
def test_currency_is_kept(text, amount, currency):
    note = parse_note(text, NOW)
    assert (note.amount_cny, note.currency) == (amount, currency)
    assert note.as_json()["currency"] == currency


@pytest.mark.parametrize(("text", "client"), [
    ("建华总：钱已经转过来了", "建华总"), ("Tony: 50w fund next Tue", "Tony"), ("阿强：想了解基金", "阿强"),
    ("今天：见了王总", "王总"), ("备注：李阿姨说不想买", "李阿姨"), ("Update: Mr. Li bought 1m", "Mr. Li"),
    ("小美：买了10万", "小美"), ("收益：太低", None), ("原因：怕亏", None), ("Plan: call Friday", None),
    ("结论：下周再约王总", "王总"),
])
def test_client_named_before_a_colon(text, client):
    assert parse_note(text, NOW).client == client


@pytest.mark.parametrize("text", [
    "王总同意了，先配置一部分", "刘姐钱已经到账了", "陈总让我给他推荐几只基金", "何姐问有没有稳一点的产品",
    "许总 追加 已打款", "马女士打算拿出800万做信托", "Mr. Li agreed to the plan", "Ms. Wu paid the premium",
    "卢总 2亿 想做全权委托",
])
def test_positive_outcomes(text):
    assert parse_note(text, NOW).sentiment == "positive"


@pytest.mark.parametrize("text", [
    "王总还没打款，在犹豫", "王总没同意", "王总不想买了", "王总说钱已经转到别家了", "王总已经买了别家的理财",
    "刘哥说没问题，但要再想想", "王总说好的，回头再说",
])
def test_negated_outcomes_are_not_positive(text):
    assert parse_note(text, NOW).sentiment != "positive"


def test_month_end_on_its_last_day_is_today():
    assert parse_note("孟先生 月底再联系", datetime(2026, 11, 30, 16)).follow_up_on == date(2026, 11, 30)
    assert parse_note("孟先生 月底再联系", datetime(2026, 12, 30, 16)).follow_up_on == date(2026, 12, 31)


def test_after_new_year_means_after_the_spring_festival():
    assert parse_note("熊总 年后再约", datetime(2026, 12, 20, 9)).follow_up_on == date(2027, 2, 13)
    assert parse_note("熊总 两年后再说", datetime(2026, 12, 20, 9)).follow_up_on == date(2028, 12, 20)
    assert after_spring_festival(date(2027, 2, 13)) == date(2028, 2, 2)
    assert after_spring_festival(date(2040, 1, 1)) is None


def test_format_day_with_weekday():
    assert format_day(date(2026, 12, 31), today=date(2026, 11, 30)) == "12月31日（周四）"
    assert format_day(date(2027, 1, 5), today=date(2026, 11, 30)) == "2027年1月5日（周二）"
    assert format_day(date(2026, 3, 9)) == "2026年3月9日（周一）"


def test_format_money_names_the_currency():
    assert format_money(500_000) == "50万"
    assert format_money(500_000, "USD") == "50万美元"
    assert format_money(150_000_000) == "1.5亿" and format_money(3000) == "3000元"
    assert format_money(None) == "-"


def test_edge_text_helpers():
    assert strip_controls("a\x00b\x1b[31mc\x1b]0;title\x07d\x9b31me\x85\tf\ng\r\n") == "abcde\tf\ng\n"
    assert [csv_cell(v) for v in ("=1+1", "+86", "-5", "@SUM(A1)", "王总", 5, None)] == [
        "'=1+1", "'+86", "'-5", "'@SUM(A1)", "王总", "5", ""]


def test_words_ending_in_old_are_not_clients() -> None:
    from bot.tracker.parser import extract_client_name

    assert extract_client_name("客户想把养老钱拿来买基金") is None
    assert extract_client_name("刚见完老王 聊得不错") == "老王"
