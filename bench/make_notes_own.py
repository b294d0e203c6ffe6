"""Rebuild bench/notes_own.json: our parser test cases (tests/unit/tracker/parser_cases.py, split "tests")
plus the messages written the way advisers type (source "adviser", kept as they are in the file, with
their own dev/heldout split)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.unit.tracker.parser_cases import NOW, all_cases  # noqa: E402

OUT = ROOT / "bench" / "notes_own.json"


def main() -> None:
    cases = []
    for message, client, amount, sentiments, follow_up, now in all_cases():
        case = {"message": message, "client": client, "amount_cny": amount, "sentiment": list(sentiments),
                "follow_up_on": follow_up, "split": "tests"}
        if now:
            case["now"] = now.isoformat()
        cases.append(case)
    if OUT.exists():
        kept = json.loads(OUT.read_text(encoding="utf-8"))["cases"]
        cases += [case for case in kept if case.get("source") == "adviser"]
    OUT.write_text(json.dumps({"now": NOW.isoformat(), "cases": cases}, ensure_ascii=False, indent=1) + "\n",
                   encoding="utf-8")
    print(f"{len(cases)} cases -> {OUT}")


if __name__ == "__main__":
    main()
