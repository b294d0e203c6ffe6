"""The runtime against the real SQLite tracker (fake knowledge, tools and brain)."""

from __future__ import annotations

import csv
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from bot.agent import factory
from bot.cli import main
from knowledge.settings import get_settings
from tests.unit.agent.runtime_fakes import FakeKnowledge, FakeTools, fake_brain

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def tracker():
    try:
        tracker = factory.open_tracker(get_settings())
    except NotImplementedError:
        pytest.skip("tracker not implemented yet")
    yield tracker
    tracker.close()


def make_agent(tracker):
    knowledge = FakeKnowledge()
    return factory.build_agent(get_settings(), knowledge=knowledge, tracker=tracker, brain=fake_brain(),
                               tools=FakeTools(knowledge, tracker))


def test_note_saved_once_audit_written_and_undo(tracker):
    agent = make_agent(tracker)
    reply = agent.answer(5, "刚见完王总，想买50万理财", now=NOW)
    assert reply.logged_note["client"] == "王总"
    profile = tracker.client_profile(5, "王总")
    assert len(profile.notes) == 1
    agent.answer(5, "客户说保险都是骗人的，怎么回？", now=NOW)
    records = tracker.audit_records(5)
    assert [r.intent for r in records] == ["log", "objection"]
    assert records[1].source_ids == ["c-obj-1", "c-disc-1"] and records[1].backend == "offline"
    assert records[1].at == NOW
    assert tracker.audit_records(6) == []  # another adviser sees nothing
    assert "王总" in agent.undo_last(5).text
    assert not tracker.client_profile(5, "王总") or not tracker.client_profile(5, "王总").notes


def test_audit_cli_exports_since_a_date(tracker, tmp_path, monkeypatch):
    agent = make_agent(tracker)
    agent.answer(0, "客户说保险都是骗人的，怎么回？", now=datetime(2026, 1, 5, 9, tzinfo=NOW.tzinfo))
    agent.answer(0, "第一次见企业主，问哪些问题？", now=NOW)
    agent.answer(9, "客户说保险都是骗人的，怎么回？", now=NOW)
    path = tmp_path / "audit.csv"
    result = CliRunner().invoke(main, ["audit", "--since", "2026-02-01", "--csv", str(path)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert [(r["adviser_id"], r["intent"]) for r in rows] == [("0", "discovery")]
