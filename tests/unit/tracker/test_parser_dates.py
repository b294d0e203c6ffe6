"""Follow-up dates against the message time, across week, month and year ends."""

from __future__ import annotations

from datetime import date

import pytest

from bot.tracker.dates import follow_up_date

WED = date(2026, 3, 4)
DEC_SUN = date(2026, 12, 20)
JAN_FRI = date(2026, 1, 30)
FEB_END = date(2026, 2, 27)
NYE = date(2026, 12, 31)

CASES = [
    ("明天", WED, date(2026, 3, 5)), ("明早十点", WED, date(2026, 3, 5)), ("后天", WED, date(2026, 3, 6)),
    ("大后天", WED, date(2026, 3, 7)), ("周五", WED, date(2026, 3, 6)), ("星期五", WED, date(2026, 3, 6)),
    ("礼拜五", WED, date(2026, 3, 6)), ("周三", WED, date(2026, 3, 11)), ("周一", WED, date(2026, 3, 9)),
    ("下周二", WED, date(2026, 3, 10)), ("下星期五", WED, date(2026, 3, 13)), ("下礼拜一",
    WED, date(2026, 3, 9)),
    ("这周五", WED, date(2026, 3, 6)), ("本周六", WED, date(2026, 3, 7)), ("周末", WED, date(2026, 3, 7)),
    ("下下周一", WED, date(2026, 3, 16)), ("下周", WED, date(2026, 3, 9)),
    ("下个月10号", WED, date(2026, 4, 10)), ("下月3日", WED, date(2026, 4, 3)),
    ("下个月31号", WED, date(2026, 4, 30)), ("12月3日", WED, date(2026, 12, 3)),
    ("12月3日", DEC_SUN, date(2027, 12, 3)), ("12月25号", DEC_SUN, date(2026, 12, 25)),
    ("1月5日", DEC_SUN, date(2027, 1, 5)), ("12/15", WED, date(2026, 12, 15)), ("1/8",
    DEC_SUN, date(2027, 1, 8)),
    ("2026-05-01", WED, date(2026, 5, 1)), ("2027年1月2日", WED, date(2027, 1, 2)),
    ("3.15号", WED, date(2026, 3, 15)), ("月底", WED, date(2026, 3, 31)), ("月底", NYE, date(2026, 12, 31)),
    ("月底", date(2026, 11, 30), date(2026, 11, 30)),
    ("年后", date(2026, 12, 20), date(2027, 2, 13)), ("过完年", date(2027, 2, 8), date(2027, 2, 13)),
    ("春节后", date(2027, 2, 14), date(2028, 2, 2)), ("两年后", WED, date(2028, 3, 4)),
    ("月初", WED, date(2026, 4, 1)), ("下月底", WED, date(2026, 4, 30)), ("年底", WED, date(2026, 12, 31)),
    ("4月底", WED, date(2026, 4, 30)), ("三个月后", WED, date(2026, 6, 4)), ("三个月后",
    DEC_SUN, date(2027, 3, 20)),
    ("两周后", WED, date(2026, 3, 18)), ("两周后", DEC_SUN, date(2027, 1, 3)), ("10天后",
    WED, date(2026, 3, 14)),
    ("半个月后", WED, date(2026, 3, 19)), ("一年后", WED, date(2027, 3, 4)), ("过几天",
    WED, date(2026, 3, 7)),
    ("tomorrow", WED, date(2026, 3, 5)), ("Tomorrow", NYE, date(2027, 1, 1)), ("next Tuesday",
    WED, date(2026, 3, 10)),
    ("on Friday", WED, date(2026, 3, 6)), ("in 2 weeks", WED, date(2026, 3, 18)), ("in 3 days",
    WED, date(2026, 3, 7)),
    ("next week", WED, date(2026, 3, 9)), ("next month", WED, date(2026, 4, 1)),
    ("4月15日以后", WED, date(2026, 4, 15)), ("明天", JAN_FRI, date(2026, 1, 31)), ("后天",
    JAN_FRI, date(2026, 2, 1)),
    ("下周五", JAN_FRI, date(2026, 2, 6)), ("下个月10号", JAN_FRI, date(2026, 2, 10)),
    ("后天", FEB_END, date(2026, 3, 1)), ("明天", NYE, date(2027, 1, 1)), ("下周一", NYE, date(2027, 1, 4)),
    ("下个月", DEC_SUN, date(2027, 1, 1)), ("一个月后", date(2026, 1, 31), date(2026, 2, 28)),
    ("１２月３日", WED, date(2026, 12, 3)), ("15号回来", WED, date(2026, 3, 15)),
    ("3号", WED, date(2026, 4, 3)),
    ("过两个月再说", WED, date(2026, 5, 4)), ("过3天", WED, date(2026, 3, 7)), ("5号楼", WED, None),
]


@pytest.mark.parametrize(("text", "today", "expected"), CASES)
def test_follow_up_date(text, today, expected):
    assert follow_up_date(text, today) == expected


@pytest.mark.parametrize("text", ["今天见的", "昨天签了", "上午聊的", "收益4.5%", "3年期", "投200万", "C3",
                                  "60岁", "下午3点", "总共3000万"])
def test_no_future_date(text):
    assert follow_up_date(text, WED) is None
