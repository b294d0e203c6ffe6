"""Regional chat words read as standard Mandarin (knowledge/dialect.yaml, reviewed data), so the cues
that tell a question, a request for leave or a meeting ahead read "聊撒" as they read "聊啥"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DIALECT_FILE = Path(__file__).resolve().parents[2] / "knowledge" / "dialect.yaml"


@dataclass(frozen=True)
class DialectRule:
    pattern: re.Pattern[str]
    standard: str
    examples: tuple[str, ...]
    keeps: tuple[str, ...]


def load_dialect_rules(path: Path = DIALECT_FILE) -> tuple[DialectRule, ...]:
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return tuple(DialectRule(re.compile(str(rule["pattern"])), str(rule["standard"]),
                             tuple(rule.get("examples") or ()), tuple(rule.get("keeps") or ()))
                 for rule in data.get("rules") or ())


@lru_cache(maxsize=1)
def _rules() -> tuple[DialectRule, ...]:
    return load_dialect_rules()


def standard_wording(text: str, rules: tuple[DialectRule, ...] | None = None) -> str:
    """`text` with the regional words of `rules` (by default knowledge/dialect.yaml) in standard Mandarin."""
    for rule in _rules() if rules is None else rules:
        text = rule.pattern.sub(rule.standard, text)
    return text
