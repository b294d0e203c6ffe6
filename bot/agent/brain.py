"""The offline brain's functions (COACH room), gathered in one object the Agent calls.

Gathering them lets tests hand the Agent a fake brain, and keeps the imports lazy: nothing of the
composer, the playbooks or the guardrails is loaded until an Agent is built.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Brain:
    classify_intent: Callable[[str], str]
    extract_client_name: Callable[[str], str | None]
    compose_offline: Callable[..., Any]  # (tools, adviser_id, text, intent, now) -> Reply
    check_request: Callable[[str], str | None]
    apply_guardrails: Callable[..., tuple[str, Sequence[str]]]

    @classmethod
    def default(cls) -> Brain:
        from bot.agent.guardrails import apply_guardrails, check_request
        from bot.agent.intents import classify_intent, extract_client_name
        from bot.agent.offline import compose_offline

        return cls(classify_intent=classify_intent, extract_client_name=extract_client_name,
                   compose_offline=compose_offline, check_request=check_request,
                   apply_guardrails=apply_guardrails)
