"""The course's client classification: tier from assets, contact cadence per tier, familiarity
(contact history) x emotion (latest notes). Pure functions, no database."""

from __future__ import annotations

from datetime import datetime

DEFAULT_TIER_THRESHOLDS_CNY = [200_000, 1_000_000, 6_000_000]
# Index 0: below the first threshold (or assets unknown); index i: tier i.
DEFAULT_CONTACTS_PER_MONTH = [1, 2, 2, 4]
DAYS_PER_MONTH = 30

# Familiarity thresholds: one note and no holdings known = new; a few notes over a month, or a few
# notes with holdings known, = close; anything between = acquainted.
CLOSE_NOTES = 5
CLOSE_NOTES_WITH_HISTORY = 3
CLOSE_SPAN_DAYS = 30


def format_cny(amount: int) -> str:
    if amount >= 100_000_000 and amount % 10_000_000 == 0:
        return f"{amount / 100_000_000:g}亿"
    if amount >= 10_000:
        return f"{amount / 10_000:g}万"
    return f"{amount}元"


def tier_index(assets_cny: int | None, thresholds: list[int]) -> int | None:
    """0 below the first threshold, i when assets reach thresholds[i-1]; None when unknown."""
    if assets_cny is None:
        return None
    return sum(1 for threshold in thresholds if assets_cny >= threshold)


def tier_label(assets_cny: int | None, thresholds: list[int]) -> str | None:
    index = tier_index(assets_cny, thresholds)
    if index is None:
        return None
    if index == 0:
        return f"<{format_cny(thresholds[0])}" if thresholds else None
    return f"{format_cny(thresholds[index - 1])}+"


def cadence_days(assets_cny: int | None, thresholds: list[int], contacts_per_month: list[int]) -> int | None:
    """Longest gap between contacts for this client's tier (unknown assets count as the lowest tier)."""
    index = tier_index(assets_cny, thresholds) or 0
    if not contacts_per_month:
        return None
    per_month = contacts_per_month[min(index, len(contacts_per_month) - 1)]
    if per_month <= 0:
        return None
    return max(1, DAYS_PER_MONTH // per_month)


def familiarity(notes_count: int, first_contact: datetime | None, last_contact: datetime | None,
                assets_cny: int | None) -> str:
    span_days = (last_contact - first_contact).days if first_contact and last_contact else 0
    if notes_count >= CLOSE_NOTES:
        return "close"
    if notes_count >= CLOSE_NOTES_WITH_HISTORY and (span_days >= CLOSE_SPAN_DAYS or assets_cny is not None):
        return "close"
    if notes_count <= 1 and assets_cny is None:
        return "new"
    return "acquainted"


def emotion(sentiments_newest_first: list[str]) -> str | None:
    """The latest note decides; a neutral latest note keeps the previous note's feeling (a client
    who pushed back last time and said nothing new is still resistant)."""
    if not sentiments_newest_first:
        return None
    latest = sentiments_newest_first[0]
    if latest == "neutral" and len(sentiments_newest_first) > 1:
        return sentiments_newest_first[1]
    return latest
