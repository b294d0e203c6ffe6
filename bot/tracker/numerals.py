"""Chinese numerals (五百, 三十五, 两千, 一百二十) to int; shared by dates and amounts."""

from __future__ import annotations

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUMERAL_CHARS = "".join(CN_DIGITS) + "".join(CN_UNITS) + "半"


def cn_to_int(text: str) -> int | None:
    """Value of a Chinese numeral below 万 (万/亿 are handled by the callers), or None."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    total, digit = 0, None
    for ch in text:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            total += (1 if digit is None else digit) * CN_UNITS[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


def to_number(text: str) -> float | None:
    """Arabic (with decimals) or Chinese numeral; 半 is one half."""
    if text == "半":
        return 0.5
    try:
        return float(text)
    except ValueError:
        value = cn_to_int(text)
        return float(value) if value is not None else None
