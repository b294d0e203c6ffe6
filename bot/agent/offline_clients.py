"""Offline answers about the adviser's own clients: a call prep from the tracker, tracker questions."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from bot.agent.composer import Context, Draft, Request
from bot.agent.cues import clauses
from bot.agent.playbooks import CallPlan, ClientType, FirstMeeting, Objection, Playbooks, SpinQuestion
from bot.agent.router import Router
from bot.agent.slots import fill
from bot.agent.talk_tracks import circumstance_lines, industry_lines, product_lines
from bot.agent.tools import AgentTools, format_amount, render_due, render_profile, tier_label
from bot.agent.wording import CHINESE, Wording, wording_for, wording_showing
from bot.tracker.records import ClientProfile

HISTORY_NOTES = 3  # the latest notes shown before a call: enough to pick up the thread, short to read
NOTE_CHARS = 80


def prep_draft(request: Request, context: Context, playbooks: Playbooks, router: Router) -> Draft:
    """A call plan from the client's record: who they are, what happened, the goal, what to say. In English
    when the adviser wrote English; the client's notes are quoted as written."""
    profile = context.profile.profile if context.profile else None
    s = profile.summary
    occasion = next((e for e in request.route.entries if isinstance(e, FirstMeeting)), None)
    said = [n.note.raw_text for n in profile.notes[:HISTORY_NOTES]]
    objections = _open_objections(profile.open_objections + said, router)[:2]
    shown = [e for e in (occasion, context.client_type, *objections) if e is not None]
    w = wording_showing(request.english, shown)
    plan = playbooks.call_plan["en" if w.english else "zh"]
    sentiment = s.sentiment or "neutral"
    mood = sentiment if sentiment in plan.goals else "neutral"
    lines = _record_lines(profile, w, plan)
    lines.append(f"\n🎯 {w.goal}{plan.goals[mood]}")
    if occasion is not None:  # "王总生日 打个电话": what this occasion takes, from the library
        occasion = w.of(occasion)
        lines.append(w.occasion.format(title=occasion.title, goal=occasion.goal))
        lines += [f"- {fill(p, context.slots)}" for p in occasion.points[:3]]
    topic = plan.name(profile.products[0]) if profile.products else plan.default_topic
    lines.append(w.opener + w.quote_mark.format(plan.openers[mood].format(name=s.name, topic=topic)))
    cell = playbooks.grid.get((s.familiarity, sentiment))
    if cell:
        lines.append(w.grid_approach + cell.approach_in(w.english))
    if context.client_type is not None:
        ct = w.of(context.client_type)
        lines.append(w.to_find_out.format(name=ct.name))
        lines += [f"- {fill(q.ask, context.slots)}{w.aside.format(q.probes)}" for q in one_per_stage(ct)]
    lines += industry_lines(context.industry, w)
    lines += circumstance_lines(context.circumstances, w)
    lines += product_lines(context.product_note, w)  # "这次想聊教育金": what to get right about it
    if objections:
        lines.append(w.likely_objections)
        for o in map(w.of, objections):
            lines += [f"• {o.title}{w.colon}{w.quote_mark.format(fill(o.say[0], context.slots))}",
                      w.ask_again + o.ask_next[0]]
    if s.risk_level and profile.products:
        lines.append(w.compliance + plan.compliance.format(risk_level=s.risk_level))
    per_month = playbooks.contacts_per_month.get(s.tier or "")
    cadence = w.contacts_due.format(n=per_month) if per_month else ""
    lines.append(w.next_step + plan.next_steps[mood] + cadence)
    return Draft("\n".join(lines), list(context.cited), english=w.english)


