"""`adviser log / clients / client / followups / export / undo / changes` against the settings' SQLite
file, as the adviser given by --adviser or ADVISER_ID. The parser is faked here (the parser room tests
the real one)."""

from __future__ import annotations

import csv
import stat
import sys
import types
from datetime import datetime, timedelta

import pytest
from click.testing import CliRunner

from bot.agent.memory import ConversationMemory
from bot.cli import main
from bot.tracker.note import ParsedNote
from knowledge.settings import get_settings


def _fake_parse(text: str, now: datetime) -> ParsedNote:
    client = next((name for name in ("王总", "李阿姨", "=HYPERLINK") if name in text), None)
    follow = (now + timedelta(days=1)).date() if "明天" in text else None
    return ParsedNote(raw_text=text, client=client, amount_cny=500_000 if "50万" in text else None,
                      follow_up_on=follow, sentiment="positive" if "积极" in text else "neutral",
                      currency="USD" if "美元" in text else "CNY",
                      rejected_amounts=["两千亿亿"] if "两千亿亿" in text else [])


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
    assert "王总" in result.output and "已保存第 1 条记录" in result.output and "新客户" in result.output
    assert "（周" in result.output  # the follow-up date with its weekday
    listed = run("clients").output
    assert "王总" in listed and "顾问 0 的客户" in listed
    grid = run("clients", "--grid")
    assert grid.exit_code == 0 and "积极" in grid.output
    profile = run("client", "王 总")
    assert profile.exit_code == 0 and "20万+" in profile.output and "50万" in profile.output
    due = run("followups", "--days", "3")
    assert due.exit_code == 0 and "王总" in due.output and "你设的跟进" in due.output
    out = tmp_path / "book.csv"
    exported = run("export", "--csv", str(out))
    assert exported.exit_code == 0 and "1 条记录" in exported.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert rows[0]["client_name"] == "王总"
    assert "已撤销第 1 条记录" in run("undo").output
    assert "没有可以撤销" in run("undo").output
    assert "还没有客户" in run("clients").output
    assert "没有要跟进" in run("followups").output
    changes = run("changes")
    assert changes.exit_code == 0 and "记录拜访" in changes.output and "撤销记录" in changes.output


def test_unknown_client_is_asked_for(tmp_path) -> None:  # noqa: ANN001
    no_answer = run("log", "今天聊得不错")
    assert no_answer.exit_code != 0 and "没有保存" in no_answer.output
    empty = run("log", "今天聊得不错", input="\n")
    assert empty.exit_code != 0
    assert "还没有客户" in run("clients").output
    named = run("log", "今天聊得不错", input="陈姐\n")
    assert named.exit_code == 0 and "陈姐" in named.output
    flagged = run("log", "又聊了一次", "--client", "陈姐")
    assert flagged.exit_code == 0
    assert "记录 2 条" in run("client", "陈姐").output


def test_bad_input_is_a_clear_error() -> None:
    empty = run("log", "   ")
    assert empty.exit_code != 0 and "空" in empty.output
    controls_only = run("log", "\x00\x1b[31m")
    assert controls_only.exit_code != 0 and "空" in controls_only.output
    missing = run("client", "没这个人")
    assert missing.exit_code != 0 and "没有叫「没这个人」的客户" in missing.output


def test_markup_shown_as_typed_and_terminal_escapes_never_printed() -> None:
    assert run("log", "王总 [bold]不要[/bold] 加仓 \x1b[2J\x1b]0;owned\x07 \x9b31m").exit_code == 0
    shown = run("client", "王总").output
    assert "[bold]" in shown
    assert "\x1b" not in shown and "\x9b" not in shown and "\x07" not in shown


def test_rejected_amount_is_said_and_the_note_kept() -> None:
    result = run("log", "王总 两千亿亿 想买基金")
    assert result.exit_code == 0 and "两千亿亿" in result.output and "没有记录金额" in result.output
    assert "已保存" in result.output


def test_currency_is_shown() -> None:
    assert "50万美元" in run("log", "王总 50万美元").output


def test_each_adviser_has_their_own_book(monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("log", "王总 积极", "--adviser", "7").exit_code == 0
    monkeypatch.setenv("ADVISER_ID", "8")
    get_settings.cache_clear()
    assert run("log", "李阿姨 聊了").exit_code == 0
    eight = run("clients").output
    assert "顾问 8 的客户" in eight and "李阿姨" in eight and "王总" not in eight
    seven = run("clients", "--adviser", "7").output
    assert "顾问 7 的客户" in seven and "王总" in seven and "李阿姨" not in seven
    assert "还没有客户" in run("clients", "--adviser", "0").output


def test_client_delete_erases_after_confirmation(isolated_environment) -> None:  # noqa: ANN001
    assert run("log", "见了王总 明天再联系").exit_code == 0
    assert run("log", "李阿姨 聊了").exit_code == 0
    assert run("log", "王总 又聊了", "--adviser", "9").exit_code == 0
    settings = get_settings()
    memory = ConversationMemory.in_data_dir(settings.data_dir)
    memory.append("cli", "明天见王总帮我准备", "王总上次说收益低")
    memory.append("cli", "李阿姨怎么跟进", "先问到期资金")
    memory.close()
    refused = run("client", "delete", "王总", input="n\n")
    assert refused.exit_code != 0 and "已取消" in refused.output
    assert "王总" in run("clients").output
    done = run("client", "delete", "王总", input="y\n")
    assert done.exit_code == 0 and "已删除客户「王总」" in done.output and "1 条聊天记忆" in done.output
    assert "王总" not in run("clients").output and "李阿姨" in run("clients").output
    assert "王总" in run("clients", "--adviser", "9").output
    memory = ConversationMemory.in_data_dir(settings.data_dir)
    assert [t.user_text for t in memory.history("cli")] == ["李阿姨怎么跟进"]
    memory.close()
    log = run("changes").output
    assert "删除客户" in log
    again = run("client", "delete", "王总", "--yes")
    assert again.exit_code != 0 and "什么都没有删除" in again.output


def test_export_neutralises_formulas(tmp_path) -> None:  # noqa: ANN001
    assert run("log", "=HYPERLINK(\"http://x\") 聊了").exit_code == 0
    out = tmp_path / "book.csv"
    assert run("export", "--csv", str(out)).exit_code == 0
    row = next(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert row["client_name"].startswith("'=") and row["raw_text"].startswith("'=")


def test_corrupt_database_is_one_clear_line(isolated_environment) -> None:  # noqa: ANN001
    isolated_environment.mkdir(parents=True, exist_ok=True)
    db = isolated_environment / "tracker.db"
    db.write_bytes(b"garbage" * 1000)
    for args in (("clients",), ("log", "王总 聊了"), ("undo",)):
        result = run(*args)
        assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
        last = result.output.strip().splitlines()[-1]
        assert str(db) in last and "备份" in last
