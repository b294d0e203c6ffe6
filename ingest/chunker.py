"""Articles -> passages that read well on a phone: sentence and section boundaries, a size cap, overlap.

Each chunk remembers the section heading it sits under, so a hit can say where it comes from.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from ingest.articles import Article
from knowledge.types import Chunk

# Measured on the shipped corpus (dense retrieval, 32 questions, bench notes in the ingest report):
# 200/250/300/350/400/500 -> MRR 0.75/0.78/0.78/0.74/0.67/0.72; 300 keeps more context per hit.
# Overlap 0/60/100 at 300 -> MRR 0.76/0.78/0.75.
DEFAULT_MAX_CHARS = 300
DEFAULT_OVERLAP_CHARS = 60
MIN_CHARS = 60  # below this a passage is too thin to mean something; it is merged with its neighbour

_CN_NUMBER = "一二三四五六七八九十百零〇"
# Headings we recognise at the start of a line: 第三讲 / 第2章, 一、, (二), 1、 1. 1.2 2)
_TOP_HEADING = re.compile(rf"^(?:第[{_CN_NUMBER}\d]+[讲章篇部节课]|[{_CN_NUMBER}]+[、.])")
_SUB_HEADING = re.compile(rf"^(?:\([{_CN_NUMBER}\d]+\)|\d+(?:\.\d+)+\.?|\d+[、.)](?!\d))")
_MAX_HEADING = 30
# Sentence ends. A quiz question followed by its score keeps its answer options ("3、沙龙活动举办的步骤有
# 哪些?(6.67 分)A找对目标客户B…正确答案:…"), so a passage never ends on a question whose answer opens the
# next one, nor opens on options without their question. (re.split drops closing quotes right after a stop:
# an old flaw, left alone here, since mending it changes most passages.)
_SENTENCE_END = re.compile(r"(?<=[。!?;!?;])(?![”’)\]】》]*\s*\(\d+(?:\.\d+)?\s*分\))[”’)\]】》]*")
_CLAUSE_END = re.compile(r"(?<=[,,、:])")
# A numbered heading glued to the previous sentence ("...利润。2、资产配置") starts a new unit.
_INLINE_HEADING = re.compile(
    rf"(?<=[。!?;])(?=(?:第[{_CN_NUMBER}\d]+[讲章篇]|[{_CN_NUMBER}]+、|\([{_CN_NUMBER}]+\)))"
)
_ENDS_LIKE_SENTENCE = re.compile(r"[。!?;,:、.]$")
_SHORT_LINE = 12
_INNER_PUNCT = re.compile(r"[,;。!?]")  # a heading is a phrase; with these inside it is a sentence
# Outlines scraped into one line ("课程纲要:一、行业分析1.1体系梳理(1)资管新规(2)理财新规二、客户画像"):
# a list marker after text starts a new line. Years ("2014、2015年") and decimals ("1.5万") are left alone.
_GLUED_MARKER = re.compile(
    rf"(?<=[^{_CN_NUMBER}第])(?=[{_CN_NUMBER}]{{1,3}}[、.](?=[\u4e00-\u9fff])"
    rf"|\([{_CN_NUMBER}\d]{{1,2}}\)(?=[\u4e00-\u9fff])"
    rf"|第[{_CN_NUMBER}\d]{{1,3}}[讲章篇部](?=[\s\u4e00-\u9fff:])"
    r"|(?<![\d.])\d{1,2}[、.](?=\s?[\u4e00-\u9fff])"
    r"|(?<=[\u4e00-\u9fff)])\d{1,2}\.\d{1,2}(?=\s?[\u4e00-\u9fff])(?![万亿元倍年个分岁%学小天周月次户人家条项]))"
)


@dataclass
class _Unit:
    text: str
    heading: str | None = None  # set when this unit is itself a heading
    top_level: bool = False
    numbered: bool = False
    starts_line: bool = True


def heading_level(line: str) -> int | None:
    """1 for a top heading (第三讲, 一、), 2 for a numbered sub heading, None for body text."""
    if len(line) > _MAX_HEADING or _ENDS_LIKE_SENTENCE.search(line) or _INNER_PUNCT.search(line):
        return None
    if _TOP_HEADING.match(line):
        return 1
    if _SUB_HEADING.match(line):
        return 2
    return None


def split_sentences(text: str, max_chars: int) -> list[str]:
    """Sentences of `text`; a sentence longer than `max_chars` is cut at clauses, then hard."""
    pieces = [p for p in _SENTENCE_END.split(_INLINE_HEADING.sub("\n", text)) for p in p.split("\n")]
    sentences: list[str] = []
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        if len(piece) <= max_chars:
            sentences.append(piece)
            continue
        buffer = ""
        for clause in _CLAUSE_END.split(piece):
            if len(buffer) + len(clause) > max_chars and buffer:
                sentences.append(buffer)
                buffer = ""
            while len(clause) > max_chars:
                sentences.append(clause[:max_chars])
                clause = clause[max_chars:]
            buffer += clause
        if buffer:
            sentences.append(buffer)
    return sentences


def _join_short_runs(lines: list[str]) -> list[str]:
    """Slides leave one word per line; three or more such lines in a row read better as one line."""
    joined: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if len(run) >= 3:
            joined.append(" ".join(run))
        else:
            joined.extend(run)
        run.clear()

    for line in lines:
        if len(line) <= _SHORT_LINE and not _ENDS_LIKE_SENTENCE.search(line) and heading_level(line) is None:
            run.append(line)
            continue
        flush()
        joined.append(line)
    flush()
    return joined


def split_glued_markers(lines: list[str]) -> list[str]:
    """One list item per line where a scrape glued a numbered outline into one line."""
    parts = (part.strip() for line in lines for part in _GLUED_MARKER.sub("\n", line).split("\n"))
    return [part for part in parts if part]


def _units(article: Article, max_chars: int) -> list[_Unit]:
    units: list[_Unit] = []
    lines = _join_short_runs(split_glued_markers(article.lines))
    for index, line in enumerate(lines):
        level = heading_level(line)
        following = lines[index + 1] if index + 1 < len(lines) else ""
        # An unnumbered short line followed by a longer paragraph is a slide or web heading.
        plain_heading = (level is None and len(line) <= 20 and not _ENDS_LIKE_SENTENCE.search(line)
                         and " " not in line and len(following) > 2 * len(line))
        if level is not None or plain_heading:
            units.append(_Unit(text=line, heading=line, top_level=level == 1, numbered=level is not None))
            continue
        for number, sentence in enumerate(split_sentences(line, max_chars)):
            units.append(_Unit(text=sentence, starts_line=number == 0))
    return units


def _flush_threshold(heading: _Unit, max_chars: int) -> int:
    if heading.top_level:
        return MIN_CHARS
    return max_chars // 3 if heading.numbered else max_chars // 2


def chunk_id(source: str, title: str, section: str, text: str) -> str:
    """Content hash: the same passage of the same article of the same source always gets the same id.

    `source` is the source's key (full path) when it has one, so equal files in two folders stay two.
    """
    digest = hashlib.sha256("\x1f".join((source, title, section, text)).encode("utf-8"))
    return digest.hexdigest()[:32]


def _overlap_tail(units: list[_Unit], overlap_chars: int) -> list[_Unit]:
    """The last whole sentences of a chunk, up to `overlap_chars`, to open the next one."""
    tail: list[_Unit] = []
    size = 0
    for unit in reversed(units):
        if unit.heading is not None or size + len(unit.text) > overlap_chars:
            break
        tail.insert(0, unit)
        size += len(unit.text)
    return tail


def _render(units: list[_Unit]) -> str:
    parts: list[str] = []
    for unit in units:
        if parts:
            parts.append("\n" if unit.starts_line else "")
        parts.append(unit.text)
    return "".join(parts)


def chunk_article(
    article: Article, source: str, *, source_key: str = "", start_position: int = 0,
    max_chars: int = DEFAULT_MAX_CHARS, overlap_chars: int = DEFAULT_OVERLAP_CHARS,
) -> list[Chunk]:
    """One article -> chunks of about `max_chars` characters, in reading order.

    A chunk holds at most `max_chars` characters plus line breaks, except that a thin last piece of an
    article (under MIN_CHARS) is appended to the chunk before it rather than left alone.
    """
    chunks: list[Chunk] = []
    identity = source_key or source
    top = ""
    sub = ""
    body: list[_Unit] = []    # sentences of the chunk being built
    fresh = 0                 # how many of them are new (not overlap carried from the previous chunk)
    section = ""
    sub_in_chunk = False      # the chunk's section already names a sub heading met inside the chunk

    def size(parts: list[_Unit]) -> int:
        return sum(len(part.text) for part in parts)

    def emit() -> None:
        nonlocal body, fresh
        if fresh == 0:
            return
        text = _render(body)
        position = start_position + len(chunks)
        chunks.append(Chunk(
            chunk_id=chunk_id(identity, article.title, section, text), text=text, source=source,
            title=article.title, section=section, position=position, source_key=source_key,
        ))
        body = _overlap_tail(body, overlap_chars) if overlap_chars else []
        # Overlap never outweighs new text; drop it if the tail is most of the chunk.
        if size(body) * 2 > max_chars:
            body = []
        fresh = 0

    for unit in _units(article, max_chars):
        if unit.heading is not None:
            # A top section (一、 第三讲) starts a new chunk once the current one can stand alone; in dense
            # outlines sub headings come every line, so they (and unnumbered slide headings, a weaker
            # signal still) close a chunk only once it holds a fair share of the size.
            if size(body[len(body) - fresh:]) >= _flush_threshold(unit, max_chars):
                emit()
                body = []
            if unit.top_level:
                top, sub = unit.heading, ""
            else:
                sub = unit.heading
            if fresh == 0:
                body = []
                sub_in_chunk = False
            if all(part.heading is not None for part in body[len(body) - fresh:]) \
                    and (unit.top_level or not sub_in_chunk):
                # Only headings so far: the chunk belongs to them (in an outline, to the first ones).
                section = " / ".join(part for part in (top, sub) if part)
                sub_in_chunk = not unit.top_level
        elif fresh == 0:
            section = " / ".join(part for part in (top, sub) if part)
        if size(body) + len(unit.text) > max_chars and fresh:
            emit()
            if unit.heading is not None:
                body = []  # overlap does not cross into a new section
            section = " / ".join(part for part in (top, sub) if part)
            sub_in_chunk = unit.heading is not None and not unit.top_level
        body.append(unit)
        fresh += 1
    if fresh and chunks and size(body[len(body) - fresh:]) < MIN_CHARS \
            and size(body[len(body) - fresh:]) + len(chunks[-1].text) <= max_chars + MIN_CHARS:
        # A thin tail is appended to the previous chunk instead of standing alone.
        last = chunks.pop()
        new_text = last.text + "\n" + _render(body[len(body) - fresh:])
        chunks.append(Chunk(chunk_id=chunk_id(identity, article.title, last.section, new_text), text=new_text,
                            source=source, title=article.title, section=last.section, position=last.position,
                            source_key=source_key))
    else:
        emit()
    return chunks
