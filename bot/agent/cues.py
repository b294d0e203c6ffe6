"""Cues in an adviser's message that the embedding cannot read: the shape of a question, a visit that is
over, a meeting ahead, a client's quoted words, leave asked for. The router combines them with meaning.
"""

from __future__ import annotations

import re

GREETING_RE = re.compile(r"^(你好|您好|hi|hello|hey|嗨|在吗|在不在|谢谢|多谢|感谢|thanks|thank you|好的|ok|"
                         r"再见|help|/help|帮助|你是谁|你能做什么|怎么用|使用说明)[!！。.？?～~ ]*$", re.I)
QUESTION_RE = re.compile(r"[？?]|怎么|咋|如何|什么|啥|哪些|哪个|吗|呢|是否|能不能|可不可以|行不行|有没有|"
                         r"要不要|该不该|是不是|会不会|对不对|how|what|should|can i|"
                         r"([\u4e00-\u9fff])不\1|"  # A-not-A: 跟不跟, 追不追
                         # stuck, which asks for help as plainly ("见了两次 聊不深")
                         r"聊不[深开下]|没思路|无从下手|不知从何|打不开局面|卡住了", re.I)
# A meeting still ahead with someone the adviser names: "明天见王总 帮我理一下".
# "帮我准备下" asks for a plan; "钱早就准备好了" does not.
PREP_RE = re.compile(r"(准备(一下|下|啥|什么|点啥|些啥|准备)|(怎么|要|帮我|该|得|先)准备|prep\b|"
                     r"要见(?!证)|去见|"
                     r"(要不要|要|准备|想|得|打算)(提前|先|再|主动)?"
                     r"([给跟和][他她]|[给跟和]客户|[给跟和][^\s，,。？?]{1,10})?打.{0,4}电话|"
                     r"电话里.{0,4}(怎么|说啥|说什么)|电话前|打电话前|电话(咋|怎么)(说|讲|打|开口)|"
                     r"打.{0,2}电话.{0,4}(咋说|怎么说|说啥|说什么)|"
                     # a first meeting, a short slot, a joint visit, a meeting later today
                     r"(第一次|头一?回|初次|首次)((见|上门|拜访|登门)(?![完过了我就时])|打电话|通电话)|"
                     r"只给我.{0,6}(分钟|小时)|(只有|就|只)[^\s，,。]{0,2}(半小时|一刻钟|十来?分钟)|"
                     r"(叫|让|要|得|准备)我?(上门|登门)|(咋|怎么)开头|(下回|下次)再?(见面|见[他她]|拜访|面谈)|讲(啥|什么)[^\s，,。]{0,4}(爱听|听得进)|"
                     r"(咋|怎么)(配合|分工)|(今天|下午|上午|中午|晚上|今晚)约了?(他|她|客户)|"
                     r"(要|准备|打算|想)(办|搞|组织|开)(个|一场|一次|场)?[^\s，,。？?]{0,10}(沙龙|活动|讲座|茶话会|答谢会)|"
                     r"(办|搞|组织|开)(个|一场|一次|场)?[^\s，,。？?]{0,10}(沙龙|讲座|茶话会|答谢会|宣讲会)|"
                     r"(planning|plan|organi[sz]ing|hosting|host) an? .{0,30}"
                     r"(salon|event|seminar|dinner|workshop)|"
                     r"约了(?!好?[几两三四五六七八九十\d]+[次回趟遍])|"  # "约了三次": past tries
                     r"约见|见面前|见之前|明天见|后天见|下周.?见|待会见|一会见|怎么聊|聊什么|谈什么|聊啥|谈啥|理一下|"
                     r"捋一下|过一下|理理|捋捋|理下|捋下|理一理|帮我看看|过一遍|思路|"
                     r"再约|(这次|下次|到时候?)(该)?怎么(谈|聊|说)|(要|去|准备)拜访|(去|准备去?|打算去?)回访|"
                     r"(想|要|准备|打算|提前)约(他|她|客户|一下)|"
                     r"(会面|见面|面谈)(咋|怎么|如何)(安排|弄|准备)|提纲|议程|agenda|talking points|"
                     r"(进门|上门|登门)先?(说啥|说什么|咋说|怎么说|聊啥)|要不要[带送]点?(东西|礼)|[带送]点?(啥|什么)(东西|礼)|去了?该?(干啥|干什么|做啥|说啥)|"
                     r"prepare|get ready for|game ?plan|(review|catch-?up) (call|meeting)|"
                     r"(seeing|meeting|calling|visiting) .{1,30}"
                     r"(tomorrow|tonight|next|later|on (mon|tues|wednes|thurs|fri|satur|sun)day))", re.I)
