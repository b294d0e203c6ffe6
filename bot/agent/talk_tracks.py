"""Talk tracks rendered for the adviser: short lines that read on a phone, slots filled from the
question. Plain functions from a playbook entry (and slots) to text; no model, no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.agent.playbooks import (
    ClientType,
    ComplianceRule,
    FirstMeeting,
    Industry,
    Method,
    Objection,
    Playbooks,
    ProductNote,
)
from bot.agent.slots import Slots, fill

STAGE_NAMES = {"situation": "背景", "problem": "难点", "implication": "影响", "need_payoff": "价值"}


def objection_text(objections: Sequence[Objection], slots: Slots, alternative: Objection | None = None,
                   product: ProductNote | None = None) -> str:
    """One concern with its full talk track (and another reading), or several answered point by point;
    then what the product they are about is."""
    if len(objections) == 1:
        lines = _objection_lines(objections[0], slots)
        if alternative is not None:
            lines += ["", f"如果客户其实是【{alternative.title}】：",
                      f"- “{fill(alternative.say[0], slots)}”",
                      f"- 接着问：{fill(alternative.ask_next[0], slots)}"]
    else:
        lines = [f"客户这段话里有 {len(objections)} 个顾虑，逐条接：{slots.described()}"]
        for i, o in enumerate(objections, 1):
            lines += ["", f"{'①②③'[i - 1]}【{o.title}】", f"背后：{o.why}", "可以这样说："]
            lines += [f"- “{fill(line, slots)}”" for line in o.say[:2]]
            lines.append(f"接着问：{fill(o.ask_next[0], slots)}")
        lines += ["", "千万别：" + "；".join(o.never[0] for o in objections)]
    return "\n".join(lines + product_lines(product))


def product_lines(product: ProductNote | None) -> list[str]:
    """What the product the client worries about is, how money comes out early, what never to say."""
    if product is None:
        return []
    return ["", f"产品要点（{product.name}）：{product.facts}", f"- 急用钱：{product.liquidity}",
            f"- 别说：{product.never}"]


def _objection_lines(o: Objection, slots: Slots) -> list[str]:
    lines = [f"【{o.title}】{slots.described()}", f"背后原因：{o.why}", "可以这样说："]
    lines += [f"{i}. “{fill(line, slots)}”" for i, line in enumerate(o.say, 1)]
    lines.append("接着问：")
    lines += [f"- {fill(q, slots)}" for q in o.ask_next]
    lines.append("千万别：" + "；".join(o.never))
    return lines


def industry_lines(industry: Industry | None) -> list[str]:
    """What the client's line of business means for their money, and the questions only it raises."""
    if industry is None:
        return []
    return [f"行业要点（{industry.name}）：{industry.money}"] + [f"- {q}" for q in industry.ask]


def discovery_text(ct: ClientType, slots: Slots, industry: Industry | None = None) -> str:
    lines = [f"【{ct.name}】{ct.traits}{slots.described()}", "破冰："]
    lines += [f"- “{fill(line, slots)}”" for line in ct.icebreaker]
    lines.append("再按 SPIN 顺序问（背景→难点→影响→价值），多用开放式问题：")
    lines += [f"{i}. [{STAGE_NAMES[q.stage]}] {fill(q.ask, slots)}（摸：{q.probes}）"
              for i, q in enumerate(ct.spin, 1)]
    lines += industry_lines(industry)
    lines.append("提醒：客户认可了需求再讲方案；不方便说的不追问。")
    lines.append("下一步：把听到的需求用客户自己的话复述一遍请他确认，约下次带着方案再谈。")
    if ct.never:
        lines.append("别做：" + "；".join(ct.never))
    return "\n".join(lines)


def first_meeting_text(fm: FirstMeeting, ct: ClientType | None, playbooks: Playbooks, slots: Slots,
                       industry: Industry | None = None, product: ProductNote | None = None, *,
                       also: FirstMeeting | None = None) -> str:
    """`also`: a second occasion the meeting is (陪行长 to a client the adviser inherited): its points too."""
    lines = [f"【{fm.title}】见面前的准备{slots.described()}", f"目标：{fm.goal}",
             f"开场：“{fill(fm.opener, slots)}”", "要点："]
    lines += [f"- {fill(p, slots)}" for p in fm.points]
    if also is not None:
        lines.append(f"这次还是{also.title}，也要做到：")
        lines += [f"- {fill(p, slots)}" for p in also.points[:3]]
    if ct is not None:
        lines.append(f"备好这几个问题（{ct.name}）：")
        lines += [f"{i}. {fill(q.ask, slots)}" for i, q in enumerate(ct.spin[:4], 1)]
    lines += industry_lines(industry)
    lines += product_lines(product)  # the product the meeting is to be about: what to get right
    likely = [o for o in (playbooks.entry(i) for i in fm.likely_objections) if isinstance(o, Objection)]
    if likely:
        lines.append("可能听到的顾虑：")
        lines += [f"- {o.title}：“{fill(o.say[0], slots)}”" for o in likely[:3]]
    lines.append(f"下一步：{fill(fm.next_step, slots)}")
    return "\n".join(lines)


def compliance_text(rule: ComplianceRule, slots: Slots) -> str:
    lines = [f"{rule.verdict}。{fill(rule.rule, slots)}", f"为什么：{rule.why}",
             "可以这样做：" if rule.verdict != "可以" else "要做到："]
    lines += [f"- {fill(step, slots)}" for step in rule.instead]
    return "\n".join(lines)


def method_text(m: Method, slots: Slots, alternative: Method | None = None) -> str:
    """The course's method; `alternative`: a method as near to the question, in brief after it."""
    lines = [f"【{m.title}】"] + [fill(line, slots) for line in m.answer]
    if m.ask_next:
        lines.append("可以想一想：")
        lines += [f"- {q}" for q in m.ask_next]
    if alternative is not None:
        lines += ["", f"如果你问的是【{alternative.title}】："]
        lines += [fill(line, slots) for line in alternative.answer[:2]]
    return "\n".join(lines)
