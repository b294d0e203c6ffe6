"""Talk tracks as text: a meeting plan with a second occasion says what that occasion takes too."""

from __future__ import annotations

from dataclasses import replace

from bot.agent.playbooks import FirstMeeting, Playbooks
from bot.agent.slots import Slots
from bot.agent.talk_tracks import first_meeting_text


def test_a_second_occasion_adds_its_points_under_its_title(library: Playbooks) -> None:
    plan = library.entry("owner_first_visit")
    assert isinstance(plan, FirstMeeting)
    with_boss = replace(plan, id="with_boss", title="陪行长见客户", points=("会前和领导分好工", "你负责记录"))
    text = first_meeting_text(plan, None, library, Slots(), also=with_boss)
    assert "这次还是陪行长见客户，也要做到：\n- 会前和领导分好工\n- 你负责记录" in text
    assert "陪行长见客户" not in first_meeting_text(plan, None, library, Slots())


def test_a_course_method_as_near_as_the_first_follows_it_in_brief(library: Playbooks) -> None:
    from bot.agent.playbooks import Method
    from bot.agent.talk_tracks import method_text

    grid = library.entry("m_grid")
    assert isinstance(grid, Method)
    tiers = replace(grid, id="m_tiers", title="客户分层",
                    answer=("按资产分层。", "分层定频率。", "第三行不出现。"))
    text = method_text(grid, Slots(), tiers)
    assert text.startswith(f"【{grid.title}】")
    assert "如果你问的是【客户分层】：\n按资产分层。\n分层定频率。" in text
    assert "第三行不出现" not in text


def test_an_english_talk_track_is_english_from_heading_to_never(library: Playbooks) -> None:
    from bot.agent.playbooks import Objection
    from bot.agent.talk_tracks import objection_text
    from bot.agent.wording import ENGLISH

    chinese = next(o for o in library.objections)
    english = replace(chinese, title="Returns too low", why="They compare with deposits.",
                      say=("I understand {product|this product} looks low.", "Let's look at the term."),
                      ask_next=("When will you need the money?",), never=("Don't promise returns.",))
    objection = replace(chinese, english=english)
    assert isinstance(objection, Objection)
    text = objection_text([objection], Slots(product="funds", amount="50万"), w=ENGLISH)
    assert text.startswith("[Returns too low] (product: funds, amount: 50万)")
    assert '1. "I understand funds looks low."' in text and "Then ask:" in text
    assert text.endswith("Never: Don't promise returns.")
    assert "背后原因" not in text and "可以这样说" not in text
    # Without the English wording the same entry answers in Chinese.
    assert objection_text([objection], Slots()).startswith(f"【{chinese.title}】")


def test_an_english_compliance_answer_says_not_allowed_first(library: Playbooks) -> None:
    from bot.agent.playbooks import ComplianceRule
    from bot.agent.talk_tracks import compliance_text
    from bot.agent.wording import ENGLISH

    rule = next(e for e in library.of_kind("compliance")
                if isinstance(e, ComplianceRule) and e.verdict == "不行")
    english = replace(rule, rule="You may not promise principal.", why="Only deposits are protected.",
                      instead=("Explain the risk level.",))
    text = compliance_text(replace(rule, english=english), Slots(), ENGLISH)
    assert text.splitlines()[:3] == ["Not allowed. You may not promise principal.",
                                     "Why: Only deposits are protected.", "What to do instead:"]
