"""The Agent with the COACH brain and tools and a real SQLite tracker (fake knowledge only).

Skipped until those rooms have landed; then it checks the wiring, not their wording.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from bot.agent.reply import INTENTS
from bot.tracker.note import NOTE_JSON_KEYS
from knowledge.settings import get_settings
from tests.unit.agent.runtime_fakes import FakeKnowledge

pytest.importorskip("bot.agent.offline")
pytest.importorskip("bot.agent.tools")
pytest.importorskip("bot.agent.playbooks")
pytest.importorskip("bot.agent.guardrails")
pytest.importorskip("bot.agent.intents")


@pytest.fixture
def real_tracker():
    from bot.agent.factory import open_tracker

    try:
        tracker = open_tracker(get_settings())
    except NotImplementedError:
        pytest.skip("tracker not implemented yet")
    yield tracker
    tracker.close()


@pytest.fixture
def agent(real_tracker):
    from bot.agent.factory import build_agent

    agent = build_agent(get_settings(), knowledge=FakeKnowledge(), tracker=real_tracker)
    yield agent
    agent.close()


QUESTIONS = ["客户说保险都是骗人的，怎么回？", "第一次见企业主，问哪些问题？", "这周要跟进谁？",
             "明天见王总，帮我准备一下", "什么是资产配置？", "你好"]


def test_questions_get_answers_and_audit_records(agent, real_tracker):
    for question in QUESTIONS:
        reply = agent.answer(0, question)
        assert reply.intent in INTENTS and reply.text.strip()
    assert len(real_tracker.audit_records(0)) == len(QUESTIONS)


def test_visit_note_is_saved_once_and_undone(agent, real_tracker):
    reply = agent.answer(0, "刚见完王总，他想买50万理财，下周三再约")
    assert reply.intent == "log"
    assert reply.logged_note is not None and set(reply.logged_note) == set(NOTE_JSON_KEYS)
    profile = real_tracker.client_profile(0, "王总")
    assert profile is not None and len(profile.notes) == 1
    agent.undo_last(0)
    profile = real_tracker.client_profile(0, "王总")
    assert profile is None or len(profile.notes) == 0


def test_ask_json_with_real_pieces(real_tracker, monkeypatch):
    from bot.agent import factory
    from bot.cli import main

    real_build = factory.build_agent
    monkeypatch.setattr(factory, "build_agent", lambda settings=None, **kw: real_build(
        settings or get_settings(), knowledge=FakeKnowledge()))
    result = CliRunner().invoke(main, ["ask", "--json", "客户嫌收益低要转走"], catch_exceptions=False)
    out = json.loads(result.stdout)
    assert set(out) == {"intent", "answer", "sources", "logged_note"}
    assert out["intent"] in INTENTS
