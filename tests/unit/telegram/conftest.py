"""The real Application, the real Agent (offline brain, SQLite tracker in tmp_path), a small in-memory
knowledge base, and Telegram's HTTP faked. `tg.send(update_json)` runs one update through the bot."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from telegram import Update
from telegram.ext import Application

from bot.telegram.app import build_application
from knowledge.base import KnowledgeBase
from knowledge.settings import get_settings
from knowledge.types import Chunk
from tests.coach import build_test_agent, copy_test_library
from tests.fakes import FakeEmbedder, MemoryChunkStore
from tests.unit.telegram.fake_bot_api import TOKEN, FakeBotApi, Updates

ADVISER = 1001
OTHER_ADVISER = 1002
ADMIN = 9001
STRANGER = 5555
GROUP = -100200300

PASSAGES = [
    ("抗拒型客户", "面对抗拒型客户，不要直接问为什么，先认同情绪，了解过往的投资经历，再正向引导。"),
    ("企业主需求", "首次拜访企业主，先破冰，再用开放式问题了解企业经营、家企资产隔离和传承安排。"),
    ("基金定投", "基金定投适合工资收入稳定的上班族，分批买入摊薄成本，要长期坚持。"),
]


def small_knowledge() -> KnowledgeBase:
    store = MemoryChunkStore(FakeEmbedder())
    store.upsert([Chunk(chunk_id=f"c{i}", text=text, source="course.txt", title="培训课程", section=section,
                        position=i) for i, (section, text) in enumerate(PASSAGES)])
    return KnowledgeBase(store, store.embedder)


@dataclass
class TelegramHarness:
    app: Application
    api: FakeBotApi
    updates: Updates
    agent: Any

    async def send(self, update: dict) -> None:
        await self.app.process_update(Update.de_json(update, self.app.bot))

    async def say(self, user_id: int, text: str, **kwargs: Any) -> str:
        """Send a text message; return everything the bot sent back to that chat, joined."""
        before = len(self.api.calls)
        await self.send(self.updates.message(user_id, text, **kwargs))
        chat_id = kwargs.get("chat_id", user_id)
        return "\n".join(c.text for c in self.api.calls[before:]
                         if c.method == "sendMessage" and int(c.params["chat_id"]) == chat_id)

    def calls_since(self, index: int) -> list:
        return self.api.calls[index:]


@pytest.fixture
def bot_settings(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("ALLOWED_USER_IDS", f"{ADVISER},{OTHER_ADVISER}")
    monkeypatch.setenv("ADMIN_USER_IDS", str(ADMIN))
    monkeypatch.setenv("TELEGRAM_DEBOUNCE_SECONDS", "0")  # tests that debounce set their own window
    get_settings.cache_clear()
    return get_settings()


@pytest.fixture
async def tg(bot_settings, tmp_path) -> AsyncIterator[TelegramHarness]:
    api = FakeBotApi()
    library = copy_test_library(tmp_path / "library")
    agent = build_test_agent(bot_settings, library, knowledge=small_knowledge())
    app = build_application(bot_settings, agent, request=api)
    async with app:
        yield TelegramHarness(app=app, api=api, updates=Updates(), agent=agent)
    agent.close()
