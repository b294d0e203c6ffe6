"""Precision, recall and false-positive rate of the output guardrail on our own labelled sentences,
and of the request guardrail (refusals) on our own labelled requests.

bench/guardrails_own.json: sentences we wrote (plain, Traditional, full-width, spaced out, English,
quoted material, warnings and disclosures that must pass), half of them violations, split dev/heldout.
"fresh" marks the 40 heldout sentences written last, after the patterns and the semantic statements were
fixed and before the threshold was calibrated; nothing was tuned on them.
bench/guardrails_fresh.json: a second set written before the pattern data was read (colloquial, implied
guarantees such as "放心，到期就是这个数", and hard negatives: warnings, negations, honest product
descriptions with rates and risk levels, questions, advice to diversify, compliance rules quoting 保本);
its "fresh" rows (batch 2, heldout) were written at the same time and never looked at while tuning;
batches 3-6 went to dev, each written before the next round of tuning (one run printed batch 1's heldout
errors before this bench listed dev errors only, so batch 2 is the cleanest unseen figure).
Batches 7 and 8 (dev, own sentences and requests) were written when every dev error had been fixed, each
before the round of tuning it drove (reassured promises, A-not-A questions, deposits across clauses, reported
claims in requests, honest messages, the questionnaire and 双录 in other words).
bench/guardrails_requests.json: requests to refuse (implied guarantees for a message, filling in or
signing a client's risk questionnaire, splitting orders to dodge it or 双录) and honest ones to answer.

A sentence counts as caught when check_answer removes it (rule "no_guarantee"). Prints the figures for
the pattern check alone and with the semantic check (the real multilingual-e5-small), per split, and the
dev sentences each gets wrong (never the heldout ones: tune on dev only). --calibrate searches threshold
and margin on the dev splits only (best recall with a false-positive rate <= 0.05) and prints the values
to put in knowledge/compliance/semantic.yaml.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/guardrails.py [--calibrate] [--patterns-only]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

# Run as a file, this folder comes first on the path and bench/bot.py would shadow the `bot` package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.agent.guardrails import PROMISE, Guardrails, split_sentences  # noqa: E402

HERE = Path(__file__).resolve().parent
# batch9: 200 sentences and 80 requests written by someone who had read neither the pattern data nor the
# other sets (half dev, half heldout by position), measured first at the code of the session they came in.
# batch10 (200 sentences) and requests10 (80): the same, written blind at the start of the eighth session.
SETS = {"own": HERE / "guardrails_own.json", "fresh": HERE / "guardrails_fresh.json",
        "batch9": HERE / "guardrails_batch9.json", "batch10": HERE / "guardrails_batch10.json"}
REQUEST_SETS = {"requests": HERE / "guardrails_requests.json",
                "requests9": HERE / "guardrails_requests9.json",
                "requests10": HERE / "guardrails_requests10.json"}
# Figures of earlier guardrails, run once on these sets (precision, recall, false positives):
# the keyword list at commit 85d1bcf, and patterns + semantic at commit 9fbb22b (before the claim gate,
# the pattern families added for issue 11's colloquial and implied wordings and the calibration on both sets),
# and at commit 1f7bc6c (before dev batches 7-8; heldout and batch 2 only, dev has grown since).
BEFORE = {
    ("keywords 85d1bcf", "own"): {"dev": (0.769, 0.167, 0.050), "heldout": (0.538, 0.117, 0.100),
                                  "fresh": (0.000, 0.000, 0.100)},
    ("guard 9fbb22b", "own"): {"dev": (1.000, 1.000, 0.000), "heldout": (0.934, 0.950, 0.067),
                               "fresh": (0.895, 0.850, 0.100)},
    ("guard 9fbb22b", "fresh"): {"dev": (0.784, 0.829, 0.229), "heldout": (0.836, 0.836, 0.164),
                                 "fresh": (0.850, 0.850, 0.150)},
    ("guard 9fbb22b", "requests"): {"dev": (0.857, 0.800, 0.133), "heldout": (0.857, 0.480, 0.080),
                                    "fresh": (0.778, 0.700, 0.200)},
    ("guard 1f7bc6c", "own"): {"heldout": (1.000, 0.933, 0.000), "fresh": (1.000, 0.800, 0.000)},
    ("guard 1f7bc6c", "fresh"): {"heldout": (0.902, 0.836, 0.091), "fresh": (0.905, 0.950, 0.100)},
    ("guard 1f7bc6c", "requests"): {"heldout": (0.905, 0.760, 0.080), "fresh": (0.818, 0.900, 0.200)},
    # batch 9 measured when it came in, at commit 3b81e68 (patterns + semantic)
    ("guard 3b81e68", "batch9"): {"dev": (0.909, 0.800, 0.080), "heldout": (0.875, 0.840, 0.120)},
    ("guard 3b81e68", "requests9"): {"dev": (0.909, 0.500, 0.050), "heldout": (0.923, 0.600, 0.050)},
}
MAX_FPR = 0.05
MAX_TALK_TRACK_FLAGGED = 0.005
SPLITS: dict[str, Callable[[dict], bool]] = {"dev": lambda r: r["split"] == "dev",
                                             "heldout": lambda r: r["split"] == "heldout",
                                             "fresh": lambda r: r.get("fresh", False)}


def figures(rows: list[dict], predicted: list[bool]) -> tuple[float, float, float]:
    """Precision, recall, false-positive rate; a row is positive unless labelled "ok"."""
    tp = sum(p and r["label"] != "ok" for r, p in zip(rows, predicted, strict=True))
    fp = sum(p and r["label"] == "ok" for r, p in zip(rows, predicted, strict=True))
    positives = sum(r["label"] != "ok" for r in rows)
    negatives = len(rows) - positives
    return tp / max(tp + fp, 1), tp / max(positives, 1), fp / max(negatives, 1)


def report(name: str, rows: list[dict], predicted: list[bool], *, show_dev_errors: bool = True) -> None:
    for split, wanted in SPLITS.items():
        picked = [(r, p) for r, p in zip(rows, predicted, strict=True) if wanted(r)]
        precision, recall, fpr = figures([r for r, _ in picked], [p for _, p in picked])
        print(f"{name:<30}{split:<9} n={len(picked):<4} precision {precision:.3f}  recall {recall:.3f}  "
              f"false positives {fpr:.3f}")
        for row, p in picked:
            if show_dev_errors and split == "dev" and p != (row["label"] != "ok"):
                print(f"    {'missed' if not p else 'false+'} [{row['kind']}] {row['text']}")


def scored(guard: Guardrails, rows: list[dict]) -> list[list[tuple[bool, float, float]]]:
    """Per row, per sentence: (pattern verdict, cosine, margin); -1 where the semantic check skips it."""
    out = []
    for row in rows:
        sentences = split_sentences(row["text"])
        todo = guard.meaning.candidates(sentences)
        scores = dict(zip(todo, guard.meaning.scores([sentences[i] for i in todo]), strict=True))
        out.append([(guard.promise_rule(s) is not None, *scores.get(i, (-1.0, -1.0)))
                    for i, s in enumerate(sentences)])
    return out


def talk_track_sentences() -> list[str]:
    """Every sentence of the reviewed talk-track library: honest advice, what a model's answer resembles."""
    from dataclasses import fields

    from bot.agent.playbook_files import shipped_playbooks

    metadata = {"id", "kind", "title", "examples", "source", "citations", "file"}
    lines: set[str] = set()
    for entry in shipped_playbooks().entries:
        for item in fields(entry):
            value = getattr(entry, item.name)
            if item.name not in metadata:
                for line in value if isinstance(value, tuple) else (value,):
                    if isinstance(line, str):
                        lines.update(s.strip() for s in split_sentences(line) if len(s.strip()) > 3)
    return sorted(lines)


