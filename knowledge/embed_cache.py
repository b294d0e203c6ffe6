"""An Embedder that remembers what it embedded: the coach embeds the same short texts again and again
(the adviser's message for routing and for the client type, the talk-track lines the guardrails read),
and the model is the slow part of an answer."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

from knowledge.types import Embedder, EmbedKind


class CachedEmbedder:
    def __init__(self, inner: Embedder, *, size: int = 4096) -> None:
        self.inner = inner
        self.size = size
        self._vectors: OrderedDict[tuple[str, str], list[float]] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    def embed_batch(self, texts: Sequence[str], kind: EmbedKind = "passage") -> list[list[float]]:
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if (kind, t) not in self._vectors))
        if missing:
            vectors = self.inner.embed_batch(missing, kind)
            with self._lock:
                for text, vector in zip(missing, vectors, strict=True):
                    self._vectors[(kind, text)] = vector
                while len(self._vectors) > self.size:
                    self._vectors.popitem(last=False)
        with self._lock:
            found = []
            for text in texts:
                key = (kind, text)
                vector = self._vectors.get(key)
                if vector is None:  # evicted by a concurrent batch between the two steps: embed it again
                    vector = self.inner.embed_batch([text], kind)[0]
                else:
                    self._vectors.move_to_end(key)
                found.append(vector)
            return found
