"""Agent replies -> Telegram HTML messages: everything escaped, long text split at paragraphs.

Telegram rejects a message over 4096 characters and treats `<`, `>` and `&` as markup in HTML
mode, so every piece of text that came from an adviser, a client or a document is escaped here,
after splitting (splitting escaped text could cut an entity like `&amp;` in two).
"""

from __future__ import annotations

import html

from bot.agent.offline import SOURCES_HEADER
from bot.agent.reply import Reply

TELEGRAM_LIMIT = 4096
EMPTY_ANSWER = "抱歉，这次没有生成回答，请换个说法再问一次。"  # Telegram rejects an empty message


def escape(text: str) -> str:
    return html.escape(text, quote=False)


def split_text(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Plain-text pieces whose escaped form fits in `limit`: paragraphs first, then lines, then chars."""
    pieces: list[str] = []
    current = ""
    for paragraph in _units(text, limit):
        candidate = f"{current}\n\n{paragraph}" if current else paragraph
        if len(escape(candidate)) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current)
        current = paragraph
    if current:
        pieces.append(current)
    return pieces or [""]


def _units(text: str, limit: int) -> list[str]:
    """Paragraphs, with any paragraph too long on its own broken into lines, then into slices."""
    units: list[str] = []
    for paragraph in text.strip().split("\n\n"):
        paragraph = paragraph.strip("\n")
        if not paragraph:
            continue
        if len(escape(paragraph)) <= limit:
            units.append(paragraph)
            continue
        line_block = ""
        for line in paragraph.split("\n"):
            for part in _slices(line, limit):
                candidate = f"{line_block}\n{part}" if line_block else part
                if len(escape(candidate)) <= limit:
                    line_block = candidate
                else:
                    units.append(line_block)
                    line_block = part
        if line_block:
            units.append(line_block)
    return units


def _slices(line: str, limit: int) -> list[str]:
    if len(escape(line)) <= limit:
        return [line]
    out, current = [], ""
    for char in line:
        if len(escape(current + char)) > limit:
            out.append(current)
            current = ""
        current += char
    return [*out, current] if current else out


def reply_messages(reply: Reply, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """The HTML messages for one agent reply (most are one message)."""
    text = reply.text if reply.text.strip() else EMPTY_ANSWER
    if reply.notice:
        text = f"⚠️ {reply.notice}\n\n{text}"
    room = limit - len("<b></b>")  # the bold header tag is added after escaping
    return [_emphasise(escape(piece)) for piece in split_text(text, room)]


def plain_messages(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    return [escape(piece) for piece in split_text(text if text.strip() else EMPTY_ANSWER, limit)]


def _emphasise(escaped: str) -> str:
    # Our own header only (it is already escaped text, and contains nothing to escape).
    return escaped.replace(SOURCES_HEADER, f"<b>{SOURCES_HEADER}</b>")
