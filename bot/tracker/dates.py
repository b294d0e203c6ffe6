"""Follow-up dates said the way advisers say them, resolved against the message time.

Only dates after the message day count as follow-ups (今天/昨天/上周五 describe the visit itself)."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from bot.tracker.cn_calendar import after_spring_festival
from bot.tracker.numerals import CN_NUMERAL_CHARS, to_number

_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "末": 5, "1": 0, "2": 1,
             "3": 2, "4": 3, "5": 4, "6": 5, "7": 6}
_EN_WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
# the lookbehind keeps a long digit run from being retried at every position (quadratic)
_N = rf"(?<![\d{CN_NUMERAL_CHARS}])(\d+|[{CN_NUMERAL_CHARS}]+)"


def _add_months(day: date, months: int, day_of_month: int | None = None) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day_of_month or day.day, last))


def _month_end(day: date) -> date:
    return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def _safe_date(year: int, month: int, day: int) -> date | None:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _month_day(today: date, month: int, day: int) -> date | None:
    """12月3日 said on December 20 means next year's."""
    resolved = _safe_date(today.year, month, day)
    if resolved is not None and resolved < today:
        resolved = _safe_date(today.year + 1, month, day)
    return resolved


def _weekday(today: date, weekday: int, week_offset: int | None) -> date:
    if week_offset is None:  # 周五: the next one after today
        delta = (weekday - today.weekday()) % 7 or 7
        return today + timedelta(days=delta)
    monday = today - timedelta(days=today.weekday()) + timedelta(weeks=week_offset)
    return monday + timedelta(days=weekday)


def _relative(today: date, n: float, unit: str) -> date:
    unit = unit.lower()
    if unit in ("天", "日", "day", "days"):
        return today + timedelta(days=round(n))
    if unit in ("周", "星期", "礼拜", "week", "weeks"):
        return today + timedelta(days=round(n * 7))
    if unit in ("月", "month", "months"):
        if n == 0.5:
            return today + timedelta(days=15)
        return _add_months(today, round(n))
    return _add_months(today, round(n * 12))


_RULES: list[tuple[re.Pattern[str], object]] = []


def _rule(pattern: str, flags: int = 0):
    def register(func):
        _RULES.append((re.compile(pattern, flags), func))
        return func
    return register


@_rule(r"(\d{4})\s*[年/\-.]\s*(\d{1,2})\s*[月/\-.]\s*(\d{1,2})\s*[日号]?")
def _full(today, m):
    return _safe_date(int(m[1]), int(m[2]), int(m[3]))


@_rule(rf"(下个?|本|这个?)月\s*(?:的)?\s*{_N}\s*[号日]")
def _month_rel_day(today, m):
    day = to_number(m[2])
    return _add_months(today, 1 if m[1].startswith("下") else 0, int(day)) if day else None


@_rule(rf"(?<![\d年{CN_NUMERAL_CHARS}])(\d{{1,2}}|[{CN_NUMERAL_CHARS}]{{1,3}})\s*月\s*(?:份\s*)?"
       rf"(\d{{1,2}}|[{CN_NUMERAL_CHARS}]{{1,4}})\s*[日号]")
def _cn_month_day(today, m):
    month, day = to_number(m[1]), to_number(m[2])
    return _month_day(today, int(month), int(day)) if month and day else None


@_rule(r"(?<![\d./\-])(\d{1,2})\s*[/.]\s*(\d{1,2})(?![\d%万亿wWkK个])(?:\s*[号日])?")
def _slash(today, m):
    if m[0].find(".") >= 0 and not m[0].endswith(("号", "日")):
        return None  # 3.15 alone is more often a number than a date
    return _month_day(today, int(m[1]), int(m[2]))


@_rule(rf"(?<![\d月个{CN_NUMERAL_CHARS}])(\d{{1,2}}|[{CN_NUMERAL_CHARS}]{{1,3}})\s*月\s*(?:份\s*)?(底|末|初|中)")
def _month_part(today, m):
    month = to_number(m[1])
    if not month or not 1 <= month <= 12:
        return None
    day = {"初": 1, "中": 15}.get(m[2])
    first = _month_day(today, int(month), 1)
    if first is None:
        return None
    if day is None:
        result = _month_end(first)
        return result if result >= today else _month_end(date(first.year + 1, first.month, 1))
    return date(first.year, first.month, day) if date(first.year, first.month, day) > today else \
        date(first.year + 1, first.month, day)


@_rule(r"(下个?月|本月|这个月|月)\s*(底|末|初|中旬|中)")
def _month_edge(today, m):
    offset = 1 if m[1].startswith("下") else 0
    if m[2] in ("初",):
        return _add_months(today, 1 if m[1] == "月" else offset, 1) if offset or m[1] == "月" else \
            today.replace(day=1)
    if m[2].startswith("中"):
        return _add_months(today, offset, 15)
    end = _month_end(_add_months(today.replace(day=1), offset))
    # 月底 said on the last day is today (not yet passed), not next month's end
    return end if end >= today else _month_end(_add_months(today.replace(day=1), 1))


@_rule(r"年底|年末")
def _year_end(today, m):
    return date(today.year, 12, 31)


