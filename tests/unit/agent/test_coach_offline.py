"""The offline composer, one intent at a time, on a fake knowledge base and a real SQLite tracker."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from bot.agent.offline import NOT_COVERED, compose_offline
from bot.tracker.note import ParsedNote
from tests.unit.agent.coach_fakes import RESIST_PASSAGE, TIER_PASSAGE, hit, make_tools

NOW = datetime(2026, 3, 10, 9, 30)  # a Tuesday
ADVISER = 7


@pytest.fixture
def tools(tmp_path: Path):  # noqa: ANN201
    t = make_tools(tmp_path, [hit(RESIST_PASSAGE, 0.91), hit(TIER_PASSAGE, 0.88, section="客户分层")])
    yield t
    t.tracker.close()


def _seed(tools, name: str = "王总", **fields) -> None:  # noqa: ANN001
    note = ParsedNote(raw_text=f"见了{name}，聊了家族信托", client=name, **fields)
    tools.tracker.log_note(ADVISER, note, at=NOW.replace(day=3))


def test_objection_reads_behind_gives_lines_asks_and_cites(tools) -> None:  # noqa: ANN001
    reply = compose_offline(tools, ADVISER, "客户说保险都是骗人的，怎么回？", "objection", NOW)
    assert reply.intent == "objection"
    assert "背后原因" in reply.text and "可以这样说" in reply.text and "接着问" in reply.text
    assert reply.text.count("“") >= 2
    assert "出处" in reply.text and reply.sources
    assert any(s.title == "中高净值客户拓展与经营" for s in reply.sources)
    assert len(reply.text) < 900  # phone-readable


def test_low_return_objection_picks_its_own_playbook(tools) -> None:  # noqa: ANN001
    reply = compose_offline(tools, ADVISER, "客户嫌收益低要转走", "objection", NOW)
    assert "收益" in reply.text.splitlines()[0]


def test_unrecognised_objection_still_follows_the_course(tools) -> None:  # noqa: ANN001
    reply = compose_offline(tools, ADVISER, "客户态度很冷淡，怎么应对", "objection", NOW)
    assert "不要直接问" in reply.text


@pytest.mark.parametrize(("text", "type_name", "need"), [
    ("第一次见企业主，问哪些问题？", "企业主", "家企资产隔离"),
    ("退休客户怎么挖需求？", "退休", "养老规划"),
    ("高管客户怎么破冰", "高管", "子女教育"),
])
def test_discovery_starts_with_icebreaker_and_names_needs(tools, text, type_name, need) -> None:  # noqa: ANN001
    reply = compose_offline(tools, ADVISER, text, "discovery", NOW)
    lines = reply.text.splitlines()
    assert type_name in lines[0]
    first_question = next(line for line in lines if line.startswith("1."))
    assert "[破冰]" in first_question
    assert need in reply.text and "出处" in reply.text


def test_log_confirms_what_was_understood_and_how_to_undo(tools) -> None:  # noqa: ANN001
    reply = compose_offline(tools, ADVISER, "刚见完王总，聊得不错", "log", NOW)
    assert reply.logged_note and reply.logged_note["client"] == "王总"
    assert reply.note_id is not None and "/undo" in reply.text
    assert "王总" in reply.text and "情绪" in reply.text and "跟进日期" in reply.text
    assert tools.tracker.client_profile(ADVISER, "王总") is not None


def test_log_without_client_asks_and_offers_candidates(tools) -> None:  # noqa: ANN001
    _seed(tools, "王总")
    _seed(tools, "李阿姨")
    reply = compose_offline(tools, ADVISER, "聊得挺好，下周再约", "log", NOW)
    assert reply.needs_client and reply.logged_note is None
    assert set(reply.client_candidates) == {"王总", "李阿姨"}
    assert len(tools.tracker.client_profile(ADVISER, "王总").notes) == 1  # nothing saved


def test_prep_uses_the_tracker(tools) -> None:  # noqa: ANN001
    _seed(tools, "王总", amount_cny=3_000_000, products=["家族信托"], sentiment="resistant",
          objections=["收益低"], risk_level="C3")
    reply = compose_offline(tools, ADVISER, "明天见王总，帮我准备一下", "prep", NOW)
    text = reply.text
    assert "王总" in text and "100万+" in text and "C3" in text
    assert "目标" in text and "开场" in text and "下一步" in text
    assert "可能的异议" in text and "收益" in text
    assert "家族信托" in text


def test_prep_for_unknown_client_is_generic_and_says_so(tools) -> None:  # noqa: ANN001
    reply = compose_offline(tools, ADVISER, "明天见钱总，帮我准备一下", "prep", NOW)
    assert "还没有钱总" in reply.text and "[破冰]" in reply.text and "下一步" in reply.text


def test_tracker_due_followups(tools) -> None:  # noqa: ANN001
    _seed(tools, "王总", follow_up_on=datetime(2026, 3, 12).date())
    reply = compose_offline(tools, ADVISER, "这周要跟进谁？", "tracker", NOW)
    assert "王总" in reply.text and "03-12" in reply.text


def test_tracker_nothing_due(tools) -> None:  # noqa: ANN001
    reply = compose_offline(tools, ADVISER, "今天该联系谁", "tracker", NOW)
    assert "没有" in reply.text


def test_tracker_client_question_and_unknown_client(tools) -> None:  # noqa: ANN001
    _seed(tools, "王总", sentiment="positive")
    reply = compose_offline(tools, ADVISER, "王总最近怎么样？", "tracker", NOW)
    assert "王总" in reply.text and "积极" in reply.text and "建议" in reply.text
    assert "没有" in compose_offline(tools, ADVISER, "赵总最近怎么样？", "tracker", NOW).text


def test_tracker_resistant_clients(tools) -> None:  # noqa: ANN001
    _seed(tools, "王总", sentiment="resistant")
    _seed(tools, "李阿姨", sentiment="positive")
    reply = compose_offline(tools, ADVISER, "哪些客户是抗拒型的？", "tracker", NOW)
    assert "王总" in reply.text and "李阿姨" not in reply.text


def test_an_adviser_never_sees_another_advisers_clients(tools) -> None:  # noqa: ANN001
    _seed(tools, "王总", sentiment="resistant")
    reply = compose_offline(tools, ADVISER + 1, "哪些客户是抗拒型的？", "tracker", NOW)
    assert "王总" not in reply.text


def test_knowledge_answer_is_composed_with_sources(tools) -> None:  # noqa: ANN001
    reply = compose_offline(tools, ADVISER, "财富管理客户的门槛是多少", "knowledge", NOW)
    assert "100万元" in reply.text and reply.sources and "出处" in reply.text


def test_knowledge_says_plainly_when_material_does_not_cover_it(tmp_path: Path) -> None:
    tools = make_tools(tmp_path, [hit("高净值客户的需求包括资产传承。", 0.84)])
    reply = compose_offline(tools, ADVISER, "怎么做红烧肉", "knowledge", NOW)
    assert reply.text == NOT_COVERED and reply.sources == []
    tools.tracker.close()


def test_knowledge_base_failure_still_answers_playbook_intents(tmp_path: Path) -> None:
    tools = make_tools(tmp_path)

    def broken(query: str, k: int = 5) -> list:
        raise RuntimeError("no store")

    tools.knowledge.search = broken
    reply = compose_offline(tools, ADVISER, "客户说收益太低", "objection", NOW)
    assert "可以这样说" in reply.text
    tools.tracker.close()


def test_other_gets_help(tools) -> None:  # noqa: ANN001
    reply = compose_offline(tools, ADVISER, "你好", "other", NOW)
    assert reply.intent == "other" and "/undo" in reply.text


@pytest.mark.parametrize(("text", "objection"), [
    ("客户说你们理财经理老换人，不放心", "service_continuity"),
    ("客户说最近手头紧，没闲钱", "no_spare_money"),
    ("客户说已经在别的银行买过保险了", "already_have"),
    ("客户说他儿子不让他买理财", "family_decision"),
])
def test_more_objection_types_are_recognised(text, objection):
    from bot.agent.offline import match_objections
    from bot.agent.playbooks import load_playbooks

    assert [o.id for o in match_objections(load_playbooks(), text)] == [objection]
