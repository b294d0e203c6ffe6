"""Telegram load benchmark: 1,000 updates from 50 simulated advisers through the real Application.

    .venv/bin/python bench/bot.py [--updates N] [--advisers N] [--concurrency N] [--real-knowledge]
    .venv/bin/python bench/bot.py --first-answer   # each case in its own process, as after a start


Offline backend, Telegram's HTTP faked (the unit tests' FakeBotApi), a throw-away data dir (SQLite
tracker). By default the knowledge base is a small in-memory one (so the figure is the bot's own
cost); `--real-knowledge` searches the ingested knowledge in ADVISER_DATA_DIR with the real model.
Prints updates/s, p50/p95 handling time, and checks that every visit note was stored exactly once,
in the right adviser's tracker.

`--first-answer`: how long the first question after a start waits, with the real model and the knowledge
ingested in ADVISER_DATA_DIR: without a warm-up (the model loads inside the first answer), and after the
warm-up the bot now does before taking updates (the warm-up's own time is printed too).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Our own messages (not from any evaluation set). {tag} makes each visit note unique and traceable.
VISITS = [
    "刚见完{name}，对家族信托有兴趣，准备500万，下周二再约。记录{tag}",
    "拜访了{name}，担心基金亏损，有点抗拒，月底回访。记录{tag}",
    "和{name}通完电话，定期100万下个月到期，想了解年金。记录{tag}",
]
QUESTIONS = ["客户说基金风险太大，只买保本的，怎么回？", "第一次见企业主，问哪些问题？",
             "这周要跟进谁？", "客户嫌收益低要转走怎么办", "/followups", "/clients", "/help"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
TITLES = ("总", "姐", "先生", "阿姨")


def build_traffic(updates: int, advisers: int, seed: int = 7) -> list[tuple[int, str, str | None]]:
    """(adviser id, text, tag of the visit note or None) in a random interleaving."""
    rng = random.Random(seed)
    traffic = []
    for index in range(updates):
        adviser = 10_000 + rng.randrange(advisers)
        if rng.random() < 0.4:
            name = rng.choice(SURNAMES) + rng.choice(TITLES)
            tag = f"T{index:05d}"
            traffic.append((adviser, rng.choice(VISITS).format(name=name, tag=tag), tag))
        else:
            traffic.append((adviser, rng.choice(QUESTIONS), None))
    return traffic


async def run(args: argparse.Namespace) -> int:
    from telegram import Update

    from bot.agent.factory import build_agent
    from bot.telegram.app import build_application
    from knowledge.settings import get_settings
    from tests.unit.telegram.conftest import small_knowledge
    from tests.unit.telegram.fake_bot_api import TOKEN, FakeBotApi, Updates

    traffic = build_traffic(args.updates, args.advisers)
    advisers = sorted({adviser for adviser, _, _ in traffic})
    os.environ["TELEGRAM_BOT_TOKEN"] = TOKEN
    os.environ["ALLOWED_USER_IDS"] = ",".join(map(str, advisers))
    # Each update on its own: the per-chat debounce would merge an adviser's simulated burst into one.
    os.environ["TELEGRAM_DEBOUNCE_SECONDS"] = "0"
    real_data_dir = get_settings().data_dir
    scratch = tempfile.mkdtemp(prefix="adviser-bench-bot-")
    os.environ["ADVISER_DATA_DIR"] = scratch
    get_settings.cache_clear()
    settings = get_settings()
    knowledge = small_knowledge()
    if args.real_knowledge:
        from knowledge.base import open_knowledge_base

        knowledge = open_knowledge_base(settings.model_copy(update={"adviser_data_dir": real_data_dir}))
    api = FakeBotApi()
    agent = build_agent(settings, knowledge=knowledge)
    app = build_application(settings, agent, request=api)
    maker = Updates()
    timings: list[float] = []
    semaphore = asyncio.Semaphore(args.concurrency)

    async def handle(adviser: int, text: str) -> None:
        update = Update.de_json(maker.message(adviser, text), app.bot)
        async with semaphore:
            started = time.perf_counter()
            await app.process_update(update)
            timings.append(time.perf_counter() - started)

    async with app:
        started = time.perf_counter()
        await asyncio.gather(*(handle(adviser, text) for adviser, text, _ in traffic))
        elapsed = time.perf_counter() - started
    failures = _check_notes(agent.tracker, traffic)
    agent.close()
    timings.sort()
    print(f"updates: {len(traffic)} from {len(advisers)} advisers, concurrency {args.concurrency}, "
          f"knowledge: {'real' if args.real_knowledge else 'in-memory'}")
    print(f"throughput: {len(traffic) / elapsed:.0f} updates/s ({elapsed:.1f} s)")
    print(f"handling time: p50 {_pct(timings, 50):.0f} ms, p95 {_pct(timings, 95):.0f} ms, "
          f"max {timings[-1] * 1000:.0f} ms")
    errors = sum("出了点问题" in call.text for call in api.sent())
    visits = sum(tag is not None for _, _, tag in traffic)
    print(f"visit notes: {visits} sent, {visits - len(failures)} stored exactly once in the right tracker; "
          f"error replies: {errors}")
    for failure in failures[:10]:
        print("  FAIL", failure)
    return 1 if failures or errors else 0


def first_answer_both() -> int:
    """Each case in a fresh process: the model is loaded once per process, so sharing one would hide it."""
    import subprocess

    for case in ("cold", "warm"):
        done = subprocess.run([sys.executable, __file__, "--first-answer-case", case], check=False)
        if done.returncode:
            return done.returncode
    return 0


async def first_answer(warm: bool) -> int:
    from telegram import Update

    from bot.agent.factory import LazyKnowledge, build_agent
    from bot.telegram.app import build_application, warm_up
    from knowledge.settings import get_settings
    from tests.unit.telegram.fake_bot_api import TOKEN, FakeBotApi, Updates

    adviser = 10_001
    os.environ.update(TELEGRAM_BOT_TOKEN=TOKEN, ALLOWED_USER_IDS=str(adviser), TELEGRAM_DEBOUNCE_SECONDS="0")
    get_settings.cache_clear()
    settings = get_settings()
    # The tracker and the bot's state go to a scratch dir; the knowledge is the real one.
    scratch = Path(tempfile.mkdtemp(prefix="adviser-bench-"))
    scratch_settings = settings.model_copy(update={"adviser_data_dir": scratch})
    knowledge = LazyKnowledge(settings)
    agent = build_agent(scratch_settings, knowledge=knowledge)
    app = build_application(scratch_settings, agent, request=FakeBotApi())
    async with app:
        if warm:
            started = time.perf_counter()
            await asyncio.to_thread(warm_up, agent)
            print(f"warm-up before taking updates: {time.perf_counter() - started:.2f} s")
        update = Update.de_json(Updates().message(adviser, QUESTIONS[0]), app.bot)
        started = time.perf_counter()
        await app.process_update(update)
        print(f"first answer {'after the warm-up' if warm else 'without a warm-up'}: "
              f"{time.perf_counter() - started:.2f} s")
    agent.close()
    return 0


def _check_notes(tracker, traffic) -> list[str]:  # noqa: ANN001
    import csv
    import io

    stored: dict[int, list[str]] = {}
    for adviser in {adviser for adviser, _, _ in traffic}:
        buffer = io.StringIO()
        tracker.export_csv(adviser, buffer)
        stored[adviser] = [" ".join(row) for row in csv.reader(io.StringIO(buffer.getvalue()))]
    failures = []
    for adviser, _, tag in traffic:
        if tag is None:
            continue
        mine = sum(tag in row for row in stored[adviser])
        elsewhere = sum(tag in row for other, rows in stored.items() if other != adviser for row in rows)
        if mine != 1 or elsewhere:
            failures.append(f"{tag}: {mine} in adviser {adviser}'s tracker, {elsewhere} elsewhere")
    return failures


def _pct(sorted_values: list[float], pct: int) -> float:
    index = min(len(sorted_values) - 1, round(pct / 100 * (len(sorted_values) - 1)))
    return sorted_values[index] * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=1000)
    parser.add_argument("--advisers", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=8, help="updates handled at once (the bot uses 8)")
    parser.add_argument("--real-knowledge", action="store_true")
    parser.add_argument("--first-answer", action="store_true",
                        help="time the first answer after a start, with and without the warm-up")
    parser.add_argument("--first-answer-case", choices=("cold", "warm"), help=argparse.SUPPRESS)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    args = parser.parse_args()
    if args.first_answer:
        return first_answer_both()
    if args.first_answer_case:
        return asyncio.run(first_answer(args.first_answer_case == "warm"))
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
