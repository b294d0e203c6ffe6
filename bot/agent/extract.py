"""Pick the sentences of the retrieved passages that answer a question: an extract, not a chunk dump.

The material is scraped course pages: outlines ("一、…二、…"), quiz items ("(6.67 分)A正确B错误"),
headings and page furniture sit between the sentences that carry content. Those are left out, leading
numbering is dropped, and the sentences sharing most with the question are kept, a few per passage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.agent.tools import STOP_CHARS, char_bigrams
from knowledge.types import Hit

_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|\n")
_QUIZ = re.compile(r"(\d+(\.\d+)?\s*分\)|正确答案|[A-D][正错]确?B|课后测试|单选题|多选题|判断题)")
_QUIZ_PAGE = re.compile(r"(测试|考试|试题|试卷|答案|习题)")
_COURSE_PAGE = re.compile(r"(课程大纲|课程名称|主讲|讲师简介|授课对象|课程时长|课时:)")
_LEADING_NUMBER = re.compile(
    r"^\s*(第[一二三四五六七八九十]+[讲章节部分]|[一二三四五六七八九十]+[、.]|[（(][0-9一二三四五六七八九十]+[)）]|"
    r"[0-9]+(\.[0-9]+)*[、.．)]|[①-⑩]|[-•·*])\s*")
_OUTLINE_RUN = re.compile(r"([一二三四五六七八九十]+、.{0,20}){2,}")
_CJK_SPACE = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
_CLAUSE_MARK = re.compile(r"[，,。；;：:！？!?、]")
# "客户" is in nearly every sentence of the material: sharing it says nothing about the question.
_RANKING_STOP = STOP_CHARS | frozenset("客户")
MIN_CHARS = 14
MAX_CHARS = 150


@dataclass(frozen=True)
class Extract:
    sentence: str
    hit: Hit


def bigrams(text: str) -> set[str]:
    return char_bigrams(text, _RANKING_STOP)


def clean_sentence(raw: str) -> str | None:
    """The sentence as an adviser should read it, or None when it is no content sentence."""
    text = _CJK_SPACE.sub("", raw.strip())
    if _QUIZ.search(text) or _OUTLINE_RUN.search(text) or _COURSE_PAGE.search(text):
        return None
    previous = None
    while previous != text:  # "四、客户服务策略(1)提供…" has two numberings in a row
        previous, text = text, _LEADING_NUMBER.sub("", text)
    if len(text) < MIN_CHARS or not re.search(r"[\u4e00-\u9fff]{6}", text):
        return None  # a label, a page number
    clauses = _CLAUSE_MARK.split(text)
    if len(clauses) == 1 or max(len(clause) for clause in clauses) > 60:
        return None  # a heading ("财富管理客户分层服务体系建设方案") or a run-on list (a lecturer's bio)
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS].rstrip("，,、；;") + "…"
    return text


def best_sentences(query: str, hits: list[Hit], *, limit: int = 4, per_hit: int = 2,
                   min_overlap: float = 0.0) -> list[Extract]:
    """Up to `limit` sentences, best first; a passage's rank counts as a small tie-breaker.

    `min_overlap`: the share of the question's character pairs a sentence must contain to be kept.
    """
    wanted = bigrams(query)
    scored: list[tuple[float, int, int, Extract]] = []
    seen: set[str] = set()
    for rank, hit in enumerate(hits):
        if _QUIZ_PAGE.search(f"{hit.title} {hit.section}"):
            continue  # a quiz's statements may be the false ones: never quote them as the material's view
        for position, raw in enumerate(_SENTENCE_END.split(hit.text)):
            sentence = clean_sentence(raw)
            if sentence is None or sentence[:20] in seen:
                continue
            seen.add(sentence[:20])
            overlap = len(wanted & bigrams(sentence)) / len(wanted) if wanted else 0.0
            if overlap < min_overlap:
                continue
            scored.append((overlap - 0.02 * rank, rank, position, Extract(sentence, hit)))
    scored.sort(key=lambda item: (-item[0], item[1], item[2]))
    chosen: list[tuple[int, int, Extract]] = []
    taken: dict[int, int] = {}
    for score, rank, position, extract in scored:
        if len(chosen) == limit:
            break
        if taken.get(rank, 0) >= per_hit or (chosen and score <= 0):
            continue
        taken[rank] = taken.get(rank, 0) + 1
        chosen.append((rank, position, extract))
    return [extract for _, _, extract in chosen]
