"""The library's files beside its talk-track entries: lines of business, life events, product notes, the
suitability answer's and the call plan's words (knowledge/playbooks/*.yaml) and the nine-grid of
cadence.json, read and validated."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import yaml

from bot.agent.playbook_fields import FieldReader
from bot.agent.playbooks import (
    CallPlan,
    Circumstance,
    GridCell,
    Industry,
    PlaybookError,
    ProductNote,
    SuitabilityAnswers,
)
from bot.tracker.records import EMOTIONS


def _termed_entries(path: Path, kind: str) -> list[FieldReader]:
    """A file of entries named by terms (industries, product notes): each entry's fields, terms checked."""
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(entries, list) or data.get("kind") != kind:
        raise PlaybookError(f"{path.name}：需要 kind: {kind} 和 entries 列表")
    found = []
    for i, raw in enumerate(entries):
        raw = raw if isinstance(raw, dict) else {}
        f = FieldReader(raw, f"{path.name} 第 {i + 1} 条（{raw.get('id', '?')}）")
        if any(len(term) < 2 for term in f.texts("terms")):
            raise PlaybookError(f"{f.where}：terms 每个至少两个字（一个字会误认）")
        found.append(f)
    return found


def _english(f: FieldReader, fields: tuple[str, ...]) -> FieldReader | None:
    """The entry read with its `en:` block over the Chinese fields (None without one): the block gives all
    of `fields` and nothing else (the terms stay Chinese: they are what advisers write), a list (ask) as
    long as the Chinese one."""
    en = f.raw.get("en")
    if en is None:
        return None
    where = f"{f.where} en"
    if not isinstance(en, dict) or set(en) != set(fields):
        raise PlaybookError(f"{where}：需要且只能包含 {', '.join(fields)}（terms 只写中文）")
    for key in fields:
        chinese = f.raw.get(key)
        if isinstance(chinese, list) and (not isinstance(en[key], list) or len(en[key]) != len(chinese)):
            raise PlaybookError(f"{where}：{key} 需要与中文一样多的条目（{len(chinese)} 条），顺序相同")
    return FieldReader({**f.raw, **en}, where)


def _industry(f: FieldReader) -> Industry:
    return Industry(f.text("id"), f.text("name"), f.texts("terms"), f.text("money"), f.texts("ask", high=3))


def read_industries(path: Path) -> tuple[Industry, ...]:
    """industries.yaml (optional): lines of business, each with its terms, money pattern and questions, and
    (`en:`) its name, money pattern and questions in English."""
    found = []
    for f in _termed_entries(path, "industry"):
        en = _english(f, ("name", "money", "ask"))
        found.append(replace(_industry(f), english=_industry(en) if en else None))
    return tuple(found)


def _circumstance(f: FieldReader) -> Circumstance:
    return Circumstance(f.text("id"), f.text("name"), f.texts("terms"), f.text("means"),
                        f.texts("ask", high=2))


def read_circumstances(path: Path) -> tuple[Circumstance, ...]:
    """circumstances.yaml (optional): life events, each with its terms, what it means for the client's money
    and the conversation, and its questions, and (`en:`) its name, meaning and questions in English."""
    found = []
    for f in _termed_entries(path, "circumstance"):
        en = _english(f, ("name", "means", "ask"))
        found.append(replace(_circumstance(f), english=_circumstance(en) if en else None))
    return tuple(found)


def _product_note(f: FieldReader) -> ProductNote:
    return ProductNote(f.text("id"), f.text("name"), f.texts("terms"), f.text("facts"), f.text("liquidity"),
                       f.text("never"))


def read_product_notes(path: Path) -> tuple[ProductNote, ...]:
    """product_notes.yaml (optional): kinds of product, what they are, early money, what never to say, and
    (`en:`) the same in English."""
    found = []
    for f in _termed_entries(path, "product_note"):
        en = _english(f, ("name", "facts", "liquidity", "never"))
        found.append(replace(_product_note(f), english=_product_note(en) if en else None))
    return tuple(found)


# The slots the code fills: the answer's lines take the case's, the `level` line the client's level and type.
SUITABILITY_SLOTS = {"who", "level", "product", "product_level", "client_level", "elderly"}
LEVEL_SLOTS = {"client_level", "client_type"}


