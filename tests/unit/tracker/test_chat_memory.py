"""Chat memory (bot/agent/memory.py) is governed: secrets redacted before storing, turns expire,
owner-only files, erasure of what mentions a client (only that adviser's)."""

from __future__ import annotations

import sqlite3
import stat
from datetime import UTC, datetime, timedelta

import pytest

from bot.agent.memory import ConversationMemory, redact_secrets

BOT_TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0"
SECRETS = [
    (f"token {BOT_TOKEN} 给你", BOT_TOKEN),
    ("key sk-proj-abcdefghijklmnop1234567890", "sk-proj-abcdefghijklmnop1234567890"),
    ("客户身份证110101199003071234，", "110101199003071234"),
    ("客户身份证11010119900307123X", "11010119900307123X"),
    ("卡号 6222 0212 3456 7890 123 转账", "6222 0212 3456 7890 123"),
    ("卡号6222021234567890", "6222021234567890"),
    ("王总手机13800138000", "13800138000"), ("电话 +86 138-0013-8000", "138-0013-8000"),
    ("座机 021-62345678", "021-62345678"), ("密码：Abc12345!", "Abc12345!"),
    ("api_key=abcd1234efgh", "abcd1234efgh"),
]


@pytest.mark.parametrize(("text", "secret"), SECRETS)
def test_secrets_are_redacted(text, secret):
    assert secret not in redact_secrets(text)
    assert "已隐去" in redact_secrets(text)


@pytest.mark.parametrize("text", ["王总 50万 周五签", "2026-03-04 见了李阿姨", "收益3.5%，期限36个月",
                                  "可投资产1200000元", "第2次见面", "C3客户"])
def test_ordinary_text_is_kept(text):
    assert redact_secrets(text) == text


def test_nothing_secret_reaches_the_file(tmp_path) -> None:  # noqa: ANN001
    memory = ConversationMemory(tmp_path / "m" / "memory.sqlite3")
    memory.append("c1", "我的token是123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0，王总手机13800138000",
                  "收到")
    assert "13800138000" not in memory.history("c1")[0].user_text
    memory.close()
    raw = b"".join(p.read_bytes() for p in (tmp_path / "m").iterdir())
    assert b"AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0" not in raw and b"13800138000" not in raw
    for path in (tmp_path / "m").iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    assert stat.S_IMODE((tmp_path / "m").stat().st_mode) == 0o700


def test_turns_expire_after_the_retention_period(tmp_path) -> None:  # noqa: ANN001
    memory = ConversationMemory(tmp_path / "memory.sqlite3", retention_days=30)
    now = datetime.now(UTC)
    memory.append("c1", "很久以前", "旧", at=now - timedelta(days=31))
    memory.append("c1", "最近", "新", at=now - timedelta(days=1))
    assert [t.user_text for t in memory.history("c1")] == ["最近"]
    assert memory.purge_expired(now + timedelta(days=30)) == 1
    assert memory.history("c1") == []
    memory.close()


def test_old_files_are_upgraded_in_place(tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "memory.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript("CREATE TABLE turns (id INTEGER PRIMARY KEY AUTOINCREMENT, chat_id TEXT NOT NULL, "
                         "at TEXT NOT NULL, user_text TEXT NOT NULL, answer TEXT NOT NULL);"
                         "CREATE TABLE chat_state (chat_id TEXT PRIMARY KEY, last_client TEXT);")
        db.execute("INSERT INTO turns (chat_id, at, user_text, answer) VALUES ('c', ?, '旧问题', '旧回答')",
                   (datetime.now(UTC).isoformat(),))
    memory = ConversationMemory(path)
    assert [t.user_text for t in memory.history("c")] == ["旧问题"]
    memory.append("c", "新问题", "新回答", adviser_id=5)
    assert memory.forget_client(5, ["新问题"]) == 1
    memory.close()


def test_forget_client_erases_only_that_advisers_mentions(tmp_path) -> None:  # noqa: ANN001
    memory = ConversationMemory(tmp_path / "memory.sqlite3")
    memory.append("chat-a", "明天见王总，帮我准备", "王总上次嫌收益低", adviser_id=1)
    memory.append("chat-a", "李阿姨怎么跟进", "先问到期资金", adviser_id=1)
    memory.append("chat-a", "Mr. Wang 的情况", "…", adviser_id=1)
    memory.remember_client("chat-a", "王总", adviser_id=1)
    memory.append("chat-b", "王总说不买", "另一位顾问的王总", adviser_id=2)
    memory.remember_client("chat-b", "王总", adviser_id=2)
    memory.append("console", "王总又来了", "旧记录没有顾问号")
    assert memory.forget_client(1, ["王总", "Mr. Wang"], chat_ids=["console"]) == 3
    assert [t.user_text for t in memory.history("chat-a")] == ["李阿姨怎么跟进"]
    assert memory.last_client("chat-a") is None
    assert [t.user_text for t in memory.history("chat-b")] == ["王总说不买"]
    assert memory.last_client("chat-b") == "王总"
    assert memory.history("console") == []
    assert memory.forget_client(1, []) == 0
    memory.close()
