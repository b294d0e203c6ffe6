"""The parsed visit note: the contract shared by the parser, the tracker, the agent and the CLI."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

SENTIMENTS = ("resistant", "neutral", "positive")
NOTE_JSON_KEYS = ("client", "amount_cny", "products", "sentiment", "objections", "next_step",
                  "follow_up_on", "risk_level", "currency", "rejected_amounts")


@dataclass
class ParsedNote:
    raw_text: str
    client: str | None = None
    # the amount in `currency` (the name is historical: "50万美元" is amount_cny=500000, currency="USD")
    amount_cny: int | None = None
    products: list[str] = field(default_factory=list)
    sentiment: str = "neutral"
    objections: list[str] = field(default_factory=list)
    next_step: str | None = None
    follow_up_on: date | None = None
    risk_level: str | None = None  # "C1".."C5"
    currency: str = "CNY"  # ISO 4217 code of amount_cny
    rejected_amounts: list[str] = field(default_factory=list)  # implausible amounts as written, not saved

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
            "currency": self.currency,
            "rejected_amounts": list(self.rejected_amounts),
        }

    def amount_warning(self) -> str | None:
        """A Chinese line telling the adviser which amounts were not recorded, or None."""
        if not self.rejected_amounts:
            return None
        shown = "、".join(f"「{text}」" for text in self.rejected_amounts[:3])
        return f"金额{shown}不合理（负数或超过1000亿），没有记录金额；其余内容照常保存。"
