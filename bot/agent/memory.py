"""Conversation memory: the last turns of each chat, kept in SQLite under the data dir.

Persisted (not in-process) so a restart of the console or the bot keeps the context. One small
SQLite file for all chats: a JSONL file per chat would need its own trimming and locking.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

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


@dataclass(frozen=True)
class Turn:
    user_text: str
    answer: str
    at: datetime


class ConversationMemory:
    """Keeps at most `max_turns` (question, answer) pairs per chat, plus the last client mentioned."""

    def __init__(self, path: Path, *, max_turns: int = 10) -> None:
        self.path = Path(path)
        self.max_turns = max(0, max_turns)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        # One connection shared by threads (the bot answers from a worker pool), serialised by the lock.
        self._db = sqlite3.connect(self.path, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    @classmethod
    def in_data_dir(cls, data_dir: Path, *, max_turns: int = 10) -> ConversationMemory:
        return cls(Path(data_dir) / "memory" / "conversations.sqlite3", max_turns=max_turns)

    def history(self, chat_id: str) -> list[Turn]:
        """The kept turns of a chat, oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT user_text, answer, at FROM turns WHERE chat_id = ? ORDER BY id DESC LIMIT ?",
                (chat_id, self.max_turns),
            ).fetchall()
        return [Turn(user, answer, datetime.fromisoformat(at)) for user, answer, at in reversed(rows)]

    def append(self, chat_id: str, user_text: str, answer: str, *, at: datetime | None = None) -> None:
        stamp = (at or datetime.now(UTC)).isoformat()
        with self._lock, self._db:
            self._db.execute("INSERT INTO turns (chat_id, at, user_text, answer) VALUES (?, ?, ?, ?)",
                             (chat_id, stamp, user_text, answer))
            # Trim in the same transaction so the file never grows past max_turns per chat.
            self._db.execute(
                "DELETE FROM turns WHERE chat_id = ? AND id NOT IN "
                "(SELECT id FROM turns WHERE chat_id = ? ORDER BY id DESC LIMIT ?)",
                (chat_id, chat_id, self.max_turns),
            )

    def last_client(self, chat_id: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT last_client FROM chat_state WHERE chat_id = ?",
                                   (chat_id,)).fetchone()
        return row[0] if row else None

    def remember_client(self, chat_id: str, name: str) -> None:
        with self._lock, self._db:
            self._db.execute(
                "INSERT INTO chat_state (chat_id, last_client) VALUES (?, ?) "
                "ON CONFLICT(chat_id) DO UPDATE SET last_client = excluded.last_client",
                (chat_id, name),
            )

    def clear(self, chat_id: str) -> None:
        with self._lock, self._db:
            self._db.execute("DELETE FROM turns WHERE chat_id = ?", (chat_id,))
            self._db.execute("DELETE FROM chat_state WHERE chat_id = ?", (chat_id,))

    def close(self) -> None:
        with self._lock:
            self._db.close()
