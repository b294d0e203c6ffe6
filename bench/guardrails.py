"""Precision, recall and false-positive rate of the output guardrail on our own labelled sentences.

bench/guardrails_own.json: sentences we wrote (plain, Traditional, full-width, spaced out, English,
quoted material, warnings and disclosures that must pass), half of them violations, split dev/heldout.
"fresh" marks the 40 heldout sentences written last, after the patterns and the semantic statements were
fixed and before the threshold was calibrated; nothing was tuned on them (the earlier fresh batch,
"batch": 2, went to dev once its errors had been read).
A sentence counts as caught when check_answer removes it (rule "no_guarantee"). Prints the figures for
the pattern check alone and with the semantic check (the real multilingual-e5-small), per split, and
the sentences each gets wrong. --calibrate searches threshold and margin on the dev split only (best
recall with a false-positive rate <= 0.05) and prints the values to put in knowledge/compliance/semantic.yaml.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/guardrails.py [--calibrate] [--patterns-only]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from bot.agent.guardrails import PROMISE, Guardrails, split_sentences

SET = Path(__file__).resolve().parent / "guardrails_own.json"
# The keyword-list guardrail this replaced (bot/agent/guardrails.py at commit 85d1bcf), run once on this
# set; its code needs the playbooks API of that commit, so it is not re-run here.
BEFORE = {"dev": (0.769, 0.167, 0.050), "heldout": (0.538, 0.117, 0.100), "fresh": (0.000, 0.000, 0.100)}
MAX_FPR = 0.05


def figures(rows: list[dict], predicted: list[bool]) -> tuple[float, float, float]:
    tp = sum(p and r["label"] == "violation" for r, p in zip(rows, predicted, strict=True))
    fp = sum(p and r["label"] == "ok" for r, p in zip(rows, predicted, strict=True))
    positives = sum(r["label"] == "violation" for r in rows)
    negatives = len(rows) - positives
    return tp / max(tp + fp, 1), tp / max(positives, 1), fp / max(negatives, 1)


def report(name: str, rows: list[dict], predicted: list[bool]) -> None:
    subsets = {"dev": lambda r: r["split"] == "dev", "heldout": lambda r: r["split"] == "heldout",
               "fresh": lambda r: r.get("fresh", False)}
    for split, wanted in subsets.items():
        picked = [(r, p) for r, p in zip(rows, predicted, strict=True) if wanted(r)]
        precision, recall, fpr = figures([r for r, _ in picked], [p for _, p in picked])
        print(f"{name:<22}{split:<9} n={len(picked):<4} precision {precision:.3f}  recall {recall:.3f}  "
              f"false positives {fpr:.3f}")
        for row, p in picked:
            if split != "fresh" and p != (row["label"] == "violation"):
                print(f"    {'missed' if not p else 'false+'} [{row['kind']}] {row['text']}")


def scored(guard: Guardrails, rows: list[dict]) -> list[list[tuple[bool, float, float]]]:
    """Per row, per sentence: (pattern verdict, cosine, margin); -1 where the semantic check skips it."""
    out = []
    for row in rows:
        sentences = split_sentences(row["text"])
        todo = guard.semantic_candidates(sentences)
        scores = dict(zip(todo, guard.semantic_scores([sentences[i] for i in todo]), strict=True))
        out.append([(guard.promise_rule(s) is not None, *scores.get(i, (-1.0, -1.0)))
                    for i, s in enumerate(sentences)])
    return out


def calibrate(rows: list[dict], pieces: list[list[tuple[bool, float, float]]]) -> tuple[float, float]:
    """On dev: the whole guardrail's recall first, then its fewest false positives (<= 5%), then the most
    violations caught by meaning alone, then the stricter setting."""
    dev = [(r, p) for r, p in zip(rows, pieces, strict=True) if r["split"] == "dev"]
    labels = [r for r, _ in dev]
    best: tuple[tuple[float, ...], float, float] | None = None
    for t in [0.85 + 0.005 * i for i in range(26)]:
        for m in [-0.02 + 0.005 * i for i in range(17)]:
            semantic = [any(s >= t and d >= m for _, s, d in p) for _, p in dev]
            whole = [sem or any(flag for flag, _, _ in p) for sem, (_, p) in zip(semantic, dev, strict=True)]
            _, recall, fpr = figures(labels, whole)
            if fpr > MAX_FPR:
                continue
            _, semantic_recall, _ = figures(labels, semantic)
            key = (recall, -fpr, semantic_recall, t + m)
            if best is None or key > best[0]:
                best = (key, t, m)
    assert best is not None
    print(f"semantic check alone on dev at that point: recall {best[0][2]:.3f}")
    return round(best[1], 3), round(best[2], 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calibrate", action="store_true")
    parser.add_argument("--patterns-only", action="store_true")
    args = parser.parse_args()
    rows = json.loads(SET.read_text(encoding="utf-8"))
    print(f"{len(rows)} sentences, {sum(r['label'] == 'violation' for r in rows)} violations")
    for split, (precision, recall, fpr) in BEFORE.items():
        print(f"{'before (keywords)':<22}{split:<9} precision {precision:.3f}  recall {recall:.3f}  "
              f"false positives {fpr:.3f}")
    patterns = Guardrails.load()
    report("patterns", rows, [PROMISE in patterns.check_answer(r["text"]).fired for r in rows])
    if args.patterns_only:
        return
    from knowledge.embedder import load_embedder
    from knowledge.settings import get_settings

    started = time.perf_counter()
    guard = Guardrails.load(embedder=load_embedder(get_settings()))
    print(f"model and {len(guard.violation_statements) + len(guard.safe_statements)} statements loaded "
          f"in {time.perf_counter() - started:.1f}s (threshold {guard.threshold}, margin {guard.margin})")
    if args.calibrate:
        threshold, margin = calibrate(rows, scored(guard, rows))
        print(f"calibrated on dev: threshold {threshold}, margin {margin} (put them in semantic.yaml)")
        guard.threshold, guard.margin = threshold, margin
    started = time.perf_counter()
    predicted = [PROMISE in guard.check_answer(r["text"]).fired for r in rows]
    print(f"{len(rows)} answers checked in {time.perf_counter() - started:.2f}s")
    report("patterns + semantic", rows, predicted)
    pieces = scored(guard, rows)
    report("semantic alone", rows, [any(guard.is_semantic_violation(s, d) for _, s, d in p) for p in pieces])


if __name__ == "__main__":
    main()
