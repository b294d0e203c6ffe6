"""The synthetic corpus of bench/scale.py: passages and queries of words drawn, by frequency, from the
shipped course, so BM25 sees realistic word statistics and the chunker's sentence units a realistic
count (about 3.8 per passage)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
# Bump when synthetic_chunks changes: a store kept with --data-dir by another generator is not reused.
GENERATOR = 2
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")

# Questions of our own in an adviser's words; the rest of the queries are random corpus words.
QUESTIONS = [
    "高净值客户如何做家族信托",
    "客户担心理财产品亏本怎么解释风险等级",
    "基金定投适合什么样的客户",
    "第一次拜访客户要了解哪些信息",
    "资产配置怎样分散风险",
    "养老规划什么时候开始",
    "保险和投资有什么区别",
    "客户说再考虑一下怎么跟进",
    "私人银行客户的服务标准",
    "如何提高客户的信任度",
    "定期存款到期客户想要更高收益",
    "财富传承有哪些工具",
    "客户投诉如何处理",
    "市场下跌时如何安抚客户",
    "怎样挖掘客户的潜在需求",
    "客户经理的专业能力提升",
    "高净值客户的个性化需求",
    "理财经理如何做客户分层管理",
    "ETF 和 指数基金 的区别",
    "how to explain market risk to a conservative client",
]


def corpus_vocabulary() -> tuple[list[str], np.ndarray]:
    """Words of the shipped corpus (jieba) with their relative frequencies."""
    import jieba

    jieba.setLogLevel(30)  # no dictionary-loading chatter
    counts: Counter[str] = Counter()
    for path in sorted((ROOT / "knowledge" / "sources").glob("*.txt")):
        for run in _CJK_RUN.findall(path.read_text(encoding="utf-8", errors="replace")):
            counts.update(jieba.lcut(run))
    words = sorted(counts)
    freq = np.array([counts[w] for w in words], dtype=np.float64)
    return words, freq / freq.sum()


def synthetic_chunks(n: int, words: list[str], probs: np.ndarray, rng: np.random.Generator,
                     target_chars: int = 200) -> list:
    from knowledge.types import Chunk

    mean_len = float(np.dot([len(w) for w in words], probs))
    per_chunk = int(target_chars / mean_len * 1.15) + 1
    titles = ["".join(rng.choice(words, size=3, p=probs)) for _ in range(200)]
    sections = ["".join(rng.choice(words, size=2, p=probs)) for _ in range(500)]
    chunks = []
    for start in range(0, n, 5000):
        rows = min(5000, n - start)
        picks = rng.choice(len(words), size=(rows, per_chunk), p=probs)
        breaks = rng.integers(6, 16, size=rows)
        for offset in range(rows):
            i = start + offset
            every = int(breaks[offset])
            parts = []
            for j, w in enumerate(picks[offset]):
                parts.append(words[w])
                if j % every == every - 1:  # a clause ends; every third ends a sentence (a sentence unit)
                    parts.append("。" if (j + 1) // every % 3 == 0 else "，")
            text = "".join(parts)[:target_chars].rstrip("，。") + "。"
            chunks.append(Chunk(chunk_id=f"syn-{i:07d}", text=text, source=f"synthetic_{i // 400:04d}.txt",
                                title=titles[(i // 400) % len(titles)], section=sections[i % len(sections)],
                                position=i % 400))
    return chunks


def synthetic_queries(n: int, words: list[str], probs: np.ndarray, rng: np.random.Generator) -> list[str]:
    content = np.array([len(w) >= 2 for w in words])
    weights = np.where(content, probs, 0.0)
    weights /= weights.sum()
    queries = list(QUESTIONS[:n])
    while len(queries) < n:
        size = int(rng.integers(2, 5))
        queries.append(" ".join(rng.choice(words, size=size, replace=False, p=weights)))
    return queries
