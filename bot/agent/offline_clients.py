"""Offline answers about the adviser's own clients: a call prep from the tracker, tracker questions."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from bot.agent.composer import Context, Draft, Request
from bot.agent.cues import clauses
from bot.agent.playbooks import ClientType, FirstMeeting, Objection, Playbooks, SpinQuestion
from bot.agent.router import Router
from bot.agent.slots import fill
from bot.agent.talk_tracks import industry_lines, product_lines
from bot.agent.tools import EMOTION_CN, FAMILIARITY_CN, AgentTools, format_cny, render_due

GOALS = {"resistant": "先修复信任、化解顾虑，不急着推产品，争取下一次见面的机会。",
         "neutral": "摸清需求和资金安排，把客户从“了解一下”推进到具体方案。",
         "positive": "把兴趣落到具体方案上：确认金额、期限和风险等级，争取推进成交。"}
OPENERS = {"resistant": "“{name}，上次您提到的顾虑我一直记着，今天不谈产品，就想听听您的想法。”",
           "neutral": "“{name}，上次聊完我专门整理了一些资料，想跟您对一下您最关心的几个问题。”",
           "positive": "“{name}，上次您对{topic}挺感兴趣，我把方案按您的情况细化了一下，给您过一遍。”"}
HISTORY_NOTES = 3  # the latest notes shown before a call: enough to pick up the thread, short to read
NOTE_CHARS = 80
NEXT_STEPS = {"resistant": "约一次不谈产品的回访（两周内），先把现有资产梳理一遍给他。",
              "neutral": "提出做一份一页纸的资产配置方案，约下次面谈时间讲方案。",
              "positive": "约定签约/认购时间，提前准备好风险测评和所需材料。"}


def prep_draft(request: Request, context: Context, playbooks: Playbooks, router: Router) -> Draft:
    """A call plan from the client's record: who they are, what happened, the goal, what to say."""
    profile = context.profile.profile if context.profile else None
    s = profile.summary
    sentiment = s.sentiment or "neutral"
    familiarity = FAMILIARITY_CN.get(s.familiarity, s.familiarity)
    lines = [f"【{s.name}】{s.tier or '层级未知'}｜风险等级 {s.risk_level or '未知'}｜"
             f"{familiarity}｜情绪 {EMOTION_CN.get(sentiment, sentiment)}"]
    if profile.notes:
        lines.append("之前的记录（新的在前）：")
        lines += [f"- {n.created_at:%m-%d}：{n.note.raw_text[:NOTE_CHARS]}"
                  for n in profile.notes[:HISTORY_NOTES]]
    if profile.products or profile.max_amount_cny:
        amount = f"，金额约 {format_cny(profile.max_amount_cny)}" if profile.max_amount_cny else ""
        lines.append(f"谈过的产品：{'、'.join(profile.products) or '—'}{amount}")
    if profile.open_follow_ups:
        lines.append("待跟进：" + "、".join(d.isoformat() for d in profile.open_follow_ups))
    lines.append(f"\n🎯 目标：{GOALS.get(sentiment, GOALS['neutral'])}")
    occasion = next((e for e in request.route.entries if isinstance(e, FirstMeeting)), None)
    if occasion is not None:  # "王总生日 打个电话": what this occasion takes, from the library
        lines.append(f"这次是【{occasion.title}】：{occasion.goal}")
        lines += [f"- {fill(p, context.slots)}" for p in occasion.points[:3]]
    topic = profile.products[0] if profile.products else "资产配置"
    lines.append("开场：" + OPENERS.get(sentiment, OPENERS["neutral"]).format(name=s.name, topic=topic))
    cell = playbooks.grid.get((s.familiarity, sentiment))
    if cell:
        lines.append(f"打法（九宫格）：{cell.approach}")
    ct = context.client_type
    if ct is not None:
        lines.append(f"要问清楚的（{ct.name}）：")
        lines += [f"- {fill(q.ask, context.slots)}（{q.probes}）" for q in one_per_stage(ct)]
    lines += industry_lines(context.industry)
    lines += product_lines(context.product_note)  # "这次想聊教育金": what to get right about it
    said = [n.note.raw_text for n in profile.notes[:HISTORY_NOTES]]
    objections = _open_objections(profile.open_objections + said, router)
    if objections:
        lines.append("可能的异议和应对：")
        for o in objections[:2]:
            lines += [f"• {o.title}：“{fill(o.say[0], context.slots)}”", f"  再问：{o.ask_next[0]}"]
    if s.risk_level and profile.products:
        lines.append(f"合规：客户风险等级 {s.risk_level}，只推荐不高于该等级的产品，不承诺保本或收益。")
    per_month = playbooks.contacts_per_month.get(s.tier or "")
    lines.append(f"下一步：{NEXT_STEPS.get(sentiment, NEXT_STEPS['neutral'])}"
                 + (f"（按层级每月至少联系 {per_month} 次）" if per_month else ""))
    return Draft("\n".join(lines), list(context.cited))


