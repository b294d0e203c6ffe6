"""The Chinese calendar the tracker needs: when the Spring Festival falls, and dates as advisers read them."""

from __future__ import annotations

from datetime import date, timedelta

# 正月初一 (Gregorian), from the official lunar calendar; extend before 2036.
SPRING_FESTIVALS = (
    date(2025, 1, 29), date(2026, 2, 17), date(2027, 2, 6), date(2028, 1, 26), date(2029, 2, 13),
    date(2030, 2, 3), date(2031, 1, 23), date(2032, 2, 11), date(2033, 1, 31), date(2034, 2, 19),
    date(2035, 2, 8),
)
# 年后 means when work resumes after the holiday: 初八, a week after 初一
WORK_RESUMES_AFTER_DAYS = 7
WEEKDAY_NAMES = "一二三四五六日"


def after_spring_festival(today: date) -> date | None:
    """The first working day after the next Spring Festival holiday (after today), or None past the table."""
    return next((day + timedelta(days=WORK_RESUMES_AFTER_DAYS) for day in SPRING_FESTIVALS
                 if day + timedelta(days=WORK_RESUMES_AFTER_DAYS) > today), None)


def format_day(day: date, today: date | None = None) -> str:
    """12月31日（周四）; the year is shown when it is not today's year (2027年1月5日（周二）)."""
    year = "" if today is not None and day.year == today.year else f"{day.year}年"
    return f"{year}{day.month}月{day.day}日（周{WEEKDAY_NAMES[day.weekday()]}）"
