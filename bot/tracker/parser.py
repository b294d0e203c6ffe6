"""The offline visit-message parser: rules and lexicons, no model, deterministic.

    parse_note("下午见了杨总，打算先投200万，周五签合同", now) -> ParsedNote(client="杨总", ...)
"""

from __future__ import annotations

import re
from datetime import datetime

from bot.tracker.amounts import scan_amounts
from bot.tracker.client_names import find_names, label_name
from bot.tracker.dates import find_dates, is_ahead
from bot.tracker.lexicon import (
    COMPETITOR,
    CONTRAST,
    CUE_KINDS,
    INTENTION,
    LARGE_INTENTION_CNY,
    NEGATORS,
    OBJECTION_PATTERNS,
    POSITIVE_OUTCOMES,
    PRODUCT_PATTERN,
    RISK_CODE_PATTERN,
    RISK_TYPE_PATTERN,
    RISK_TYPES,
    SENTIMENT_PATTERN,
    products_named,
)
from bot.tracker.note import ParsedNote
from bot.tracker.text import normalize_message, strip_controls
from bot.tracker.visit_report import extract_client_name, is_visit_report

__all__ = ["EmptyMessage", "parse_note", "parse_many", "is_visit_report", "extract_client_name",
           "risk_level_in"]

# spaces split Chinese clauses (王总 50万 周五签) but not English phrases (call him tomorrow)
_CLAUSE_SPLIT = re.compile(r"[，,。；;！!？?\n\r\t、|]+|(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])")
_CLAUSE_ENDS = "，,。；;！!？?\n"
_NEXT_STEP_CUES = re.compile(
    r"再约|再联系|再来|再聊|再谈|再打|再说|签合同|签约|约了?|回访|跟进|下次|见面|面谈|打电话|电话|送资料|发资料|"
    r"带.{0,6}来|过来|上门|来网点|办理|开户|打款|联系|follow|meet|call|visit|sign", re.I)
# "电话回访了邱阿姨" tells what happened, not what comes next
_PAST_ACTION = re.compile(r"(?:拜访|回访|见|聊|谈|打|约|联系|签)(?:完|过)?了|刚|已经|昨天|今天|上午|下午")


class EmptyMessage(ValueError):
    """The message is empty or only whitespace: there is nothing to parse or save."""


def _products(text: str) -> list[str]:
    products: list[str] = []
    for m in PRODUCT_PATTERN.finditer(text):
        for name in products_named(m[0]):
            if name not in products:
                products.append(name)
    return products


def _sentiment(text: str, amount: int | None = None) -> str:
    text = RISK_TYPE_PATTERN.sub(" ", text)  # 积极型 is a risk type, not enthusiasm
    counts = {"positive": 0, "resistant": 0, "neutral": 0}
    for m in SENTIMENT_PATTERN.finditer(text):
        kind = CUE_KINDS.get(m[0]) or CUE_KINDS.get(m[0].lower(), "neutral")
        before = text[max(0, m.start() - 4):m.start()].lower()
        if not m[0].startswith(("不", "没", "not", "no ")) and before.endswith(NEGATORS):
            kind = {"positive": "resistant", "resistant": "neutral"}.get(kind, kind)
        counts[kind] += 1
    positive_votes, resistant_votes = _outcome_votes(text)
    counts["positive"] += positive_votes
    counts["resistant"] += resistant_votes
    if amount is not None and amount >= LARGE_INTENTION_CNY:
        intention = INTENTION.search(text)
        if intention and not text[max(0, intention.start() - 2):intention.start()].endswith(NEGATORS):
            counts["positive"] += 2
    positive, resistant, neutral = counts["positive"], counts["resistant"], counts["neutral"]
    if resistant > positive and resistant >= neutral:
        return "resistant"
    if positive > resistant and positive > neutral:
        return "positive"
    return "neutral"


def _outcome_votes(text: str) -> tuple[int, int]:
    """(positive, resistant) votes of the outcomes in a message: an agreement, a payment, a request for a
    recommendation counts twice, once when a "but" follows it (没问题，但要再想想); money going to another
    bank is resistant (已经买了别家的)."""
    positive = resistant = 0
    for m in POSITIVE_OUTCOMES.finditer(text):
        if text[max(0, m.start() - 3):m.start()].lower().endswith(NEGATORS + ("还没", "没有", "不会")):
            continue
        clause_start = max(text.rfind(ch, 0, m.start()) for ch in _CLAUSE_ENDS) + 1
        ends = [i for i in (text.find(ch, m.end()) for ch in _CLAUSE_ENDS) if i >= 0]
        clause_end = min(ends, default=len(text))
        if COMPETITOR.search(text, clause_start, clause_end):
            resistant += 1
        else:
            positive += 1 if CONTRAST.search(text, m.end()) else 2
    return positive, resistant