# The cues of PREP_RE that name a meeting for sure; the others ("怎么聊", "思路") may as well ask how to
# answer a concern ("客户要装修 不想理财 怎么聊").
MEETING_AHEAD_RE = re.compile(r"(约了(?!好?[几两三四五六七八九十\d]+[次回趟遍])|"
                              r"约见|约[他她]|见面前|见之前|会面|面谈|拜访|去回访|准备|prep\b|要见(?!证)|去见|"
                              r"[天周]见|电话前|prepare|meeting with)", re.I)
# The adviser asking how to prepare or open a meeting, not only mentioning one ("约了客户打球 周末会下雨吗").
PREP_ASK_RE = re.compile(r"(准备|开口|开头|聊啥|聊什么|说啥|说什么|咋说|怎么说|怎么谈|怎么聊|讲啥|讲什么|"
                         r"问啥|问什么|问[他她](点啥|啥|什么)|"
                         r"prepare|prep\b|how (do|should) i (open|start))", re.I)
# Visit-report verbs: a meeting or call that is over ...
MEETING_RE = re.compile(r"(刚(刚)?(见|拜访|聊|谈|打|通|跟|和)|见完|聊完|谈完|拜访了|见了|聊了|谈了|喝完|吃完|"
                        r"打了.{0,2}电话|通了电话|约好了|met|visited|called)", re.I)
# ... or its outcome, which counts only for a client named or pointed at ("王总签了"), not for "客户"
# in general ("我客户已经在别家买了一堆" reports what clients say, to be coached).
OUTCOME_RE = re.compile(r"(签了|买了|打款|追加了|赎回了|转走了|认购了)")
# A meeting verb after these is what keeps happening ("每次聊完都说再想想"), not one visit.
HABITUAL_RE = re.compile(r"(每次|每回|每趟|回回|次次|总是|老是|一般|通常|平时)")
PRONOUN_RE = re.compile(r"[他她]|这位客户|这个客户|该客户")
# A meeting still ahead ("周五见老刘"): prep, never a note.
FUTURE_MEET_RE = re.compile(r"(今天|明天|后天|下周.?|周[一二三四五六日天末]|待会|等下|一会|过会|晚点|今晚|"
                            r"下午|上午|中午)"
                            r"([^\s，,。？?！!]{1,5}?)?(要|去|约|再)?(见|拜访|约见|回访|来(?![了过])|吃饭|饭局|喝茶)")
# Words in quotation marks, long enough to be someone's words rather than a term ("他要“家族信托”").
QUOTED_WORDS = r"[“「『\"][^”」』\"]{6,}[”」』\"]"
QUOTED_WORDS_RE = re.compile(QUOTED_WORDS)
# The adviser asks for their own account ("茅台能抄底吗 我自己想买点"): a stock tip asked off the job.
FOR_ONESELF_RE = re.compile(r"我自己(也)?(想|要|打算)?买|自己想买|不是给客户|不是帮客户|"
                            r"for myself|my own (money|account|portfolio)|off the clock", re.I)
# Cues that decide between two near labels: quoting a client is an objection, asking leave is compliance.
# "打电话说啥" / "怎么说" ask what the adviser should say, "听说" is hearsay, "课上说" the course: no quote.
CLIENT_SAYS_RE = re.compile(r"((?<!怎么)(?<!咋)(?<!该)(?<!听)(?<!据)(?<!课上)(?<!课里)(?<!培训)(?<!训里)"
                            r"说(?!啥|什么|点啥|些啥)|觉得|嫌|认为|担心|怕|不想|不愿|"
                            r"[他她]就?回(?![来去家国款本访头])|回了?一句|客户[:：]|原话|(讲|道|骂|吼|嚷|拍桌子|一句|回|回复)[:：]|"
                            r"says|thinks|said|told me|"
                            # Words set in quotation marks after whoever said them ("男的就摆手 “保险屋里有
                            # 七八份了”"), unless the adviser quotes what to send or use ("发“…”", "用“…”").
                            rf"(?<![发写用回配]){QUOTED_WORDS})", re.I)
# Asking how to answer what a client said ("她一直说买保险不吉利 怎么整"): a concern, even before a meeting.
RESPOND_RE = re.compile(r"(咋回|怎么回|如何回|回[他她](?![家老们])|咋接|怎么接|咋整|怎么整|咋办|怎么办|"
                        r"咋破|怎么破|咋应对|怎么应对|"
                        r"how (do|should|can) i (respond|reply|answer|handle))", re.I)
# The adviser's own ask at the end ("…咋回", "… how do I respond"): the same words under every concern, so
# they say nothing about which one is meant, yet the few phrasings written with them pull such questions
# their way (matching leaves it out of both).
ASK_TAIL_RE = re.compile(
    r"[\s，,。.!！?？]*(?:[那这我]?该?(?:咋回|怎么回(?:复|应|答)?|如何回(?:复|应)?|咋接|怎么接|咋整|怎么整|咋办|怎么办|"
    r"咋破|怎么破|咋应对|怎么应对|咋说|怎么说)[啊呀呢吧]?|"
    r"how (?:do|should|can) i (?:respond|reply|answer|handle(?: this| it)?)|"
    r"how to (?:respond|reply|answer|handle(?: this| it)?)|"
    r"what (?:do|should|can) i (?:do|say)(?: to (?:him|her|them))?|"
    r"any (?:tips|ideas))[\s?？!！。.]*$", re.I)


