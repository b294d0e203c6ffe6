"""The "material does not cover this" threshold holds with the real model (COACH room).

Passages are cut from the shipped sources the simple way (the store's chunks are similar in size);
questions are our own. When SEARCH's Hit.relevance (dense cosine) is on the same scale, the
composer says "not covered" for the out-of-domain ones and answers the in-domain ones.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.agent.tools import threshold_for

SOURCES = Path(__file__).resolve().parents[2] / "knowledge" / "sources"
INSIDE = ["客户有抵触情绪不愿买保险怎么办", "私人银行客户要多少资产", "按熟悉程度和情绪怎么给客户分类",
          "家庭资产和企业资产为什么要隔离", "what do high net worth clients need"]
OUTSIDE = ["怎么做红烧肉", "周末去哪里爬山比较好", "笔记本电脑蓝屏怎么办", "how do I bake bread"]


@pytest.mark.integration
def test_threshold_separates_in_domain_from_out_of_domain(real_embedder) -> None:
    passages = []
    for path in sorted(SOURCES.glob("*.txt")):
        text = re.sub(r"\s+", "", path.read_text(encoding="utf-8"))
        passages += [text[i:i + 400] for i in range(0, len(text), 350)]
    vectors = real_embedder.embed_batch(list(dict.fromkeys(passages)), kind="passage")

    def best(question: str) -> float:
        q = real_embedder.embed_batch([question], kind="query")[0]
        return max(sum(a * b for a, b in zip(q, v, strict=True)) for v in vectors)

    for question in INSIDE:
        assert best(question) >= threshold_for(question), question
    for question in OUTSIDE:
        assert best(question) < threshold_for(question), question
