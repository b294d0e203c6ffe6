"""Client names as advisers write them: 王总, 李阿姨, 欧阳总, 老王, 小李, 王建国先生, Mr. Wang."""

from __future__ import annotations

import re

COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "司徒",
                     "夏侯", "长孙", "宇文", "端木", "独孤", "南宫", "西门", "轩辕")
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季"
    "裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄"
    "窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池"
    "查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆"
    "朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫"
    "杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧"
    "闭由")
# strong surnames may start a full name (王建国先生); ordinary words like 和/向/于 may not
_WEAK_STARTS = set("和向于时成全国明平信来都那由但元利干计相初门花海强支位南高金文安常方师")
HONORIFICS = tuple(  # longest first so 王总监 is not 王总
    "董事长 总经理 总监 总裁 阿姨 叔叔 大爷 大妈 奶奶 爷爷 老师 老板 先生 女士 小姐 太太 经理 主任 局长 "
    "处长 科长 校长 院长 行长 教授 医生 律师 博士 大姐 大哥 总 董 姐 哥 叔 姨 伯 嫂".split())
_FULL_NAME_HONORIFICS = ("先生", "女士", "小姐", "老师", "医生", "律师", "教授")
_HONORIFIC_RE = re.compile("|".join(HONORIFICS))
_AFTER_ZONG_NOT_NAME = set("额共计体之算结部量数值局")  # 总局: 金融监管总局 names no 管总
_XIAN_WORDS = ("首先", "原先", "事先", "预先", "优先", "争先", "抢先", "率先", "领先", "起先", "早先", "祖先")
_OLD_YOUNG_RE = re.compile(r"([老小])([\u4e00-\u9fff])")
_NOT_OLD_YOUNG = tuple(
    "小时 小于 小区 小白 小米 小康 老是 小金库 小程序 老百姓 小心 小额 老路子 小微 老年 小孩 小朋友 "
    "老公 老婆 老家 老板 老师 小学 老乡 小车 小伙 小单 老干部 老同学 老同事 老客户 老人 老伴 老两口 小两口 "
    "小夫妻 老领导 老战友 老邻居 老朋友 小区 老白茶 老茶 老酒 小银行 小店 小生意 小产品 小房子 小户型 "
    "小卖部 小吃".split())
# 老 ending a word (养老钱, 敬老院, 古老) is no 老王-style name: the character before it makes the word.
_WORD_BEFORE_OLD_YOUNG = set("养敬防古元长告大从最缩胆细矮弱")
_NOT_IN_GIVEN_NAME = set("的了和跟与是说在对给")
_BEFORE_FULL_NAME = set("了见访约和跟与给位户")
# 林太 (Mrs Lin, as Hong Kong and Guangdong advisers write it): 太 after a surname, unless it is "too"
# (利率太低, 周太忙). Only where a name can start: at the start, after punctuation or a linking word.
_TAI_RE = re.compile(r"([\u4e00-\u9fff])太(?!太)")
_TOO_WHAT = set("低高多少贵便宜大小慢快忙累难好差远近久早晚了过能会可急紧烦麻复杂重轻热冷长短老年贪吓")
_BEFORE_TAI_NAME = _BEFORE_FULL_NAME | set("帮找问陪把让请被是跟")
_ENGLISH_RE = re.compile(r"(?<![A-Za-z])(Mr|Mrs|Ms|Miss|Mx|Dr|Madam)(?![A-Za-z])\.?\s*([A-Z][a-z]+)")
_CJK = re.compile(r"[\u4e00-\u9fff]")


# Words ending in a surname character: 基金经理 is a fund manager, not a 金经理; 公司董秘 is a company's
# board secretary, not a 司董; 民宿老板娘 runs a guesthouse, and is no 宿老板; 酒庄老板 owns a winery.
_WORDS_ENDING_IN_SURNAME = ("基金", "资金", "现金", "黄金", "美金", "租金", "本金", "奖金", "押金", "定金",
                            "薪金", "主任", "公司", "民宿", "酒楼", "茶楼", "酒庄", "农庄", "山庄", "饭庄",
                            "村庄", "钱庄")
# A surname character and an honorific that make a title: 支行长 is the adviser's branch head.
_TITLES = ("支行长",)
# 周 is a surname and a week: "周六张医生来" is Dr Zhang on Saturday, not a 周六张.
_WEEKDAY_RE = re.compile(r"周[一二三四五六日天末]")


def _name_before(text: str, hon_start: int, honorific: str) -> int | None:
    """Start index of the name that ends right before an honorific, or None."""
    if hon_start >= 2 and text[hon_start - 2:hon_start] in COMPOUND_SURNAMES:
        return hon_start - 2
    if honorific in _FULL_NAME_HONORIFICS:
        for length in (3, 4):  # 王建国 / 王国 + 先生: a strong surname then one or two given-name chars
            start = hon_start - length + 1
            if start >= 0 and text[start] in SURNAMES and text[start] not in _WEAK_STARTS \
                    and not _WEEKDAY_RE.match(text, start) \
                    and all(_CJK.match(ch) and ch not in _NOT_IN_GIVEN_NAME for ch in text[start:hon_start]) \
                    and (start == 0 or not _CJK.match(text[start - 1])
                         or text[start - 1] in _BEFORE_FULL_NAME):
                return start
    if hon_start >= 1 and text[hon_start - 1] in SURNAMES \
            and text[max(0, hon_start - 2):hon_start] not in _WORDS_ENDING_IN_SURNAME \
            and not text.startswith(_TITLES, hon_start - 1):
        return hon_start - 1
    return None


