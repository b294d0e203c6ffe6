"""Telegram's draft of an LLM answer: one message, edited at most once per interval, removed at the end."""

from __future__ import annotations

import asyncio

from telegram import Bot, Message

from bot.telegram.streaming import WRITING, DraftStream


class RecordingBot(Bot):
    """The real Bot class with its three calls recorded instead of sent."""

    def __init__(self) -> None:
        super().__init__("123456:TEST")
        object.__setattr__(self, "calls", [])

    async def send_message(self, chat_id, text, **kwargs):  # noqa: ANN001, ANN201 - Bot's signature
        self.calls.append(("send", text))
        chat = {"id": chat_id, "type": "private"}
        return Message.de_json({"message_id": 42, "date": 0, "chat": chat}, self)

    async def edit_message_text(self, text, **kwargs):  # noqa: ANN001, ANN201
        self.calls.append(("edit", text))
        return True

    async def delete_message(self, chat_id, message_id, **kwargs):  # noqa: ANN001, ANN201
        self.calls.append(("delete", message_id))
        return True


async def test_the_draft_is_sent_then_edited_no_faster_than_the_interval_then_removed() -> None:
    bot = RecordingBot()
    draft = DraftStream(bot, 7, asyncio.get_running_loop(), every_s=0.2)

    def writer() -> None:  # the composer's thread, writing faster than the interval
        import time

        text = ""
        for word in ["先认同", "客户的", "感受", "再了解", "过往", "经历"] * 3:
            text += word
            draft.on_text(text)
            time.sleep(0.05)

    await asyncio.to_thread(writer)
    await draft.finish()
    kinds = [kind for kind, _ in bot.calls]
    assert kinds[0] == "send" and kinds[-1] == "delete" and set(kinds[1:-1]) == {"edit"}
    assert 2 <= len(kinds) - 1 < 18 // 2  # 18 pieces written 0.05 s apart, one update per 0.2 s at most
    assert bot.calls[0][1].endswith(WRITING)


async def test_no_text_no_message() -> None:
    bot = RecordingBot()
    draft = DraftStream(bot, 7, asyncio.get_running_loop())
    await draft.finish()
    assert bot.calls == []
