"""Money amounts in integer yuan: 50万, 1.5亿, 五百万, 2个亿, 20w, 500k, "1 million", 每月5000, 1,000,000."""

from __future__ import annotations

import re

from bot.tracker.numerals import CN_NUMERAL_CHARS, to_number

_NUM = rf"(?:\d+(?:\.\d+)?|[{CN_NUMERAL_CHARS}]+)"
_UNIT_VALUES = {"亿": 10**8, "千万": 10**7, "百万": 10**6, "万": 10**4, "w": 10**4, "k": 10**3,
                "m": 10**6, "million": 10**6, "mn": 10**6, "mio": 10**6, "thousand": 10**3, "千": 10**3}

_YI_WAN = re.compile(
    rf"(?<![\d.{CN_NUMERAL_CHARS}])(\d+(?:\.\d+)?|[{CN_NUMERAL_CHARS}]+)\s*个?亿\s*(\d+|[{CN_NUMERAL_CHARS}]+)\s*万")
_WITH_UNIT = re.compile(
    rf"(?<![\d.A-Za-z{CN_NUMERAL_CHARS}])({_NUM})\s*个?\s*(亿|千万|百万|万|(?i:million|thousand|mio|mn|w|k|m)(?![A-Za-z]))")
# a bare number counts when money words surround it (每月5000, 投了3000元)
_CONTEXT_BEFORE = re.compile(
    r"(?:每月|每年|月缴|年缴|年交|月交|月投|每期|定投|投了?|买了?|存了?|缴|配置了?|追加了?|打款|转入了?|认购了?|"
    r"申购了?|金额|预算|保费|首付)\s*(\d+(?:\.\d+)?)(?![\d.%％年岁号日月点个天周期千万亿wWkKmM])")
_THOUSAND_YUAN = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*千\s*(?:元|块|多|左右)")
_CONTEXT_AFTER = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(?:元|块钱?|(?i:rmb|cny|yuan)(?![A-Za-z]))")
_BIG_BARE = re.compile(r"(?<![\d.A-Za-z/\-])(\d{5,9})(?![\d.%年岁号日月点/\-])")
MAX_AMOUNTS = 50  # bounds the work on pathological messages; the first amount is what counts
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


def normalize_amount_text(text: str) -> str:
    """Drop thousand separators (1,000,000); callers pass NFKC text."""
    return _THOUSANDS.sub("", text)


def _value(num: str, unit: str) -> int | None:
    number = to_number(num)
    if number is None:
        return None
    return int(round(number * _UNIT_VALUES[unit.lower()]))


def find_amounts(text: str) -> list[tuple[int, int]]:
    """All amounts as (position, yuan), in order of appearance. `text` should be NFKC-normalized."""
    text = normalize_amount_text(text)
    found: list[tuple[int, int]] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, value: int | None) -> None:
        if len(found) >= MAX_AMOUNTS or value is None or value <= 0:
            return
        if any(s < end and start < e for s, e in taken):
            return
        taken.append((start, end))
        found.append((start, value))

    for m in _YI_WAN.finditer(text):
        yi, wan = to_number(m.group(1)), to_number(m.group(2))
        if yi is not None and wan is not None:
            add(m.start(), m.end(), int(round(yi * 10**8 + wan * 10**4)))
    for m in _WITH_UNIT.finditer(text):
        num, unit = m.group(1), m.group(2)
        if unit == "千" or (unit.lower() == "m" and "." not in num and len(num) > 3):
            continue
        if not num[0].isdigit() and unit.lower() not in ("亿", "千万", "百万", "万"):
            continue
        add(m.start(), m.end(), _value(num, unit))
    for m in _THOUSAND_YUAN.finditer(text):
        add(m.start(), m.end(), int(round(float(m.group(1)) * 1000)))
    for pattern in (_CONTEXT_AFTER, _CONTEXT_BEFORE, _BIG_BARE):
        for m in pattern.finditer(text):
            add(m.start(1), m.end(1), int(round(float(m.group(1)))))
    found.sort()
    return found


def first_amount(text: str) -> int | None:
    amounts = find_amounts(text)
    return amounts[0][1] if amounts else None
