"""The daily digest: an adviser's due and overdue follow-ups, each with a two-line brief.

Channel-free text (the Telegram job sends it); built from the tracker and the call plan's openers
(knowledge/playbooks/call_plan.yaml).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.agent.playbooks import CallPlan
from bot.agent.tools import render_due
from bot.agent.wording import CHINESE

SNIPPET = 40


def digest_text(tracker: Any, adviser_id: int, today: date, *, plan: CallPlan, limit: int = 15) -> str | None:
    """None when nothing is due: a digest with nothing in it is noise, so it is not sent. `plan`: the call
    plan's Chinese words (the library's `call_plan["zh"]`)."""
    items = tracker.due_followups(adviser_id, within_days=0, today=today)
    if not items:
        return None
    lines = [f"☀️ 今日跟进（{today:%m-%d}）：{len(items)} 位客户"]
    for item in items[:limit]:
        lines.append("")
        lines.append("• " + render_due(item).split("｜")[0])
        lines.extend(_brief(tracker, adviser_id, item, plan))
    if len(items) > limit:
        lines.append(f"\n……还有 {len(items) - limit} 位，发 /followups 查看全部。")
    lines.append("\n发 /prep 客户名 准备通话；/digest off 关闭每日提醒。")
    return "\n".join(lines)


def _brief(tracker: Any, adviser_id: int, item: Any, plan: CallPlan) -> list[str]:
    name = item.client.name
    profile = tracker.client_profile(adviser_id, name)
    last = (item.last_note or "").replace("\n", " ")
    objection = profile.open_objections[0] if profile and profile.open_objections else None
    first = f"  上次：{last[:SNIPPET]}" if last else "  上次：还没有拜访记录"
    if objection:
        first += f"｜顾虑：{objection}"
    topic = profile.products[0] if profile and profile.products else plan.default_topic
    template = plan.openers.get(item.client.sentiment or "neutral", plan.openers["neutral"])
    opener = CHINESE.quote_mark.format(template.format(name=name, topic=topic))
    return [first, f"  开场：{opener}"]
