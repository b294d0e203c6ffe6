"""Coach evaluation: pass rate per category on questions typed the way advisers type, offline.

    .venv/bin/python bench/coach.py [--set own|dev|dev2|dev3|heldout2|fresh4|...|fresh9|all]
                                    [--split dev|heldout|all] [--classifier-weight W]
                                    [--show-failures [--show-heldout]] [--json]

Sets:
- own (`bench/coach_own.json`, 112 cases): objection 32, discovery 20, prep 14, compliance 18,
  knowledge 14, offtopic 14; each case carries `split` "dev" or "heldout" (2 of every 5 per category
  held out). Tune on dev; the heldout split is for reporting only, so its failing answers are never
  printed unless `--show-heldout` is given as well.
- dev (`/work/shared/eval/coach_dev.json`, 16 cases): measured, never copied.

How the own set was written (issue 9, "How it is measured"): by hand, as work-chat messages
(fragments, no punctuation, slang, a few English or mixed, pasted client WeChat messages with two or
three concerns) across many client types. It was written WITHOUT opening the talk-track library
(`knowledge/playbooks/`) or the agent's routing code, so it measures paraphrase rather than cue
words; the training material (`knowledge/sources/`) was consulted only to know which of the course's
methods exist (nine-grid, tiers, life cycle, salons, referrals, trust, meeting preparation), and no
sentence of it was copied into a question. The shared dev set was read for its format only.

Rubric per case (the format of the shared dev set, plus `split` and optional `setup_notes`):
- the reply's intent is one of `expect_intent`;
- every `any_of` group has at least one of its terms in the answer (case-insensitive);
- no `must_not` phrase is asserted: an occurrence right after a negation (不, 别, 勿, 禁, not ...)
  does not count, so "不可以代签" does not trip the phrase "可以代签"; nor does one in a clause that
  forbids saying it ("不要说“肯定回本”“稳赚”", "不把集合信托说成稳赚", "don't call it guaranteed");
- `covered: false` answers must say the training material does not cover the question, and
  `covered: true` answers must not;
- at least `min_questions` questions ("？" or "?") when given.
`setup_notes` (with `setup_client`) are logged for the case's adviser before the question, so prep
cases can be answered from the tracker. Every run uses a throw-away tracker database and one adviser
id per case; the real book and audit trail are never touched. A crash fails its case, with the error
type as the reason.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OWN_SET = ROOT / "bench" / "coach_own.json"
# A second development set, written later by someone who had not seen the talk-track library either:
# tuning on it after the first dev split had been tuned on keeps the heldout split honest.
DEV2_SET = ROOT / "bench" / "coach_dev2.json"
# A third development set (110 cases, a county-town branch adviser's chat) and a second heldout set
# (96 cases, a private banker's chat mixing English), each written by someone who had seen neither the
# talk-track library nor the other sets. Tune on dev3; heldout2 is for reporting, like own/heldout.
DEV3_SET = ROOT / "bench" / "coach_dev3.json"
HELDOUT2_SET = ROOT / "bench" / "coach_heldout2.json"
# A fourth set (120 cases, a big-city joint-stock branch's team chat: insurance, funds, payroll and
# cross-border clients), written by someone who had seen neither the library nor the other sets: 48 cases
# "dev" to tune on, 72 "heldout" for reporting, measured first with the label classifier.
FRESH4_SET = ROOT / "bench" / "coach_fresh4.json"
# A fifth set (120 cases, city and rural commercial banks of a third-tier city and its counties, plus two
# private bankers: seasonal farm cash, compensation money, former P2P losers, dialect words), written by
# someone who had seen neither the library nor the other sets: 48 "dev" (dev5), 72 "heldout" (heldout4),
# measured first at the code of the session it was written in.
FRESH5_SET = ROOT / "bench" / "coach_fresh5.json"
# A sixth set (120 cases, joint-stock branches in Shanghai, Shenzhen and Hangzhou, a foreign bank's China
# branch and a private-banking team: stock options, founders after a funding round, personal pensions,
# products below par, Hong Kong insurance), written by someone who had seen neither the library nor the
# other sets: 48 "dev" (dev6), 72 "heldout" (heldout5), measured first at the code of the session it
# was written in.
FRESH6_SET = ROOT / "bench" / "coach_fresh6.json"
# A seventh set (120 cases, a state-owned bank's branches and community sub-branches in provincial
# capitals: small-business owners of many trades, payroll clients, walk-in savers, bancassurance), written
# by someone who had seen neither the library nor the other sets, after this session's first round of
# changes: 48 "dev" (dev7), 72 "heldout" (heldout6), measured first at the session's start commit too.
FRESH7_SET = ROOT / "bench" / "coach_fresh7.json"
# An eighth set (100 cases, all "heldout" (heldout7): the commonest everyday situations across bank types
# and regions), written by someone who had seen neither the library nor the other sets, after the rest of
# this session's changes; never tuned on, measured at the session's start commit and at its end.
FRESH8_SET = ROOT / "bench" / "coach_fresh8.json"
# A ninth set (100 cases, all "heldout" (heldout8): juniors asking a mentor, wealth centres of second-tier
# cities: livestreamers, franchise owners, returnees, pilots, crypto losers, young couples; 15% English),
# written by someone who had seen neither the library nor the other sets at the start of the seventh
# session; never tuned on, measured at that session's start commit and at its end.
FRESH9_SET = ROOT / "bench" / "coach_fresh9.json"
# A tenth set (120 cases, all "dev" (dev10) to tune on: work groups of city commercial and joint-stock
# banks in many regions: exporters, fleets, fishermen, laid-off programmers, second marriages, products
# below par, mis-sold policies; 12% English, dialect words), written blind to the library and the other
# sets at the start of the seventh session.
FRESH10_SET = ROOT / "bench" / "coach_fresh10.json"
# An eleventh set (140 cases, all "dev" (dev11) to tune on: a rural commercial bank's bancassurance team in
# Sichuan and Chongqing, with dialect, and a Shenzhen tech-district branch: options, founders, Hong Kong
# policies, crypto; 12% English), written blind to the library and the other sets at the start of the
# eighth session and scored there before any change.
FRESH11_SET = ROOT / "bench" / "coach_fresh11.json"
# A twelfth set (100 cases, all "heldout" (heldout11): a state bank's branches in Harbin and Shenyang,
# northeastern slang, and a Hangzhou private wealth studio for Zhejiang business families; 10% English),
# written blind to the library and the other sets at the start of the eighth session; never tuned on,
# measured at that session's start commit and at its end.
FRESH12_SET = ROOT / "bench" / "coach_fresh12.json"
# A thirteenth set (80 cases, all "dev" (dev13): a joint-stock bank's branches in Wuhan and Changsha, local
# slang, and a foreign bank's Beijing branch, 16% English), written blind to the library and the other sets
# in the ninth session, to decide a router change; its failures were read, so it is tuned-on data from then.
# The writer's min_questions of 1 on every case was kept for discovery and prep only (a compliance verdict
# or an off-topic reply asks nothing back).
FRESH13_SET = ROOT / "bench" / "coach_fresh13.json"
# A fourteenth set (100, all heldout: a city commercial bank in Chengdu and Chongqing with local slang, and a
# Shenzhen private-banking desk, 12% English), written blind in the tenth session; run only to report.
FRESH14_SET = ROOT / "bench" / "coach_fresh14.json"
# A fifteenth set (90, all dev: a state bank's branches in Xi'an, Zhengzhou and Hefei and a Ningbo branch
# for export factory owners, 10% English, half objections), written blind in the tenth session to tune on.
FRESH15_SET = ROOT / "bench" / "coach_fresh15.json"
# Sets split in two, with the group names of their dev and heldout parts.
SPLIT_SETS = {"fresh4": (FRESH4_SET, "own/dev4", "own/heldout3"),
              "fresh5": (FRESH5_SET, "own/dev5", "own/heldout4"),
              "fresh6": (FRESH6_SET, "own/dev6", "own/heldout5"),
              "fresh7": (FRESH7_SET, "own/dev7", "own/heldout6"),
              "fresh8": (FRESH8_SET, "own/dev8", "own/heldout7"),
              "fresh9": (FRESH9_SET, "own/dev9", "own/heldout8"),
              "fresh10": (FRESH10_SET, "own/dev10", "own/heldout9"),
              "fresh11": (FRESH11_SET, "own/dev11", "own/heldout10"),
              "fresh12": (FRESH12_SET, "own/dev12", "own/heldout11"),
              "fresh13": (FRESH13_SET, "own/dev13", "own/heldout12"),
              "fresh14": (FRESH14_SET, "own/dev14", "own/heldout13"),
              "fresh15": (FRESH15_SET, "own/dev15", "own/heldout14")}
SHARED_DEV_SET = Path("/work/shared/eval/coach_dev.json")
FIRST_ADVISER_ID = 980_000
CATEGORIES = ("objection", "discovery", "prep", "compliance", "knowledge", "offtopic")
NOT_COVERED_MARKERS = ("培训资料里没有", "培训资料没有", "资料没有涉及", "资料里没有", "不在培训资料",
                       "没有覆盖", "未覆盖", "没有涉及", "不涉及", "超出了培训资料", "not covered",
                       "doesn't cover", "does not cover")
NEGATION_BEFORE = re.compile(r"(不|别|勿|禁|莫|not |n't |never )$", re.IGNORECASE)
# Forbidding to say or promise it earlier in the same clause: what follows is what not to say (a mere
# "别担心" or "避免亏损" is no such warning).
FORBIDS_IN_CLAUSE = re.compile(r"((不要|别|不能|不可|不得|千万别|切忌|避免|禁止|严禁)再?"
                               r"(说|讲|提|承诺|保证|写|夸|拿|把|用|当)|不把|不说|不承诺|"
                               r"(don't|do not|never) (say|call|promise|present|describe|tell)|"
                               r"avoid (saying|promising|calling))", re.IGNORECASE)
CLAUSE_SO_FAR = re.compile(r"(?:[^，,。；;！!？?\n.]|\.(?!\s))*$")


def load_cases(which: str, split: str) -> list[tuple[str, dict]]:
    """(group, case) pairs; group is own/dev, own/heldout, own/dev2, own/dev3, own/heldout2, own/dev4,
    own/heldout3, own/dev5, own/heldout4, own/dev6, own/heldout5, own/dev7, own/heldout6, own/heldout7,
    own/heldout8 or shared/dev."""
    chosen: list[tuple[str, dict]] = []
    if which in ("own", "all"):
        for case in json.loads(OWN_SET.read_text(encoding="utf-8")):
            if split in ("all", case["split"]):
                chosen.append((f"own/{case['split']}", case))
    if which in ("dev", "all"):
        chosen.extend(("shared/dev", case) for case in json.loads(SHARED_DEV_SET.read_text(encoding="utf-8")))
    if which in ("dev2", "all") and DEV2_SET.exists():
        chosen.extend(("own/dev2", case) for case in json.loads(DEV2_SET.read_text(encoding="utf-8")))
    if which in ("dev3", "all") and DEV3_SET.exists() and split in ("all", "dev"):
        chosen.extend(("own/dev3", case) for case in json.loads(DEV3_SET.read_text(encoding="utf-8")))
    if which in ("heldout2", "all") and HELDOUT2_SET.exists() and split in ("all", "heldout"):
        chosen.extend(("own/heldout2", case) for case in json.loads(HELDOUT2_SET.read_text(encoding="utf-8")))
    for name, (path, dev_group, heldout_group) in SPLIT_SETS.items():
        if which in (name, "all") and path.exists():
            for case in json.loads(path.read_text(encoding="utf-8")):
                if split in ("all", case["split"]):
                    chosen.append((dev_group if case["split"] == "dev" else heldout_group, case))
    return chosen


def asserts(answer: str, phrase: str) -> bool:
    """True when `phrase` occurs in `answer` at least once without a negation right before it."""
    lowered, wanted = answer.lower(), phrase.lower()
    start = lowered.find(wanted)
    while start != -1:
        negated = NEGATION_BEFORE.search(lowered[max(0, start - 6):start])
        if not negated and not FORBIDS_IN_CLAUSE.search(CLAUSE_SO_FAR.search(lowered[:start]).group()):
            return True
        start = lowered.find(wanted, start + 1)
    return False


def says_not_covered(answer: str) -> bool:
    lowered = answer.lower()
    return any(marker.lower() in lowered for marker in NOT_COVERED_MARKERS)


def question_count(answer: str) -> int:
    return answer.count("？") + answer.count("?")


def grade(case: dict, intent: str, answer: str) -> list[str]:
    """Why the answer fails the case's rubric; empty when it passes."""
    reasons = []
    if intent not in case["expect_intent"]:
        reasons.append(f"intent {intent} not in {case['expect_intent']}")
    lowered = answer.lower()
    for group in case["any_of"]:
        if not any(term.lower() in lowered for term in group):
            reasons.append(f"missing any of {group[:6]}{' ...' if len(group) > 6 else ''}")
    violated = [phrase for phrase in case["must_not"] if asserts(answer, phrase)]
    if violated:
        reasons.append(f"asserts {violated}")
    if case["covered"] and says_not_covered(answer):
        reasons.append("says not covered, but it is")
    if not case["covered"] and not says_not_covered(answer):
        reasons.append("does not say the material does not cover it")
    wanted = case.get("min_questions")
    if wanted and question_count(answer) < wanted:
        reasons.append(f"{question_count(answer)} questions, wanted {wanted}")
    return reasons


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def build(tmp: Path, classifier_weight: float | None = None) -> Any:
    from bot.agent.factory import build_agent
    from knowledge.settings import get_settings

    settings = get_settings().model_copy(update={"database_url": f"sqlite:///{tmp / 'coach-tracker.db'}"})
    agent = build_agent(settings)
    if classifier_weight is not None:  # compare with and without the label classifier
        agent.router.matcher.classifier_weight = classifier_weight
    agent.warm_up()  # as the bot and the console do before taking messages
    return agent


