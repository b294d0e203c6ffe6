"""The agent warms up in the background at start (model, index, phrasings); a failure is only logged."""

from __future__ import annotations

import threading

from bot.agent.factory import warm_up_in_background
from bot.agent.service import Agent


def test_warm_up_routes_and_searches_once_in_a_background_thread(agent: Agent) -> None:
    done = threading.Event()
    threads = []

    def search(query: str, k: int = 5) -> list:
        threads.append(threading.current_thread().name)
        done.set()
        return []

    agent.knowledge.search = search
    warm_up_in_background(agent)
    assert done.wait(5)
    assert threads == ["agent-warm-up"]


def test_a_failing_warm_up_is_logged_not_raised(agent: Agent, caplog) -> None:
    def broken(query: str, k: int = 5) -> list:
        raise RuntimeError("store down")

    agent.knowledge.search = broken
    warm_up_in_background(agent)
    for thread in threading.enumerate():
        if thread.name == "agent-warm-up":
            thread.join(5)
    assert "knowledge base not ready: RuntimeError" in caplog.text
