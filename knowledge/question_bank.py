"""The course's question bank (knowledge/course_questions.yaml): how advisers ask for each passage.

Advisers rarely use the material's words ("客户不肯介绍朋友咋办" for a passage on 转介绍的时机). The training
team keeps, per passage, the ways advisers ask for it; the search ranks a passage by its nearest question as
well (a question is closer to a question than to the passage's prose). A passage is named by a quote from
its body, not by its chunk id, so the bank survives re-chunking and applies to the passage wherever the
quote lands.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from knowledge.errors import DataFileError
from knowledge.types import Chunk

QUESTIONS_FILE = Path(__file__).resolve().parent / "course_questions.yaml"


class QuestionBankError(DataFileError):
    """The question bank file is malformed; the message (Chinese) names the entry and what to fix."""


@dataclass(frozen=True)
class PassageQuestions:
    source: str   # the source's file name, as people see it
    quote: str    # words that occur verbatim in the passage's body
    questions: tuple[str, ...]


def _squeezed(text: str) -> str:
    return "".join(text.split())


class QuestionBank:
    """Questions by passage; `questions_for(chunk)` gives those whose quote the chunk's text holds."""

    def __init__(self, entries: list[PassageQuestions]) -> None:
        self.entries = tuple(entries)
        self._by_source: dict[str, list[PassageQuestions]] = {}
        for entry in entries:
            self._by_source.setdefault(entry.source, []).append(entry)
        self.sources = frozenset(self._by_source)
        # Changes when any question or quote does: the store re-indexes the questions then.
        listed = json.dumps([[e.source, e.quote, list(e.questions)] for e in entries], ensure_ascii=False)
        self.fingerprint = hashlib.sha1(listed.encode()).hexdigest()[:16]

    @classmethod
    def from_file(cls, path: Path = QUESTIONS_FILE) -> QuestionBank:
        import yaml

        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as error:
            raise QuestionBankError(f"{path.name} 不是合法的 YAML：{error}") from error
        passages = data.get("passages") if isinstance(data, dict) else None
        if not isinstance(passages, list):
            raise QuestionBankError(f"{path.name}：passages 要写成一列")
        return cls([_entry(raw, f"{path.name} 第 {number} 条") for number, raw in enumerate(passages, 1)])

    def questions_for(self, chunk: Chunk) -> list[str]:
        """The questions of every bank entry of the chunk's source whose quote occurs in its text."""
        text = _squeezed(chunk.text)
        return [q for entry in self._by_source.get(chunk.source, ()) if entry.quote in text
                for q in entry.questions]

    def landings(self, chunks: Sequence[Chunk]) -> list[int]:
        """For each entry, how many of these chunks (of its source) hold its quote: 1 when it names its
        passage, 0 when no passage holds it any more."""
        texts: dict[str, list[str]] = {}
        for chunk in chunks:
            texts.setdefault(chunk.source, []).append(_squeezed(chunk.text))
        return [sum(entry.quote in text for text in texts.get(entry.source, ())) for entry in self.entries]


# A quote this short could stand in many passages.
MIN_QUOTE_CHARS = 6


def _entry(raw: object, where: str) -> PassageQuestions:
    if not isinstance(raw, dict) or not raw.get("source"):
        raise QuestionBankError(f"{where}：要有 source（课程文件名）")
    quote = _squeezed(str(raw.get("quote") or ""))
    if len(quote) < MIN_QUOTE_CHARS:
        raise QuestionBankError(f"{where}：quote 要从段落里原样摘至少 {MIN_QUOTE_CHARS} 个字")
    questions = raw.get("questions")
    if not isinstance(questions, list) or not questions or not all(isinstance(q, str) and q.strip()
                                                                      for q in questions):
        raise QuestionBankError(f"{where}（{quote}）：questions 要写成一列问句，至少一句")
    return PassageQuestions(str(raw["source"]), quote, tuple(q.strip() for q in questions))


@lru_cache(maxsize=1)
def shipped_questions() -> QuestionBank:
    """The bank shipped with the course (knowledge/course_questions.yaml), read once."""
    return QuestionBank.from_file(QUESTIONS_FILE)
