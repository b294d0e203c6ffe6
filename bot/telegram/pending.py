"""What the bot waits for from one adviser: notes waiting for their client, a correction in progress.

Plain state kept in python-telegram-bot's per-user `user_data` (no Telegram types here, so it is tested
alone). Both kinds of waiting expire: a visit message sent hours later is a new note, never taken as
the answer to an old question.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field

PENDING_TTL_S = 30 * 60
EDIT_TTL_S = 10 * 60
MAX_PENDING = 5
REMEMBERED_DONE = 20
NAME_MAX_CHARS = 12
CANCEL_WORDS = {"取消", "算了", "不用了", "不记了", "不要了", "cancel"}
NOT_NAMES = {"好的", "好", "谢谢", "收到", "嗯", "嗯嗯", "是的", "对", "行", "可以", "ok", "OK", "不是"}
_BARE_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}|[A-Za-z][A-Za-z .'-]{1,29}")


@dataclass
class PendingNote:
    id: str
    text: str
    names: list[str]
    at: float


@dataclass
class Conversation:
    pending: dict[str, PendingNote] = field(default_factory=dict)  # oldest first
    done: list[str] = field(default_factory=list)  # ids already logged or cancelled
    editing: tuple[int, float] | None = None  # (note id, since)

    # -- notes waiting for their client ----------------------------------------------------------

    def add_pending(self, text: str, names: list[str], now: float) -> PendingNote:
        note = PendingNote(secrets.token_hex(4), text, list(names), now)
        self.pending[note.id] = note
        while len(self.pending) > MAX_PENDING:
            self.pending.pop(next(iter(self.pending)))
        return note

    def take_pending(self, pending_id: str, now: float) -> PendingNote | None:
        """The note for a button press, once; None when it was handled, replaced or expired."""
        self._expire(now)
        note = self.pending.pop(pending_id, None)
        if note is not None:
            self.done = [*self.done[-(REMEMBERED_DONE - 1):], pending_id]
        return note

    def was_handled(self, pending_id: str) -> bool:
        return pending_id in self.done

    def latest_pending(self, now: float) -> PendingNote | None:
        self._expire(now)
        return next(reversed(self.pending.values()), None)

    def _expire(self, now: float) -> None:
        for key in [k for k, note in self.pending.items() if now - note.at > PENDING_TTL_S]:
            del self.pending[key]

    # -- a correction in progress -------------------------------------------------------------------

    def start_edit(self, note_id: int, now: float) -> None:
        self.editing = (note_id, now)

    def take_edit(self, now: float) -> int | None:
        editing, self.editing = self.editing, None
        if editing is None or now - editing[1] > EDIT_TTL_S:
            return None
        return editing[0]

    def cancel(self) -> bool:
        had = bool(self.pending) or self.editing is not None
        self.done = [*self.done, *self.pending][-REMEMBERED_DONE:]
        self.pending.clear()
        self.editing = None
        return had


def reply_kind(text: str, candidates: list[str]) -> str | None:
    """"cancel", "name" (the client of the waiting note), or None (an ordinary message)."""
    from bot.agent.intents import extract_client_name

    text = text.strip()
    if text.lower() in CANCEL_WORDS:
        return "cancel"
    if text in candidates:
        return "name"
    if len(text) > NAME_MAX_CHARS or text in NOT_NAMES or re.search(r"[？?，,。！!：:]", text):
        return None
    if extract_client_name(text) == text or _BARE_NAME.fullmatch(text):
        return "name"
    return None
