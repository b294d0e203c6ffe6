"""Deterministic fakes shared by the unit tests (registered as fixtures in conftest)."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence

from knowledge.types import EmbedKind


class FakeEmbedder:
    """Hashes character unigrams and bigrams into a small vector: texts sharing characters are close.

    Deterministic across runs and processes, no model, no network.
    """

    dimension = 64

    def __init__(self) -> None:
        self.calls = 0

    def embed_batch(self, texts: Sequence[str], kind: EmbedKind = "passage") -> list[list[float]]:
        self.calls += 1
        return [self._embed(text) for text in texts]

    def _embed(self, text: str) -> list[float]:
        vector = [0.0] * self.dimension
        grams = list(text) + [text[i:i + 2] for i in range(len(text) - 1)]
        for gram in grams:
            if gram.isspace():
                continue
            digest = hashlib.blake2b(gram.encode("utf-8"), digest_size=4).digest()
            vector[int.from_bytes(digest, "little") % self.dimension] += 1.0
        norm = math.sqrt(sum(v * v for v in vector)) or 1.0
        return [v / norm for v in vector]