def run_case(agent: Any, adviser_id: int, case: dict) -> tuple[dict, float | None]:
    """One case through the real Agent: its result and the answer's latency in ms (None on a crash)."""
    chat = f"coach-bench-{adviser_id}"
    result = {"id": case["id"], "category": case["category"], "q": case["q"], "intent": "", "answer": ""}
    elapsed = None
    try:
        for note in case.get("setup_notes", []):
            agent.log_note(adviser_id, note, client_name=case["setup_client"], chat_id=chat)
        started = time.perf_counter()
        reply = agent.answer(adviser_id, case["q"], chat_id=chat)
        elapsed = (time.perf_counter() - started) * 1000
        result.update(intent=reply.intent, answer=reply.text)
        result["reasons"] = grade(case, reply.intent, reply.text)
    except Exception as exc:  # a crash is a failed case, never the end of the run
        result["reasons"] = [f"crash: {type(exc).__name__}"]
    finally:
        agent.memory.clear(chat)
    result["passed"] = not result["reasons"]
    return result, elapsed


def run(cases: list[tuple[str, dict]],
        classifier_weight: float | None = None) -> tuple[dict[str, list[dict]], list[float]]:
    results: dict[str, list[dict]] = defaultdict(list)
    latencies: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        agent = build(Path(tmp), classifier_weight)
        try:
            for index, (group, case) in enumerate(cases):
                result, elapsed = run_case(agent, FIRST_ADVISER_ID + index, case)
                results[group].append(result)
                if elapsed is not None and index > 0:  # the first answer is cold: it loads the model
                    latencies.append(elapsed)
        finally:
            agent.close()
    return results, latencies


