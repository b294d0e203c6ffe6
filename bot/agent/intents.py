"""Which of the seven things an adviser's message asks for, by rules (no model needed, microseconds).

Order matters: a visit report is logged even when it quotes an objection ("王总说怕亏"), while a
question quoting the same objection ("客户说怕亏，怎么回？") is objection coaching.
"""

from __future__ import annotations

import re

from bot.agent.reply import INTENTS

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
            "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫"
            "孔向汤欧阳")
HONORIFICS = (
    "总监", "总", "董", "姐", "哥", "先生", "女士", "小姐", "阿姨", "叔叔", "叔", "伯", "老师",
    "医生", "律师", "经理", "老板", "太太", "太", "工", "大爷", "大妈", "奶奶", "爷爷", "教授",
    "主任", "行长", "老",
)
_HON = "|".join(sorted(HONORIFICS, key=len, reverse=True))
NAME_RE = re.compile(rf"(?:[{SURNAMES}](?:{_HON})|[老小][{SURNAMES}](?![总姐哥序库车])|"
                     rf"(?:Mr|Mrs|Ms|Miss|Dr)\.?\s?[A-Z][a-z]+)")
NOT_NAMES = {"老师", "小王子", "老板"}

QUESTION_RE = re.compile(r"[？?]|怎么|如何|什么|哪些|哪个|哪位|吗|呢$|是否|能不能|可不可以|有没有|"
                         r"how|what", re.I)
VISIT_RE = re.compile(
    r"(刚(刚)?(见|拜访|聊|谈|打|通|去|从|跟|和|与)|(今天|上午|下午|早上|中午|晚上|昨天|刚才)"
    r".{0,8}(见了|见过|拜访|聊了|谈了|电话|通话|约了|面谈|来了|过来)|拜访了|见完|聊完|谈完|"
    r"(通|打)了.{0,2}电话|见了|聊了|谈了|聊得|谈得|再约|拜访|还在考虑|签了|签单|成交|买了|认购|"
    r"打款|追加|赎回了|转走了|答应|同意|约好|下次|回访了|沟通了|visited|met with|called)", re.I)
PREP_RE = re.compile(r"(准备|prep\b|要见|去见|约见|拜访前|见面前|见之前|明天见|后天见|下周.?见|周.见|"
                     r"待会见|等下见|一会见|过会见|怎么聊|聊什么|谈什么|开场)", re.I)
TRACKER_RE = re.compile(
    r"(跟进谁|要跟进|该跟进|待跟进|跟进名单|到期|逾期|该联系谁|联系谁|哪些客户|哪几个客户|"
    r"客户名单|我的客户|九宫格|分布|最近怎么样|最近如何|情况怎么样|什么情况|抗拒型|积极型|"
    r"中立型|多少客户|几个客户|档案|客户列表|最近.{0,4}(状态|动态)|followups?)", re.I)
STRONG_TRACKER_RE = re.compile(r"(哪些客户|哪几个客户|哪几位客户|跟进谁|联系谁|抗拒型|积极型|中立型|"
                               r"九宫格|客户名单|客户分布)")
# A question about the course's method itself (the nine-grid, the emotion types), not the adviser's list.
CONCEPT_RE = re.compile(r"(什么是|什么叫|是什么意思|指什么|含义|定义|原理|怎么划分|如何划分|怎么分类|"
                        r"如何分类|分哪几|有哪几[种类]|怎么用|如何使用|(九宫格|分类|分层|型客户)是什么)")
MINE_RE = re.compile(r"(我的|哪些客户|哪几个客户|哪几位|名单|列出|给我看)")
OBJECTION_RE = re.compile(
    r"(客户(说|嫌|觉得|认为|担心|怕|不想|不愿|拒绝|抱怨|质疑|嫌弃|不信|总说|老说|反对)|"
    r"异议|拒绝|怎么回|怎么应对|怎么回应|怎么化解|怎么处理|怎么接|嫌|抗拒|不信任|"
    r"转走|要撤|要赎回|骗人|坑人|不靠谱)")
DISCOVERY_RE = re.compile(
    r"(挖需求|挖掘需求|需求挖掘|需求分析|问哪些问题|问什么问题|问些什么|该问什么|怎么问|提问|"
    r"破冰|第一次见|初次见|首次见|怎么开口|怎么切入|切入点|SPIN|了解需求|摸清|痛点)", re.I)
# "帮我准备一下" asks for a call prep; "面谈前要做哪些准备？" is a question about the material.
ASK_PREP_RE = re.compile(r"((帮|给)我.{0,6}准备|准备一下|prep\b)", re.I)
FUTURE_MEET_RE = re.compile(r"(明天|后天|下周.?|周[一二三四五六日天]|待会|等下|一会|过会|晚点|今晚|下午|上午)"
                            r"(要|去|约|再)?(见|拜访|约见)")
