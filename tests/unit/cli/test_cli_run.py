"""The console script runs the command, flushes, and ends with the command's exit code."""

from __future__ import annotations

import os
import sys

import pytest

from bot import cli


class Exited(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


@pytest.fixture
def exits(monkeypatch: pytest.MonkeyPatch):
    def fake_exit(code: int) -> None:
        raise Exited(code)

    monkeypatch.setattr(os, "_exit", fake_exit)


@pytest.mark.parametrize(("argv", "code"), [(["--help"], 0), (["no-such-command"], 2)])
def test_exit_code_is_the_commands(exits, monkeypatch, capsys, argv, code):
    monkeypatch.setattr(sys, "argv", ["adviser", *argv])
    with pytest.raises(Exited) as exited:
        cli.run()
    assert exited.value.code == code
    out = capsys.readouterr()
    assert ("Usage" in out.out) if code == 0 else ("No such command" in out.err)


def test_a_failing_command_exits_non_zero(exits, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["adviser", "bot"])  # no TELEGRAM_BOT_TOKEN in tests
    with pytest.raises(Exited) as exited:
        cli.run()
    assert exited.value.code == 1 and "TELEGRAM_BOT_TOKEN is not set" in capsys.readouterr().err