def summarize(results: dict[str, list[dict]], latencies: list[float]) -> dict:
    summary: dict[str, Any] = {"groups": {}}
    for group, rows in results.items():
        per_category = {}
        for category in CATEGORIES:
            members = [row for row in rows if row["category"] == category]
            if members:
                passed = sum(row["passed"] for row in members)
                per_category[category] = {"passed": passed, "total": len(members),
                                          "rate": round(passed / len(members), 3)}
        passed = sum(row["passed"] for row in rows)
        summary["groups"][group] = {"categories": per_category, "passed": passed, "total": len(rows),
                                    "rate": round(passed / len(rows), 3)}
    if latencies:
        summary["latency_ms"] = {"warm_answers": len(latencies), "p50": round(percentile(latencies, 0.5), 1),
                                 "p95": round(percentile(latencies, 0.95), 1),
                                 "max": round(max(latencies), 1)}
    return summary


def print_summary(summary: dict) -> None:
    order = ("own/dev", "own/dev2", "own/dev3", "own/dev4", "own/dev5", "own/dev6", "own/dev7", "own/dev10",
             "own/dev11", "own/heldout",
             "own/heldout2", "own/heldout3", "own/heldout4", "own/heldout5", "own/heldout6", "own/heldout7",
             "own/heldout8", "own/heldout11", "shared/dev")
    groups = [group for group in order if group in summary["groups"]]
    print(f"{'category':<12}" + "".join(f"{group:>16}" for group in groups))
    for category in (*CATEGORIES, "overall"):
        cells = []
        for group in groups:
            figures = summary["groups"][group]
            figures = figures if category == "overall" else figures["categories"].get(category)
            cells.append(f"{figures['passed']:>3}/{figures['total']:<3} {figures['rate']:>5.0%}"
                         if figures else "-")
        print(f"{category:<12}" + "".join(f"{cell:>16}" for cell in cells))
    latency = summary.get("latency_ms")
    if latency:
        print(f"warm latency per answer: p50 {latency['p50']} ms   p95 {latency['p95']} ms   max "
              f"{latency['max']} ms   ({latency['warm_answers']} answers; target p95 <= 300 ms)")
    print("target: >= 90% in every category on questions the product has never seen (own/heldout)")