def _record_lines(profile: ClientProfile, w: Wording, plan: CallPlan) -> list[str]:
    """Who the client is and what happened: the record's head, the latest notes (as written), the products
    and amount talked about, the open follow-ups."""
    s = profile.summary
    sentiment = s.sentiment or "neutral"
    lines = [w.plan_head.format(name=s.name, tier=tier_label(s.tier, w), risk=s.risk_level or w.unknown,
                                familiarity=w.familiarities.get(s.familiarity, s.familiarity),
                                emotion=w.emotions.get(sentiment, sentiment))]
    if profile.notes:
        lines.append(w.earlier_notes)
        lines += [f"- {n.created_at:%m-%d}{w.colon}{n.note.raw_text[:NOTE_CHARS]}"
                  for n in profile.notes[:HISTORY_NOTES]]
    if profile.products or profile.max_amount_cny:
        amount = (w.amount_about.format(amount=format_amount(profile.max_amount_cny, w))
                  if profile.max_amount_cny else "")
        products = w.listing.join(plan.name(p) for p in profile.products) or "—"
        lines.append(f"{w.products_discussed}{products}{amount}")
    if profile.open_follow_ups:
        lines.append(w.follow_ups + w.listing.join(d.isoformat() for d in profile.open_follow_ups))
    return lines


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
        entry = router.match(part, ("objection",), floor=router.second_concern)
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
    """The adviser's clients: the nine-grid (or one mood's clients), one client's record, or who to follow
    up; in English when the adviser wrote English."""
    text, adviser_id, w = request.text, request.adviser_id, wording_for(request.english)
    emotion = next((e for e, cn in CHINESE.emotions.items() if cn in text), None)
    if re.search(r"积极型|positive", text):
        emotion = "positive"
    elif w.english:
        emotion = next((e for e in w.emotions if re.search(rf"\b{e}\b", text, re.I)), emotion)
    if emotion or "九宫格" in text or "分布" in text or (w.english and re.search(r"\bgrid\b", text, re.I)):
        return _grid_draft(tools, playbooks, adviser_id, emotion, w)
    name = request.route.client
    asks_who = r"跟进谁|联系谁|哪些" + (r"|\bwho\b|\bwhich\b" if w.english else "")
    if name and not re.search(asks_who, text, re.I):
        result = context.profile or tools.client_profile(adviser_id, name)
        if result.profile is None:
            return Draft(w.no_record.format(name=name), english=w.english)
        s = result.profile.summary
        cell = playbooks.grid.get((s.familiarity, s.sentiment or "neutral"))
        names = playbooks.call_plan["en" if w.english else "zh"].names
        return Draft(render_profile(result.profile, w, names)
                     + (w.suggestion + cell.approach_in(w.english) if cell else ""), english=w.english)
    days = _days_asked(text, request.now)
    due = tools.due_followups(adviser_id, days=days, today=request.now.date())
    if not due.items:
        return Draft(w.nothing_due_today if days == 0 else w.nothing_due.format(days=days), english=w.english)
    head = w.due_heading.format(n=len(due.items))
    items = sorted(due.items, key=lambda i: -i.overdue_days)
    return Draft(head + "\n" + "\n".join(f"- {render_due(i, w)}" for i in items[:15]), english=w.english)


def _grid_draft(tools: AgentTools, playbooks: Playbooks, adviser_id: int, emotion: str | None,
                w: Wording) -> Draft:
    lines = []
    for (fam, emo), clients in sorted(tools.client_grid(adviser_id).grid.items()):
        if not clients or (emotion and emo != emotion):
            continue
        lines.append(w.grid_row.format(familiarity=w.familiarities.get(fam, fam),
                                       emotion=w.emotions.get(emo, emo),
                                       names=w.listing.join(c.name for c in clients)))
        cell = playbooks.grid.get((fam, emo))
        if cell:
            lines.append(w.grid_row_approach + cell.approach_in(w.english))
    if not lines:
        label = w.emotions.get(emotion, "") if emotion else ""
        return Draft(w.no_clients_of.format(emotion=label) if label else w.no_clients, english=w.english)
    head = w.clients_of.format(emotion=w.emotions[emotion]) if emotion else w.grid_heading
    return Draft(head + "\n" + "\n".join(lines), english=w.english)
