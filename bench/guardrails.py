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
dev sentences each gets wrong (never the heldout ones: tune on dev only). Since the fourteenth session the
semantic check is learnt from labelled sentences (knowledge/compliance/semantic.yaml), which include every
dev split here: dev figures are then figures on its own training data, and only heldout ones say how it
reads sentences it never saw. --calibrate cross-validates the check over those labelled sentences (five
folds, each learnt on the other four) and prints the threshold to put in semantic.yaml: the most
violations caught, with the patterns, at a false-positive rate <= 0.05.

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
# batch11 (200 sentences, split dev/heldout by its `split` field): the same, written blind at the start of
# the fourteenth session. batch12 (200 sentences, split dev/heldout alternately within each label): written
# blind at the start of the fifteenth session and measured whole before its dev half was learnt (patterns +
# meaning, all 200: precision 0.92, recall 0.81, false positives 0.07). requests11 (100, split dev/heldout
# alternately within each label): written blind at the start of the sixteenth session, before the request
# guard's meaning check (knowledge/compliance/request_meaning.yaml) existed; its messages were written by
# others who saw no request set. Request figures print for the patterns alone and with that check.
SETS = {"own": HERE / "guardrails_own.json", "fresh": HERE / "guardrails_fresh.json",
        "batch9": HERE / "guardrails_batch9.json", "batch10": HERE / "guardrails_batch10.json",
        "batch11": HERE / "guardrails_batch11.json", "batch12": HERE / "guardrails_batch12.json"}
REQUEST_SETS = {"requests": HERE / "guardrails_requests.json",
                "requests9": HERE / "guardrails_requests9.json",
                "requests10": HERE / "guardrails_requests10.json",
                "requests11": HERE / "guardrails_requests11.json"}
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
    # the nearest-statement check (patterns + semantic) at c2ed2ba, the last before the learnt check; batch 11
    # measured when it came in
    ("guard c2ed2ba", "own"): {"heldout": (1.000, 0.967, 0.000)},
    ("guard c2ed2ba", "fresh"): {"heldout": (0.980, 0.891, 0.018)},
    ("guard c2ed2ba", "batch9"): {"heldout": (0.894, 0.840, 0.100)},
    ("guard c2ed2ba", "batch10"): {"heldout": (0.872, 0.820, 0.120)},
    ("guard c2ed2ba", "batch11"): {"dev": (0.907, 0.780, 0.080), "heldout": (0.720, 0.720, 0.280)},
}
MAX_FPR = 0.05
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


def scored(guard: Guardrails, rows: list[dict]) -> list[list[tuple[bool, float]]]:
    """Per row, per sentence: (pattern verdict, violation probability); -1 where meaning skips it."""
    out = []
    for row in rows:
        sentences = split_sentences(row["text"])
        todo = guard.meaning.candidates(sentences)
        scores = dict(zip(todo, guard.meaning.scores([sentences[i] for i in todo]), strict=True))
        out.append([(guard.promise_rule(s) is not None, scores.get(i, -1.0))
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


def honest_scores(guard: Guardrails, sentences: list[str]) -> list[float]:
    """Violation probability of the sentences the meaning check reads."""
    return guard.meaning.scores([s for s in sentences if guard.meaning.is_claim(s)])


def calibrate(guard: Guardrails, folds: int = 5) -> float:
    """The threshold that catches the most of semantic.yaml's violations, with the patterns, while flagging
    at most MAX_FPR of its honest sentences, each sentence scored by a check learnt without it."""
    meaning = guard.meaning
    texts = [*meaning.violation_statements, *meaning.safe_statements]
    is_violation = [True] * len(meaning.violation_statements) + [False] * len(meaning.safe_statements)
    probability = [0.0] * len(texts)
    for fold in range(folds):
        held = [i for i in range(len(texts)) if i % folds == fold]
        learnt = [i for i in range(len(texts)) if i % folds != fold]
        check = meaning.train([texts[i] for i in learnt if is_violation[i]],
                              [texts[i] for i in learnt if not is_violation[i]])
        for i, p in zip(held, meaning.scores([texts[i] for i in held], check), strict=True):
            probability[i] = p
    rows = [{"label": "violation" if v else "ok"} for v in is_violation]
    patterns = [guard.promise_rule(t) is not None for t in texts]
    claims = [meaning.is_claim(t) for t in texts]
    best: tuple[float, float] | None = None
    for threshold in [0.3 + 0.05 * i for i in range(12)]:
        whole = [flag or claim and p >= threshold for flag, claim, p in zip(patterns, claims, probability,
                                                                             strict=True)]
        _, recall, fpr = figures(rows, whole)
        if fpr <= MAX_FPR and (best is None or recall > best[0]):
            best = (recall, round(threshold, 2))
    assert best is not None, "no threshold keeps false positives under MAX_FPR"
    print(f"cross-validated over {len(texts)} labelled sentences: recall {best[0]:.3f} at the threshold")
    return best[1]


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
    from bot.agent.playbook_files import shipped_playbooks
    from bot.agent.request_meaning import library_requests
    from knowledge.embedder import load_embedder
    from knowledge.settings import get_settings

    started = time.perf_counter()
    guard = Guardrails.load(embedder=load_embedder(get_settings()),
                            honest_requests=library_requests(shipped_playbooks()))
    meaning = guard.meaning
    meaning.learned()
    learnt_from = len(meaning.violation_statements) + len(meaning.safe_statements)
    print(f"model loaded and check learnt from {learnt_from} sentences in "
          f"{time.perf_counter() - started:.1f}s (threshold {meaning.threshold})")
    started = time.perf_counter()
    guard.request_meaning.learned()
    print(f"request check learnt in {time.perf_counter() - started:.1f}s "
          f"(threshold {guard.request_meaning.threshold})")
    for name, path in REQUEST_SETS.items():
        requests = json.loads(path.read_text(encoding="utf-8"))
        report(f"patterns + meaning {name}", requests, [guard.check_request(r["text"]) is not None
                                                        for r in requests])
    pieces = {name: scored(guard, rows) for name, rows in sets.items()}
    honest_sentences = talk_track_sentences()
    honest = honest_scores(guard, honest_sentences)
    if args.calibrate:
        meaning.threshold = calibrate(guard)
        print(f"calibrated: threshold {meaning.threshold} (put it in semantic.yaml)")
    flagged = sum(meaning.is_violation(p) for p in honest)
    print(f"talk-track sentences flagged by meaning: {flagged} of {len(honest_sentences)} "
          f"({len(honest)} read as claims)")
    for name, rows in sets.items():
        started = time.perf_counter()
        predicted = [PROMISE in guard.check_answer(r["text"]).fired for r in rows]
        print(f"{len(rows)} answers checked in {time.perf_counter() - started:.2f}s")
        report(f"patterns + semantic {name}", rows, predicted)
        alone = [any(meaning.is_violation(p) for _, p in row) for row in pieces[name]]
        report(f"semantic alone {name}", rows, alone, show_dev_errors=False)


if __name__ == "__main__":
    main()
