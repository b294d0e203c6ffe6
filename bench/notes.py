"""Parser benchmark: per-field accuracy (client, amount, currency, sentiment, follow-up date) and messages/s.

    .venv/bin/python bench/notes.py [EVAL.json ...]

Defaults: ../shared/eval/notes_dev.json and bench/notes_own.json. Each file is {"now": ISO, "cases": [...]};
a case has "message", "client", "amount_cny", "sentiment" (a list of acceptable values) and "follow_up_on",
optionally "currency", its own "now", and a "split" ("tests": the parser tests; "dev": adviser-style
messages looked at while tuning the parser; "heldout": written at the same time, never looked at while
tuning). Figures are printed per split; misses too, except for the held-out split (only their count)."""

from __future__ import annotations

import json
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.tracker.parser import parse_note  # noqa: E402

DEFAULT_FILES = (ROOT.parent / "shared" / "eval" / "notes_dev.json", ROOT / "bench" / "notes_own.json")
FIELDS = ("client", "amount_cny", "currency", "sentiment", "follow_up_on")


def _matches(field: str, got, expected) -> bool:  # noqa: ANN001
    if field == "sentiment":
        return got in (expected if isinstance(expected, list) else [expected])
    return got == expected


def _score(cases: list[dict], default_now: datetime, label: str, show_misses: int) -> dict[str, float]:
    hits = dict.fromkeys(FIELDS, 0)
    misses: list[str] = []
    for case in cases:
        now = datetime.fromisoformat(case["now"]) if case.get("now") else default_now
        got = parse_note(case["message"], now).as_json()
        for field in FIELDS:
            if field not in case or _matches(field, got.get(field), case[field]):
                hits[field] += 1
            else:
                misses.append(f"  {field}: got {got.get(field)!r} want {case[field]!r} | "
                              f"{case['message'][:80]}")
    print(f"{label}: {len(cases)} messages")
    for field in FIELDS:
        print(f"  {field:<13} {hits[field] / len(cases):.3f}")
    if misses and show_misses:
        print(f"  misses ({len(misses)}):")
        for line in misses[:show_misses]:
            print(line)
    elif misses:
        print(f"  misses: {len(misses)} (not shown: held-out)")
    return {field: hits[field] / len(cases) for field in FIELDS}


def evaluate(path: Path, show_misses: int = 30) -> dict[str, dict[str, float]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    default_now = datetime.fromisoformat(data["now"])
    cases = data["cases"]
    splits = sorted({case.get("split", "dev") for case in cases})
    results = {}
    for split in splits:
        part = [case for case in cases if case.get("split", "dev") == split]
        label = path.name if splits == ["dev"] else f"{path.name} [{split}]"
        results[split] = _score(part, default_now, label, 0 if split == "heldout" else show_misses)
    messages = [(c["message"], default_now) for c in cases]
    rounds = max(1, 3000 // max(1, len(messages)))
    start = time.perf_counter()
    for _ in range(rounds):
        for message, now in messages:
            parse_note(message, now)
    print(f"  messages/s    {rounds * len(messages) / (time.perf_counter() - start):,.0f}")
    return results


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or [p for p in DEFAULT_FILES if p.exists()]
    for path in paths:
        evaluate(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
