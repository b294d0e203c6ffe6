"""Refusals the request guard read by meaning (no pattern named the deed): its rule is a guess, so the
library's reviewed compliance rules decide what explains the refusal, or whether one that allows the deed
answers instead."""

from __future__ import annotations

from collections.abc import Sequence

from bot.agent.playbooks import Playbooks
from bot.agent.route_thresholds import ALLOWED_OVER_MEANING
from knowledge.phrases import Neighbour


def forbidding(neighbours: Sequence[Neighbour], playbooks: Playbooks) -> list[Neighbour]:
    """The compliance rules among `neighbours` that forbid the deed they are about, nearest first."""
    forbidden = playbooks.forbidding_rules
    return [n for n in neighbours
            if n.label.startswith("compliance:") and n.label.partition(":")[2] in forbidden]


def library_allows(neighbours: Sequence[Neighbour], playbooks: Playbooks, *, floor: float) -> bool:
    """The nearest compliance rule allows the deed (or says it depends), is near enough to be meant
    (`floor`), and is clearly nearer than any that forbids: that reviewed rule answers, not the guess."""
    rules = [n for n in neighbours if n.label.startswith("compliance:")]
    forbidden = forbidding(rules, playbooks)
    return bool(rules) and rules[0] not in forbidden and rules[0].similarity >= floor and (
        not forbidden or rules[0].similarity - forbidden[0].similarity >= ALLOWED_OVER_MEANING)
