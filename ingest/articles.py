"""Split one scraped file into the articles it concatenates, each with its title.

Document sites print an article's title and then repeat it (as the page heading, or glued to the first
line of the body: "客户标准\n客户标准高净值客户,通常..."). That repetition is the signal we use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.clean import Deduplicator

_MAX_TITLE = 60
_ENDS_LIKE_SENTENCE = re.compile(r"[。!?;,:、,.]$")
_GLUE_BREAK = re.compile(r"^[\s,.;:!?、。)\]]")


@dataclass
class Article:
    title: str
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _title_like(line: str) -> bool:
    return 2 <= len(line) <= _MAX_TITLE and not _ENDS_LIKE_SENTENCE.search(line)


def _glued_remainder(title: str, line: str) -> str | None:
    """The body glued after a repeated title ("标题标题正文" -> "正文"), or None if `line` does not start so.

    The title may be written with a prefix (a bank's name "XX" before it), so we look for it as a
    subsequence of the line's head. A title followed by punctuation ("加强管理,确保...") is a sentence that
    merely begins with the same words, not a repeated title.
    """
    slack = max(2, len(title) // 4)
    start = -1
    position = 0
    for index, char in enumerate(line[:len(title) + slack + 4]):
        if char != title[position]:
            continue
        if position == 0:
            start = index
        position += 1
        if position == len(title):
            if index - start + 1 > len(title) + slack:
                return None  # the title's words are spread through a sentence, not repeated
            rest = line[index + 1:]
            if not rest or _GLUE_BREAK.match(rest):
                return None
            while rest.startswith(title):  # "标题标题正文": the title glued more than once
                rest = rest[len(title):]
            return rest.strip() or None
    return None


def _title_at(lines: list[str], index: int, allow_adjacent: bool) -> tuple[int, str | None] | None:
    """If an article starts at `index`, return (index of the first body line, glued body text)."""
    title = lines[index]
    if not _title_like(title):
        return None
    cursor = index + 1
    gap = False
    repeats = 0
    while cursor < len(lines) and (lines[cursor] == "" or lines[cursor] == title):
        if lines[cursor] == "":
            gap = True
        else:
            repeats += 1
        cursor += 1
    if repeats > 2:
        return None  # a block printed many times is slide noise, not a title
    if repeats and (gap or allow_adjacent):
        glued = _glued_remainder(title, lines[cursor]) if cursor < len(lines) else None
        return (cursor + 1, glued) if glued else (cursor, None)
    if allow_adjacent and cursor < len(lines) and repeats == 0 and not gap:
        glued = _glued_remainder(title, lines[cursor])
        if glued:
            return cursor + 1, glued
    return None


def split_articles(lines: list[str], fallback_title: str) -> list[Article]:
    """Cleaned lines ("" = paragraph break) -> articles with titles, duplicates removed.

    Text before the first detected title forms an article titled by its first short line (a collection
    heading) or by `fallback_title` (the file name). Articles left with no body are dropped.
    """
    # Files with paragraph breaks mark each article by its title, a break and the title again; slides
    # inside such files also repeat lines back to back, so there only a repetition across a break counts.
    allow_adjacent = "" not in lines
    articles: list[Article] = []
    current: Article | None = None
    index = 0
    while index < len(lines):
        found = _title_at(lines, index, allow_adjacent)
        if found is not None:
            current = Article(title=lines[index])
            articles.append(current)
            index, glued = found
            if glued:
                current.lines.append(glued)
            continue
        line = lines[index]
        index += 1
        if not line:
            continue
        if current is None:
            if _title_like(line) and len(line) <= 30:
                current = Article(title=line)
                articles.append(current)
                continue
            current = Article(title=fallback_title)
            articles.append(current)
        current.lines.append(line)

    deduplicator = Deduplicator()
    kept: list[Article] = []
    for article in articles:
        deduplicator.reset_short()
        deduplicator.keep(article.title)  # the title repeated inside its own body is a duplicate too
        article.lines = deduplicator.filter(article.lines)
        if article.lines:
            kept.append(article)
    return kept
