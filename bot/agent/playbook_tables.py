"""The library's files beside its talk-track entries: lines of business, product notes and the
suitability answer's words (knowledge/playbooks/*.yaml), read and validated."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.agent.playbook_fields import FieldReader
from bot.agent.playbooks import Industry, PlaybookError, ProductNote, SuitabilityAnswers


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


def read_industries(path: Path) -> tuple[Industry, ...]:
    """industries.yaml (optional): lines of business, each with its terms, money pattern and questions."""
    return tuple(Industry(f.text("id"), f.text("name"), f.texts("terms"), f.text("money"),
                          f.texts("ask", high=3)) for f in _termed_entries(path, "industry"))


def read_product_notes(path: Path) -> tuple[ProductNote, ...]:
    """product_notes.yaml (optional): kinds of product, what they are, early money, what never to say."""
    return tuple(ProductNote(f.text("id"), f.text("name"), f.texts("terms"), f.text("facts"),
                             f.text("liquidity"), f.text("never"))
                 for f in _termed_entries(path, "product_note"))


# The slots the code fills: the answer's lines take the case's, the `level` line the client's level and type.
SUITABILITY_SLOTS = {"who", "level", "product", "product_level", "client_level", "elderly"}
LEVEL_SLOTS = {"client_level", "client_type"}


def read_suitability(path: Path) -> dict[str, SuitabilityAnswers]:
    """suitability_answers.yaml: the suitability answer's words, in Chinese (zh) and English (en)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise PlaybookError(f"{path.name}：无法读取（{type(exc).__name__}）") from exc
    found = {}
    for language in ("zh", "en"):
        raw = data.get(language) if isinstance(data, dict) else None
        f = FieldReader(raw if isinstance(raw, dict) else {}, f"{path.name} {language}")
        types = f.raw.get("client_types")
        if not isinstance(types, dict) or sorted(types) != [1, 2, 3, 4, 5]:
            raise PlaybookError(f"{f.where}：client_types 需要 1-5 五个等级")
        answers = SuitabilityAnswers(
            client=f.text("client"), product=f.text("product"),
            client_types={int(k): str(v) for k, v in types.items()},
            level=f.text("level"), missing=f.text("missing"), elderly_suitable=f.texts("elderly_suitable"),
            suitable=f.texts("suitable"), unsuitable=f.texts("unsuitable"),
            unsuitable_elderly=f.text("unsuitable_elderly"))
        lines = [*answers.elderly_suitable, *answers.suitable, *answers.unsuitable,
                 answers.unsuitable_elderly]
        unknown = ({name for line in lines for name in re.findall(r"\{(\w*)\}", line)} - SUITABILITY_SLOTS
                   | set(re.findall(r"\{(\w*)\}", answers.level)) - LEVEL_SLOTS)
        if unknown:
            raise PlaybookError(f"{f.where}：不认识的占位 {', '.join(sorted(unknown))}")
        found[language] = answers
    return found
