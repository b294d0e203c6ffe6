"""Talk tracks rendered for the adviser: short lines that read on a phone, slots filled from the
question. Plain functions from a playbook entry (and slots) to text; no model, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

from bot.agent.playbooks import (
    Circumstance,
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
from bot.agent.wording import CHINESE, Wording


def objection_text(objections: Sequence[Objection], slots: Slots, alternative: Objection | None = None,
                   product: ProductNote | None = None, w: Wording = CHINESE,
                   circumstances: Sequence[Circumstance] = ()) -> str:
    """One concern with its full talk track (and another reading), or several answered point by point;
    then what the client's situation means and what the product they are about is."""
    objections = [w.of(o) for o in objections]
    if len(objections) == 1:
        lines = _objection_lines(objections[0], slots, w)
        if alternative is not None:
            alternative = w.of(alternative)
            lines += ["", w.if_client_means.format(title=alternative.title),
                      _quoted(fill(alternative.say[0], slots), w),
                      f"- {w.ask_next_inline}{fill(alternative.ask_next[0], slots)}"]
    else:
        lines = [w.concerns.format(n=len(objections)) + slots.described(w.english)]
        for i, o in enumerate(objections, 1):
            lines += ["", f"{'①②③'[i - 1]}{_titled(o.title, w)}", f"{w.behind}{o.why}", w.say]
            lines += [_quoted(fill(line, slots), w) for line in o.say[:2]]
            lines.append(f"{w.ask_next_inline}{fill(o.ask_next[0], slots)}")
        lines += ["", w.never + _joined((o.never[0] for o in objections), w)]
    situation = circumstance_lines(circumstances, w, questions=1)
    return "\n".join(lines + ([""] + situation if situation else []) + product_lines(product, w))


Note = TypeVar("Note", Industry, ProductNote, Circumstance)


def _note_in(note: Note | None, w: Wording) -> Note | None:
    """A line-of-business or product note in the adviser's language: for English its English version, None
    when the trainers have not written one (the answer leaves it out rather than mix languages)."""
    return note.english if note is not None and w.english else note


def product_lines(product: ProductNote | None, w: Wording = CHINESE) -> list[str]:
    """What the product the client worries about is, how money comes out early, what never to say."""
    product = _note_in(product, w)
    if product is None:
        return []
    return ["", w.product_note.format(name=product.name, facts=product.facts),
            w.early_money + product.liquidity, w.never_say + product.never]


def _titled(title: str, w: Wording) -> str:
    return w.title_mark.format(title)


def _quoted(line: str, w: Wording, bullet: str = "- ") -> str:
    return bullet + w.quote_mark.format(line)


def _joined(items: Iterable[str], w: Wording) -> str:
    """Lines in a row: a Chinese line's full stop gives way to the joiner ("…收益；不要…。")."""
    items = list(items)
    return w.joiner.join([item.removesuffix("。") for item in items[:-1]] + items[-1:])


def _objection_lines(o: Objection, slots: Slots, w: Wording) -> list[str]:
    lines = [_titled(o.title, w) + slots.described(w.english), f"{w.why}{o.why}", w.say]
    lines += [_quoted(fill(line, slots), w, f"{i}. ") for i, line in enumerate(o.say, 1)]
    lines.append(w.ask_next)
    lines += [f"- {fill(q, slots)}" for q in o.ask_next]
    lines.append(w.never + _joined(o.never, w))
    return lines


def industry_lines(industry: Industry | None, w: Wording = CHINESE) -> list[str]:
    """What the client's line of business means for their money, and the questions only it raises."""
    industry = _note_in(industry, w)
    if industry is None:
        return []
    lines = [w.industry_note.format(name=industry.name, money=industry.money)]
    return lines + [f"- {q}" for q in industry.ask]


def circumstance_lines(circumstances: Sequence[Circumstance], w: Wording = CHINESE, *,
                       questions: int = 2) -> list[str]:
    """What each life event the adviser mentions means for the client's money and the talk, and the
    questions only it raises (left out of an English answer when the trainers wrote no English)."""
    lines: list[str] = []
    for circumstance in circumstances:
        note = _note_in(circumstance, w)
        if note is not None:
            lines.append(w.circumstance_note.format(name=note.name, means=note.means))
            lines += [f"- {q}" for q in note.ask[:questions]]
    return lines


