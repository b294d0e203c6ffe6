"""Messages of one chat that arrive close together are answered once, together.

Telegram delivers a message longer than 4096 characters as several messages a moment apart, and advisers
often send one thought as two quick lines. The first message of a burst waits until the chat has been
quiet for the window, then takes the whole burst; the others return at once with nothing to do.
"""

from __future__ import annotations

import asyncio
from collections.abc import Hashable

TELEGRAM_PART = 4000  # a part this long was cut by Telegram: the next one continues the same sentence


class Debouncer:
    def __init__(self, window_s: float) -> None:
        self.window_s = window_s
        self._bursts: dict[Hashable, list[str]] = {}
        self._last: dict[Hashable, float] = {}

    async def collect(self, key: Hashable, text: str) -> list[str] | None:
        """All texts of the burst for its first message; None for the messages that joined it."""
        if self.window_s <= 0:
            return [text]
        loop = asyncio.get_running_loop()
        self._last[key] = loop.time()
        burst = self._bursts.get(key)
        if burst is not None:
            burst.append(text)
            return None
        self._bursts[key] = [text]
        try:
            while (wait := self._last[key] + self.window_s - loop.time()) > 0:
                await asyncio.sleep(wait)
        finally:
            self._last.pop(key, None)
            burst = self._bursts.pop(key)
        return burst


def join_burst(texts: list[str]) -> str:
    """Parts Telegram cut are glued back as they were; separate messages become separate lines."""
    joined = texts[0]
    for previous, text in zip(texts, texts[1:], strict=False):
        joined += ("" if len(previous) >= TELEGRAM_PART else "\n") + text
    return joined
