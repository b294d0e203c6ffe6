"""Client-name keys: forgiving about width, spaces, case and punctuation, strict about the words
(王总 / 王总监 / 老王 are three different people)."""

from __future__ import annotations

import unicodedata


def name_key(name: str) -> str:
    """NFKC (full-width -> half-width), case-folded, without spaces, punctuation or control chars."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] not in "ZPC")


def clean_display_name(name: str) -> str:
    """The name as the adviser wrote it, with outer whitespace and control characters removed."""
    return "".join(ch for ch in name.strip() if unicodedata.category(ch)[0] != "C")[:200]
