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
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bot.agent.guard_patterns import ComplianceDataError, normalise
from bot.agent.learned_check import LearnedCheck, cached_vectors, embed
from knowledge.types import Embedder

# As the answer check's (guard_semantic.py); the threshold is the data's, chosen on the dev splits of the
# request sets (bench/guardrails.py).
_REGULARISATION_C = 3.0
_NGRAM_WEIGHT = 0.5


class RequestMeaning:
    """Loaded with the data, the request rules' ids and the embedder; learnt on the first message it reads."""

    def __init__(self, data: dict, *, rule_ids: Sequence[str], embedder: Embedder | None,
                 honest: Sequence[str] = (), cache: Path | None = None) -> None:
        """`honest`: more messages that ask nothing improper (the talk-track library's phrasings);
        `cache`: a file keeping the labelled messages' vectors between processes."""
        self.embedder = embedder
        self.cache = cache
        self.threshold = float(data["threshold"])
        self.asks = re.compile("|".join(f"(?:{p})" for p in data["asks"]))
        self.requests: dict[str, tuple[str, ...]] = {
            str(rule): tuple(texts) for rule, texts in (data.get("requests") or {}).items()}
        unknown = "、".join(sorted(set(self.requests) - set(rule_ids)))
        if unknown:
            raise ComplianceDataError(
                f"request_meaning.yaml：requests 下的 {unknown} 在 requests.yaml 里没有这条规则")
        self.honest = (*data["honest"], *honest)
        if not any(self.requests.values()) or not self.honest:
            raise ComplianceDataError("request_meaning.yaml：requests 和 honest 都要有带标注的消息")
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
                rules = [rule for rule, texts in self.requests.items() for _ in texts]
                texts = [text for texts in self.requests.values() for text in texts] + list(self.honest)
                vectors = cached_vectors(self.embedder, texts, self.cache)
                labels = [True] * len(rules) + [False] * len(self.honest)
                check = LearnedCheck(vectors, [normalise(t) for t in texts], labels,
                                     regularisation=_REGULARISATION_C, ngram_weight=_NGRAM_WEIGHT)
                self._learned = (check, vectors[:len(rules)], rules)
            return self._learned