def one_per_stage(ct: ClientType) -> list[SpinQuestion]:
    """The first question of each SPIN stage: the situation, the problem, what it leads to, the payoff."""
    firsts: dict[str, SpinQuestion] = {}
    for question in ct.spin:
        firsts.setdefault(question.stage, question)
    return list(firsts.values())


def _open_objections(phrases: list[str], router: Router) -> list[Objection]:
    """The talk tracks for what the client raised: the parsed objections and each clause of the notes."""
    found: list[Objection] = []
    parts = [part for phrase in phrases for part in clauses(phrase) or [phrase]]
    router.prime(parts)
    for part in parts:
        entry = router.match(part, ("objection",))
        if isinstance(entry, Objection) and entry not in found:
            found.append(entry)
    return found


def _days_asked(text: str, now: datetime) -> int:
    if re.search(r"今天|\btoday\b", text, re.I):
        return 0
    if re.search(r"明天|\btomorrow\b", text, re.I):
        return 1
    if re.search(r"这(周|星期|礼拜)|本周|\bthis week\b", text, re.I):
        return 6 - now.weekday()
    if re.search(r"下(周|星期|礼拜)|\bnext week\b", text, re.I):
        return 13 - now.weekday()
    if re.search(r"这个月|本月|月底|\bthis month\b", text, re.I):
        nxt = (now.replace(day=28) + timedelta(days=4)).replace(day=1)
        return (nxt.date() - now.date()).days - 1
    return 7


def tracker_draft(request: Request, context: Context, tools: AgentTools, playbooks: Playbooks) -> Draft:
    text, adviser_id = request.text, request.adviser_id
    emotion = next((e for e, cn in EMOTION_CN.items() if cn in text), None)
    if re.search(r"积极型|positive", text):
        emotion = "positive"
    if emotion or "九宫格" in text or "分布" in text:
        return _grid_draft(tools, playbooks, adviser_id, emotion)
    name = request.route.client
    if name and not re.search(r"跟进谁|联系谁|哪些", text):
        result = context.profile or tools.client_profile(adviser_id, name)
        if result.profile is None:
            return Draft(f"客户记录里没有“{name}”。见完客户发我一句话就能记下来。")
        s = result.profile.summary
        cell = playbooks.grid.get((s.familiarity, s.sentiment or "neutral"))
        return Draft(result.text + (f"\n建议：{cell.approach}" if cell else ""))
    days = _days_asked(text, request.now)
    due = tools.due_followups(adviser_id, days=days, today=request.now.date())
    if not due.items:
        span = "今天" if days == 0 else f"未来 {days} 天"
        return Draft(f"{span}没有到期或逾期要跟进的客户。")
    head = f"需要跟进的客户（{len(due.items)} 位，逾期的在前）："
    items = sorted(due.items, key=lambda i: -i.overdue_days)
    return Draft(head + "\n" + "\n".join(f"- {render_due(i)}" for i in items[:15]))


def _grid_draft(tools: AgentTools, playbooks: Playbooks, adviser_id: int, emotion: str | None) -> Draft:
    lines = []
    for (fam, emo), clients in sorted(tools.client_grid(adviser_id).grid.items()):
        if not clients or (emotion and emo != emotion):
            continue
        lines.append(f"{FAMILIARITY_CN.get(fam, fam)} × {EMOTION_CN.get(emo, emo)}："
                     + "、".join(c.name for c in clients))
        cell = playbooks.grid.get((fam, emo))
        if cell:
            lines.append(f"  打法：{cell.approach}")
    if not lines:
        label = EMOTION_CN.get(emotion, "") if emotion else ""
        return Draft(f"目前没有{label}型的客户记录。" if label else "还没有客户记录。")
    head = f"{EMOTION_CN[emotion]}型客户：" if emotion else "客户九宫格（熟悉度 × 情绪）："
    return Draft(head + "\n" + "\n".join(lines))
