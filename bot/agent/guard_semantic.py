"""The meaning half of the guardrails: a sentence the patterns let through is compared, with the embedding
model, to violation statements and to safe ones (knowledge/compliance/semantic.yaml).

Meaning cannot tell "不能承诺保本" from "保本", and every sentence about money sits near a promise, so it
reads only claims: a sentence that speaks of money, a product, its return, principal or risk, with no
negation, warning or disclosure in it (those are left to the patterns, which read negation clause by
clause). A clause that only reassures ("别担心，", "您不用操心，") negates the client's worry, not the claim:
it is dropped before reading, so "别担心，到期就是这个数" is read as "到期就是这个数".
A claim is a violation when it is close to a violation statement (`threshold`) and closer to the
violations than to the safe statements by `margin`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from bot.agent.guard_patterns import PromisePatterns, any_of, asks_a_not_a, normalise
from knowledge.types import Embedder

_MIN_CHARS = 4  # "好的。" says nothing


class MeaningCheck:
    """Loaded with the data and the embedder; the statements are embedded on the first check."""

    def __init__(self, semantic: dict, *, embedder: Embedder | None, patterns: PromisePatterns) -> None:
        self.embedder = embedder
        self.patterns = patterns
        self.threshold = float(semantic["threshold"])
        self.margin = float(semantic["margin"])
        self.claim_words = any_of(semantic["claim_words"])
        self.disclosures = any_of(semantic["disclosures"])
        self.reassurance = re.compile(semantic["reassurance"])
        self.violation_statements: tuple[str, ...] = tuple(semantic["violations"])
        self.safe_statements: tuple[str, ...] = tuple(semantic["safe"])
        self._anchors: tuple[np.ndarray, np.ndarray] | None = None

    def _anchor_vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """The violation and safe statements' vectors: embedded once, on the first check that needs them
        (not at load, so commands that never check an answer never load the model)."""
        if self._anchors is None:
            self._anchors = (self._embed(self.violation_statements), self._embed(self.safe_statements))
        return self._anchors

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        assert self.embedder is not None
        return np.asarray(self.embedder.embed_batch(list(texts), kind="query"), dtype=np.float32)

    def scores(self, sentences: Sequence[str]) -> list[tuple[float, float]]:
        """(closest violation cosine, that minus the closest safe cosine) per sentence, normalised first."""
        if self.embedder is None or not sentences:
            return []
        vectors = self._embed([self.claim_text(s) for s in sentences])
        violations, safes = self._anchor_vectors()
        violation = (vectors @ violations.T).max(axis=1)
        safe = (vectors @ safes.T).max(axis=1)
        return [(float(v), float(v - s)) for v, s in zip(violation, safe, strict=True)]

    def claim_text(self, sentence: str) -> str:
        """The sentence, normalised, without the clauses that only reassure ("别担心，"); of a warning, only
        what it says after turning away from it ("产品有风险，不过这款您放心，…"), else nothing."""
        clauses = re.split(r"(?<=[,;])", normalise(sentence))
        norm = "".join(c for c in clauses if not self.reassurance.fullmatch(c.rstrip(",;")))
        return self.patterns.after_disclaimer(norm) if self.patterns.is_warning(norm) else norm

    def is_claim(self, sentence: str, *, deposit_ok: bool = False) -> bool:
        """Says something about money, a product, its return, principal or risk, and warns of nothing.
        Deposits may be called safe."""
        norm = self.claim_text(sentence)
        return (len(norm) >= _MIN_CHARS and bool(self.claim_words.search(norm))
                and not self.disclosures.search(norm)
                and not self.patterns.is_warning(norm) and not self.patterns.has_negation(norm)
                and not asks_a_not_a(norm, 0, len(norm))  # "本金会不会亏，取决于…" asks
                and not (deposit_ok or self.patterns.deposit_only(norm)))

    def candidates(self, sentences: Sequence[str], *, deposit_ok: bool = False) -> list[int]:
        """Indices of the sentences the meaning check reads (whatever the patterns say of them)."""
        return [i for i, s in enumerate(sentences) if self.is_claim(s, deposit_ok=deposit_ok)]

    def is_violation(self, score: float, margin: float) -> bool:
        return score >= self.threshold and margin >= self.margin

    def flag(self, sentences: Sequence[str], flags: list[bool], *, deposit_ok: bool = False) -> list[bool]:
        """`flags` (the patterns' verdicts) with the claims the meaning gives away added."""
        if self.embedder is None:
            return flags
        todo = [i for i in self.candidates(sentences, deposit_ok=deposit_ok) if not flags[i]]
        flagged = list(flags)
        for i, (score, margin) in zip(todo, self.scores([sentences[i] for i in todo]), strict=True):
            flagged[i] = self.is_violation(score, margin)
        return flagged
