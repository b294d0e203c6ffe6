"""BM25 over Chinese tokens: jieba words plus CJK character bigrams, English words and numbers.

Bigrams make the ranking robust to paraphrases that jieba segments differently ("资产配置" vs
"配置资产"); jieba words keep precision. The index is a plain inverted index of numpy arrays, so
a query touches only the postings of its own tokens (fast at 100,000 chunks).
"""

from __future__ import annotations

import logging
import math
import re
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_LATIN = re.compile(r"[A-Za-z]+|\d+(?:\.\d+)?")
_STOPWORDS = frozenset(
    "的 了 和 与 及 或 是 在 有 为 对 等 也 都 就 而 之 其 这 那 个 中 上 下 不 要 会 能 "
    "可以 一个 我们 你们 他们 客户 什么 怎么 哪些 如何 吗 呢 吧 啊 "
    "how what which the a an of to and or is are for in on with".split()
)


@lru_cache(maxsize=1)
def _jieba():  # noqa: ANN202 - jieba has no types
    import jieba

    jieba.setLogLevel(logging.WARNING)  # it prints its dictionary loading otherwise
    jieba.initialize()
    return jieba


def tokenize(text: str) -> list[str]:
    """Tokens for BM25: jieba words (search mode), CJK bigrams, lower-cased Latin words and numbers."""
    jieba = _jieba()
    tokens: list[str] = []
    for run in _CJK_RUN.findall(text):
        tokens.extend(w for w in jieba.lcut_for_search(run) if w not in _STOPWORDS)
        tokens.extend(run[i:i + 2] for i in range(len(run) - 1))
    tokens.extend(w.lower() for w in _LATIN.findall(text) if w.lower() not in _STOPWORDS)
    return tokens


class BM25Index:
    """Okapi BM25 (k1=1.5, b=0.75) over a fixed list of documents."""

    def __init__(self, documents: Iterable[Sequence[str]], *, k1: float = 1.5, b: float = 0.75) -> None:
        # Documents are consumed one at a time and postings kept in compact arrays, so building the
        # index for 100,000 chunks never holds every token list (or a Python int per posting) at once.
        doc_lengths = array("f")
        postings: dict[str, tuple[array, array]] = {}
        for doc_id, tokens in enumerate(documents):
            doc_lengths.append(len(tokens))
            for token, count in Counter(tokens).items():
                ids, counts = postings.get(token) or postings.setdefault(token, (array("i"), array("f")))
                ids.append(doc_id)
                counts.append(count)
        self.size = len(doc_lengths)
        lengths = np.frombuffer(doc_lengths, dtype=np.float32) if self.size else np.zeros(0, np.float32)
        average = float(lengths.mean()) if self.size else 1.0
        self._norm = k1 * (1 - b + b * lengths / max(average, 1e-9))
        self._k1 = k1
        self._postings = {}
        while postings:
            token, (ids, counts) = postings.popitem()  # freed as converted: never two copies
            self._postings[token] = (np.frombuffer(ids, dtype=np.int32).copy(),
                                     np.frombuffer(counts, dtype=np.float32).copy(),
                                     math.log(1 + (self.size - len(ids) + 0.5) / (len(ids) + 0.5)))

    def top(self, query_tokens: Sequence[str], k: int) -> list[tuple[int, float]]:
        """Best (document index, score) pairs, highest first; documents sharing no token are left out."""
        if not self.size:
            return []
        scores = np.zeros(self.size, dtype=np.float32)
        for token, weight in Counter(query_tokens).items():
            posting = self._postings.get(token)
            if posting is None:
                continue
            ids, counts, idf = posting
            scores[ids] += weight * idf * counts * (self._k1 + 1) / (counts + self._norm[ids])
        candidates = np.flatnonzero(scores)
        if candidates.size > k:
            candidates = candidates[np.argpartition(-scores[candidates], k)[:k]]
        ranked = sorted(candidates.tolist(), key=lambda i: -scores[i])
        return [(i, float(scores[i])) for i in ranked]