PAST_RE = re.compile(r"(刚|已经|见完|聊完|谈完|见了|聊了|谈了|签了|买了|拜访了)")
OTHER_RE = re.compile(r"^(你好|您好|hi|hello|嗨|在吗|谢谢|多谢|感谢|好的|ok|再见|help|帮助|你是谁|你能做什么|"
                      r"怎么用|使用说明)[!！。.？?～~ ]*$", re.I)


def extract_client_name(text: str) -> str | None:
    """The first client named the way advisers name them (王总, 李阿姨, 老王, Mr. Wang), else None."""
    if not text:
        return None
    parser_names = _parser_name(text)
    if parser_names:
        return parser_names
    for match in NAME_RE.finditer(text):
        name = match.group(0).strip()
        if name not in NOT_NAMES:
            return name
    return None


def _parser_name(text: str) -> str | None:
    try:  # PARSER room's extraction, when it exists, is the one source of truth for names
        from bot.tracker import parser
    except Exception:
        return None
    for attr in ("extract_client_name", "extract_client", "find_client_name"):
        func = getattr(parser, attr, None)
        if callable(func):
            try:
                value = func(text)
            except Exception:
                return None
            if isinstance(value, list | tuple):
                value = value[0] if value else None
            return value or None
    return None


def is_visit_report(text: str) -> bool:
    """The parser's judgement when available, else our heuristics: a past visit, not a question."""
    try:
        from bot.tracker.parser import is_visit_report as parser_is_visit_report
    except Exception:
        parser_is_visit_report = None
    if parser_is_visit_report is not None:
        try:
            return bool(parser_is_visit_report(text))
        except Exception:
            pass
    return _looks_like_visit(text)


def _looks_like_visit(text: str) -> bool:
    if not VISIT_RE.search(text):
        return False
    if PREP_RE.search(text) and QUESTION_RE.search(text):
        return False
    # "客户说……，怎么回？" is a question about a visit, not the report of one.
    question = bool(QUESTION_RE.search(text))
    return not question or bool(re.search(r"(跟进|下次|万|签|买了|认购)", text)) and not OBJECTION_RE.search(
        text.split("，")[-1])


# "客户说…/有个客户嫌…" names nobody: the adviser quotes an objection to get coached, not a note to log.
GENERIC_CLIENT_SAYS_RE = re.compile(
    r"^(我的?)?(有个|有位|一个|一位|很多|好多|不少)?(老)?客户(们)?(总是|老是|总|老|一直|又|就|都|也|还)?"
    r"(说|觉得|嫌|担心|认为|抱怨|怕|不想|不愿|只买|只想|只要|不相信|不信)"
)


def classify_intent(text: str) -> str:
    """One of INTENTS for a free-text message."""
    text = (text or "").strip()
    if not text or OTHER_RE.match(text):
        return "other"
    question = bool(QUESTION_RE.search(text))
    name = extract_client_name(text)
    asks_prep = ASK_PREP_RE.search(text) or (FUTURE_MEET_RE.search(text) and not PAST_RE.search(text))
    if asks_prep and (name or "客户" in text) and not DISCOVERY_RE.search(text):
        return "prep"  # a meeting still ahead: "后天见孙先生" is not a visit to log
    if name is None and GENERIC_CLIENT_SAYS_RE.search(text):
        return "discovery" if DISCOVERY_RE.search(text) else "objection"
    if not question and is_visit_report(text):
        return "log"
    if PREP_RE.search(text) and (name or ASK_PREP_RE.search(text)) and not DISCOVERY_RE.search(text):
        return "prep"
    if CONCEPT_RE.search(text) and not MINE_RE.search(text) and name is None:
        return "knowledge"  # "什么是九宫格客户分类" asks about the method, not about my clients
    if STRONG_TRACKER_RE.search(text):
        return "tracker"
    if TRACKER_RE.search(text) and not OBJECTION_RE.search(text) and not DISCOVERY_RE.search(text):
        return "tracker"
    if name and re.search(r"(最近|近况|怎么样|如何了|进展|情况)", text) and not OBJECTION_RE.search(text):
        return "tracker"
    if OBJECTION_RE.search(text) and not DISCOVERY_RE.search(text):
        return "objection"
    if DISCOVERY_RE.search(text) or re.search(r"(企业主|退休|高管|老板).{0,10}(问|聊|需求)", text):
        return "discovery"
    if is_visit_report(text):
        return "log"
    if PREP_RE.search(text) and name:
        return "prep"
    if _is_objection_quote(text):
        return "objection"
    return "knowledge" if len(text) >= 3 else "other"


def _is_objection_quote(text: str) -> bool:
    from bot.agent.playbooks import default_playbooks

    if re.search(r"(防止|避免|预防)", text):  # "how to keep clients from leaving" is a general question
        return False
    hits = sum(1 for o in default_playbooks().objections for cue in o.cues if cue in text)
    return hits > 0 and "客户" in text


assert set(INTENTS) >= {"objection", "discovery", "prep", "log", "tracker", "knowledge", "other"}
