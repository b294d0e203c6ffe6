"""Telegram's HTTP layer, faked: a BaseRequest that answers the Bot API methods the bot uses and
records every call. Updates are built as the JSON Telegram sends and fed to `process_update`.

This is how python-telegram-bot's own suite tests offline; nothing here talks to a network.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import count
from typing import Any

from telegram.request import BaseRequest, RequestData

BOT_ID = 777000111
BOT_USERNAME = "adviser_desk_bot"
TOKEN = "123456789:AAEexampleexampleexampleexample12345"
BOT_USER = {"id": BOT_ID, "is_bot": True, "first_name": "Adviser Desk", "username": BOT_USERNAME,
            "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return str(self.params.get("text", ""))


class FakeBotApi(BaseRequest):
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.downloads: dict[str, bytes] = {}  # file_id -> content served by getFile + download
        self.failures: dict[str, list[tuple[int, dict]]] = {}  # method -> queued error answers
        self._message_ids = count(1000)

    # -- BaseRequest -------------------------------------------------------------------------------

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    @property
    def read_timeout(self) -> float | None:
        return 2.0

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: Any = None, write_timeout: Any = None, connect_timeout: Any = None,
                         pool_timeout: Any = None) -> tuple[int, bytes]:
        if "/file/bot" in url:  # a file download: .../file/bot<token>/documents/<file_id>
            return 200, self.downloads[url.rsplit("/", 1)[1]]
        name = url.rsplit("/", 1)[1]
        params = dict(request_data.parameters) if request_data else {}
        files = dict(request_data.multipart_data) if request_data and request_data.contains_files else {}
        self.calls.append(Call(name, params, files))
        queued = self.failures.get(name)
        if queued:
            status, payload = queued.pop(0)
            return status, json.dumps(payload).encode()
        return 200, json.dumps({"ok": True, "result": self._result(name, params)}).encode()

    # -- answers -----------------------------------------------------------------------------------

    def _result(self, name: str, params: dict[str, Any]) -> Any:
        if name == "getMe":
            return BOT_USER
        if name in ("sendMessage", "sendDocument", "sendPhoto", "editMessageText", "editMessageReplyMarkup"):
            return self._message(params)
        if name == "getFile":
            file_id = params["file_id"]
            return {"file_id": file_id, "file_unique_id": f"u-{file_id}",
                    "file_size": len(self.downloads.get(file_id, b"")), "file_path": f"documents/{file_id}"}
        return True  # sendChatAction, answerCallbackQuery, setMyCommands, deleteWebhook ...

    def _message(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(params.get("chat_id", 1))
        message = {"message_id": int(params.get("message_id") or next(self._message_ids)),
                   "date": int(datetime.now(UTC).timestamp()), "from": BOT_USER,
                   "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"}}
        if "text" in params:
            message["text"] = params["text"]
        if "reply_markup" in params:
            message["reply_markup"] = params["reply_markup"]
        return message

    # -- reading what the bot did -----------------------------------------------------------------

    def sent(self, method: str = "sendMessage", chat_id: int | None = None) -> list[Call]:
        return [c for c in self.calls if c.method == method
                and (chat_id is None or int(c.params.get("chat_id", 0)) == chat_id)]

    def texts(self, chat_id: int | None = None) -> list[str]:
        return [c.text for c in self.sent("sendMessage", chat_id)]

    def last_text(self, chat_id: int | None = None) -> str:
        texts = self.texts(chat_id)
        return texts[-1] if texts else ""

    def buttons(self, call: Call) -> list[tuple[str, str]]:
        markup = call.params.get("reply_markup") or {}
        return [(b["text"], b["callback_data"]) for row in markup.get("inline_keyboard", []) for b in row]

    def clear(self) -> None:
        self.calls.clear()


def _utf16(text: str) -> int:
    """Telegram counts entity offsets in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


class Updates:
    """Build update JSON as Telegram sends it."""

    def __init__(self) -> None:
        self._ids = count(1)
        self._message_ids = count(1)

    def user(self, user_id: int, name: str = "顾问") -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": name}

    def message(self, user_id: int, text: str | None = None, *, chat_id: int | None = None,
                chat_type: str = "private", reply_to_bot: bool = False, **extra: Any) -> dict[str, Any]:
        chat_id = user_id if chat_id is None else chat_id
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type != "private":
            chat["title"] = "团队群"
        message: dict[str, Any] = {"message_id": next(self._message_ids), "chat": chat,
                                   "date": int(datetime.now(UTC).timestamp()), "from": self.user(user_id),
                                   **extra}
        if text is not None:
            message["text"] = text
            entities = [{"type": "mention", "offset": _utf16(text[:m.start()]), "length": _utf16(m.group(0))}
                        for m in re.finditer(r"@\w+", text)]
            if text.startswith("/"):
                entities.insert(0, {"type": "bot_command", "offset": 0, "length": len(text.split()[0])})
            if entities:
                message["entities"] = entities
        if reply_to_bot:
            message["reply_to_message"] = {"message_id": 1, "date": message["date"], "chat": message["chat"],
                                           "from": BOT_USER, "text": "之前的回答"}
        return {"update_id": next(self._ids), "message": message}

    def edited(self, user_id: int, text: str) -> dict[str, Any]:
        update = self.message(user_id, text)
        update["edited_message"] = update.pop("message")
        update["edited_message"]["edit_date"] = update["edited_message"]["date"]
        return update

    def document(self, user_id: int, file_id: str, file_name: str, size: int) -> dict[str, Any]:
        return self.message(user_id, document={"file_id": file_id, "file_unique_id": f"u-{file_id}",
                                               "file_name": file_name, "file_size": size})

    def callback(self, user_id: int, data: str, *, message_id: int = 1000) -> dict[str, Any]:
        message = {"message_id": message_id, "date": int(datetime.now(UTC).timestamp()),
                   "chat": {"id": user_id, "type": "private"}, "from": BOT_USER, "text": "已记录"}
        return {"update_id": next(self._ids),
                "callback_query": {"id": f"cb{next(self._ids)}", "from": self.user(user_id),
                                   "chat_instance": "ci", "data": data, "message": message}}
