"""Offline answers about the adviser's own clients: prep before a call, logging a visit, tracker questions."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from bot.agent.intents import extract_client_name
from bot.agent.offline import (
    _with_sources,
    citation_sources,
    discovery_lines,
    hit_sources,
    match_client_type,
    match_objections,
    merge_sources,
    search,
)
from bot.agent.reply import Reply
from bot.agent.tools import EMOTION_CN, FAMILIARITY_CN, AgentTools, format_cny, render_due

GOALS = {"resistant": "先修复信任、化解顾虑，不急着推产品，争取下一次见面的机会。",
         "neutral": "摸清需求和资金安排，把客户从“了解一下”推进到具体方案。",
         "positive": "把兴趣落到具体方案上：确认金额、期限和风险等级，争取推进成交。"}
OPENERS = {"resistant": "“{name}，上次您提到的顾虑我一直记着，今天不谈产品，就想听听您的想法。”",
           "neutral": "“{name}，上次聊完我专门整理了一些资料，想跟您对一下您最关心的几个问题。”",
           "positive": "“{name}，上次您对{topic}挺感兴趣，我把方案按您的情况细化了一下，给您过一遍。”"}


# -- prep -----------------------------------------------------------------------------------------

def compose_prep(tools: AgentTools, adviser_id: int, text: str, now: datetime) -> Reply:
    pb = tools.playbooks
    name = extract_client_name(text)
    profile = tools.client_profile(adviser_id, name).profile if name else None
    if profile is None:
        return _generic_prep(tools, text, name)
    s = profile.summary
    sentiment = s.sentiment or "neutral"
    familiarity = FAMILIARITY_CN.get(s.familiarity, s.familiarity)
    lines = [f"【{s.name}】{s.tier or '层级未知'}｜风险等级 {s.risk_level or '未知'}｜"
             f"{familiarity}｜情绪 {EMOTION_CN.get(sentiment, sentiment)}"]
    if profile.notes:
        last = profile.notes[0]
        lines.append(f"上次（{last.created_at:%m-%d}）：{last.note.raw_text[:60]}")
    if profile.products or profile.max_amount_cny:
        bits = "、".join(profile.products) or "—"
        amount = f"，金额约 {format_cny(profile.max_amount_cny)}" if profile.max_amount_cny else ""
        lines.append(f"谈过的产品：{bits}{amount}")
    if profile.open_follow_ups:
        due = "、".join(d.isoformat() for d in profile.open_follow_ups)
        lines.append(f"待跟进：{due}")
    cell = pb.grid.get((s.familiarity, sentiment))
    lines.append(f"\n🎯 目标：{GOALS.get(sentiment, GOALS['neutral'])}")
    topic = profile.products[0] if profile.products else "资产配置"
    lines.append("开场：" + OPENERS.get(sentiment, OPENERS["neutral"]).format(name=s.name, topic=topic))
    if cell:
        lines.append(f"打法（九宫格）：{cell.approach}")
    history = " ".join([n.note.raw_text for n in profile.notes[:5]] + profile.open_objections)
    ct = match_client_type(pb, history)
    lines.append("要点：")
    if profile.products:
        lines.append(f"- 围绕{'、'.join(profile.products[:3])}：先确认需求和资金期限，讲清流动性和风险等级。")
    lines += [f"- {q.question}" for q in ct.questions[1:4]]
    objections = []
    for phrase in profile.open_objections:
        for o in match_objections(pb, phrase):
            if o not in objections:
                objections.append(o)
    if sentiment == "resistant" and not objections:
        objections = match_objections(pb, "骗 不信")
    citations = list(ct.citations[:1])
    if objections:
        lines.append("可能的异议和应对：")
        for o in objections[:2]:
            lines.append(f"• {o.name}：“{o.talk_track[0]}”")
            lines.append(f"  再问：{o.ask_next[0]}")
            citations += list(o.citations[:1])
    if s.risk_level and profile.products:
        lines.append(f"合规：客户风险等级 {s.risk_level}，只推荐不高于该等级的产品，不承诺保本或收益。")
    lines.append(f"下一步：{_next_step(sentiment, pb.contacts_per_month.get(s.tier or ''))}")
    hits = search(tools, " ".join(profile.open_objections) or ct.name, k=2)
    sources = merge_sources(hit_sources(hits[:1]), citation_sources(citations))
    return Reply(intent="prep", text=_with_sources("\n".join(lines), sources), sources=sources)


def _next_step(sentiment: str, contacts_per_month: int | None) -> str:
    steps = {"resistant": "约一次不谈产品的回访（两周内），先把现有资产梳理一遍给他。",
             "neutral": "提出做一份一页纸的资产配置方案，约下次面谈时间讲方案。",
             "positive": "约定签约/认购时间，提前准备好风险测评和所需材料。"}
    step = steps.get(sentiment, steps["neutral"])
    return step + (f"（按层级每月至少联系 {contacts_per_month} 次）" if contacts_per_month else "")


def _generic_prep(tools: AgentTools, text: str, name: str | None) -> Reply:
    pb = tools.playbooks
    ct = match_client_type(pb, text)
    who = name or "这位客户"
    lines = [f"客户记录里还没有{who}的信息，先给你一份通用准备；见完发我一句话，我帮你记下来。",
             "🎯 目标：建立信任、摸清需求，约好下一次见面。",
             f"开场：“{who}，今天主要想听听您的想法，看看有什么能帮上忙的。”"]
    lines += discovery_lines(pb, ct, limit=5)
    o = match_objections(pb, "不需要")[0] if match_objections(pb, "不需要") else None
    if o:
        lines.append("可能的异议和应对：")
        lines.append(f"• {o.name}：“{o.talk_track[0]}”")
    lines.append("下一步：提出为客户做一页纸的资产梳理，约定下次面谈时间。")
    sources = citation_sources(ct.citations + (o.citations if o else ()))
    return Reply(intent="prep", text=_with_sources("\n".join(lines), sources), sources=sources)


# -- log ------------------------------------------------------------------------------------------

def compose_log(tools: AgentTools, adviser_id: int, text: str, now: datetime) -> Reply:
    from bot.tracker.service import ClientRequired, TrackerError

    try:
        result = tools.log_visit(adviser_id, text, now)
    except ClientRequired:
        candidates = client_candidates(tools, adviser_id, text)
        ask = "这条拜访记录是哪位客户的？回复客户名字我再保存（还没保存）。"
        if candidates:
            ask += "\n可能是：" + "、".join(candidates)
        return Reply(intent="log", text=ask, needs_client=True, client_candidates=candidates)
    except TrackerError as exc:
        return Reply(intent="log", text=str(exc))
    saved = result.saved
    logged = saved.note.as_json()
    logged["client"] = saved.client_name
    return Reply(intent="log", text=result.text, logged_note=logged, note_id=saved.note_id)


def client_candidates(tools: AgentTools, adviser_id: int, text: str, limit: int = 6) -> list[str]:
    """The adviser's clients that might be meant: sharing a character with the text first, then the rest."""
    try:
        names = tools.client_names(adviser_id)
    except Exception:
        return []
    sharing = [n for n in names if any(ch in text for ch in n if "\u4e00" <= ch <= "\u9fff")]
    rest = [n for n in names if n not in sharing]
    return (sharing + rest)[:limit]


