"""The call plan's words (call_plan.yaml) and the nine-grid's English (cadence.json): the shipped files are
complete in both languages; a trainer's mistake is named by file, language and field, in Chinese."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from bot.agent.playbook_files import shipped_playbooks
from bot.agent.playbook_tables import read_call_plan, read_grid
from bot.agent.playbooks import DEFAULT_DIR, PlaybookError
from bot.tracker.lexicon import OBJECTIONS, PRODUCTS
from bot.tracker.records import EMOTIONS


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    """A copy of the shipped call_plan.yaml to break."""
    return Path(shutil.copy(DEFAULT_DIR / "call_plan.yaml", tmp_path / "call_plan.yaml"))


def edit_plan(path: Path, language: str, key: str, value: object) -> Path:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data[language][key] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_the_shipped_call_plan_says_every_mood_in_both_languages() -> None:
    plans = shipped_playbooks().call_plan
    assert set(plans) == {"zh", "en"}
    for plan in plans.values():
        assert set(plan.goals) == set(plan.openers) == set(plan.next_steps) == set(EMOTIONS)
    english = plans["en"]
    lines = [*english.goals.values(), *english.openers.values(), *english.next_steps.values(),
             english.default_topic, english.compliance, *english.names.values()]
    # Chinese only in brackets, after a term the adviser needs ("large-denomination CDs (大额存单)").
    assert [line for line in lines if has_chinese(re.sub(r"\([^()]*\)", "", line))] == []
    assert plans["zh"].default_topic == "资产配置" and english.default_topic == "asset allocation"


def test_every_product_and_concern_the_tracker_reads_has_an_english_name() -> None:
    names = shipped_playbooks().call_plan["en"].names
    tracker_names = {p for products in PRODUCTS.values() for p in products} | {name for name, _ in OBJECTIONS}
    assert sorted(tracker_names - set(names)) == []


def test_every_nine_grid_cell_has_its_approach_in_english() -> None:
    grid = shipped_playbooks().grid
    assert len(grid) == 9
    for cell in grid.values():
        assert cell.approach_in(False) == cell.approach and cell.approach_in(True) == cell.approach_en
        assert cell.approach_en and not has_chinese(cell.approach_en)


def test_a_missing_mood_is_named(plan_file: Path) -> None:
    edit_plan(plan_file, "en", "goals", {"resistant": "a", "neutral": "b"})
    with pytest.raises(PlaybookError, match="call_plan.yaml en：goals 需要 resistant、neutral、positive"):
        read_call_plan(plan_file)


def test_an_empty_line_is_named_by_its_mood(plan_file: Path) -> None:
    edit_plan(plan_file, "zh", "next_steps", {"resistant": "a", "neutral": " ", "positive": "c"})
    with pytest.raises(PlaybookError, match="call_plan.yaml zh next_steps：缺少字段“neutral”"):
        read_call_plan(plan_file)


def test_a_slot_the_line_cannot_take_is_named(plan_file: Path) -> None:
    edit_plan(plan_file, "zh", "openers", {"resistant": "{client}您好", "neutral": "b", "positive": "c"})
    with pytest.raises(PlaybookError, match=r"zh openers：“\{client\}您好”.*可用：\{name\}、\{topic\}"):
        read_call_plan(plan_file)


def test_a_stray_brace_is_an_error_not_a_crash_at_answer_time(plan_file: Path) -> None:
    edit_plan(plan_file, "en", "compliance", "Risk level {risk_level} (see {the rules")
    with pytest.raises(PlaybookError, match="call_plan.yaml en compliance：.*花括号只能是占位"):
        read_call_plan(plan_file)


def test_a_missing_field_and_a_missing_language_are_named(plan_file: Path) -> None:
    edit_plan(plan_file, "en", "default_topic", None)
    with pytest.raises(PlaybookError, match="call_plan.yaml en：缺少字段“default_topic”"):
        read_call_plan(plan_file)
    plan_file.write_text("zh: {}\n", encoding="utf-8")
    with pytest.raises(PlaybookError, match="call_plan.yaml zh：goals 需要"):
        read_call_plan(plan_file)


def test_names_must_be_a_mapping_of_translations(plan_file: Path) -> None:
    edit_plan(plan_file, "en", "names", ["annuities"])
    with pytest.raises(PlaybookError, match="call_plan.yaml en：names 应为“中文名: 译名”的对照"):
        read_call_plan(plan_file)


def test_a_missing_or_broken_file_is_said_in_chinese(plan_file: Path) -> None:
    plan_file.write_text("zh: [unclosed\n", encoding="utf-8")
    with pytest.raises(PlaybookError, match="call_plan.yaml：无法读取（"):
        read_call_plan(plan_file)
    plan_file.unlink()
    with pytest.raises(PlaybookError, match="call_plan.yaml：文件不存在"):
        read_call_plan(plan_file)


def test_a_grid_cell_without_english_is_named() -> None:
    cells = json.loads((DEFAULT_DIR / "cadence.json").read_text(encoding="utf-8"))["grid"]
    assert len(read_grid(cells)) == 9
    del cells[0]["en"]
    with pytest.raises(PlaybookError, match="cadence.json 九宫格（new × resistant） en：缺少字段“approach”"):
        read_grid(cells)
    with pytest.raises(PlaybookError, match="cadence.json：九宫格需要 9 个格子"):
        read_grid(cells[1:] + [{**cells[1], "en": {"approach": "x"}}])
