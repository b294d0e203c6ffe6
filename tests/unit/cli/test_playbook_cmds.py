"""`adviser playbooks check`: the shipped library passes; a trainer's mistake is named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.agent.playbooks import DEFAULT_DIR
from bot.cli import main
from knowledge.question_bank import QuestionBank


def test_the_shipped_library_checks_out() -> None:
    result = CliRunner().invoke(main, ["playbooks", "check"])
    assert result.exit_code == 0 and "话术库没有问题" in result.output and "课程问法库" in result.output


def test_a_mistake_names_the_file_and_entry(tmp_path: Path) -> None:
    library = tmp_path / "playbooks"
    shutil.copytree(DEFAULT_DIR, library)
    rules = library / "compliance" / "conduct.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("verdict: 不行", "verdict: 也许", 1),
                     encoding="utf-8")
    result = CliRunner().invoke(main, ["playbooks", "check", str(library)])
    assert result.exit_code == 1 and "conduct.yaml" in result.output and "verdict" in result.output


def test_a_broken_question_bank_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bank = tmp_path / "course_questions.yaml"
    bank.write_text("passages: 7", encoding="utf-8")
    read = QuestionBank.from_file.__func__
    monkeypatch.setattr(QuestionBank, "from_file", classmethod(lambda cls: read(cls, bank)))
    result = CliRunner().invoke(main, ["playbooks", "check"])
    assert result.exit_code == 1 and "course_questions.yaml：passages 要写成一列" in result.output
