"""Agent replies -> Telegram HTML messages: everything escaped, long text split at paragraphs.

Telegram rejects a message over 4096 characters and treats `<`, `>` and `&` as markup in HTML
mode, so every piece of text that came from an adviser, a client or a document is escaped here,
after splitting (splitting escaped text could cut an entity like `&amp;` in two).
"""

from __future__ import annotations

import html

from bot.agent.reply import SOURCES_HEADER, SOURCES_HEADER_ENGLISH, Reply, Source

TELEGRAM_LIMIT = 4096
EMPTY_ANSWER = "抱歉，这次没有生成回答，请换个说法再问一次。"  # Telegram rejects an empty message
SOURCES_HINT = "（点下面的编号看原文）"
SOURCES_HINT_ENGLISH = " (tap a number below to read the passage)"
MAX_SOURCES = 5


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


def sources_block(sources: list[Source], *, english: bool = False) -> str:
    """Readable citations: 《标题》· 小节 only, numbered for the buttons (never a file name)."""
    if not sources:
        return ""
    lines = [f"[{index}] {source.label}" for index, source in enumerate(sources[:MAX_SOURCES], 1)]
    header = SOURCES_HEADER_ENGLISH + SOURCES_HINT_ENGLISH if english else SOURCES_HEADER + SOURCES_HINT
    return "\n".join([header, *lines])


def reply_messages(reply: Reply, limit: int = TELEGRAM_LIMIT, *, notice: str | None = None) -> list[str]:
    """The HTML messages for one agent reply (most are one message), its sources at the end."""
    text = reply.text if reply.text.strip() else EMPTY_ANSWER
    if notice:
        text = f"⚠️ {notice}\n\n{text}"
    block = sources_block(reply.sources, english=reply.english)
    if block:
        text = f"{text.rstrip()}\n\n{block}"
    room = limit - len("<b></b>")  # the bold header tag is added after escaping
    return [_emphasise(escape(piece)) for piece in split_text(text, room)]


def passage_message(label: str, text: str, limit: int = TELEGRAM_LIMIT) -> str:
    """The passage behind a source, under its label (cut to one message)."""
    head = f"<b>{escape(label)}</b>\n\n"
    body = split_text(text or "（这段原文没有保存下来。）", limit - len(head))[0]
    return head + escape(body)


def strike(html_text: str, note: str) -> str:
    """An old confirmation struck through, with what happened to it."""
    return f"<s>{html_text}</s>\n{escape(note)}"


def plain_messages(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    return [escape(piece) for piece in split_text(text if text.strip() else EMPTY_ANSWER, limit)]


def _emphasise(escaped: str) -> str:
    # Our own header only (it is already escaped text, and contains nothing to escape).
    for header in (SOURCES_HEADER, SOURCES_HEADER_ENGLISH):
        escaped = escaped.replace(header, f"<b>{header}</b>")
    return escaped