def without_ask(text: str) -> str:
    """The message without the adviser's own ask at its end (unchanged when little else is left)."""
    stripped = ASK_TAIL_RE.sub("", text)
    return stripped if len(stripped) >= 4 else text


# Asking leave for what the adviser would do ("我能…吗", "帮他…行吗"), not a client asking about his money.
ADVISER_ACTS_RE = re.compile(r"(我|咱|帮他|替他|帮她|替她|帮客户|替客户|代客户|代他|代她|给他|给她|给客户|"
                             r"\bi\b|\bme\b|\bwe\b|\bus\b)", re.I)
PERMISSION_RE = re.compile(r"(能不能|可不可以|行不行|行不(?=$|[\s？?。，,!！])|可以不(?=$|[\s？?])|"
                           r"可以吗|行吗|(?<!不)行吧|可以吧|没问题吧|"
                           r"能办|能卖|能做|能收|没事吧|合规吗|违规吗|算不算违规|算违规吗|违不违规|合不合规|"
                           r"(违规|合规|违法|犯法)不(?=$|[\s？?。，,!！])|"
                           r"(要|需要|必须|得)[^，,。\s]{0,6}吗|用不用|要不要录|"
                           r"可以[^\s，,。？?！!]{1,4}吗|(?<!不)能[^\s，,。？?！!]{1,3}吧|也不行[？?]|"
                           # whether it is a problem ("应该问题不大吧", "有啥麻达", "这样说算问题吗")
                           r"(没|有)(啥|什么)?(问题|麻达|毛病)[吧吗]|问题不大吧|算(不算)?问题吗|有(啥|什么)麻达|"
                           r"can (he|she|they|the client|my client) |"
                           r"(我|我们|咱们?)可以[^。？?！!]{1,14}吗|还是只能|"
                           # whether a rule exists ("有没有冷静期", "有没有额度限制")
                           r"有没有.{0,4}(规定|冷静期|犹豫期|限制|额度|上限|要求)|"
                           r"能[给帮替]?[他她]?[办卖做收签录填]不(?=$|[\s？?。，,!！])|(?<!不)中不中|(?<!不)中不(?=$|[\s？?])|"
                           # A-not-A of the adviser's own act closing a clause ("写不写", "收不收").
                           r"(?P<act>[写收签发给办卖录填])不(?P=act)(?=$|[\s？?。，,!！])|"
                           r"can (i|we)|may (i|we)|is (it|that|this) (ok|okay|allowed|compliant)|allowed|"
                           r"\b(ok|okay)\?)", re.I)
# "还能…吗" asks leave only when the adviser is the one who would act ("我能跟客户这么说吗"), and so
# does the colloquial "能…不" closing a clause ("能帮他填不", "可以私下发不").
LOOSE_PERMISSION_RE = re.compile(r"(能.{0,8}吗|可以.{0,4}吧|"
                                 r"(能|可以)[^\s，,。？?！!]{1,8}不(?=$|[\s？?。，,!！]))")
# Asking what the course teaches ("课里怎么讲", "分哪几步") prefers the course's own method.
COURSE_RE = re.compile(r"(课里|课上|课程|培训里|培训[上中]?[说讲]|老师[讲说]的?那个|老师讲|考试|"
                       r"分哪几|分成?几[类种档步]|"
                       r"(哪些|什么)步骤|有[几两三四五六七八九十]步|几步是|分为几[类种]|哪几个阶段|哪几步|几个步骤|框架|模型|"
                       r"[那这]一?套|不同阶段|各个?阶段|每个阶段)")
# Asking what to ask ("挖需求", "问点啥") prefers the client type's questions over another label near it ...
WHAT_TO_ASK_RE = re.compile(r"((挖|找|问|聊到?|摸|打听|了解).{0,6}需求|需求咋|需求怎么|了解.{0,4}情况|"
                            r"问点啥|问啥|问什么|该问|怎么问|咋问|挖一挖|(深聊|深入聊|聊深|聊透)一?(次|下|聊)?$|"
                            r"摸.{0,4}(想法|底细|打算)|(问问|了解下?|摸摸|打听)[他她]?家里?的?情况|从哪里?问起|"
                            r"(整|弄|搞)明白[他她]?(要啥|要什么|想要啥)|问[他她](点啥|啥|什么|哪些)|"
                            r"(了解|摸清|弄清)[他她]些?(啥|什么)|(该|怎么|咋)(样)?了解[他她]|需求(到底)?是(啥|什么)|"
                            r"哪几个问题|往哪.{0,4}挖|往下挖|深挖|摸清.{0,8}(想要|需要|要啥|要什么)|挖(啥|什么)|(先|要|得)?(搞|弄)清楚?(啥|什么|哪些)|"
                            r"(心里|到底)(在)?(担心|顾虑|想)(啥|什么)|往[^\s，,。]{1,6}上引|"
                            r"(从|往)哪(些|几个|个)?方面(聊|问|挖|切入|入手)|聊哪些方面|"
                            r"what (questions? )?(should|do|can) i (be )?ask|what to ask|questions? to ask|"
                            r"find out (his|her|their) needs)", re.I)
