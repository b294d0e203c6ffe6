"""`adviser log / clients / client / followups / export / undo` against the settings' SQLite file.
The parser is faked here (the parser room tests the real one)."""

from __future__ import annotations

import csv
import sys
import types
from datetime import datetime, timedelta

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.tracker.note import ParsedNote


def _fake_parse(text: str, now: datetime) -> ParsedNote:
    client = next((name for name in ("王总", "李阿姨") if name in text), None)
    follow = (now + timedelta(days=1)).date() if "明天" in text else None
    return ParsedNote(raw_text=text, client=client, amount_cny=500_000 if "50万" in text else None,
                      follow_up_on=follow, sentiment="positive" if "积极" in text else "neutral")


@pytest.fixture(autouse=True)
def fake_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("bot.tracker.parser")
    module.parse_note = _fake_parse
    monkeypatch.setitem(sys.modules, "bot.tracker.parser", module)


def run(*args: str, input: str | None = None):  # noqa: A002, ANN201
    return CliRunner().invoke(main, list(args), input=input)


def test_log_then_list_profile_followups_undo(tmp_path) -> None:  # noqa: ANN001
    result = run("log", "见了王总，聊了50万的基金，很积极，明天再联系")
    assert result.exit_code == 0, result.output
    assert "王总" in result.output and "Saved note #1" in result.output and "new client" in result.output
    assert "王总" in run("clients").output
    grid = run("clients", "--grid")
    assert grid.exit_code == 0 and "positive" in grid.output
    profile = run("client", "王 总")
    assert profile.exit_code == 0 and "20万+" in profile.output and "50万" in profile.output
    due = run("followups", "--days", "3")
    assert due.exit_code == 0 and "王总" in due.output and "follow-up you set" in due.output
    out = tmp_path / "book.csv"
    exported = run("export", "--csv", str(out))
    assert exported.exit_code == 0 and "Wrote 1 notes" in exported.output
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert rows[0]["client_name"] == "王总"
    assert "Removed note #1" in run("undo").output
    assert "Nothing to undo" in run("undo").output
    assert "No clients yet" in run("clients").output
    assert "Nothing due" in run("followups").output


def test_unknown_client_is_asked_for(tmp_path) -> None:  # noqa: ANN001
    no_answer = run("log", "今天聊得不错")
    assert no_answer.exit_code != 0 and "nothing was saved" in no_answer.output
    empty = run("log", "今天聊得不错", input="\n")
    assert empty.exit_code != 0
    assert "No clients yet" in run("clients").output
    named = run("log", "今天聊得不错", input="陈姐\n")
    assert named.exit_code == 0 and "陈姐" in named.output
    flagged = run("log", "又聊了一次", "--client", "陈姐")
    assert flagged.exit_code == 0
    assert "notes 2" in run("client", "陈姐").output


def test_bad_input_is_a_clear_error() -> None:
    empty = run("log", "   ")
    assert empty.exit_code != 0 and "empty" in empty.output
    missing = run("client", "没这个人")
    assert missing.exit_code != 0 and "No client called" in missing.output


def test_markup_in_notes_is_shown_as_typed() -> None:
    assert run("log", "王总 [bold]不要[/bold] 加仓").exit_code == 0
    shown = run("client", "王总").output
    assert "[bold]" in shown
