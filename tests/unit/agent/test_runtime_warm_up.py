"""The knowledge base opens in the background at start, and a failure there is only logged."""

from __future__ import annotations

import threading

import knowledge.base
from bot.agent.factory import LazyKnowledge, warm_up_in_background
from knowledge.settings import get_settings


def test_warm_up_opens_the_knowledge_base_once_in_a_background_thread(monkeypatch):
    opened = threading.Event()
    calls = []

    def fake_open(settings):
        calls.append(threading.current_thread().name)
        opened.set()
        return "the knowledge base"

    monkeypatch.setattr(knowledge.base, "open_knowledge_base", fake_open)
    lazy = LazyKnowledge(get_settings())
    warm_up_in_background(lazy)
    assert opened.wait(5)
    assert lazy.base == "the knowledge base"
    assert calls == ["knowledge-warm-up"]


def test_a_failing_warm_up_is_logged_not_raised(monkeypatch, caplog):
    def broken(settings):
        raise RuntimeError("store down")

    monkeypatch.setattr(knowledge.base, "open_knowledge_base", broken)
    LazyKnowledge(get_settings()).warm_up()
    assert "knowledge base not ready: RuntimeError" in caplog.text


def test_an_open_knowledge_base_needs_no_warm_up():
    warm_up_in_background(object())  # nothing to do, nothing raised
