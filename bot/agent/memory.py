"""Conversation memory: the last turns of each chat, kept in SQLite under the data dir.

Persisted (not in-process) so a restart of the console or the bot keeps the context. One small
SQLite file for all chats: a JSONL file per chat would need its own trimming and locking.

What is stored is governed: secrets (bot tokens, API keys, passwords, ID-card, bank-card and phone
numbers) are redacted before they reach the file, turns older than `retention_days` are deleted, the
file is readable by its owner only, and `forget_client` erases what mentions a client.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

DEFAULT_RETENTION_DAYS = 30

_SCHEMA = """
CREATE TABLE IF NOT EXISTS turns (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id TEXT NOT NULL,
    at TEXT NOT NULL,
    user_text TEXT NOT NULL,
    answer TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS turns_by_chat ON turns (chat_id, id);
CREATE TABLE IF NOT EXISTS chat_state (
    chat_id TEXT PRIMARY KEY,
    last_client TEXT
);
"""
# columns added after the first release (a file written by an older version gets them on open)
_ADDED_COLUMNS = (("turns", "adviser_id", "INTEGER"), ("chat_state", "adviser_id", "INTEGER"),
                  ("chat_state", "at", "TEXT"))

# (pattern, replacement), applied in order: specific secrets first, then numbers by length
_SECRETS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?<![\w:])\d{6,12}:[A-Za-z0-9_-]{30,}"), "［已隐去：令牌］"),
    (re.compile(r"\b(?:sk|pk|rk)-[A-Za-z0-9_\-]{16,}|\bAKIA[0-9A-Z]{16}\b|\bgh[pousr]_[A-Za-z0-9]{30,}"
                r"|\bxox[abpr]-[A-Za-z0-9-]{10,}|\bAIza[0-9A-Za-z_\-]{35}|\beyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-.]+"),
     "［已隐去：密钥］"),
    (re.compile(r"(?i)((?:api[_ -]?key|secret|token|password|passwd|pwd|bearer|密码|密钥|口令|验证码)"
                r"\s*(?:[:=：]|is|是)?\s*)[^\s，,。；;]{4,}"), r"\1［已隐去］"),
    (re.compile(r"(?<![\dA-Za-z])\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]"
                r"(?![\dA-Za-z])"), "［已隐去：身份证号］"),
    (re.compile(r"(?<![\dA-Za-z])(?:\d[ -]?){15,18}\d(?![\dA-Za-z])"), "［已隐去：卡号］"),
    (re.compile(r"(?<![\dA-Za-z])(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)"
                r"|(?<![\dA-Za-z])0\d{2,3}-\d{7,8}(?!\d)"), "［已隐去：电话］"),
)


def redact_secrets(text: str) -> str:
    """The text with tokens, API keys, passwords, ID-card, bank-card and phone numbers replaced."""
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


def _private_file(path: Path) -> None:
    """Create the memory file (and its folder) for the owner only; SQLite gives -wal/-shm the same mode."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    os.chmod(path, 0o600)


@dataclass(frozen=True)
class Turn:
    user_text: str
    answer: str
    at: datetime


class ConversationMemory:
    """Keeps at most `max_turns` (question, answer) pairs per chat for `retention_days`, plus the last
    client mentioned."""

    def __init__(self, path: Path, *, max_turns: int = 10,
                 retention_days: int = DEFAULT_RETENTION_DAYS) -> None:
        self.path = Path(path)
        self.max_turns = max(0, max_turns)
        self.retention = timedelta(days=max(0, retention_days))
        _private_file(self.path)
        self._lock = threading.Lock()
        # One connection shared by threads (the bot answers from a worker pool), serialised by the lock.
        self._db = sqlite3.connect(self.path, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        for table, column, kind in _ADDED_COLUMNS:
            present = {row[1] for row in self._db.execute(f"PRAGMA table_info({table})")}
            if column not in present:
                self._db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
        self._db.commit()
        self.purge_expired()

    @classmethod
    def in_data_dir(cls, data_dir: Path, *, max_turns: int = 10,
                    retention_days: int = DEFAULT_RETENTION_DAYS) -> ConversationMemory:
        return cls(Path(data_dir) / "memory" / "conversations.sqlite3", max_turns=max_turns,
                   retention_days=retention_days)

    def _cutoff(self, now: datetime | None = None) -> str:
        return ((now or datetime.now(UTC)) - self.retention).isoformat()

    def history(self, chat_id: str) -> list[Turn]:
        """The kept turns of a chat within the retention period, oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT user_text, answer, at FROM turns WHERE chat_id = ? AND at >= ? "
                "ORDER BY id DESC LIMIT ?",
                (chat_id, self._cutoff(), self.max_turns),
            ).fetchall()
        return [Turn(user, answer, datetime.fromisoformat(at)) for user, answer, at in reversed(rows)]

    def append(self, chat_id: str, user_text: str, answer: str, *, at: datetime | None = None,
               adviser_id: int | None = None) -> None:
        """Store one turn, secrets redacted. Pass `adviser_id` so forget_client can find it later."""
        stamp = (at or datetime.now(UTC)).astimezone(UTC).isoformat()
        with self._lock, self._db:
            self._db.execute(
                "INSERT INTO turns (chat_id, at, user_text, answer, adviser_id) VALUES (?, ?, ?, ?, ?)",
                (chat_id, stamp, redact_secrets(user_text), redact_secrets(answer), adviser_id))
            # Trim in the same transaction so the file never grows past max_turns per chat.
            self._db.execute(
                "DELETE FROM turns WHERE chat_id = ? AND id NOT IN "
                "(SELECT id FROM turns WHERE chat_id = ? ORDER BY id DESC LIMIT ?)",
                (chat_id, chat_id, self.max_turns),
            )
            self._db.execute("DELETE FROM turns WHERE at < ?", (self._cutoff(),))

    def last_client(self, chat_id: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT last_client FROM chat_state WHERE chat_id = ? AND "
                                   "(at IS NULL OR at >= ?)", (chat_id, self._cutoff())).fetchone()
        return row[0] if row else None

    def remember_client(self, chat_id: str, name: str, *, adviser_id: int | None = None) -> None:
        with self._lock, self._db:
            self._db.execute(
                "INSERT INTO chat_state (chat_id, last_client, adviser_id, at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(chat_id) DO UPDATE SET last_client = excluded.last_client, "
                "adviser_id = excluded.adviser_id, at = excluded.at",
                (chat_id, name, adviser_id, datetime.now(UTC).isoformat()),
            )

    def forget_client(self, adviser_id: int, names: Iterable[str], *, chat_ids: Iterable[str] = ()) -> int:
        """Erase the turns mentioning any of `names` that this adviser had (stored with their id, or in
        one of `chat_ids`), and the last-client pointer to them. Returns the turns deleted."""
        names = [name for name in dict.fromkeys(names) if name and name.strip()]
        chats = list(chat_ids)
        if not names:
            return 0
        owner = "(adviser_id = ?" + "".join(" OR chat_id = ?" for _ in chats) + ")"
        mentions = " OR ".join("instr(user_text, ?) > 0 OR instr(answer, ?) > 0" for _ in names)
        with self._lock, self._db:
            deleted = self._db.execute(
                f"DELETE FROM turns WHERE {owner} AND ({mentions})",
                (adviser_id, *chats, *[value for name in names for value in (name, name)])).rowcount
            self._db.execute(
                f"DELETE FROM chat_state WHERE {owner} AND last_client IN ({', '.join('?' for _ in names)})",
                (adviser_id, *chats, *names))
        return deleted

    def purge_expired(self, now: datetime | None = None) -> int:
        """Delete turns and client pointers older than the retention period; returns the turns deleted."""
        cutoff = self._cutoff(now)
        with self._lock, self._db:
            deleted = self._db.execute("DELETE FROM turns WHERE at < ?", (cutoff,)).rowcount
            self._db.execute("DELETE FROM chat_state WHERE at IS NOT NULL AND at < ?", (cutoff,))
        return deleted

    def clear(self, chat_id: str) -> None:
        with self._lock, self._db:
            self._db.execute("DELETE FROM turns WHERE chat_id = ?", (chat_id,))
            self._db.execute("DELETE FROM chat_state WHERE chat_id = ?", (chat_id,))

    def close(self) -> None:
        with self._lock:
            self._db.close()