# ... and for a meeting ahead, how to open it too ("咋开口" about a referral is the course's method).
DISCOVERY_RE = re.compile(f"({WHAT_TO_ASK_RE.pattern}|开口)")


# Whom a meeting ahead is with: "去见一个上市公司董秘" -> "上市公司董秘", "要拜访个老干部" -> "老干部".
_MEETING_WITH_RE = re.compile(r"(?:去|要|来|约了?|准备|打算|第一次)(?:见|拜访|见见)(?!面|完|过|了)"
                              r"(?:一下|一个|一位|个|位|下)?([^\s，,。！？!?；;]{2,14})")


def meeting_with(text: str) -> str | None:
    """Who the adviser is going to meet, as they describe them, or None."""
    found = _MEETING_WITH_RE.search(text)
    return found.group(1) if found else None


# The adviser as the one asked ("客户问我 还能买不"): the question relayed is the client's, not leave asked.
ADVISER_ASKED_RE = re.compile(r"(问|考|请教)我")
# Whether a client can still be won back ("挂了 后面还能联系吗"): a question of chances, not of leave.
STILL_POSSIBLE_RE = re.compile(r"(还能|还可以|还有机会|还有戏)再?"
                               r"(联系|跟进?|约|聊|挽回|挽救|救|回头|合作|打电话|找[他她])")


def asks_permission(text: str) -> bool:
    """The adviser asks leave for something ("我能帮他退吗", "客户嫌双录太长 能不能只录一半")."""
    text = STILL_POSSIBLE_RE.sub(" ", text)
    adviser_acts = bool(ADVISER_ACTS_RE.search(ADVISER_ASKED_RE.sub("", text)))
    # Leave asked in a clause of its own is the adviser's question, not the client's words.
    own_clause_asks = any(PERMISSION_RE.search(part) and not CLIENT_SAYS_RE.search(part)
                          for part in re.split(r"[\s，,。；;！!]+", text))
    return (own_clause_asks or bool(PERMISSION_RE.search(text)) and adviser_acts
            or bool(LOOSE_PERMISSION_RE.search(text)) and adviser_acts)

# The adviser's frame around a client's words in English ("Client said", "how do I respond"): short English
# fragments sit near many phrasings, so a clause made of these words alone would be read as a concern.
_ENGLISH_FRAME_WORDS = frozenset(
    "a an the my our his her this that it client clients customer he she they him them me i you we "
    "said says say saying keeps kept told tells asked asks wrote texted messaged replied goes went "
    "just and so then but also what how do does should can could would to respond reply answer handle deal "
    "with english-speaking".split())


def _frame_only(part: str) -> bool:
    if re.search(r"[:：]\s*$", part):  # who says what follows ("Macau client at our Hengqin office:")
        return True
    words = re.findall(r"[a-z][a-z'-]*", part.lower())
    return bool(words) and not re.search(r"[\u4e00-\u9fff\d]", part) \
        and sum(w not in _ENGLISH_FRAME_WORDS for w in words) < 2


def clauses(text: str) -> list[str]:
    """A pasted message split into its concerns (sentences, '还有/而且/另外' turns, and counted points:
    '一是…二是…三是…', '第一…第二…' once the first point is counted; a pasted chat message, "客户微信：…",
    also at its spaces when nothing else marks its sentences, as phones type them)."""
    pasted = re.search(r"(微信|原话|消息|留言)[:：]", text)
    if pasted:
        text = text[pasted.end():]
    parts = re.split(r"[。！？!?；;\n「」“”\"]+|(?:还有|而且|另外|再就是|and also)", text)
    if re.search(r"一是|第一", text):
        parts = [piece for part in parts for piece in re.split(r"(?=[一二三四五]是|第[一二三四五])", part)]
    parts = [p.strip(" ，,") for p in parts if len(p.strip(" ，,")) >= 4 and not _frame_only(p)]
    if pasted and len(parts) == 1:  # no sentence marks at all: the spaces are the sentences
        parts = [p for p in re.split(r"\s+", parts[0]) if len(p) >= 4]
    return parts
