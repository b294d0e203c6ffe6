"""The meaning half of the guardrails: a sentence the patterns let through is read by a check learnt from
labelled sentences, violations and honest ones (knowledge/compliance/semantic.yaml).

Meaning cannot tell "不能承诺保本" from "保本", and every sentence about money sits near a promise, so it
reads only claims: a sentence that speaks of money, a product, its return, principal or risk, with no
negation, warning or disclosure in it (those are left to the patterns, which read negation clause by
clause). A clause that only reassures ("别担心，", "您不用操心，") negates the client's worry, not the claim:
it is dropped before reading, so "别担心，到期就是这个数" is read as "到期就是这个数".
A claim is a violation when the learnt check gives it at least `threshold` probability.

The check is learnt from the sentences' embeddings and character n-grams (learned_check.py): the
nearest labelled statement alone (the check before) read topic more than claim, and missed a fifth of
the violations in sets written blind while flagging honest sentences that shared their words.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from pathlib import Path

from bot.agent.guard_patterns import PromisePatterns, any_of, asks_a_not_a, normalise
from bot.agent.learned_check import LearnedCheck, cached_vectors, embed
from knowledge.types import Embedder

_MIN_CHARS = 4  # "好的。" says nothing


class MeaningCheck:
    """Loaded with the data and the embedder; the statements are embedded on the first check."""

    def __init__(self, semantic: dict, *, embedder: Embedder | None, patterns: PromisePatterns,
                 cache: Path | None = None) -> None:
        """`cache`: a file keeping the labelled sentences' vectors between processes."""
        self.embedder = embedder
        self.cache = cache
        self.patterns = patterns
        self.threshold = float(semantic["threshold"])
        self.claim_words = any_of(semantic["claim_words"])
        self.disclosures = any_of(semantic["disclosures"])
        self.reassurance = re.compile(semantic["reassurance"])
        self.violation_statements: tuple[str, ...] = tuple(semantic["violations"])
        self.safe_statements: tuple[str, ...] = tuple(semantic["safe"])
        if not self.violation_statements or not self.safe_statements:
            # Said at load, not by the first answer that reads a claim: the check learns from both.
            raise ValueError("semantic.yaml: violations and safe both need labelled sentences")
        self._learned: LearnedCheck | None = None
        self._lock = threading.Lock()

    def learned(self) -> LearnedCheck:
        """Trained once, on the first check that needs it (not at load, so commands that never check an
        answer never load the model): ~900 sentences to embed, ~7 s on two cores unless `cache` has them."""
        with self._lock:
            if self._learned is None:
                texts, labels = self._labelled(self.violation_statements, self.safe_statements)
                self._learned = LearnedCheck(cached_vectors(self._model(), texts, self.cache), texts, labels)
            return self._learned

    def train(self, violations: Sequence[str], safe: Sequence[str]) -> LearnedCheck:
        """A check learnt from these labelled sentences, read as claims are read."""
        texts, labels = self._labelled(violations, safe)
        return LearnedCheck(embed(self._model(), texts), texts, labels)

    def _model(self) -> Embedder:
        assert self.embedder is not None
        return self.embedder

    def _labelled(self, violations: Sequence[str], safe: Sequence[str]) -> tuple[list[str], list[bool]]:
        labels = [True] * len(violations) + [False] * len(safe)
        return [self.claim_text(s) for s in (*violations, *safe)], labels

    def scores(self, sentences: Sequence[str], check: LearnedCheck | None = None) -> list[float]:
        """Each sentence's violation probability (by `check`, else the one learnt from the data)."""
        if self.embedder is None or not sentences:
            return []
        texts = [self.claim_text(s) for s in sentences]
        return (check or self.learned()).probabilities(embed(self.embedder, texts), texts)

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

    def is_violation(self, probability: float) -> bool:
        return probability >= self.threshold

    def flag(self, sentences: Sequence[str], flags: list[bool], *, deposit_ok: bool = False) -> list[bool]:
        """`flags` (the patterns' verdicts) with the claims the meaning gives away added."""
        if self.embedder is None:
            return flags
        todo = [i for i in self.candidates(sentences, deposit_ok=deposit_ok) if not flags[i]]
        flagged = list(flags)
        for i, probability in zip(todo, self.scores([sentences[i] for i in todo]), strict=True):
            flagged[i] = self.is_violation(probability)
        return flagged
