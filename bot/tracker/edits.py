"""Validation of note fields before they reach the database (messages are user-facing)."""

from __future__ import annotations

import re
from datetime import date

from bot.tracker.amounts import MAX_AMOUNT
from bot.tracker.errors import TrackerError
from bot.tracker.names import name_key
from bot.tracker.note import SENTIMENTS, ParsedNote
from bot.tracker.text import strip_controls

_RISK = re.compile(r"^C[1-5]$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
EDITABLE_FIELDS = {"client", "amount_cny", "products", "sentiment", "objections", "next_step", "follow_up_on",
                   "risk_level", "raw_text", "currency"}


def check_note_fields(note: ParsedNote) -> None:
    if note.sentiment not in SENTIMENTS:
        raise TrackerError(f"态度只能是 {'、'.join(SENTIMENTS)} 之一。")
    if note.risk_level is not None and not _RISK.match(note.risk_level):
        raise TrackerError("风险等级只能是 C1 到 C5。")
    check_amount(note.amount_cny)
    if not isinstance(note.currency, str) or not _CURRENCY.match(note.currency):
        raise TrackerError("币种要写成三个大写字母，例如 CNY、USD。")


def check_amount(amount: object) -> None:
    """Amounts come from the parser (bounded already) but also from the LLM and corrections."""
    if amount is None:
        return
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 <= amount <= MAX_AMOUNT:
        raise TrackerError("金额不合理（要在 0 到 1000亿 之间），没有保存。")


def coerce_fields(fields: dict[str, object]) -> dict[str, object]:
    values = dict(fields)
    if "follow_up_on" in values and isinstance(values["follow_up_on"], str):
        try:
            values["follow_up_on"] = date.fromisoformat(values["follow_up_on"])
        except ValueError:
            raise TrackerError("跟进日期要写成 YYYY-MM-DD。") from None
    if "risk_level" in values and isinstance(values["risk_level"], str):
        values["risk_level"] = values["risk_level"].strip().upper() or None
    if "amount_cny" in values and values["amount_cny"] is not None:
        try:
            values["amount_cny"] = int(values["amount_cny"])
        except (TypeError, ValueError, OverflowError):
            raise TrackerError("金额要是整数。") from None
    if "currency" in values:
        values["currency"] = str(values["currency"] or "CNY").strip().upper()
    for key in ("raw_text", "next_step"):
        if isinstance(values.get(key), str):
            values[key] = strip_controls(values[key])
    for key in ("products", "objections"):
        if key in values:
            values[key] = list(values[key] or [])
    if "client" in values and (not isinstance(values["client"], str) or not name_key(values["client"])):
        raise TrackerError("客户名字是空的。")
    if "raw_text" in values and (not isinstance(values["raw_text"], str) or not values["raw_text"].strip()):
        raise TrackerError("消息是空的。")
    probe = ParsedNote(raw_text="x", sentiment=values.get("sentiment", "neutral"),
                       risk_level=values.get("risk_level"), amount_cny=values.get("amount_cny"),
                       currency=values.get("currency", "CNY"))
    check_note_fields(probe)
    return values
