"""Reading and validating the talk-track library from its files (YAML entries, JSON course tables).

Every error names the file, the entry and the field, in words a trainer editing the file understands.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.agent.playbook_fields import FieldReader
from bot.agent.playbook_tables import (
    read_call_plan,
    read_circumstances,
    read_grid,
    read_industries,
    read_product_notes,
    read_suitability,
)
from bot.agent.playbooks import (
    DEFAULT_DIR,
    KINDS,
    ROUTE_NAMES,
    VERDICTS,
    Citation,
    ClientType,
    ComplianceRule,
    Entry,
    FirstMeeting,
    Method,
    Objection,
    PlaybookError,
    Playbooks,
    SpinQuestion,
    Tier,
)

KIND_FOLDERS = {"objection": "objections", "client_type": "discovery", "first_meeting": "prep",
                "compliance": "compliance", "method": "method"}
MIN_EXAMPLES = 5
SPIN_STAGES = ("situation", "problem", "implication", "need_payoff")


def _citations(f: FieldReader) -> tuple[str, tuple[Citation, ...]]:
    source = f.text("source")
    if source not in ("course", "house"):
        raise PlaybookError(f"{f.where}：source 只能是 course 或 house")
    raw = f.raw.get("citations") or []
    if source == "course" and not raw:
        raise PlaybookError(f"{f.where}：source: course 需要 citations（课程原文）")
    cites = []
    for item in raw:
        if not isinstance(item, dict) or not item.get("source") or not item.get("quote"):
            raise PlaybookError(f"{f.where}：每条 citation 需要 source 和 quote")
        if set(item) != {"source", "quote"}:
            # An unquoted quote with a comma in it is cut there by YAML, the rest becoming a stray key.
            raise PlaybookError(f"{f.where}：citation 只能有 source 和 quote（含逗号的 quote 请加引号）")
        cites.append(Citation(str(item["source"]), str(item["quote"])))
    return source, tuple(cites)


def _common(f: FieldReader, kind: str, file: str) -> dict[str, Any]:
    source, citations = _citations(f)
    return {"id": f.text("id"), "kind": kind, "title": f.text("title"),
            "examples": f.texts("examples", low=MIN_EXAMPLES), "source": source, "citations": citations,
            "file": file}


def _objection(f: FieldReader, common: dict) -> Objection:
    return Objection(**common, why=f.text("why"), say=f.texts("say", low=2, high=4),
                     ask_next=f.texts("ask_next", high=4), never=f.texts("never", high=3))


def _client_type(f: FieldReader, common: dict) -> ClientType:
    spin = []
    for i, item in enumerate(f.raw.get("spin") or []):
        q = FieldReader(item if isinstance(item, dict) else {}, f"{f.where} spin #{i + 1}")
        stage = q.text("stage")
        if stage not in SPIN_STAGES:
            raise PlaybookError(f"{q.where}：stage 只能是 {'/'.join(SPIN_STAGES)}")
        spin.append(SpinQuestion(stage, q.text("ask"), q.text("probes")))
    if not 4 <= len(spin) <= 8:
        raise PlaybookError(f"{f.where}：spin 需要 4-8 个问题")
    return ClientType(**common, name=f.text("name"), traits=f.text("traits"),
                      icebreaker=f.texts("icebreaker", high=2), spin=tuple(spin),
                      never=f.texts("never", optional=True))


def _first_meeting(f: FieldReader, common: dict) -> FirstMeeting:
    return FirstMeeting(**common, goal=f.text("goal"), opener=f.text("opener"),
                        points=f.texts("points", high=5), likely_objections=f.texts("likely_objections",
                                                                                    optional=True),
                        next_step=f.text("next_step"))


def _compliance(f: FieldReader, common: dict) -> ComplianceRule:
    verdict = f.text("verdict")
    if verdict not in VERDICTS:
        raise PlaybookError(f"{f.where}：verdict 只能是 {' / '.join(VERDICTS)}")
    return ComplianceRule(**common, verdict=verdict, rule=f.text("rule"), why=f.text("why"),
                          instead=f.texts("instead", high=4))


def _method(f: FieldReader, common: dict) -> Method:
    return Method(**common, answer=f.texts("answer", high=6), ask_next=f.texts("ask_next", optional=True))


BUILDERS: dict[str, Callable[[FieldReader, dict], Entry]] = {
    "objection": _objection, "client_type": _client_type, "first_meeting": _first_meeting,
    "compliance": _compliance, "method": _method}


# The fields an entry's English version (`en:`) may give; the rest (id, examples, citations, a rule's
# verdict, a SPIN question's stage) are the Chinese entry's.
ENGLISH_FIELDS = {"objection": {"title", "why", "say", "ask_next", "never"},
                  "client_type": {"name", "traits", "icebreaker", "spin", "never"},
                  "first_meeting": {"title", "goal", "opener", "points", "next_step"},
                  "compliance": {"rule", "why", "instead"},
                  "method": {"title", "answer", "ask_next"}}


def _english(f: FieldReader, kind: str, common: dict) -> Entry | None:
    """The entry's `en:` block, read like the entry itself over the Chinese fields it does not give."""
    en = f.raw.get("en")
    if en is None:
        return None
    where = f"{f.where} en"
    if not isinstance(en, dict) or set(en) - ENGLISH_FIELDS[kind]:
        raise PlaybookError(f"{where}：只能包含 {', '.join(sorted(ENGLISH_FIELDS[kind]))}")
    merged = {**f.raw, **en}
    if "spin" in en:
        chinese = f.raw.get("spin") or []
        if not isinstance(en["spin"], list) or len(en["spin"]) != len(chinese):
            raise PlaybookError(f"{where}：spin 需要与中文一样多的问题（{len(chinese)} 个），顺序相同")
        merged["spin"] = [{**zh, **item} if isinstance(zh, dict) and isinstance(item, dict) else item
                          for zh, item in zip(chinese, en["spin"], strict=True)]
    english = FieldReader(merged, where)
    return BUILDERS[kind](english, {**common, "title": english.text("title")})


