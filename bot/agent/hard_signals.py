"""The few readings of a message that rules make rather than meaning: a clear visit report, a report that
is also a question, a product against a client's risk level, a meeting ahead. Plain functions of the text
(and of what the tracker knows), so each rule is testable with no model; the router acts on the signal.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from bot.agent.cues import (
    CLIENT_SAYS_RE,
    COURSE_RE,
    FUTURE_MEET_RE,
    HABITUAL_RE,
    MEETING_RE,
    OUTCOME_RE,
    PREP_ASK_RE,
    PREP_RE,
    PRONOUN_RE,
    QUOTED_WORDS_RE,
    RESPOND_RE,
)
from bot.agent.suitability import client_level_in, product_in
from bot.tracker.parser import is_visit_report

BUY_RE = re.compile(r"(买|购|配置|推荐|卖给|办理|投)")

SignalKind = Literal["log", "confirm", "suitability", "meeting_ahead"]


@dataclass(frozen=True)
class Signal:
    kind: SignalKind
    # For a meeting ahead: the adviser asks how to answer the client's quoted words ("约了刘姐周五来 她一直
    # 说买保险不吉利 怎么整"); the concern may matter more than the plan.
    answers_quote: bool = False


def read_signal(text: str, client: str | None, *, asks: bool, asks_leave: bool,
                product_risk: Mapping[str, str], known_client: Callable[[str], bool]) -> Signal | None:
    """The hard signal in `text`, or None when meaning decides. `asks`: the message asks something;
    `asks_leave`: it asks whether something is allowed."""
    # What a client said ("张老师说前年买了理财亏了") is quoted, not a visit that happened: meeting and
    # outcome verbs count only before the quote starts.
    said = CLIENT_SAYS_RE.search(text)
    reported = text[:said.start()] if said else text
    met = MEETING_RE.search(reported)
    # "每次聊完都说好好好": what keeps happening, not a visit to log.
    past = bool(met) and not HABITUAL_RE.search(reported[max(0, met.start() - 4):met.start()])
    pointed = bool(client or PRONOUN_RE.search(text))
    outcome_only = not past and bool(OUTCOME_RE.search(reported)) and pointed
    if outcome_only and asks_leave:
        return None  # "客户保单签了第8天 我能帮他退吗": what happened is the premise of a question
    if past and (pointed or "客户" in text) or outcome_only:
        # A report and a question: ask which. With no one named ("沙龙散了 客户吃完就走 咋跟",
        # "他买完就后悔了 问有没有冷静期") there is no note to keep; meaning decides (and asks when it
        # reads a visit report).
        if asks and client:
            return Signal("confirm")
        if not asks and is_visit_report(text):
            return Signal("log")
    if is_suitability_case(text, client, product_risk, known_client):
        return Signal("suitability")
    # A meeting ahead, after any that is over ("上周谈完说考虑考虑 约了下周二再谈 这次怎么推进");
    # "生命周期分哪几个阶段 帮我捋一下" asks about the course.
    # A meeting named inside the client's quoted words ("“又要开户又要见证 好烦”") is none of the adviser's.
    after_past = QUOTED_WORDS_RE.sub(" ", text[met.end():] if past and met else text)
    planning = bool(FUTURE_MEET_RE.search(after_past) or PREP_RE.search(after_past)) \
        and not COURSE_RE.search(text)
    if planning and asks_leave and not PREP_ASK_RE.search(text):
        return None  # "下周沙龙上 能讲讲我自己对后市的看法吗": leave asked about the meeting, meaning decides
    if planning:
        return Signal("meeting_ahead", said is not None and bool(RESPOND_RE.search(text[said.start():])))
    if client and not asks and not said and is_visit_report(text):
        return Signal("log")
    return None  # a named client's words with no visit in them: meaning decides (note or coaching)


def is_suitability_case(text: str, client: str | None, product_risk: Mapping[str, str],
                        known_client: Callable[[str], bool]) -> bool:
    """A product's level (R1-R5 or a known product type) against the client's: stated in the message, or
    the tracker's for a client named there ("钱总想买R4的产品")."""
    if product_in(text, product_risk) is None:
        return False
    if client_level_in(text) is not None:
        return True
    return bool(client and BUY_RE.search(text) and known_client(client))
