"""What the agent hands back to the console, the CLI and Telegram."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SOURCES_HEADER = "📚 出处："
SOURCES_HEADER_ENGLISH = "📚 Sources:"
INTENTS = ("objection", "discovery", "prep", "log", "tracker", "knowledge", "other")


ENGLISH_NOTICE = ("This answer is in Chinese: it quotes the training material, your client records or a talk "
                  "track that has no English version yet as written.")


def writes_english(text: str) -> bool:
    """The adviser wrote (mostly) English: the assistant's own words to them are English too."""
    latin = len(re.findall(r"[A-Za-z]", text))
    return latin > 2 * len(re.findall(r"[\u4e00-\u9fff]", text)) and latin >= 6


def answers_in_english(text: str) -> bool:
    """The adviser wrote English, at most a name or a term in Chinese ("王总", "一页纸"): the talk track is
    the English one. A message that switches between the two ("client says 一点风险都不要 how to handle")
    is a Chinese speaker's, and gets the Chinese talk track (with the notice that it is Chinese)."""
    return writes_english(text) and len(re.findall(r"[\u4e00-\u9fff]", text)) <= ENGLISH_MAX_HAN


ENGLISH_MAX_HAN = 4


@dataclass(frozen=True)
class Source:
    """A passage an answer used. People see `label` (《文章标题》· 小节), never a file name."""

    title: str
    section: str
    source: str  # where the passage came from (a path or an upload's origin id): for audit, not for people
    chunk_id: str = ""
    text: str = ""  # the passage itself, shown when an adviser taps the source

    @property
    def label(self) -> str:
        title = f"《{self.title}》" if self.title else "《培训资料》"
        return f"{title} · {self.section}" if self.section and self.section != self.title else title

    def as_json(self) -> dict:
        return {"title": self.title, "section": self.section, "source": self.source}


@dataclass
class Reply:
    intent: str
    text: str  # plain text; the Telegram formatter escapes and splits it
    sources: list[Source] = field(default_factory=list)
    logged_note: dict | None = None  # ParsedNote.as_json() of the note saved by this message
    note_id: int | None = None  # for correct/undo buttons
    needs_client: bool = False  # a visit note with no recognisable client: ask which one
    client_candidates: list[str] = field(default_factory=list)
    # The message reads like a visit report and like a question: nothing was done; the channel asks
    # (Telegram: 记录拜访 / 只是提问; console: y/n), then calls Agent.log_note or
    # Agent.answer(as_question=True).
    needs_confirmation: bool = False
    guardrails: list[str] = field(default_factory=list)
    notice: str | None = None  # e.g. "LLM 后端暂时不可用，以下是离线回答"
    backend: str = "offline"  # offline, openai:MODEL, ollama:MODEL: who composed the text
    fallback_reason: str | None = None  # why the offline answer replaced an LLM's (timeout, error ...)
    model_calls: int = 0  # what the answer cost with an LLM backend (also when it fell back), for the audit
    tokens: int = 0
    model: str | None = None
    english: bool = False  # the text is English (the adviser wrote English): so is the sources header

    @property
    def sources_header(self) -> str:
        return SOURCES_HEADER_ENGLISH if self.english else SOURCES_HEADER

    @property
    def full_text(self) -> str:
        """The answer followed by its sources block (console, `adviser ask`); Telegram renders `sources`
        itself (with buttons to show each passage), so `text` never carries them."""
        if not self.sources:
            return self.text
        lines = "\n".join(f"- {s.label}" for s in self.sources)
        return f"{self.text.rstrip()}\n\n{self.sources_header}\n{lines}"

    def as_json(self) -> dict:
        """The keys `adviser ask --json` promises (never rename or drop one; add at the end)."""
        return {"intent": self.intent, "answer": self.full_text,
                "sources": [s.as_json() for s in self.sources], "logged_note": self.logged_note,
                "backend": self.backend, "fallback_reason": self.fallback_reason,
                "needs_confirmation": self.needs_confirmation}
