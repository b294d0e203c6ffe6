"""What the agent hands back to the console, the CLI and Telegram."""

from __future__ import annotations

from dataclasses import dataclass, field

INTENTS = ("objection", "discovery", "prep", "log", "tracker", "knowledge", "other")


@dataclass(frozen=True)
class Source:
    title: str
    section: str
    source: str
    chunk_id: str = ""

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
    guardrails: list[str] = field(default_factory=list)
    notice: str | None = None  # e.g. "LLM backend unavailable, offline answer"
    backend: str = "offline"

    def as_json(self) -> dict:
        """Exactly the keys `adviser ask --json` promises."""
        return {"intent": self.intent, "answer": self.text,
                "sources": [s.as_json() for s in self.sources], "logged_note": self.logged_note}
