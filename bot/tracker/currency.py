"""Currencies advisers mention next to amounts (50万美元, $200k, 30万港币); CNY unless one is named."""

from __future__ import annotations

import re

DEFAULT_CURRENCY = "CNY"
CURRENCY_NAMES = {"CNY": "元", "USD": "美元", "HKD": "港元", "EUR": "欧元", "GBP": "英镑", "JPY": "日元",
                  "AUD": "澳元", "CAD": "加元", "SGD": "新加坡元", "CHF": "瑞士法郎"}
# written after the amount (50万美元, 1m USD); the longest forms first
_AFTER = {
    "人民币": "CNY", "rmb": "CNY", "cny": "CNY", "元": "CNY", "块": "CNY",
    "美元": "USD", "美金": "USD", "刀": "USD", "usd": "USD", "us$": "USD", "dollars": "USD",
    "港币": "HKD", "港元": "HKD", "港纸": "HKD", "hkd": "HKD", "欧元": "EUR", "eur": "EUR", "euro": "EUR",
    "英镑": "GBP", "gbp": "GBP", "日元": "JPY", "日币": "JPY", "jpy": "JPY", "澳元": "AUD", "澳币": "AUD",
    "aud": "AUD", "加元": "CAD", "加币": "CAD", "cad": "CAD", "新币": "SGD", "新加坡元": "SGD", "sgd": "SGD",
    "瑞郎": "CHF", "chf": "CHF",
}
_AFTER_PATTERN = re.compile(
    r"\s*(?:的)?\s*(" + "|".join(sorted(map(re.escape, _AFTER), key=len, reverse=True)) + r")(?![A-Za-z])",
    re.I)
# written before the amount ($200k, USD 1m, 美元50万, HK$ 300万)
_BEFORE = {"$": "USD", "us$": "USD", "usd": "USD", "美元": "USD", "美金": "USD", "hk$": "HKD", "hkd": "HKD",
           "港币": "HKD", "€": "EUR", "eur": "EUR", "欧元": "EUR", "£": "GBP", "gbp": "GBP", "英镑": "GBP",
           "¥": "CNY", "￥": "CNY", "rmb": "CNY", "人民币": "CNY"}
_BEFORE_PATTERN = re.compile(
    r"(?<![A-Za-z])(" + "|".join(sorted(map(re.escape, _BEFORE), key=len, reverse=True)) + r")\s*$", re.I)


def currency_around(text: str, start: int, end: int) -> str:
    """The currency of the amount at text[start:end]: a word right after it, or a sign right before."""
    after = _AFTER_PATTERN.match(text, end)
    if after:
        return _AFTER[after[1].lower()]
    before = _BEFORE_PATTERN.search(text[max(0, start - 6):start])
    if before:
        return _BEFORE[before[1].lower()]
    return DEFAULT_CURRENCY


def format_money(amount: int | None, currency: str = DEFAULT_CURRENCY) -> str:
    """50万, 1.5亿, 3000元; other currencies by name: 50万美元, 3000港元."""
    if amount is None:
        return "-"
    name = CURRENCY_NAMES.get(currency, f" {currency}")
    if amount >= 100_000_000 and amount % 1_000_000 == 0:
        number = f"{amount / 100_000_000:g}亿"
    elif amount >= 10_000:
        number = f"{amount / 10_000:g}万"
    else:
        return f"{amount}{name}"
    return number if currency == DEFAULT_CURRENCY else f"{number}{name}"
