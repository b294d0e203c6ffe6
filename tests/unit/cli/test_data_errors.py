"""A malformed data file or an unreachable store ends a command with its own words, not a traceback."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bot.cli import invoke
from knowledge.question_bank import QuestionBank, shipped_questions
from knowledge.store import StoreUnavailable
from tests.fakes import FakeEmbedder


@pytest.fixture
def fake_model(monkeypatch: pytest.MonkeyPatch) -> None:
    import knowledge.embedder as embedder_mod

    monkeypatch.setattr(embedder_mod, "load_embedder", lambda settings, **kwargs: FakeEmbedder())


def test_a_broken_question_bank_is_named_not_traced(fake_model: None, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str],
                                                    tmp_path: Path) -> None:
    bank = tmp_path / "course_questions.yaml"
    bank.write_text("passages: 7", encoding="utf-8")
    read = QuestionBank.from_file.__func__
    monkeypatch.setattr(QuestionBank, "from_file", classmethod(lambda cls, path=bank: read(cls, bank)))
    monkeypatch.setattr(sys, "argv", ["adviser", "search", "转介绍怎么要", "--json"])
    shipped_questions.cache_clear()
    try:
        assert invoke() == 1
    finally:
        shipped_questions.cache_clear()
    err = capsys.readouterr().err
    assert "错误：course_questions.yaml：passages 要写成一列" in err and "Traceback" not in err


def test_an_unreachable_store_says_what_to_do(fake_model: None, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    import knowledge.store as store_mod

    def unreachable(settings):  # noqa: ANN001, ANN202
        raise StoreUnavailable("Chroma server at 127.0.0.1:1 is not reachable; start it with `chroma run`")

    monkeypatch.setattr(store_mod, "chroma_client", unreachable)
    monkeypatch.setattr(sys, "argv", ["adviser", "search", "转介绍怎么要"])
    assert invoke() == 1
    assert "chroma run" in capsys.readouterr().err