def _objections(text: str) -> list[str]:
    return [name for name, pattern in OBJECTION_PATTERNS if pattern.search(text)]


def _risk_level(text: str) -> str | None:
    m = RISK_TYPE_PATTERN.search(text)
    if m:
        return RISK_TYPES[m[0]]
    m = RISK_CODE_PATTERN.search(text)
    return f"C{m[2]}" if m else None


def risk_level_in(text: str) -> str | None:
    """The client risk level (C1-C5) a message states: 风险评级C3, 稳健型 ...; None when it states none."""
    return _risk_level(normalize_message(text))


def _clauses(text: str) -> list[tuple[int, str]]:
    clauses, position = [], 0
    for piece in _CLAUSE_SPLIT.split(text):
        start = text.find(piece, position) if piece else position
        if piece.strip():
            clauses.append((start, piece.strip()))
        position = start + len(piece)
    return clauses


def _follow_up_and_step(text: str, now: datetime) -> tuple:
    today = now.date()
    future = [(span[0], span[2]) for span in find_dates(text, today) if is_ahead(text, span, today)]
    clauses = _clauses(text)
    if future:
        start, value = future[0]
        step = next((c for s, c in reversed(clauses) if s <= start), None)
        return value, step
    step = next((c for _, c in reversed(clauses)
                 if _NEXT_STEP_CUES.search(c) and not _PAST_ACTION.search(c)), None)
    return None, step


def _parse_normalized(raw: str, text: str, now: datetime) -> ParsedNote:
    names = find_names(text)
    label = label_name(text)
    if label and (not names or names[0][0] >= label[0] + len(label[1])):
        names = [label, *names]  # "Tony：..." names the client before the colon
    elif label and names[0][1] != label[1] and label[1].endswith(names[0][1]):
        names = [label, *names[1:]]  # "建华总：..." is 建华总, not the 华总 inside it
    follow_up, next_step = _follow_up_and_step(text, now)
    amounts = scan_amounts(text)
    first = amounts.found[0] if amounts.found else None
    return ParsedNote(
        raw_text=raw,
        client=names[0][1] if names else None,
        amount_cny=first[1] if first else None,
        currency=first[2] if first else "CNY",
        rejected_amounts=amounts.rejected,
        products=_products(text),
        sentiment=_sentiment(text, first[1] if first else None),
        objections=_objections(text),
        next_step=next_step[:200] if next_step else None,
        follow_up_on=follow_up,
        risk_level=_risk_level(text),
    )


def _require_text(text: str) -> None:
    if text is None or not strip_controls(str(text)).strip():
        raise EmptyMessage("empty message: write what happened with the client, e.g. 王总 想买基金 周五再约")


def parse_note(text: str, now: datetime) -> ParsedNote:
    """One visit message -> ParsedNote; raw_text is kept as written, less control characters and terminal
    escapes. Raises EmptyMessage."""
    _require_text(text)
    return _parse_normalized(strip_controls(text), normalize_message(text), now)


def parse_many(text: str, now: datetime) -> list[ParsedNote]:
    """A message naming several clients -> one note per client, each from the clauses about them.

    Clauses before the first name belong to the first client; a message without a name gives one note."""
    _require_text(text)
    normalized = normalize_message(text)
    names = find_names(normalized)
    distinct = []
    for position, name in names:
        if name not in [n for _, n in distinct]:
            distinct.append((position, name))
    if len(distinct) <= 1:
        return [_parse_normalized(strip_controls(text), normalized, now)]
    notes = []
    for index, (position, _) in enumerate(distinct):
        start = 0 if index == 0 else _clause_start(normalized, position)
        last = index + 1 == len(distinct)
        end = len(normalized) if last else _clause_start(normalized, distinct[index + 1][0])
        part = normalized[start:end].strip(" ，,。；;")
        notes.append(_parse_normalized(part, part, now))
    return notes


_SEPARATOR = re.compile(r"[，,。；;！!？?\n]|另外|还有|然后|\s")


def _clause_start(text: str, position: int) -> int:
    """Back up from a name to the start of its clause (after the previous separator)."""
    separators = list(_SEPARATOR.finditer(text[:position]))
    return separators[-1].end() if separators else position
