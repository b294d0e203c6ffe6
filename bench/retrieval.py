"""Retrieval quality and latency: dense only, lexical only and hybrid side by side.

Usage: python bench/retrieval.py [QUESTIONS.json ...]
Default: ../shared/eval/retrieval_dev.json (if present) and bench/retrieval_own.json.
A hit: a returned chunk contains one of the question's evidence phrases, whitespace ignored.
Needs an ingested knowledge base in ADVISER_DATA_DIR (`adviser ingest`).
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from knowledge.base import open_knowledge_base  # noqa: E402
from knowledge.settings import get_settings  # noqa: E402

_SPACE = re.compile(r"\s+")


def _squash(text: str) -> str:
    return _SPACE.sub("", text)


def _first_hit_rank(hits: list, evidence: list[str]) -> int | None:
    phrases = [_squash(e) for e in evidence]
    for rank, hit in enumerate(hits, 1):
        text = _squash(hit.text)
        if any(p in text for p in phrases):
            return rank
    return None


def evaluate(kb, cases: list[dict], mode: str, k: int = 5) -> dict:
    search = {"dense": kb.search_dense, "lexical": kb.search_lexical, "hybrid": kb.search}[mode]
    ranks, latencies = [], []
    for case in cases:
        search(case["q"], k)  # warm-up for this query's path (tokenizer caches)
        start = time.perf_counter()
        hits = search(case["q"], k)
        latencies.append((time.perf_counter() - start) * 1000)
        ranks.append(_first_hit_rank(hits, case["evidence"]))
    n = len(cases)
    latencies.sort()
    return {
        "hit@1": sum(1 for r in ranks if r and r <= 1) / n,
        "hit@3": sum(1 for r in ranks if r and r <= 3) / n,
        "hit@5": sum(1 for r in ranks if r and r <= 5) / n,
        "mrr": sum(1 / r for r in ranks if r) / n,
        "p50_ms": statistics.median(latencies),
        "p95_ms": latencies[min(n - 1, int(round(0.95 * (n - 1))))],
        "misses": [c["q"] for c, r in zip(cases, ranks, strict=True) if not r],
    }


def main(argv: list[str]) -> None:
    files = [Path(a) for a in argv] or [p for p in (HERE.parent.parent / "shared/eval/retrieval_dev.json",
                                                     HERE / "retrieval_own.json") if p.exists()]
    kb = open_knowledge_base(get_settings())
    print(f"knowledge base: {len(kb)} chunks")
    for path in files:
        cases = json.loads(path.read_text(encoding="utf-8"))
        print(f"\n{path.name}: {len(cases)} questions")
        print(f"{'mode':<8} {'hit@1':>6} {'hit@3':>6} {'hit@5':>6} {'MRR':>6} {'p50 ms':>7} {'p95 ms':>7}")
        for mode in ("dense", "lexical", "hybrid"):
            r = evaluate(kb, cases, mode)
            print(f"{mode:<8} {r['hit@1']:>6.3f} {r['hit@3']:>6.3f} {r['hit@5']:>6.3f} {r['mrr']:>6.3f} "
                  f"{r['p50_ms']:>7.1f} {r['p95_ms']:>7.1f}")
            if mode == "hybrid" and r["misses"]:
                print("  hybrid misses:", "; ".join(r["misses"]))


if __name__ == "__main__":
    main(sys.argv[1:])