def read_entries(path: Path) -> list[Entry]:
    """The entries of one YAML file (kind: ..., entries: [...]), each with its English version if any."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise PlaybookError(f"{path.name}：无法读取（{type(exc).__name__}）") from exc
    if not isinstance(data, dict) or data.get("kind") not in KINDS:
        raise PlaybookError(f"{path.name}：开头需要 kind:（{' / '.join(KINDS)}）")
    kind = data["kind"]
    entries = []
    for i, raw in enumerate(data.get("entries") or []):
        raw = raw if isinstance(raw, dict) else {}
        f = FieldReader(raw, f"{path.name} 第 {i + 1} 条（{raw.get('id', '?')}）")
        common = _common(f, kind, path.name)
        entries.append(BUILDERS[kind](f, {**common, "english": _english(f, kind, common)}))
    if not entries:
        raise PlaybookError(f"{path.name}：没有 entries")
    return entries


# A route stands for a whole region of messages (off_topic: everything outside the job), so it needs more
# phrasings than one talk track's situation; still a bound that keeps the file reviewable.
MAX_ROUTE_PHRASINGS = 199


def _read_routes(path: Path) -> dict[str, tuple[str, ...]]:
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    routes = data.get("routes") if isinstance(data, dict) else None
    if not isinstance(routes, dict) or set(routes) - set(ROUTE_NAMES):
        raise PlaybookError(f"{path.name}：routes 只能包含 {', '.join(ROUTE_NAMES)}")
    return {name: FieldReader(routes, f"{path.name} {name}").texts(
        name, low=MIN_EXAMPLES, high=MAX_ROUTE_PHRASINGS) for name in routes}


def _read_json(directory: Path, name: str) -> dict:
    path = directory / f"{name}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise PlaybookError(f"{path.name}：文件不存在") from exc
    except json.JSONDecodeError as exc:
        raise PlaybookError(f"{path.name}：JSON 格式错误（{exc}）") from exc


def load_playbooks(directory: str | Path | None = None) -> Playbooks:
    """Read and validate the whole library. Raises PlaybookError naming the bad file, entry and field."""
    directory = Path(directory) if directory else DEFAULT_DIR
    entries: list[Entry] = []
    for kind, folder in KIND_FOLDERS.items():
        for path in sorted((directory / folder).glob("*.yaml")):
            found = read_entries(path)
            wrong = [e.id for e in found if e.kind != kind]
            if wrong:
                raise PlaybookError(f"{folder}/{path.name}：这个文件夹只放 kind: {kind}")
            entries += found
    seen: set[str] = set()
    for e in entries:
        if e.id in seen:
            raise PlaybookError(f"{e.file}：id “{e.id}” 重复")
        seen.add(e.id)
    tiers, cadence, risk = (_read_json(directory, n) for n in ("tiers", "cadence", "product_risk"))
    return Playbooks(
        entries=tuple(entries), routes=_read_routes(directory / "routes.yaml"),
        tiers=tuple(Tier(str(t["id"]), str(t["label"]), int(t["min_cny"]), str(t.get("name", "")),
                         tuple(t.get("gets", ()))) for t in tiers["tiers"]),
        contacts_per_month={c["tier"]: int(c["contacts_per_month"]) for c in cadence["contact"]},
        familiarity_names={k: v for k, v in cadence["familiarity"].items() if k != "citations"},
        emotion_names={k: v for k, v in cadence["emotion"].items() if k != "citations"},
        grid=read_grid(cadence.get("grid")), product_risk=dict(risk["products"]),
        deposit_products=tuple(risk["deposit_products"]),
        industries=read_industries(directory / "industries.yaml"),
        circumstances=read_circumstances(directory / "circumstances.yaml"),
        product_notes=read_product_notes(directory / "product_notes.yaml"),
        suitability=read_suitability(directory / "suitability_answers.yaml"),
        call_plan=read_call_plan(directory / "call_plan.yaml"), directory=directory)


@lru_cache(maxsize=4)
def shipped_playbooks() -> Playbooks:
    """The shipped library, loaded once per process (tests and benches inject their own)."""
    return load_playbooks(DEFAULT_DIR)
