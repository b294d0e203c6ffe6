"""LLM backend benchmark: per answer the backend that wrote it (or why it fell back), model calls,
tokens and latency, against whichever OpenAI-compatible server LLM_BASE_URL names.

    LLM_BACKEND=openai LLM_BASE_URL=http://127.0.0.1:8089/v1 LLM_MODEL=smollm2 \
        .venv/bin/python bench/llm.py [--json]

A local llama-server with the small test model: `python -m tests.integration.llama_server serve 8089`.
Uses the knowledge base in ADVISER_DATA_DIR and a throw-away tracker, so no adviser's audit trail changes.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_ADVISER = 990_002
# Our own questions (not from any evaluation set): coaching, discovery, the material, off-topic.
QUESTIONS = [
    "客户嫌我们的产品收益比互联网平台低，要把钱转走",
    "客户说保险等出事了才有用，现在不需要",
    "客户一直说再考虑考虑，怎么推进？",
    "第一次见做外贸的老板，问哪些问题？",
    "刚退休的老师，怎么了解她的养老需求？",
    "什么是资产配置的核心思路？",
    "保险金信托有什么作用？",
    "帮我订一张去上海的机票",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="every answer and the totals as one JSON object")
    args = parser.parse_args()

    from bot.agent.factory import build_agent
    from bot.tracker.service import Tracker
    from knowledge.settings import get_settings

    settings = get_settings()
    if settings.llm_backend == "offline":
        print("LLM_BACKEND is offline: set LLM_BACKEND=openai, LLM_BASE_URL and LLM_MODEL", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="bench-llm-") as tmp:
        tracker = Tracker(f"sqlite:///{Path(tmp) / 'tracker.db'}")
        agent = build_agent(settings, tracker=tracker)
        agent.answer(BENCH_ADVISER, QUESTIONS[0])  # warm-up: the embedding model and the store load once
        rows = []
        for question in QUESTIONS:
            started = time.perf_counter()
            reply = agent.answer(BENCH_ADVISER, question)
            rows.append({"question": question, "intent": reply.intent, "backend": reply.backend,
                         "fallback_reason": reply.fallback_reason, "model_calls": reply.model_calls,
                         "tokens": reply.tokens, "sources": len(reply.sources),
                         "seconds": round(time.perf_counter() - started, 2)})
        agent.close()
        tracker.close()
    by_llm = [r for r in rows if r["fallback_reason"] is None and r["backend"] != "offline"]
    seconds = sorted(r["seconds"] for r in rows)
    totals = {"server": settings.llm_base_url, "model": settings.llm_model, "answers": len(rows),
              "by_llm": len(by_llm), "fell_back": len(rows) - len(by_llm),
              "model_calls_mean": round(statistics.mean(r["model_calls"] for r in rows), 2),
              "tokens_mean": round(statistics.mean(r["tokens"] for r in rows)),
              "tokens_total": sum(r["tokens"] for r in rows),
              "seconds_median": statistics.median(seconds),
              "seconds_max": seconds[-1], "deadline_seconds": settings.llm_deadline_seconds}
    if args.json:
        print(json.dumps({"answers": rows, "totals": totals}, ensure_ascii=False, indent=1))
        return 0
    print(f"{'intent':<10} {'backend':<22} {'fallback':<18} {'calls':>5} {'tokens':>7} {'src':>3} {'s':>6}")
    for r in rows:
        print(f"{r['intent']:<10} {r['backend'][:22]:<22} {str(r['fallback_reason'] or '-'):<18} "
              f"{r['model_calls']:>5} {r['tokens']:>7} {r['sources']:>3} {r['seconds']:>6.2f}")
    print(json.dumps(totals, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
