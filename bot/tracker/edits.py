"""Validation of note fields before they reach the database (messages are user-facing)."""

from __future__ import annotations

import re
from datetime import date

from bot.tracker.errors import TrackerError
from bot.tracker.names import name_key
from bot.tracker.note import SENTIMENTS, ParsedNote

_RISK = re.compile(r"^C[1-5]$")
EDITABLE_FIELDS = {"client", "amount_cny", "products", "sentiment", "objections", "next_step", "follow_up_on",
                   "risk_level", "raw_text"}


def check_note_fields(note: ParsedNote) -> None:
    if note.sentiment not in SENTIMENTS:
        raise TrackerError(f"Sentiment must be one of {', '.join(SENTIMENTS)}.")
    if note.risk_level is not None and not _RISK.match(note.risk_level):
        raise TrackerError("Risk level must be C1 to C5.")


def coerce_fields(fields: dict[str, object]) -> dict[str, object]:
    values = dict(fields)
    if "follow_up_on" in values and isinstance(values["follow_up_on"], str):
        try:
            values["follow_up_on"] = date.fromisoformat(values["follow_up_on"])
        except ValueError as error:
            raise TrackerError("Follow-up date must be YYYY-MM-DD.") from error
    if "risk_level" in values and isinstance(values["risk_level"], str):
        values["risk_level"] = values["risk_level"].strip().upper() or None
    if "amount_cny" in values and values["amount_cny"] is not None:
        values["amount_cny"] = int(values["amount_cny"])
    for key in ("products", "objections"):
        if key in values:
            values[key] = list(values[key] or [])
    if "client" in values and (not isinstance(values["client"], str) or not name_key(values["client"])):
        raise TrackerError("Client name is empty.")
    if "raw_text" in values and (not isinstance(values["raw_text"], str) or not values["raw_text"].strip()):
        raise TrackerError("The message is empty.")
    probe = ParsedNote(raw_text="x", sentiment=values.get("sentiment", "neutral"),
                       risk_level=values.get("risk_level"))
    check_note_fields(probe)
    return values
