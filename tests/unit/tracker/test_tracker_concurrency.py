"""Two processes logging at once lose nothing. Spawned (not forked): the full suite has threads
loaded (torch, chromadb) and forking a threaded process can hang."""

from __future__ import annotations

import multiprocessing

from bot.tracker.service import Tracker
from tests.unit.tracker.helpers import NOTES_PER_WRITER, write_notes


def test_two_writers_lose_nothing(tracker_url: str) -> None:
    Tracker(tracker_url).close()  # migrations done once up front, as the app does at start
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=write_notes, args=(tracker_url, 1, tag)) for tag in ("甲", "乙")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    tracker = Tracker(tracker_url)
    try:
        clients = tracker.clients(1)
        assert sum(c.notes_count for c in clients) == 2 * NOTES_PER_WRITER
        assert [c.notes_count for c in clients if c.name == "王总"] == [NOTES_PER_WRITER]
        assert len(tracker.client_profile(1, "王总").notes) == NOTES_PER_WRITER
    finally:
        tracker.close()


def test_fresh_database_migrates_concurrently(tracker_url: str) -> None:
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=write_notes, args=(tracker_url, 2, tag)) for tag in ("丙", "丁")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
