"""The meaning half of the request guard: a request the patterns (requests.yaml) let through is read by a
check learnt from labelled messages (knowledge/compliance/request_meaning.yaml), so a violation asked for
in other words ("灵活处理一下", "你懂的", "just tell me which answers to pick") is refused too.

Only messages that ask for something are read: help with a deed (帮我, 替他), leave to do it (我能…吗,
can I) or a way around (有没有办法). A visit report, or a client's words to answer, asks nothing of the
kind; read all the same, the check flagged honest narratives that merely spoke of the same topics. The
rule named is the nearest labelled request's, a guess: the router explains such a refusal by the library's
nearest rule that forbids, and lets a clearly nearer rule that allows answer instead (router.py).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from bot.agent.guard_patterns import ComplianceDataError, normalise
from bot.agent.learned_check import LearnedCheck, cached_vectors, embed
from knowledge.types import Embedder

if TYPE_CHECKING:
    from bot.agent.playbooks import Playbooks

# Phrasings per library entry learnt as honest (measured on the request sets' dev splits: all of them drowned
# the check's own examples and refused more honest requests; one each let more violations by).
LIBRARY_PHRASINGS_PER_ENTRY = 3


def library_requests(playbooks: Playbooks) -> list[str]:
    """The talk-track library's phrasings the check also learns as honest: three per entry of concerns,
    clients, meetings and methods, and the routes' (notes, greetings, asks off the job). Not the compliance
    rules': "能帮客户代签吗" asks leave for a violation. (The guardrails drop any the request patterns refuse,
    such as a stock tip asked off the job.)"""
    return [text for entry in playbooks.entries if entry.kind != "compliance"
            for text in entry.examples[:LIBRARY_PHRASINGS_PER_ENTRY]] + \
        [text for texts in playbooks.routes.values() for text in texts]


def _strings(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise ComplianceDataError(f"request_meaning.yaml：{where} 要写成一列非空的文字")
    return tuple(value)


class RequestMeaning:
    """Loaded with the data, the request rules' ids and the embedder; learnt on the first message it reads."""

    def __init__(self, data: dict, *, rule_ids: Sequence[str], embedder: Embedder | None,
                 honest: Sequence[str] = (), refused: Callable[[str], object] = lambda text: None,
                 cache: Path | None = None) -> None:
        """`honest`: more messages that ask nothing improper (the talk-track library's phrasings), less those
        `refused` refuses (the request patterns), read when the check is learnt, not at load;
        `cache`: a file keeping the labelled messages' vectors between processes."""
        self.embedder = embedder
        self.cache = cache
        threshold = data.get("threshold")
        if not isinstance(threshold, (int, float)) or not 0 < threshold < 1:
            raise ComplianceDataError("request_meaning.yaml：threshold 要写成 0 到 1 之间的数")
        self.threshold = float(threshold)
        self.asks = re.compile("|".join(f"(?:{p})" for p in _strings(data.get("asks"), "asks")))
        requests = data.get("requests")
        if not isinstance(requests, dict) or not requests:
            raise ComplianceDataError("request_meaning.yaml：requests 要按规则 id 列出带标注的消息")
        self.labelled: dict[str, tuple[str, ...]] = {
            str(rule): _strings(texts, f"requests 下的 {rule}") for rule, texts in requests.items()}
        unknown = "、".join(sorted(set(self.labelled) - set(rule_ids)))
        if unknown:
            raise ComplianceDataError(
                f"request_meaning.yaml：requests 下的 {unknown} 在 requests.yaml 里没有这条规则")
        self.honest = _strings(data.get("honest"), "honest")
        self._more_honest = tuple(honest)
        self._refused = refused
        self._learned: tuple[LearnedCheck, np.ndarray, list[str]] | None = None
        self._lock = threading.Lock()

    def asks_something(self, text: str) -> bool:
        """The message asks for help, for leave or for a way: the only messages the check reads."""
        return bool(self.asks.search(normalise(text)))

    def rule(self, text: str) -> str | None:
        """The id of the request rule the message asks to break, by meaning; None when it asks nothing of the
        kind (or there is no model)."""
        if self.embedder is None or not self.asks_something(text):
            return None
        check, request_vectors, request_rules = self.learned()
        vector = embed(self.embedder, [text])
        if check.probabilities(vector, [normalise(text)])[0] < self.threshold:
            return None
        return request_rules[int(np.argmax(request_vectors @ vector[0]))]

    def learned(self) -> tuple[LearnedCheck, np.ndarray, list[str]]:
        """The check, and the labelled requests' vectors with their rules (to name the rule broken). Learnt
        once: ~1,900 messages to embed, ~15 s on two cores unless `cache` has them."""
        assert self.embedder is not None
        with self._lock:
            if self._learned is None:
                rules = [rule for rule, texts in self.labelled.items() for _ in texts]
                honest = [*self.honest, *(text for text in self._more_honest if not self._refused(text))]
                texts = [text for texts in self.labelled.values() for text in texts] + honest
                vectors = cached_vectors(self.embedder, texts, self.cache)
                labels = [True] * len(rules) + [False] * len(honest)
                check = LearnedCheck(vectors, [normalise(t) for t in texts], labels)
                self._learned = (check, vectors[:len(rules)], rules)
            return self._learned