def discovery_text(ct: ClientType, slots: Slots, industry: Industry | None = None,
                   w: Wording = CHINESE, circumstances: Sequence[Circumstance] = ()) -> str:
    ct = w.of(ct)
    lines = [_titled(ct.name, w) + (" " if w.english else "") + ct.traits + slots.described(w.english),
             w.icebreaker]
    lines += [_quoted(fill(line, slots), w) for line in ct.icebreaker]
    lines.append(w.spin)
    lines += [f"{i}. [{w.stage_names[q.stage]}] {fill(q.ask, slots)}{w.probes.format(probes=q.probes)}"
              for i, q in enumerate(ct.spin, 1)]
    lines += industry_lines(industry, w)
    lines += circumstance_lines(circumstances, w)
    lines += w.discovery_reminders
    if ct.never:
        lines.append(w.do_not + _joined(ct.never, w))
    return "\n".join(lines)


def first_meeting_text(fm: FirstMeeting, ct: ClientType | None, playbooks: Playbooks, slots: Slots,
                       industry: Industry | None = None, product: ProductNote | None = None, *,
                       also: FirstMeeting | None = None, w: Wording = CHINESE,
                       circumstances: Sequence[Circumstance] = ()) -> str:
    """`also`: a second occasion the meeting is (陪行长 to a client the adviser inherited): its points too."""
    fm = w.of(fm)
    opener = _quoted(fill(fm.opener, slots), w, bullet="")
    lines = [w.meeting.format(title=fm.title) + slots.described(w.english), w.goal + fm.goal,
             w.opener + opener, w.points]
    lines += [f"- {fill(p, slots)}" for p in fm.points]
    if also is not None:
        also = w.of(also)
        lines.append(w.also.format(title=also.title))
        lines += [f"- {fill(p, slots)}" for p in also.points[:3]]
    if ct is not None:
        ct = w.of(ct)
        lines.append(w.have_questions.format(name=ct.name))
        lines += [f"{i}. {fill(q.ask, slots)}" for i, q in enumerate(ct.spin[:4], 1)]
    lines += industry_lines(industry, w)
    lines += circumstance_lines(circumstances, w)
    lines += product_lines(product, w)  # the product the meeting is to be about: what to get right
    likely = [w.of(o) for o in (playbooks.entry(i) for i in fm.likely_objections) if isinstance(o, Objection)]
    if likely:
        lines.append(w.likely_concerns)
        lines += [f"- {o.title}{w.colon}{_quoted(fill(o.say[0], slots), w, bullet='')}"
                  for o in likely[:3]]
    lines.append(w.next_step + fill(fm.next_step, slots))
    return "\n".join(lines)


def compliance_text(rule: ComplianceRule, slots: Slots, w: Wording = CHINESE) -> str:
    verdict = rule.verdict  # the Chinese entry's: the English version says it in English
    rule = w.of(rule)
    lines = [w.verdict.format(verdict=w.verdicts[verdict], rule=fill(rule.rule, slots)), w.because + rule.why,
             w.instead if verdict != "可以" else w.make_sure]
    lines += [f"- {fill(step, slots)}" for step in rule.instead]
    return "\n".join(lines)


def method_text(m: Method, slots: Slots, alternative: Method | None = None, w: Wording = CHINESE) -> str:
    """The course's method; `alternative`: a method as near to the question, in brief after it."""
    m = w.of(m)
    lines = [_titled(m.title, w)] + [fill(line, slots) for line in m.answer]
    if m.ask_next:
        lines.append(w.think_about)
        lines += [f"- {q}" for q in m.ask_next]
    if alternative is not None:
        alternative = w.of(alternative)
        lines += ["", w.if_you_mean.format(title=alternative.title)]
        lines += [fill(line, slots) for line in alternative.answer[:2]]
    return "\n".join(lines)
