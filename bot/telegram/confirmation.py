"""The text confirming a logged note, as the adviser reads it in Telegram.

Dates carry their weekday ("12月31日（周四）") so an inferred "下周三" can be checked at a glance; the
hint points to the buttons under the message, not to a command.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.agent.tools import EMOTION_CN
from bot.tracker.cn_calendar import format_day
from bot.tracker.currency import format_money

BUTTONS_HINT = "有记错的地方？点下面的 ✏️ 更正 或 ↩️ 撤销。"


def note_lines(saved: Any, today: date | None = None) -> list[str]:
    """What was understood from the message, one field a line."""
    note = saved.note
    lines = [f"客户：{saved.client_name}" + ("（新建客户）" if saved.created_client else "")]
    if note.amount_cny:
        lines.append(f"金额：{format_money(note.amount_cny, note.currency)}")
    if note.products:
        lines.append("产品：" + "、".join(note.products))
    lines.append("情绪：" + EMOTION_CN.get(note.sentiment, note.sentiment))
    if note.objections:
        lines.append("顾虑：" + "、".join(note.objections))
    if note.risk_level:
        lines.append(f"风险等级：{note.risk_level}")
    if note.next_step:
        lines.append(f"下一步：{note.next_step}")
    lines.append("跟进：" + (format_day(note.follow_up_on, today) if note.follow_up_on else "未设置"))
    return lines


def confirmation_text(saved: Any, today: date | None = None, *, corrected: bool = False) -> str:
    head = "✏️ 已更正：" if corrected else "✅ 已记录："
    return "\n".join([head, *note_lines(saved, today), "", BUTTONS_HINT])


def sentiment_label(sentiment: str) -> str:
    return EMOTION_CN.get(sentiment, sentiment)
