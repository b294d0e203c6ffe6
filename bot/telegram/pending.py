"""What the bot waits for from one adviser, and what it remembers of their recent confirmations.

Plain state kept in python-telegram-bot's per-user `user_data`, which the application persists in the
data dir (a restart keeps it): notes waiting for their client, for "note or question?", or sent in a
group to be saved in private; a correction in progress; the confirmation messages of recent notes (to
strike them through after an undo) and what was undone (to restore it for a minute). No Telegram types
here, so it is tested alone. Times are wall-clock seconds (time.time()), which survive a restart.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime

PENDING_TTL_S = 30 * 60
GROUP_PENDING_TTL_S = 24 * 3600  # a note moved out of a group waits for the adviser to open the chat
EDIT_TTL_S = 10 * 60
RESTORE_TTL_S = 60
MAX_PENDING = 5
MAX_CONFIRMATIONS = 20
REMEMBERED_DONE = 20
NAME_MAX_CHARS = 12
CANCEL_WORDS = {"取消", "算了", "不用了", "不记了", "不要了", "cancel"}
NOT_NAMES = {"好的", "好", "谢谢", "收到", "嗯", "嗯嗯", "是的", "对", "行", "可以", "ok", "OK", "不是"}
_BARE_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}|[A-Za-z][A-Za-z .'-]{1,29}")

WAITS_FOR_CLIENT = "client"  # a note with no recognisable client: which one?
WAITS_FOR_KIND = "confirm"  # reads like a note and like a question: 记录拜访 or 只是提问?
FROM_GROUP = "group"  # a note sent in a group: saved in private with one tap


@dataclass
class PendingNote:
    id: str
    text: str
    names: list[str]
    at: float
    kind: str = WAITS_FOR_CLIENT
    prompt: tuple[int, int] | None = None  # (chat id, message id) of the question, to remove its buttons

    @property
    def ttl(self) -> float:
        return GROUP_PENDING_TTL_S if self.kind == FROM_GROUP else PENDING_TTL_S


@dataclass(frozen=True)
class NoteSnapshot:
    """A logged note as plain data: kept across restarts without tying the saved state to the tracker's
    classes (a renamed class must never stop the bot from starting)."""

    note_id: int
    client_name: str
    created_at: datetime | None
    fields: dict  # the parsed note's fields by name (raw_text, amount_cny, currency, products ...)


@dataclass
class Confirmation:
    """The message confirming a logged note, and the note as saved (for restoring it after an undo)."""

    chat_id: int
    message_id: int
    html: str
    note: NoteSnapshot


@dataclass
class Restorable:
    note: NoteSnapshot  # as it was before the undo or the correction
    kind: str  # "undo" (log it again) or "correct" (put the old fields back)
    at: float


@dataclass
class Conversation:
    pending: dict[str, PendingNote] = field(default_factory=dict)  # oldest first
    done: list[str] = field(default_factory=list)  # ids already logged or cancelled
    editing: tuple[int, float] | None = None  # (note id, since)
    confirmations: dict[int, Confirmation] = field(default_factory=dict)  # note id -> its message
    restorable: dict[int, Restorable] = field(default_factory=dict)  # note id -> what to put back

    # -- notes waiting for something -------------------------------------------------------------

    def add_pending(self, text: str, names: list[str], now: float, *,
                    kind: str = WAITS_FOR_CLIENT) -> PendingNote:
        note = PendingNote(secrets.token_hex(4), text, list(names), now, kind)
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

    def peek_pending(self, pending_id: str, now: float) -> PendingNote | None:
        self._expire(now)
        return self.pending.get(pending_id)

    def was_handled(self, pending_id: str) -> bool:
        return pending_id in self.done

    def latest_pending(self, now: float) -> PendingNote | None:
        """The newest note waiting for its client (what a typed name answers)."""
        self._expire(now)
        waiting = [note for note in self.pending.values() if note.kind == WAITS_FOR_CLIENT]
        return waiting[-1] if waiting else None

    def _expire(self, now: float) -> None:
        for key in [k for k, note in self.pending.items() if now - note.at > note.ttl]:
            del self.pending[key]

    # -- a correction in progress -------------------------------------------------------------------

    def start_edit(self, note_id: int, now: float) -> None:
        self.editing = (note_id, now)

    def take_edit(self, now: float) -> int | None:
        editing, self.editing = self.editing, None
        if editing is None or now - editing[1] > EDIT_TTL_S:
            return None
        return editing[0]

    def cancel(self) -> tuple[bool, list[PendingNote]]:
        """Drop what the bot waits for: (was anything waiting, the notes dropped: their buttons go too)."""
        dropped = list(self.pending.values())
        self.done = [*self.done, *self.pending][-REMEMBERED_DONE:]
        self.pending.clear()
        had_edit, self.editing = self.editing is not None, None
        return bool(dropped) or had_edit, dropped

    # -- confirmations, undo and restore ------------------------------------------------------------

    def remember_confirmation(self, note_id: int, confirmation: Confirmation) -> None:
        self.confirmations[note_id] = confirmation
        while len(self.confirmations) > MAX_CONFIRMATIONS:
            self.confirmations.pop(next(iter(self.confirmations)))

    def offer_restore(self, note_id: int, note: NoteSnapshot, kind: str, now: float) -> None:
        self.restorable = {key: item for key, item in self.restorable.items()
                           if now - item.at <= RESTORE_TTL_S}
        self.restorable[note_id] = Restorable(note, kind, now)

    def take_restore(self, note_id: int, now: float) -> Restorable | None:
        item = self.restorable.pop(note_id, None)
        if item is None or now - item.at > RESTORE_TTL_S:
            return None
        return item


def reply_kind(text: str, candidates: list[str]) -> str | None:
    """"cancel", "name" (the client of the waiting note), or None (an ordinary message)."""
    from bot.tracker.parser import extract_client_name

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
