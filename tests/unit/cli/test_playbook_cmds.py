"""`adviser playbooks check`: the shipped library passes; a trainer's mistake is named."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from bot.agent.playbooks import DEFAULT_DIR
from bot.cli import main


def test_the_shipped_library_checks_out() -> None:
    result = CliRunner().invoke(main, ["playbooks", "check"])
    assert result.exit_code == 0 and "话术库没有问题" in result.output


def test_a_mistake_names_the_file_and_entry(tmp_path: Path) -> None:
    library = tmp_path / "playbooks"
    shutil.copytree(DEFAULT_DIR, library)
    rules = library / "compliance" / "conduct.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("verdict: 不行", "verdict: 也许", 1),
                     encoding="utf-8")
    result = CliRunner().invoke(main, ["playbooks", "check", str(library)])
    assert result.exit_code == 1 and "conduct.yaml" in result.output and "verdict" in result.output