# -- tracker questions ----------------------------------------------------------------------------

def _days_asked(text: str, now: datetime) -> int:
    if "今天" in text:
        return 0
    if "明天" in text:
        return 1
    if re.search(r"这(周|星期|礼拜)|本周", text):
        return 6 - now.weekday()
    if re.search(r"下(周|星期|礼拜)", text):
        return 13 - now.weekday()
    if re.search(r"这个月|本月|月底", text):
        nxt = (now.replace(day=28) + timedelta(days=4)).replace(day=1)
        return (nxt.date() - now.date()).days - 1
    return 7


def compose_tracker(tools: AgentTools, adviser_id: int, text: str, now: datetime) -> Reply:
    emotion = next((e for e, cn in EMOTION_CN.items() if cn in text), None)
    if re.search(r"积极型|positive", text):
        emotion = "positive"
    if emotion or "九宫格" in text or "分布" in text:
        return _grid_answer(tools, adviser_id, emotion)
    name = extract_client_name(text)
    if name and not re.search(r"跟进谁|联系谁|哪些", text):
        profile = tools.client_profile(adviser_id, name)
        if profile.profile is None:
            return Reply(intent="tracker", text=f"客户记录里没有“{name}”。见完客户发我一句话就能记下来。")
        text_out = profile.text
        s = profile.profile.summary
        cell = tools.playbooks.grid.get((s.familiarity, s.sentiment or "neutral"))
        if cell:
            text_out += f"\n建议：{cell.approach}"
        return Reply(intent="tracker", text=text_out)
    days = _days_asked(text, now)
    due = tools.due_followups(adviser_id, days=days, today=now.date())
    if not due.items:
        span = "今天" if days == 0 else f"未来 {days} 天"
        return Reply(intent="tracker", text=f"{span}没有到期或逾期要跟进的客户。")
    head = f"需要跟进的客户（{len(due.items)} 位，逾期的在前）："
    items = sorted(due.items, key=lambda i: -i.overdue_days)
    return Reply(intent="tracker", text=head + "\n" + "\n".join(f"- {render_due(i)}" for i in items[:15]))


def _grid_answer(tools: AgentTools, adviser_id: int, emotion: str | None) -> Reply:
    grid = tools.client_grid(adviser_id).grid
    pb = tools.playbooks
    lines = []
    for (fam, emo), clients in sorted(grid.items()):
        if not clients or (emotion and emo != emotion):
            continue
        names = "、".join(c.name for c in clients)
        lines.append(f"{FAMILIARITY_CN.get(fam, fam)} × {EMOTION_CN.get(emo, emo)}：{names}")
        cell = pb.grid.get((fam, emo))
        if cell:
            lines.append(f"  打法：{cell.approach}")
    if not lines:
        label = EMOTION_CN.get(emotion, "") if emotion else ""
        return Reply(intent="tracker", text=f"目前没有{label}型的客户记录。" if label else "还没有客户记录。")
    head = f"{EMOTION_CN[emotion]}型客户：" if emotion else "客户九宫格（熟悉度 × 情绪）："
    return Reply(intent="tracker", text=head + "\n" + "\n".join(lines))
