"""What the router decides about a message: the result type every later step of an answer reads."""

from __future__ import annotations

from dataclasses import dataclass

from bot.agent.guard_patterns import Refusal
from bot.agent.playbooks import Entry

INTENT_OF_KIND = {"objection": "objection", "client_type": "discovery", "first_meeting": "prep",
                  "compliance": "knowledge", "method": "knowledge", "log": "log", "tracker": "tracker",
                  "prep": "prep", "other": "other", "off_topic": "other", "knowledge": "knowledge",
                  "suitability": "knowledge", "refusal": "knowledge", "confirm": "log"}


@dataclass(frozen=True)
class Route:
    kind: str  # a playbook kind, a routes.yaml name, or knowledge / suitability / refusal / confirm
    entries: tuple[Entry, ...] = ()  # matched talk tracks, best first (several: one per concern)
    client: str | None = None  # the client the message names, if any
    similarity: float = 0.0  # of the nearest phrasing, for the audit and the bench
    refusal: Refusal | None = None  # the request guard's, when the adviser asked for a violation
    alternative: Entry | None = None  # a near second reading of a single concern, offered after the first

    @property
    def intent(self) -> str:
        return INTENT_OF_KIND[self.kind]

    @property
    def talk_tracks(self) -> tuple[Entry, ...]:
        """The matched entries, then the alternative reading if there is one."""
        return (*self.entries, self.alternative) if self.alternative else self.entries

    @property
    def needs_confirmation(self) -> bool:
        return self.kind == "confirm"
