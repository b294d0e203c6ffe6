"""Cues that reorder near labels: the embedding reads a message's topic more than what the adviser asks
for, so quoting a client, asking leave, asking about the course or asking what to ask lets a label of
the cued kind overtake a slightly nearer one (bot/agent/router.py reads the ranking this returns)."""

from __future__ import annotations

from bot.agent.cues import CLIENT_SAYS_RE, COURSE_RE, WHAT_TO_ASK_RE
from knowledge.phrases import Neighbour

# How much nearer another label may be and still give way to the cued kind.
CUE_MARGIN = 0.03
# Asking leave ("客户嫌双录麻烦 能不能先办了回头再补录") names the adviser's act, which e5-small reads far
# less than the objection the client raised (双录): a rule wins over it in as wide a band as an unasked
# rule must clear.
LEAVE_MARGIN = 0.05
# A compliance rule answers "may I ...?": without such a question it must be clearly nearer than the rest.
UNASKED_RULE_MARGIN = 0.05
# Asking what to ask ("第一次坐下来聊 问啥合适") about someone the adviser will meet wants that kind of
# client's questions, even when a meeting plan for such clients is much nearer (by its words and class).
PLAN_GIVES_WAY = 0.1
# Words this close after a quote's verb ("说", "嫌") are the client's own ("客户说：问啥都没用").
QUOTE_REACH = 2


def _asks_what_to_ask(text: str) -> bool:
    """The adviser asks what to ask, even beside a client's words ("她说有空来坐坐 第一次见问点啥"); right
    after a quote's verb the words are the client's ("客户说问啥都没用")."""
    return any(not CLIENT_SAYS_RE.search(text[max(0, found.start() - QUOTE_REACH):found.start()])
               for found in WHAT_TO_ASK_RE.finditer(text))


def prefer_cued(neighbours: list[Neighbour], text: str, asks_leave: bool) -> list[Neighbour]:
    """Quoting a client prefers an objection, asking leave a compliance rule, asking what to ask a
    client type, over a label less than CUE_MARGIN nearer (the embedding reads topic more than
    intent); a message that asks no leave prefers anything less than UNASKED_RULE_MARGIN behind over
    a compliance rule."""
    if not neighbours:
        return neighbours
    client_words = bool(CLIENT_SAYS_RE.search(text))
    quotes_client = client_words and not asks_leave
    asks_course = bool(COURSE_RE.search(text))
    asks_what_to_ask = _asks_what_to_ask(text)
    if not asks_leave and neighbours[0].label.startswith("compliance:"):
        other = next((n for n in neighbours if not n.label.startswith("compliance:")), None)
        if other is not None and neighbours[0].similarity - other.similarity < UNASKED_RULE_MARGIN:
            neighbours = [other, *(n for n in neighbours if n is not other)]
    leading = neighbours[0].label.partition(":")[0]
    leave_margin = LEAVE_MARGIN if leading == "objection" else CUE_MARGIN
    # What a client said is rarely a question about which questions to ask that kind of client.
    quote_margin = LEAVE_MARGIN if leading == "client_type" and not asks_what_to_ask else CUE_MARGIN
    # Asking what to ask, like asking leave, names the act wanted, which the embedding reads far less than a
    # concern in the message ("刚离婚 家里情况复杂 咋开口问需求"): a client type wins over an objection
    # in that band. With no words of the client's in the message there is no objection to answer at all:
    # the kind of client wins over one as widely as over a meeting plan.
    widest = leading == "first_meeting" or leading == "objection" and not client_words
    ask_margin = PLAN_GIVES_WAY if widest else leave_margin
    # Naming the course ("课程里讲会前会中会后各做啥") asks for its method, however near an occasion's plan.
    course_margin = PLAN_GIVES_WAY if leading == "first_meeting" else CUE_MARGIN
    # The cues by precedence: what the adviser asks for outranks what the client said. The first cue present
    # whose kind already leads decides; none after it may reorder.
    for cued_here, kind, margin in ((asks_leave, "compliance", leave_margin),
                                    (asks_what_to_ask, "client_type", ask_margin),
                                    (asks_course, "method", course_margin),
                                    (quotes_client, "objection", quote_margin)):
        if not cued_here:
            continue
        if neighbours[0].label.startswith(kind + ":"):
            return neighbours
        # Only a label near in meaning (one of its phrasings among the nearest) may overtake: a shared word
        # ("不愿意") alone says nothing about the situation.
        cued = next((n for n in neighbours if n.label.startswith(kind + ":") and n.text), None)
        if cued is not None and neighbours[0].similarity - cued.similarity < margin:
            return [cued, *(n for n in neighbours if n is not cued)]
    return neighbours