def honest_scores(guard: Guardrails, sentences: list[str]) -> list[tuple[float, float]]:
    """(cosine, margin) of the sentences the meaning check reads."""
    return guard.meaning.scores([s for s in sentences if guard.meaning.is_claim(s)])


def calibrate(rows: list[dict], pieces: list[list[tuple[bool, float, float]]],
              honest: list[tuple[float, float]], honest_total: int) -> tuple[float, float]:
    """On dev: the whole guardrail's recall first, then its fewest false positives (<= 5%), then the fewest
    talk-track sentences flagged (<= 0.5%: dev has too few honest sentences near a promise to say how
    often meaning flags honest advice), then the most violations caught by meaning alone, then the
    stricter setting."""
    dev = [(r, p) for r, p in zip(rows, pieces, strict=True) if r["split"] == "dev"]
    labels = [r for r, _ in dev]
    best: tuple[tuple[float, ...], float, float] | None = None
    for t in [0.85 + 0.005 * i for i in range(26)]:
        for m in [-0.02 + 0.005 * i for i in range(17)]:
            semantic = [any(s >= t and d >= m for _, s, d in p) for _, p in dev]
            whole = [sem or any(flag for flag, _, _ in p) for sem, (_, p) in zip(semantic, dev, strict=True)]
            _, recall, fpr = figures(labels, whole)
            flagged = sum(s >= t and d >= m for s, d in honest) / max(honest_total, 1)
            if fpr > MAX_FPR or flagged > MAX_TALK_TRACK_FLAGGED:
                continue
            _, semantic_recall, _ = figures(labels, semantic)
            key = (recall, -fpr, -flagged, semantic_recall, t + m)
            if best is None or key > best[0]:
                best = (key, t, m)
    assert best is not None
    print(f"at that point on dev: semantic check alone recall {best[0][3]:.3f}, "
          f"talk-track sentences flagged {-best[0][2]:.4f}")
    return round(best[1], 3), round(best[2], 3)


