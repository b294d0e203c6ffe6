"""Measure the "material does not cover this" threshold on dense cosine (COACH room).

Embeds the shipped sources in ~400-character passages with the real model, then for our own
in-domain and out-of-domain questions prints the best passage cosine. The threshold in
bot/agent/tools.py (RELEVANCE_THRESHOLD) sits between the two groups.

    .venv/bin/python bench/coach_relevance.py
"""

from __future__ import annotations

import re
import statistics
import time
from pathlib import Path

IN_DOMAIN = [
    "高净值客户有哪些需求", "怎么维护中高端客户", "客户抗拒买保险怎么办", "什么是家企资产隔离",
    "私人银行客户的门槛是多少", "客户经理每月要联系客户几次", "九宫格客户分类是什么", "业务节奏前置怎么做",
    "婚变风险怎么用保险应对", "企业主的资产配置有什么问题", "中立型客户有什么特征", "怎么举办客户沙龙",
    "财富传承有哪些工具", "退休客户的风险承受能力", "潜在成交客户怎么管理", "客户亏损了怎么沟通",
    "银行贵宾客户有哪些权益", "how to segment high net worth clients",
]
OUT_OF_DOMAIN = [
    "怎么做红烧肉", "明天北京天气怎么样", "推荐一部好看的电影", "Python怎么读取文件", "猫为什么喜欢睡觉",
    "世界杯冠军是谁", "怎么修自行车链条", "感冒了吃什么药", "如何学习弹吉他", "长城有多长",
    "how do I bake bread", "今晚吃什么好", "量子力学是什么", "怎么给花浇水",
]


def passages(directory: Path, size: int = 400) -> list[str]:
    out: list[str] = []
    for path in sorted(directory.glob("*.txt")):
        text = re.sub(r"\s+", "", path.read_text(encoding="utf-8"))
        out += [text[i:i + size] for i in range(0, len(text), size - 50)]
    return list(dict.fromkeys(out))


def main() -> None:
    from knowledge.embedder import load_embedder
    from knowledge.settings import get_settings

    started = time.perf_counter()
    embedder = load_embedder(get_settings())
    chunks = passages(Path(__file__).resolve().parents[1] / "knowledge" / "sources")
    vectors = embedder.embed_batch(chunks, kind="passage")
    print(f"{len(chunks)} passages embedded in {time.perf_counter() - started:.1f}s")

    def best(question: str) -> float:
        q = embedder.embed_batch([question], kind="query")[0]
        return max(sum(a * b for a, b in zip(q, v, strict=True)) for v in vectors)

    inside = {q: best(q) for q in IN_DOMAIN}
    outside = {q: best(q) for q in OUT_OF_DOMAIN}
    for label, scores in (("in-domain", inside), ("out-of-domain", outside)):
        print(f"{label}: min {min(scores.values()):.3f} median {statistics.median(scores.values()):.3f} "
              f"max {max(scores.values()):.3f}")
        for q, s in sorted(scores.items(), key=lambda kv: kv[1]):
            print(f"  {s:.3f}  {q}")
    from bot.agent.tools import threshold_for

    right = sum(s >= threshold_for(q) for q, s in inside.items()) + sum(
        s < threshold_for(q) for q, s in outside.items())
    print(f"with the shipped thresholds: {right}/{len(inside) + len(outside)} questions judged right")


if __name__ == "__main__":
    main()
