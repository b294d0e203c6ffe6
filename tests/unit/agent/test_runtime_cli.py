"""`adviser ask`, `adviser chat`, `adviser audit`, `adviser undo` through click's CliRunner."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from bot.agent import factory
from bot.cli import main, tracker_cmds
from bot.tracker.note import NOTE_JSON_KEYS
from knowledge.settings import get_settings
from tests.unit.agent.runtime_fakes import FakeKnowledge, FakeTools, FakeTracker, fake_brain


@pytest.fixture
def tracker(monkeypatch) -> FakeTracker:
    """One fake tracker behind every command of this test (the CLI builds its own agent each time)."""
    shared = FakeTracker()
    real_build = factory.build_agent

    def build(settings=None, **kwargs):
        knowledge = FakeKnowledge()
        return real_build(settings or get_settings(), knowledge=knowledge, tracker=shared,
                          brain=fake_brain(), tools=FakeTools(knowledge, shared))

    monkeypatch.setattr(factory, "build_agent", build)
    monkeypatch.setattr(factory, "open_tracker", lambda settings: shared)
    monkeypatch.setattr(tracker_cmds, "open_tracker", lambda: shared)
    return shared


def run(*args: str, input: str | None = None):
    result = CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def test_ask_json_has_exactly_the_promised_keys(tracker):
    out = json.loads(run("ask", "--json", "客户说保险都是骗人的，怎么回？").stdout)
    assert set(out) == {"intent", "answer", "sources", "logged_note"}
    assert out["intent"] == "objection" and out["logged_note"] is None
    assert out["sources"][0] == {"title": "异议处理", "section": "抗拒型客户",
                                 "source": "course-objections.txt"}


def test_ask_json_logs_a_note_at_once_and_undo_removes_it(tracker):
    result = run("ask", "--json", "刚见完王总，想买50万理财")
    assert "王总" in result.stdout  # ensure_ascii=False: Chinese as is
    out = json.loads(result.stdout)
    assert out["intent"] == "log"
    assert set(out["logged_note"]) == set(NOTE_JSON_KEYS)
    assert len(tracker.notes[0]) == 1
    assert "王总" in run("undo").stdout
    assert tracker.notes[0] == []


def test_ask_plain_prints_answer_and_sources(tracker):
    out = run("ask", "第一次见企业主，问哪些问题？").stdout
    assert "离线：" in out and "📚 出处：" in out


def test_chat_console_scripted(tracker):
    script = "\n".join([
        "/help",
        "客户说保险都是骗人的，怎么回？",
        "/log 刚见完王总，想买50万理财",
        "/followups",
        "/prep 王总",
        "/undo",
        "/nonsense",
        "/quit",
        "这一行不会被读到",
    ]) + "\n"
    out = run("chat", input=script).stdout
    assert "/prep 客户名" in out  # help
    assert "- 异议处理 · 抗拒型客户（course-objections.txt）" in out
    assert "已记录：王总" in out
    assert "待跟进：王总" in out
    assert "已撤销：王总" in out
    assert "不认识的命令" in out
    assert "这一行不会被读到" not in out
    assert out.rstrip().endswith("再见。")
    assert tracker.notes[0] == []


def test_chat_unknown_client_flow_asks_for_the_name(tracker):
    out = run("chat", input="刚见完客户，他想再考虑一下\n赵总\n").stdout
    assert "客户名字" in out and "已记录：赵总" in out
    assert [n.client_name for n in tracker.notes[0]] == ["赵总"]


def test_chat_unknown_client_can_be_cancelled(tracker):
    out = run("chat", input="刚见完客户，他想再考虑一下\n\n").stdout
    assert "没有保存" in out
    assert tracker.notes.get(0, []) == []


def test_chat_ends_cleanly_on_eof(tracker):
    assert run("chat", input="").stdout.rstrip().endswith("再见。")


def test_audit_exports_own_records_as_csv(tracker, tmp_path):
    run("ask", "客户说保险都是骗人的，怎么回？")
    run("ask", "帮我荐股")
    path = tmp_path / "audit.csv"
    run("audit", "--since", "2000-01-01", "--csv", str(path))
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert [r["intent"] for r in rows] == ["objection", "knowledge"]
    assert rows[0]["source_ids"] == "c-obj-1;c-disc-1"
    assert rows[1]["guardrails"] == "request_refused"
    assert all(r["adviser_id"] == "0" for r in rows)


def test_audit_rejects_a_bad_date(tracker):
    result = CliRunner().invoke(main, ["audit", "--since", "yesterday"])
    assert result.exit_code != 0 and "YYYY-MM-DD" in result.output


def test_ask_without_a_question_answers_each_stdin_line(tracker):
    out = run("ask", "--json", input="客户说保险都是骗人的，怎么回？\n\n刚见完王总，想买50万理财\n").stdout
    replies = [json.loads(line) for line in out.splitlines()]
    assert [r["intent"] for r in replies] == ["objection", "log"]
    assert replies[1]["logged_note"]["client"] == "王总"
