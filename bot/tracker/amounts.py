"""Money amounts in integer units: 50万, 1.5亿, 五百万, 2个亿, 20w, 500k, "1 million", 每月5000, 1,000,000.

An amount is read only where it is one (a unit, a currency or a money word next to the number), and
only when it is plausible: negative, scientific-notation and out-of-range amounts are rejected and
reported as written, so the caller can say so and keep the rest of the note."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from bot.tracker.currency import currency_around
from bot.tracker.numerals import CN_NUMERAL_CHARS, to_number

MAX_AMOUNT = 100_000_000_000  # 1000亿: above this a number is a typo or a joke, not a client's money
_NUM = rf"(?:\d+(?:\.\d+)?|[{CN_NUMERAL_CHARS}]+)"
_UNIT_VALUES = {"亿": 10**8, "千万": 10**7, "百万": 10**6, "万": 10**4, "w": 10**4, "k": 10**3,
                "m": 10**6, "million": 10**6, "mn": 10**6, "mio": 10**6, "thousand": 10**3, "千": 10**3,
                "billion": 10**9, "bn": 10**9}
_MINUS = "-−－"

_YI_WAN = re.compile(
    rf"(?<![\d.{CN_NUMERAL_CHARS}])(\d+(?:\.\d+)?|[{CN_NUMERAL_CHARS}]+)\s*个?亿\s*(\d+|[{CN_NUMERAL_CHARS}]+)\s*万")
# "3m外" / "500m远" are distances, not millions; 万亿 / 亿亿 stack
_WITH_UNIT = re.compile(
    rf"(?<![\d.A-Za-z{CN_NUMERAL_CHARS}])({_NUM})\s*个?\s*(亿|千万|百万|万|"
    r"(?i:million|billion|thousand|mio|mn|bn|w|k|m)(?![A-Za-z外远处内高长宽深米]))((?:\s*[万亿])*)")
# a bare number counts when money words surround it (每月5000, 投了3000元)
_CONTEXT_BEFORE = re.compile(
    r"(?:每月|每年|月缴|年缴|年交|月交|月投|每期|定投|投了?|买了?|存了?|缴|配置了?|追加了?|打款|转入了?|认购了?|"
    r"申购了?|金额|预算|保费|首付)\s*(\d+(?:\.\d+)?)(?![\d.%％年岁号日月点个天周期千万亿wWkKmMeE])")
_THOUSAND_YUAN = re.compile(r"(?<![\d.A-Za-z])(\d+(?:\.\d+)?)\s*千\s*(?:元|块|多|左右)")
_CONTEXT_AFTER = re.compile(
    r"(?<![\d.A-Za-z])(\d+(?:\.\d+)?)\s*(?:元|块钱?|美元|美金|港币|港元|欧元|英镑|"
    r"(?i:rmb|cny|yuan|usd|hkd|eur|gbp)(?![A-Za-z]))")
_CURRENCY_SIGN = re.compile(r"(?:[$€£¥￥]|(?i:usd|hkd|rmb|us\$|hk\$))\s*(\d+(?:\.\d+)?)(?![\d.%万亿wWkKmM])")
_BIG_BARE = re.compile(r"(?<![\d.A-Za-z/\-])(\d{5,9})(?![\d.%年岁号日月点/\-])")
# 1e30元 / 2E6 万: never a real amount, always rejected
_SCIENTIFIC = re.compile(
    r"(?<![\dA-Za-z.])\d+(?:\.\d+)?[eE][+\-]?\d+\s*(?:元|块|万|亿|w|k|m|(?i:rmb|cny|usd|yuan))?")
MAX_AMOUNTS = 50  # bounds the work on pathological messages; the first amount is what counts
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


@dataclass
class AmountScan:
    found: list[tuple[int, int, str]] = field(default_factory=list)  # (position, amount, currency)
    rejected: list[str] = field(default_factory=list)  # implausible amounts, as written


def normalize_amount_text(text: str) -> str:
    """Drop thousand separators (1,000,000); callers pass NFKC text."""
    return _THOUSANDS.sub("", text)


def _value(num: str, unit: str, stacked: str = "") -> float | None:
    number = to_number(num)
    if number is None:
        return None
    value = number * _UNIT_VALUES[unit.lower()]
    for extra in stacked.replace(" ", ""):
        value *= _UNIT_VALUES[extra]
    return value


def scan_amounts(text: str) -> AmountScan:
    """Every amount as (position, amount, currency) in order of appearance, plus the rejected ones.
    `text` should be NFKC-normalized."""
    text = normalize_amount_text(text)
    scan = AmountScan()
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, value: float | None) -> None:
        if len(scan.found) + len(scan.rejected) >= MAX_AMOUNTS or value is None:
            return
        if any(s < end and start < e for s, e in taken):
            return
        before = text[start - 2] if start >= 2 else " "
        negative = start > 0 and text[start - 1] in _MINUS and not (before.isascii() and before.isalnum())
        if negative:
            start -= 1
        taken.append((start, end))
        if negative or not math.isfinite(value) or value > MAX_AMOUNT:
            written = text[start:end].strip()
            scan.rejected.append(written if len(written) <= 24 else written[:23] + "…")
        elif value > 0:
            scan.found.append((start, int(round(value)), currency_around(text, start, end)))

    for m in _SCIENTIFIC.finditer(text):
        add(m.start(), m.end(), math.inf)
    for m in _YI_WAN.finditer(text):
        yi, wan = to_number(m.group(1)), to_number(m.group(2))
        if yi is not None and wan is not None:
            add(m.start(), m.end(), yi * 10**8 + wan * 10**4)
    for m in _WITH_UNIT.finditer(text):
        num, unit = m.group(1), m.group(2)
        if unit == "千" or (unit.lower() == "m" and "." not in num and len(num) > 3):
            continue
        if not num[0].isdigit() and unit.lower() not in ("亿", "千万", "百万", "万"):
            continue
        add(m.start(), m.end(), _value(num, unit, m.group(3)))
    for m in _THOUSAND_YUAN.finditer(text):
        add(m.start(), m.end(), float(m.group(1)) * 1000)
    for pattern in (_CONTEXT_AFTER, _CURRENCY_SIGN, _CONTEXT_BEFORE, _BIG_BARE):
        for m in pattern.finditer(text):
            add(m.start(1), m.end(1), float(m.group(1)))
    scan.found.sort()
    return scan


def find_amounts(text: str) -> list[tuple[int, int]]:
    """All plausible amounts as (position, amount), in order of appearance."""
    return [(position, value) for position, value, _ in scan_amounts(text).found]


def first_amount(text: str) -> int | None:
    amounts = find_amounts(text)
    return amounts[0][1] if amounts else None
