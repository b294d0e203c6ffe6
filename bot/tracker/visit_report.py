"""Is a message a visit report (to log) or a question (to answer)? Signals, not a model.

A report names a client, or reads like one without a name: a contact verb (见了, 喝完咖啡, 打完电话,
met), a person (客户, 他/她, a client), what happened (有兴趣, 答应, 嫌…) and a next step (下周三再聊)."""

from __future__ import annotations

import re
from datetime import datetime

from bot.tracker.amounts import first_amount
from bot.tracker.client_names import find_names
from bot.tracker.dates import find_dates
from bot.tracker.text import normalize_message

_QUESTION = re.compile(
    r"[？?]\s*$|怎么(?:回|办|说|答|应对|处理|跟进|推|讲|沟通|解释)|如何|怎样|咋|该不该|能不能|应该怎么|有什么(?:话术|办法)|"
    r"为什么|是什么|什么是|吗\s*$|呢\s*$|^\s*(?:how|what|why|should|can)\b", re.I)
_REPORT = re.compile(
    r"见了|见到|见完|见过|聊完|谈完|通完|拜访|聊了|谈了|沟通了|打了?电话|电话|面谈|约了|再约|回访|成交|签了|签约|买了|"
    r"开了|答应|同意|拒绝|说|觉得|想了解|想买|有意向|"
    r"表示|考虑|感兴趣|兴趣|认可|不想|没见上|到期|赎回|投了|定了|met|called|visited|signed|said", re.I)
_CONTACT = re.compile(
    r"见了|见完|见到|拜访|回访|面谈|聊完|谈完|聊了|谈了|通完|打完电话|挂了电话|喝完|吃完|喝了?(?:咖啡|茶)|吃了?饭|"
    r"(?:跟|和|与)(?:客户|他|她|老客户|一位|一个|个).{0,8}(?:聊|谈|见|喝|吃|通话|沟通)|上门|来了?网点|"
    r"\b(?:met|visited|called|had (?:coffee|lunch|dinner|tea)|spoke (?:with|to)|talked (?:with|to)|"
    r"caught up with)\b", re.I)
_PERSON = re.compile(r"客户|他|她|老板|企业主|夫妇|两口子|\b(?:a client|client|he|she|they|customer)\b", re.I)
_OUTCOME = re.compile(
    r"兴趣|意向|答应|同意|拒绝|嫌|觉得|认为|表示|考虑|打算|想(?:买|了解|投|配|做|再)|买了|签了|投了|定了|犹豫|"
    r"担心|怕|满意|不想|不要|\b(?:wants?|agreed|interested|signed|bought|declined|refused|worried|thinking)\b",
    re.I)
_NEXT = re.compile(
    r"再(?:聊|约|谈|联系|打|见|来|去|说)|回访|跟进|下次|\b(?:follow up|call back|meet again)\b", re.I)


def is_visit_report(text: str) -> bool:
    """True for a message reporting a visit or call outcome; False for a question asking for advice."""
    if not text or not str(text).strip():
        return False
    normalized = normalize_message(str(text))
    if _QUESTION.search(normalized):
        return False
    today = datetime.now().date()
    if find_names(normalized):
        # a name plus a complaint alone ("李阿姨嫌利息低") is a request for help, not a report
        return bool(_REPORT.search(normalized) or first_amount(normalized) or find_dates(normalized, today))
    if re.search(r"见了|拜访|回访|成交|签了|客户.{0,10}(?:说|答应|拒绝|同意|买了)", normalized):
        return True
    contact, person = bool(_CONTACT.search(normalized)), bool(_PERSON.search(normalized))
    outcome = bool(_OUTCOME.search(normalized))
    next_step = bool(_NEXT.search(normalized)
                     or any(day > today for _, _, day in find_dates(normalized, today)))
    # 刚跟客户喝完咖啡，她对年金有兴趣，下周三再聊: contact + who + what happened + what next
    return contact and (person or outcome) and (outcome or next_step)


def extract_client_name(text: str) -> str | None:
    """The first client name in a message, or None (used by the agent's intent router)."""
    if not text:
        return None
    names = find_names(normalize_message(str(text)))
    return names[0][1] if names else None
