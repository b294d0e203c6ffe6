"""Agent benchmark (offline backend): warm answer time, cold start to the first answer, memory.

    .venv/bin/python bench/agent.py [--rounds N] [--skip-cold]

Uses the real pieces from settings (knowledge base in ADVISER_DATA_DIR, the talk-track library), but a
throw-away tracker database and a throw-away adviser id, so the adviser's own tracker and audit trail are
untouched.
Targets (issue 5): p95 <= 300 ms warm, first answer <= 10 s from a cold process, RSS <= 1.5 GB.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_ADVISER = 990_001
# Our own questions (not from any evaluation set), covering every intent.
QUESTIONS = [
    # objection
    "客户说银行理财都不靠谱，上次亏过钱，怎么接？",
    "客户嫌我们的产品收益比互联网平台低，要把钱转走",
    "客户说保险等出事了才有用，现在不需要",
    "客户一直说再考虑考虑，怎么推进？",
    "客户觉得基金波动太大，晚上睡不着",
    "客户说他朋友在别的银行拿到更高的利率",
    # discovery
    "第一次见做外贸的老板，问哪些问题？",
    "刚退休的老师，怎么了解她的养老需求？",
    "孩子准备出国读书的家庭，需求怎么挖？",
    "家族企业二代接班，应该从哪些问题聊起？",
    "年轻白领第一次来买理财，怎么破冰？",
    # prep
    "明天见钱总，帮我准备一下",
    "下午要拜访孙姐，聊什么好？",
    "周五和周先生吃饭，帮我理一下思路",
    "准备一下和吴总的第二次见面",
    # log
    "刚见完钱总，他对50万的养老年金有兴趣，下周三再约",
    "拜访了孙姐，她担心基金亏损，情绪有点抗拒，风险等级C2",
    "刚和周先生通完电话，定期200万下个月到期，想了解保险金信托",
    "刚见完吴总，企业资金紧张，暂时不考虑，月底回访",
    # tracker
    "这周要跟进谁？",
    "钱总最近怎么样？",
    "哪些客户是抗拒型的？",
    "我的客户九宫格给我看看",
    "最近逾期没联系的客户有哪些？",
    # knowledge
    "什么是资产配置的核心思路？",
    "风险等级C3的客户能买R4产品吗？",
    "保险金信托有什么作用？",
    "家企资产隔离怎么跟客户讲？",
    "高净值客户最关心哪些问题？",
    "SPIN提问法是什么？",
    # other
    "你好",
    "谢谢，今天先这样",
    "帮我推荐一只明天会涨的股票",
    "火星上适合建支行吗？",
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(tmp: Path):
    from bot.agent.factory import build_agent, open_tracker
    from knowledge.settings import get_settings

    settings = get_settings().model_copy(update={"database_url": f"sqlite:///{tmp / 'bench-tracker.db'}"})
    return build_agent(settings, tracker=open_tracker(settings))


def first_answer() -> None:
    """Child process: build the agent and answer one knowledge question; print seconds since start."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        agent = build(Path(tmp))
        built = time.perf_counter()
        agent.answer(BENCH_ADVISER, QUESTIONS[0], chat_id="bench-cold")
        done = time.perf_counter()
        # Said at once: the parent times the answer, not the interpreter's shutdown that follows.
        print(f"{built - started:.3f} {done - started:.3f} {rss_mb():.0f}", flush=True)
        agent.memory.clear("bench-cold")
        agent.close()


def warm(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        agent = build(Path(tmp))
        agent.answer(BENCH_ADVISER, QUESTIONS[0], chat_id="bench")  # warm-up: loads the model
        times: dict[str, list[float]] = {}
        for _ in range(rounds):
            for question in QUESTIONS:
                started = time.perf_counter()
                reply = agent.answer(BENCH_ADVISER, question, chat_id="bench")
                times.setdefault(reply.intent, []).append((time.perf_counter() - started) * 1000)
        agent.memory.clear("bench")
        agent.close()
    every = [t for values in times.values() for t in values]
    print(f"warm answers: {len(every)} ({len(QUESTIONS)} questions x {rounds} rounds), offline backend")
    print(f"  p50 {percentile(every, 0.5):.1f} ms   p95 {percentile(every, 0.95):.1f} ms   "
          f"max {max(every):.1f} ms   (target p95 <= 300 ms)")
    for intent, values in sorted(times.items()):
        print(f"  {intent:<10} n={len(values):<4} p50 {percentile(values, 0.5):7.1f} ms   "
              f"p95 {percentile(values, 0.95):7.1f} ms")
    print(f"resident memory: {rss_mb():.0f} MB now, {peak_rss_mb():.0f} MB peak   (target <= 1536 MB)")


def cold() -> None:
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, __file__, "--first-answer"], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True, env=env)
    line = child.stdout.readline()
    wall = time.perf_counter() - started
    child.wait()
    exited = time.perf_counter() - started
    built, answered, rss = line.split()
    print(f"cold start: first answer {wall:.2f} s wall from process spawn (in-process: agent built at "
          f"{float(built):.2f} s, answered at {float(answered):.2f} s; RSS {rss} MB; process exited at "
          f"{exited:.2f} s)   (target <= 10 s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-cold", action="store_true")
    parser.add_argument("--first-answer", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.first_answer:
        first_answer()
        return
    if not args.skip_cold:
        cold()
    warm(args.rounds)


if __name__ == "__main__":
    main()