def visible_failures(results: dict[str, list[dict]], show_heldout: bool) -> list[dict]:
    """Failing cases with their answers; the heldout split's only when asked for explicitly."""
    return [{"group": group, **row} for group, rows in results.items()
            if show_heldout or not group.startswith("own/heldout") for row in rows if not row["passed"]]


def print_failures(results: dict[str, list[dict]], show_heldout: bool) -> None:
    for group in [g for g in results if g.startswith("own/heldout") and not show_heldout]:
        print(f"\n[{group}] failures hidden (report-only split; add --show-heldout to see them)")
    for row in visible_failures(results, show_heldout):
        print(f"\n[{row['group']}] {row['id']} ({row['category']}) {row['q']}")
        print(f"  intent: {row['intent']}   why: {'; '.join(row['reasons'])}")
        print("  " + row["answer"].replace("\n", "\n  "))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="all", dest="which",
                        choices=("own", "dev", "dev2", "dev3", "heldout2", *SPLIT_SETS, "all"))
    parser.add_argument("--classifier-weight", type=float, default=None,
                        help="override the router's label-classifier weight (0 turns it off)")
    parser.add_argument("--split", choices=("dev", "heldout", "all"), default="all",
                        help="which split of the own set (the shared dev set is always whole)")
    parser.add_argument("--show-failures", action="store_true")
    parser.add_argument("--show-heldout", action="store_true",
                        help="with --show-failures, also print the heldout split's failing answers")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args()

    results, latencies = run(load_cases(args.which, args.split), args.classifier_weight)
    summary = summarize(results, latencies)
    if args.json:
        if args.show_failures:
            summary["failures"] = visible_failures(results, args.show_heldout)
        print(json.dumps(summary, ensure_ascii=False, indent=1))
        return
    print_summary(summary)
    if args.show_failures:
        print_failures(results, args.show_heldout)


if __name__ == "__main__":
    main()
