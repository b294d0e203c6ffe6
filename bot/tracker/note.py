"""The parsed visit note: the contract shared by the parser, the tracker, the agent and the CLI."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

SENTIMENTS = ("resistant", "neutral", "positive")
NOTE_JSON_KEYS = ("client", "amount_cny", "products", "sentiment", "objections", "next_step",
                  "follow_up_on", "risk_level")


@dataclass
class ParsedNote:
    raw_text: str
    client: str | None = None
    amount_cny: int | None = None
    products: list[str] = field(default_factory=list)
    sentiment: str = "neutral"
    objections: list[str] = field(default_factory=list)
    next_step: str | None = None
    follow_up_on: date | None = None
    risk_level: str | None = None  # "C1".."C5"

    def as_json(self) -> dict:
        """Exactly the keys `adviser notes parse --json` promises."""
        return {
            "client": self.client,
            "amount_cny": self.amount_cny,
            "products": list(self.products),
            "sentiment": self.sentiment,
            "objections": list(self.objections),
            "next_step": self.next_step,
            "follow_up_on": self.follow_up_on.isoformat() if self.follow_up_on else None,
            "risk_level": self.risk_level,
        }
