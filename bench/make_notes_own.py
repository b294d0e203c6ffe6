"""Rebuild bench/notes_own.json from our own parser cases (tests/unit/tracker/parser_cases.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.unit.tracker.parser_cases import NOW, all_cases  # noqa: E402


def main() -> None:
    cases = []
    for message, client, amount, sentiments, follow_up, now in all_cases():
        case = {"message": message, "client": client, "amount_cny": amount, "sentiment": list(sentiments),
                "follow_up_on": follow_up}
        if now:
            case["now"] = now.isoformat()
        cases.append(case)
    out = ROOT / "bench" / "notes_own.json"
    out.write_text(json.dumps({"now": NOW.isoformat(), "cases": cases}, ensure_ascii=False, indent=1) + "\n",
                   encoding="utf-8")
    print(f"{len(cases)} cases -> {out}")


if __name__ == "__main__":
    main()
