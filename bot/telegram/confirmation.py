"""The text confirming a logged note, as the adviser reads it in Telegram.

Dates carry their weekday ("12月31日（周四）") so an inferred "下周三" can be checked at a glance; the
hint points to the buttons under the message, not to a command.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.agent.tools import EMOTION_CN, saved_lines

BUTTONS_HINT = "有记错的地方？点下面的 ✏️ 更正 或 ↩️ 撤销。"


def confirmation_text(saved: Any, today: date | None = None, *, corrected: bool = False) -> str:
    head = "✏️ 已更正：" if corrected else "✅ 已记录："
    return "\n".join([head, *saved_lines(saved, today), "", BUTTONS_HINT])


def sentiment_label(sentiment: str) -> str:
    return EMOTION_CN.get(sentiment, sentiment)