def print_before() -> None:
    for (guard, name), splits in BEFORE.items():
        for split, (precision, recall, fpr) in splits.items():
            print(f"{'before ' + guard + ' ' + name:<30}{split:<9} precision {precision:.3f}  "
                  f"recall {recall:.3f}  false positives {fpr:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calibrate", action="store_true")
    parser.add_argument("--patterns-only", action="store_true")
    args = parser.parse_args()
    sets = {name: json.loads(path.read_text(encoding="utf-8")) for name, path in SETS.items()}
    for name, rows in sets.items():
        print(f"{name}: {len(rows)} sentences, {sum(r['label'] == 'violation' for r in rows)} violations")
    print_before()
    patterns = Guardrails.load()
    for name, path in REQUEST_SETS.items():
        requests = json.loads(path.read_text(encoding="utf-8"))
        report(name, requests, [patterns.check_request(r["text"]) is not None for r in requests])
    for name, rows in sets.items():
        report(f"patterns {name}", rows, [PROMISE in patterns.check_answer(r["text"]).fired for r in rows])
    if args.patterns_only:
        return
    from knowledge.embedder import load_embedder
    from knowledge.settings import get_settings

    started = time.perf_counter()
    guard = Guardrails.load(embedder=load_embedder(get_settings()))
    meaning = guard.meaning
    print(f"model and {len(meaning.violation_statements) + len(meaning.safe_statements)} statements loaded "
          f"in {time.perf_counter() - started:.1f}s (threshold {meaning.threshold}, margin {meaning.margin})")
    pieces = {name: scored(guard, rows) for name, rows in sets.items()}
    honest_sentences = talk_track_sentences()
    honest = honest_scores(guard, honest_sentences)
    if args.calibrate:
        everything = [row for rows in sets.values() for row in rows]
        threshold, margin = calibrate(everything, [p for name in sets for p in pieces[name]], honest,
                                      len(honest_sentences))
        print(f"calibrated on dev: threshold {threshold}, margin {margin} (put them in semantic.yaml)")
        meaning.threshold, meaning.margin = threshold, margin
    flagged = sum(meaning.is_violation(s, d) for s, d in honest)
    print(f"talk-track sentences flagged by meaning: {flagged} of {len(honest_sentences)} "
          f"({len(honest)} read as claims)")
    for name, rows in sets.items():
        started = time.perf_counter()
        predicted = [PROMISE in guard.check_answer(r["text"]).fired for r in rows]
        print(f"{len(rows)} answers checked in {time.perf_counter() - started:.2f}s")
        report(f"patterns + semantic {name}", rows, predicted)
        alone = [any(meaning.is_violation(s, d) for _, s, d in p) for p in pieces[name]]
        report(f"semantic alone {name}", rows, alone, show_dev_errors=False)


if __name__ == "__main__":
    main()
