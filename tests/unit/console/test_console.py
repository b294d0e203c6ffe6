"""The local console: the same agent, with the note-or-question and which-client questions as prompts."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from bot.agent.reply import Reply
from bot.console import run_console
from tests.coach import build_test_agent, copy_test_library
from tests.unit.telegram.conftest import small_knowledge

ADVISER = 77


@pytest.fixture
def agent(bot_settings, tmp_path):
    library = copy_test_library(tmp_path / "library")
    agent = build_test_agent(bot_settings, library, knowledge=small_knowledge())
    yield agent
    agent.close()


@pytest.fixture
def bot_settings(monkeypatch):
    from knowledge.settings import get_settings

    get_settings.cache_clear()
    return get_settings()


def chat(agent, lines: list[str]) -> str:
    out = Console(file=io.StringIO(), width=200, highlight=False)
    feed = iter(lines)

    def read_line(prompt: str) -> str:
        out.print(prompt)
        return next(feed)

    run_console(agent, adviser_id=ADVISER, console=out, read_line=read_line)
    return out.file.getvalue()


def ambiguous_first(agent, monkeypatch):
    real = agent.answer

    def answer(adviser_id, text, **kwargs):
        if kwargs.get("as_question") or kwargs.get("intent"):
            return real(adviser_id, text, **kwargs)
        return Reply(intent="other", text="", needs_confirmation=True)

    monkeypatch.setattr(agent, "answer", answer)


def test_y_logs_the_message_as_a_visit(agent, monkeypatch):
    ambiguous_first(agent, monkeypatch)
    out = chat(agent, ["王总说收益太低了，下周再聊", "y", "/quit"])
    assert "拜访记录吗" in out and "王总" in out
    assert agent.tracker.client_profile(ADVISER, "王总").summary.notes_count == 1


def test_n_answers_it_as_a_question_and_logs_nothing(agent, monkeypatch):
    ambiguous_first(agent, monkeypatch)
    chat(agent, ["客户说保险都是骗人的，下周再聊", "n", "/quit"])
    assert agent.tracker.clients(ADVISER) == []


def test_an_unnamed_note_asks_which_client_in_chinese(agent):
    out = chat(agent, ["/log 刚见完，客户想买年金，下周再聊", "陈姐", "/quit"])
    assert "哪位客户" in out and "Which" not in out
    assert agent.tracker.client_profile(ADVISER, "陈姐").summary.notes_count == 1