@_rule(r"(?<![\d一二两三四五六七八九十百半几个多])(?:年后|年後)|过完年|过了年|春节后|春节以后|春节之后|春节过后")
def _after_new_year(today, m):
    return after_spring_festival(today)


@_rule(r"大后天|大後天")
def _in_three(today, m):
    return today + timedelta(days=3)


@_rule(r"(?<![以之然])后天")
def _in_two(today, m):
    return today + timedelta(days=2)


@_rule(r"明天|明日|明早|明晚|明儿|明上午|明下午")
def _tomorrow(today, m):
    return today + timedelta(days=1)


@_rule(r"(下下|下个?|这个?|本|)(?:周|星期|礼拜)\s*([一二三四五六日天末1-7])")
def _cn_weekday(today, m):
    offset = {"下下": 2, "下": 1, "下个": 1, "这": 0, "这个": 0, "本": 0}.get(m[1])
    return _weekday(today, _WEEKDAYS[m[2]], offset)


@_rule(r"(下下|下个?)(?:周|星期|礼拜)(?![一二三四五六日天末1-7])")
def _next_week(today, m):
    return _weekday(today, 0, 2 if m[1] == "下下" else 1)


@_rule(r"下个?月(?![\d底末初中" + CN_NUMERAL_CHARS + "])")
def _next_month(today, m):
    return _add_months(today, 1, 1)


@_rule(rf"{_N}\s*(?:个)?\s*(天|周|星期|礼拜|月|年)\s*(?:以?后|之后|过后)")
def _cn_relative(today, m):
    n = to_number(m[1])
    return _relative(today, n, m[2]) if n else None


@_rule(rf"过\s*{_N}\s*(?:个)?\s*(天|周|星期|礼拜|月|年)")
def _after_cn(today, m):
    n = to_number(m[1])
    return _relative(today, n, m[2]) if n else None


@_rule(r"(?<![\d月/.\-])(\d{1,2})\s*号(?![楼线院码])")
def _day_of_month(today, m):
    """15号 alone: this month's if still ahead, else next month's."""
    day = int(m[1])
    if not 1 <= day <= 31:
        return None
    this_month = _add_months(today.replace(day=1), 0, day)
    return this_month if this_month > today else _add_months(today.replace(day=1), 1, day)


@_rule(r"半\s*个?\s*(月|年)\s*(?:以?后|之后)")
def _half(today, m):
    return _relative(today, 0.5, m[1])


@_rule(r"过(?:几|两)天|过些天|改天")
def _few_days(today, m):
    return today + timedelta(days=3)


@_rule(r"(?<![A-Za-z])day after tomorrow(?![A-Za-z])", re.I)
def _en_two(today, m):
    return today + timedelta(days=2)


@_rule(r"(?<![A-Za-z])(?:tomorrow|tmrw?)(?![A-Za-z])", re.I)
def _en_tomorrow(today, m):
    return today + timedelta(days=1)


@_rule(r"(?<![A-Za-z])(?:(next|this|on)\s+)?(mon|tue|wed|thu|fri|sat|sun)"
       r"(?:day|sday|nesday|rsday|urday)?(?![A-Za-z])", re.I)
def _en_weekday(today, m):
    prefix = (m[1] or "").lower()
    return _weekday(today, _EN_WEEKDAYS[m[2].lower()], {"next": 1, "this": 0}.get(prefix))


@_rule(r"(?<![A-Za-z])in\s+(\d+|a|one|two|three|four|six)\s+(day|week|month|year)s?(?![A-Za-z])", re.I)
def _en_relative(today, m):
    words = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "six": 6}
    n = float(words.get(m[1].lower(), m[1]) if m[1].lower() in words else m[1])
    return _relative(today, n, m[2])


@_rule(r"(?<![A-Za-z])next (week|month)(?![A-Za-z])", re.I)
def _en_next(today, m):
    return _weekday(today, 0, 1) if m[1].lower() == "week" else _add_months(today, 1, 1)


MAX_DATES = 50  # per rule; bounds the overlap checks on pathological messages


def find_dates(text: str, today: date) -> list[tuple[int, int, date]]:
    """Every date expression as (start, end, date), non-overlapping, earlier rules winning ties."""
    spans: list[tuple[int, int, date]] = []
    for pattern, resolve in _RULES:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e, _ in spans):
                continue
            try:
                value = resolve(today, m)
            except (ValueError, OverflowError, KeyError, TypeError):
                value = None
            if value is not None:
                spans.append((m.start(), m.end(), value))
            if len(spans) >= MAX_DATES:
                break
    spans.sort()
    return spans


_PERIOD_ENDS = ("底", "末")


def is_ahead(text: str, span: tuple[int, int, date], today: date) -> bool:
    """A follow-up date: after the message day, or a month/year end said on that very day (月底 on
    November 30th is today, not yet passed)."""
    start, end, value = span
    return value > today or (value == today and text[start:end].endswith(_PERIOD_ENDS))


def follow_up_date(text: str, today: date) -> date | None:
    """The first date after the message day (or a period end that is today), or None."""
    for span in find_dates(text, today):
        if is_ahead(text, span, today):
            return span[2]
    return None