# A client's message pasted by the adviser opens with whom it is written to: "客户原话：小陈 你上次说的…"
# names the adviser (or a colleague), not a client.
_QUOTE_OPENER_RE = re.compile(r"(原话|微信|消息|留言|回复|发来|发我|说)[:：]\s*$")
_YOU_AFTER_RE = re.compile(r"[\s,，、]*[你您]")


def _addressed(text: str, start: int, end: int) -> bool:
    """The name at text[start:end] is the one a quoted message is written to."""
    return bool(_QUOTE_OPENER_RE.search(text[:start]) and _YOU_AFTER_RE.match(text, end))


def find_names(text: str) -> list[tuple[int, str]]:
    """Every client name as (position, name as written), in order of appearance."""
    found: list[tuple[int, int, str]] = []
    for m in _ENGLISH_RE.finditer(text):
        title = m[1] + ("." if m[0][len(m[1]):].startswith(".") else "")
        found.append((m.start(), m.end(), f"{title} {m[2]}"))
    for m in _HONORIFIC_RE.finditer(text):
        honorific, end = m[0], m.end()
        if honorific == "总" and end < len(text) and text[end] in _AFTER_ZONG_NOT_NAME:
            continue
        start = _name_before(text, m.start(), honorific)
        if start is None:
            continue
        if honorific == "先生" and text[m.start() - 1:m.start() + 1] in _XIAN_WORDS:
            continue
        if start > 0 and text[start - 1] in "小老" and m.start() - start == 1 \
                and (start == 1 or text[start - 2] not in _WORD_BEFORE_OLD_YOUNG):
            start -= 1  # 小陈总 (the son who took over) and 老陈总 (his father) are two clients
        found.append((start, end, text[start:end]))
    for m in _TAI_RE.finditer(text):
        start, end = m.start(), m.end()
        if m[1] not in SURNAMES or (end < len(text) and text[end] in _TOO_WHAT):
            continue
        if start == 0 or not _CJK.match(text[start - 1]) or text[start - 1] in _BEFORE_TAI_NAME:
            found.append((start, end, m[0]))
    for m in _OLD_YOUNG_RE.finditer(text):
        if m[2] not in SURNAMES or any(text.startswith(w, m.start()) for w in _NOT_OLD_YOUNG):
            continue
        if m.start() > 0 and text[m.start() - 1] in _WORD_BEFORE_OLD_YOUNG:
            continue
        end = m.end()
        if end < len(text) and _HONORIFIC_RE.match(text, end):
            continue  # 小王总 -> the honorific form wins
        found.append((m.start(), end, m[0]))
    found = [item for item in found if not _addressed(text, item[0], item[1])]
    found.sort(key=lambda item: (item[0], -(item[1] - item[0])))
    result: list[tuple[int, str]] = []
    last_end = -1
    for start, end, name in found:
        if start >= last_end:
            result.append((start, name))
            last_end = end
    return result


# "王总：已打款" / "Tony: wants the fund": a short label before a colon at the start is who the note is
# about, unless it is a heading word (今天：, 备注：, Update:)
_LABEL = re.compile(r"^\s*([\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z .·]{0,11}?)\s*[:：]")
_NOT_A_NAME = re.compile(
    r"今天|昨天|明天|上午|下午|晚上|中午|早上|刚才|备注|记录|拜访|客户|进展|结果|情况|总结|跟进|更新|问题|回访|电话|"
    r"微信|事项|待办|提醒|重点|反馈|计划|后续|产品|金额|时间|地点|内容|需求|风险|下一步|目标|说明|补充|"
    r"原因|结论|收益|资产|问|答|注意|建议|总体|整体|小结|"
    r"^(?:note|notes|update|re|fyi|todo|summary|client|customer|call|visit|meeting|next|result|status|plan|"
    r"action|actions|amount|risk|product|products|reason|outcome|feedback|q|a|ps|p\.s)$",
    re.I)


def label_name(text: str) -> tuple[int, str] | None:
    """The client named as a label before a colon at the start of a message, as (position, name)."""
    m = _LABEL.match(text)
    if not m:
        return None
    label = m[1].strip()
    if len(label) < 2 or _NOT_A_NAME.search(label):
        return None
    if _CJK.search(label) and (len(label) > 5 or not (
            label[0] in SURNAMES or label[0] in "小老阿" or label.endswith(HONORIFICS))):
        return None  # a Chinese label is a short name (阿强, 小美, 建华总), not a heading or a clause
    return m.start(1), label
