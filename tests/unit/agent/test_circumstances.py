"""Life events an adviser mentions (knowledge/playbooks/circumstances.yaml): read from the message, shown
with what they mean for the client's money and the questions they raise, in the adviser's language."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.agent.guardrails import Guardrails
from bot.agent.playbook_files import load_playbooks, shipped_playbooks
from bot.agent.playbook_tables import read_circumstances
from bot.agent.playbooks import DEFAULT_DIR, PlaybookError
from bot.agent.slots import read_slots
from bot.agent.talk_tracks import circumstance_lines, discovery_text, objection_text
from bot.agent.wording import ENGLISH
from bot.tracker.service import Tracker
from knowledge.settings import get_settings
from tests.coach import build_test_agent, copy_test_library

LIBRARY = shipped_playbooks()
GUARD = Guardrails.load()
CHINESE_CHARACTER = re.compile(r"[\u4e00-\u9fff]")


def test_every_shipped_circumstance_has_english_with_as_many_questions() -> None:
    assert len(LIBRARY.circumstances) >= 10
    for c in LIBRARY.circumstances:
        assert c.english is not None and len(c.english.ask) == len(c.ask), c.id
        english = [c.english.name, c.english.means, *c.english.ask]
        assert not any(CHINESE_CHARACTER.search(text) for text in english), c.id


@pytest.mark.parametrize("circumstance", LIBRARY.circumstances, ids=lambda c: c.id)
def test_every_circumstance_passes_the_compliance_guard_unchanged(circumstance) -> None:  # noqa: ANN001
    for lines, english in ((circumstance_lines([circumstance]), False),
                           (circumstance_lines([circumstance], ENGLISH), True)):
        text = "\n".join(lines)
        assert GUARD.check_answer(text, reviewed=True, english=english).text == text


def test_the_events_named_are_read_in_the_order_written_two_at_most() -> None:
    found = LIBRARY.circumstances_in(["她前年离婚了 一个人带孩子 最近还怕裁员"])
    assert [c.id for c in found] == ["divorce", "single_parent"]
    assert [c.id for c in LIBRARY.circumstances_in(["客户说完扭头就走了"], limit=3)] == []
    # The message first, then the client's notes.
    assert [c.id for c in LIBRARY.circumstances_in(["王总明天来", "上次说孩子要出国读书"])] == \
        ["child_study_abroad"]
    assert [c.id for c in LIBRARY.circumstances_in(["client got laid off last month"])] == ["job_insecurity"]
    for widowed in ("做保洁的大姐 老公前年走了", "阿姨说她爱人去世三年了", "阿婆老公过身之后一个人住"):
        assert [c.id for c in LIBRARY.circumstances_in([widowed])] == ["widowed"], widowed


def test_an_objection_answer_adds_what_the_event_means_and_one_question() -> None:
    text = "客户怕裁员 说钱要留着 不买理财"
    job = LIBRARY.circumstances_in([text])
    answer = objection_text([LIBRARY.entry("no_money")], read_slots(text), circumstances=job)
    assert f"客户近况（工作不稳）：{job[0].means}\n- {job[0].ask[0]}" in answer
    assert job[0].ask[1] not in answer


def test_a_discovery_answer_asks_both_questions_and_english_shows_the_english() -> None:
    [widowed] = LIBRARY.circumstances_in(["老伴去世了"])
    client_type = LIBRARY.client_types[0]
    chinese = discovery_text(client_type, read_slots(""), circumstances=[widowed])
    assert all(q in chinese for q in widowed.ask)
    english = discovery_text(client_type, read_slots("", english=True), w=ENGLISH, circumstances=[widowed])
    assert f"What is going on (Widowed): {widowed.english.means}" in english
    assert widowed.means not in english
    # Without the trainers' English it is left out of an English answer rather than mix languages.
    assert circumstance_lines([replace(widowed, english=None)], ENGLISH) == []


def _circumstances_file(tmp_path: Path, entry: dict) -> Path:
    path = tmp_path / "circumstances.yaml"
    path.write_text(yaml.safe_dump({"kind": "circumstance", "entries": [entry]}, allow_unicode=True),
                    encoding="utf-8")
    return path


def test_terms_of_one_character_are_refused(tmp_path: Path) -> None:
    entry = {"id": "x", "name": "离婚", "terms": ["离"], "means": "分清", "ask": ["谁管钱？"]}
    with pytest.raises(PlaybookError, match="至少两个字"):
        read_circumstances(_circumstances_file(tmp_path, entry))


def test_an_english_block_must_have_name_means_and_ask(tmp_path: Path) -> None:
    entry = {"id": "x", "name": "离婚", "terms": ["离婚"], "means": "分清", "ask": ["谁管钱？"],
             "en": {"name": "Divorce", "means": "Separate."}}
    with pytest.raises(PlaybookError, match="name, means, ask"):
        read_circumstances(_circumstances_file(tmp_path, entry))
    entry["en"]["ask"] = ["Who manages the money?"]
    [read] = read_circumstances(_circumstances_file(tmp_path, entry))
    assert read.english.means == "Separate." and read.english.terms == ("离婚",)


def test_the_agent_shows_the_event_a_question_mentions(tmp_path: Path, knowledge: Any,
                                                     tracker: Tracker) -> None:
    folder = tmp_path / "library"
    copy_test_library(folder)
    shutil.copy(DEFAULT_DIR / "circumstances.yaml", folder / "circumstances.yaml")
    agent = build_test_agent(get_settings(), load_playbooks(folder), knowledge=knowledge, tracker=tracker)
    try:
        reply = agent.answer(1, "收益才两个点客户看不上 她老伴去世了", now=datetime(2026, 3, 2, 9, 0))
    finally:
        agent.close()
    assert reply.intent == "objection" and "【收益太低】" in reply.text
    assert "客户近况（丧偶）" in reply.text


def test_the_model_reads_an_event_from_the_notes_only_with_the_clients_record() -> None:
    from bot.agent.citations import Materials
    from bot.agent.composer import Context, Request
    from bot.agent.prompt import context_message
    from bot.agent.route import Route

    found = LIBRARY.circumstances_in(["王总下周来 聊聊教育金", "上次说孩子要出国读书 老伴去世了"])
    assert [c.id for c in found] == ["child_study_abroad", "widowed"]  # from the notes: not in the question
    request = Request(1, "王总下周来 聊聊教育金", datetime(2026, 3, 2, 9, 0), Route("prep", client="王总"))
    context = Context(slots=read_slots(request.text), circumstances=found)
    kept_local = context_message(request, context, Materials(), client_record=False)
    assert "客户近况" not in kept_local
    materials = Materials()
    sent = context_message(request, context, materials, client_record=True)
    assert "不作引用）：孩子出国读书】" in sent and "不作引用）：丧偶】" in sent
    assert materials.items == []  # context, never a numbered source an answer could be grounded on
    asked = replace(request, text="王总老伴去世了 下周来 聊聊教育金")
    assert "不作引用）：丧偶】" in context_message(asked, context, Materials(), client_record=False)


@pytest.mark.parametrize("text", [
    "刚离职的程序员 想聊聊", "两地分居的小夫妻", "客户自己带孩子来网点", "她说完老公走了以后才开口",
    "失业保险怎么交", "住院医疗险值不值得配", "大病医保报多少", "做养老院的老板", "每天读研报",
    "刚生了一场病", "遗产规划怎么讲", "客户有特殊需要吗", "怕被骗 不敢买", "买基金怕踩雷",
    "担心是非法集资", "自己担心亏", "老公刚走开她就说了实话", "老公没了工作 家里紧",
])
def test_words_that_only_resemble_an_event_name_none(text: str) -> None:
    assert LIBRARY.circumstances_in([text]) == ()
