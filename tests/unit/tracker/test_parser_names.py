"""Client names: honorifics, compound surnames, full names, 老/小, English; no false positives."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.tracker.parser import extract_client_name, parse_note

NOW = datetime(2026, 3, 4, 10, 0)

NAMED = [
    ("见了王总", "王总"), ("李阿姨说", "李阿姨"), ("张先生在考虑", "张先生"), ("陈姐买了", "陈姐"),
    ("刘哥答应", "刘哥"),
    ("赵老师觉得", "赵老师"), ("孙女士拒绝", "孙女士"), ("周总监没空", "周总监"), ("老王说", "老王"),
    ("小李同意", "小李"),
    ("王董约了", "王董"), ("黄经理来了", "黄经理"), ("欧阳总说", "欧阳总"), ("司马先生想", "司马先生"),
    ("上官女士", "上官女士"), ("诸葛先生", "诸葛先生"), ("拜访了王建国先生", "王建国先生"), ("王总监",
    "王总监"),
    ("谭董事长", "谭董事长"), ("龚总经理", "龚总经理"), ("吴小姐", "吴小姐"), ("郑叔叔", "郑叔叔"),
    ("冯太太", "冯太太"),
    ("何主任", "何主任"), ("高行长", "高行长"), ("林教授", "林教授"), ("马医生", "马医生"), ("罗律师",
    "罗律师"),
    ("梁大姐", "梁大姐"), ("跟陈姐聊了", "陈姐"), ("和王总吃饭", "王总"), ("给李阿姨打电话", "李阿姨"),
    ("Mr. Wang said", "Mr. Wang"), ("Mrs Li", "Mrs Li"), ("Ms. Chen", "Ms. Chen"), ("met Mr Zhang",
    "Mr Zhang"),
    ("客户：马女士", "马女士"), ("【周总】", "周总"), ("王 总", None), ("ｗａｎｇ", None),
    ("周六张医生来网点", "张医生"), ("周建国先生来了", "周建国先生"),
]


@pytest.mark.parametrize(("text", "expected"), NAMED)
def test_client_name(text, expected):
    assert parse_note(text, NOW).client == expected
    assert extract_client_name(text) == expected


@pytest.mark.parametrize("text", ["他总是说再看看", "总共投了50万", "首先生意不好做", "资金总额不大",
"小时候存的钱",
                                  "老公不同意", "理财小白", "小区门口见的客户", "老师推荐的", "我姐介绍的",
                                  "公司总部", "大哥大姐们", "小程序上看了", "要投诉到金融监管总局",
                                  "收了一屋子老白茶", "客户说你们小银行不安全"])
def test_no_false_positive(text):
    assert parse_note(text, NOW).client is None


@pytest.mark.parametrize(("text", "expected"), [
    ("林太约了周五来", "林太"), ("今天见了陈太，她想买基金", "陈太"), ("跟何太聊了下", "何太"),
    ("客户周太说收益太低", "周太"), ("冯太太来了", "冯太太"),
])
def test_tai_after_a_surname_is_a_name(text, expected):
    assert extract_client_name(text) == expected


@pytest.mark.parametrize("text", ["周太忙了没空见", "利率太低不想买", "金太贵了", "他太太不同意", "风险太高"])
def test_tai_meaning_too_is_no_name(text):
    assert extract_client_name(text) is None


@pytest.mark.parametrize("text", ["基金经理离职了客户要赎回", "资金经理那边说", "主任医生说要住院",
                                  "明天陪支行长去见客户", "约了一家上市公司董秘", "阳朔一个民宿老板娘 想聊聊",
                                  "开酒楼老板说生意不好", "宁夏一个酒庄老板的太太 想聊出需求",
                                  "候鸟老两口在这买了两套小房子 怎么聊"])
def test_a_word_ending_in_a_surname_is_no_name(text):
    assert extract_client_name(text) is None


def test_common_words_with_lao_are_no_names() -> None:
    from bot.tracker.parser import extract_client_name

    assert extract_client_name("下周去拜访一位退休老干部") is None
    assert extract_client_name("小两口刚结婚 怎么聊") is None
    assert extract_client_name("老高说再想想") == "老高"
    # The son who took over and his father are two clients.
    assert extract_client_name("小陈总约我聊聊") == "小陈总"
    assert extract_client_name("老陈总是十几年的老客户") == "老陈总"
    assert extract_client_name("今天见了陈总") == "陈总"


def test_whom_a_pasted_client_message_is_written_to_is_no_client() -> None:
    from bot.tracker.parser import extract_client_name

    assert extract_client_name("客户微信原话：小陈 你上次说的那个我看了 收益不高") is None
    assert extract_client_name("李姐发来：小张，你别老给我打电话") == "李姐"
    assert extract_client_name("刚见完王总 他说再想想") == "王总"