def _read_yaml(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise PlaybookError(f"{path.name}：文件不存在") from exc
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise PlaybookError(f"{path.name}：无法读取（{type(exc).__name__}）") from exc


def _slots(line: str) -> set[str]:
    return set(re.findall(r"\{(\w*)\}", line))


def _languages(path: Path) -> dict[str, FieldReader]:
    """A file of words in Chinese (zh) and English (en): each language's fields, named in errors."""
    data = _read_yaml(path)
    readers = {}
    for language in ("zh", "en"):
        raw = data.get(language) if isinstance(data, dict) else None
        readers[language] = FieldReader(raw if isinstance(raw, dict) else {}, f"{path.name} {language}")
    return readers


def read_suitability(path: Path) -> dict[str, SuitabilityAnswers]:
    """suitability_answers.yaml: the suitability answer's words, in Chinese (zh) and English (en)."""
    found = {}
    data = _read_yaml(path)
    # Optional, with `insists` and `insisted`: without them a client's insisting changes no answer.
    insist_products = FieldReader(data if isinstance(data, dict) else {}, path.name).texts(
        "insist_products", optional=True)
    for language, f in _languages(path).items():
        types = f.raw.get("client_types")
        if not isinstance(types, dict) or sorted(types) != [1, 2, 3, 4, 5]:
            raise PlaybookError(f"{f.where}：client_types 需要 1-5 五个等级")
        answers = SuitabilityAnswers(
            client=f.text("client"), product=f.text("product"),
            client_types={int(k): str(v) for k, v in types.items()},
            level=f.text("level"), missing=f.text("missing"), elderly_suitable=f.texts("elderly_suitable"),
            suitable=f.texts("suitable"), unsuitable=f.texts("unsuitable"),
            unsuitable_elderly=f.text("unsuitable_elderly"), suitable_elderly=f.text("suitable_elderly"),
            insists=f.texts("insists", optional=True), insisted=f.texts("insisted", optional=True),
            insisted_elderly=f.text("insisted_elderly", optional=not f.raw.get("insisted")),
            insist_products=insist_products)
        lines = [*answers.elderly_suitable, *answers.suitable, *answers.unsuitable, *answers.insisted,
                 answers.unsuitable_elderly, answers.suitable_elderly, answers.insisted_elderly]
        unknown = ({name for line in lines for name in _slots(line)} - SUITABILITY_SLOTS
                   | _slots(answers.level) - LEVEL_SLOTS)
        if unknown:
            raise PlaybookError(f"{f.where}：不认识的占位 {', '.join(sorted(unknown))}")
        found[language] = answers
    return found


# The slots each of the call plan's fields may use (the code fills them; any other brace breaks the line).
CALL_PLAN_SLOTS = {"goals": set(), "openers": {"name", "topic"}, "next_steps": set(), "default_topic": set(),
                   "compliance": {"risk_level"}}


def _by_mood(f: FieldReader, key: str) -> dict[str, str]:
    raw = f.raw.get(key)
    if not isinstance(raw, dict) or sorted(map(str, raw)) != sorted(EMOTIONS):
        raise PlaybookError(f"{f.where}：{key} 需要 {'、'.join(EMOTIONS)} 三种情绪各一句")
    mood = FieldReader(raw, f"{f.where} {key}")
    return {emotion: mood.text(emotion) for emotion in EMOTIONS}


def _names(f: FieldReader) -> dict[str, str]:
    raw = f.raw.get("names") or {}
    if not isinstance(raw, dict) or not all(isinstance(v, str) and v.strip() for v in raw.values()):
        raise PlaybookError(f"{f.where}：names 应为“中文名: 译名”的对照，每个译名不能为空")
    return {str(k): v.strip() for k, v in raw.items()}


def read_call_plan(path: Path) -> dict[str, CallPlan]:
    """call_plan.yaml: the call plan's goal, opening line and next step by mood, in Chinese and English."""
    found = {}
    for language, f in _languages(path).items():
        plan = CallPlan(goals=_by_mood(f, "goals"), openers=_by_mood(f, "openers"),
                        next_steps=_by_mood(f, "next_steps"), default_topic=f.text("default_topic"),
                        compliance=f.text("compliance"), names=_names(f))
        for key, allowed in CALL_PLAN_SLOTS.items():
            value = getattr(plan, key)
            for line in value.values() if isinstance(value, dict) else [value]:
                unknown = _slots(line) - allowed
                if unknown or re.search(r"[{}]", re.sub(r"\{\w*\}", "", line)):
                    slots = "、".join(f"{{{name}}}" for name in sorted(allowed)) or "无"
                    raise PlaybookError(f"{f.where} {key}：“{line}”里的花括号只能是占位（可用：{slots}）")
        found[language] = plan
    return found


def read_grid(cells: object) -> dict[tuple[str, str], GridCell]:
    """cadence.json's nine-grid: an approach for each familiarity × mood, in Chinese and (`en`) English."""
    grid = {}
    for cell in cells if isinstance(cells, list) else []:
        cell = cell if isinstance(cell, dict) else {}
        where = f"cadence.json 九宫格（{cell.get('familiarity', '?')} × {cell.get('emotion', '?')}）"
        english = cell.get("en") if isinstance(cell.get("en"), dict) else {}
        f, en = FieldReader(cell, where), FieldReader(english, f"{where} en")
        grid[(f.text("familiarity"), f.text("emotion"))] = GridCell(
            f.text("familiarity"), f.text("emotion"), f.text("approach"), en.text("approach"))
    if len(grid) != 9:
        raise PlaybookError("cadence.json：九宫格需要 9 个格子（熟悉度 × 情绪）")
    return grid
