"""A fake Telegram Bot API server on 127.0.0.1 for the real `adviser bot` process.

It answers the methods the bot uses, keeps what was sent to each chat, and checks every message the way
Telegram does: HTML that parses with Telegram's tags only, at most 4096 characters; a message that fails
is refused with Telegram's 400 and remembered in `rejected`. A user who never opened a private chat with
the bot (`not_started`) cannot be written to first (403), as in Telegram.
"""

from __future__ import annotations

import json
import queue
import re
import threading
import time
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import default as email_policy
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import count
from urllib.parse import parse_qs

BOT = {"id": 99, "is_bot": True, "first_name": "Adviser Desk", "username": "adviser_desk_bot"}
TELEGRAM_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "span",
                 "tg-spoiler", "blockquote", "tg-emoji"}
LIMIT = 4096
# A fresh bot embeds the whole talk-track library (some 3,200 phrasings) and trains the router's label
# classifier on them before it takes updates: on a busy 2-core machine that alone can take minutes. Later
# starts find both in the data dir.
WARM_UP_SECONDS = 300
MESSAGE_METHODS = ("sendMessage", "sendDocument", "sendPhoto", "editMessageText", "editMessageReplyMarkup")
TAG = re.compile(r"</?[a-z-]+(\s[^<>]*)?>")
ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")


@dataclass
class Sent:
    method: str
    params: dict
    message_id: int | None = None
    files: dict = field(default_factory=dict)

    @property
    def chat_id(self) -> int:
        return int(self.params.get("chat_id", 0))

    @property
    def text(self) -> str:
        return str(self.params.get("text", "") or self.params.get("caption", ""))

    def buttons(self) -> list[tuple[str, str]]:
        markup = self.params.get("reply_markup") or {}
        return [(b["text"], b.get("callback_data", "")) for row in markup.get("inline_keyboard", [])
                for b in row]


class _TelegramHtml(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.visible = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in TELEGRAM_TAGS:
            self.errors.append(f"unsupported tag <{tag}>")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(f"unbalanced </{tag}>")

    def handle_data(self, data: str) -> None:
        self.visible += len(data)


def html_problems(text: str) -> list[str]:
    """Why Telegram would refuse this HTML message (empty list: it would take it)."""
    stray = [m.start() for m in re.finditer("<", text) if not TAG.match(text, m.start())]
    stray += [m.start() for m in re.finditer("&", text) if not ENTITY.match(text, m.start())]
    if stray:
        return [f"unescaped < or & at {stray[:3]}"]
    parser = _TelegramHtml()
    parser.feed(text)
    parser.close()
    problems = list(parser.errors)
    if parser.stack:
        problems.append(f"unclosed {parser.stack}")
    if parser.visible == 0:
        problems.append("empty message")
    if len(text) > LIMIT:
        problems.append(f"{len(text)} characters")
    return problems


class FakeBotApiServer:
    def __init__(self) -> None:
        self.updates: queue.Queue[dict] = queue.Queue()
        self.calls: list[Sent] = []
        self.paths: list[str] = []
        self.rejected: list[tuple[Sent, list[str]]] = []
        self.not_started: set[int] = set()
        self._ids = count(1)
        self._message_ids = count(5000)
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                server.paths.append(self.path)
                params, files = _decode(raw, self.headers.get("Content-Type") or "")
                status, body = server.handle(self.path.rsplit("/", 1)[1], params, files)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    def stop(self) -> None:
        self.httpd.shutdown()

    # -- the Bot API ------------------------------------------------------------------------------------

    def handle(self, method: str, params: dict, files: dict) -> tuple[int, dict]:
        if method == "getUpdates":
            return 200, {"ok": True, "result": self._drain()}
        sent = Sent(method, params, files=files)
        with self._lock:
            self.calls.append(sent)
        if method in ("sendMessage", "editMessageText") and params.get("parse_mode") == "HTML":
            problems = html_problems(str(params.get("text", "")))
            if problems:
                self.rejected.append((sent, problems))
                return 400, {"ok": False, "error_code": 400,
                             "description": "Bad Request: can't parse entities"}
        if method.startswith("send") and method != "sendChatAction" and sent.chat_id in self.not_started:
            return 403, {"ok": False, "error_code": 403,
                         "description": "Forbidden: bot can't initiate conversation with a user"}
        if method == "getMe":
            return 200, {"ok": True, "result": BOT}
        if method in MESSAGE_METHODS:
            sent.message_id = int(params.get("message_id") or next(self._message_ids))
            message = {"message_id": sent.message_id, "date": int(time.time()), "from": BOT,
                       "chat": {"id": sent.chat_id, "type": "private" if sent.chat_id > 0 else "supergroup"},
                       "text": str(params.get("text", ""))}
            return 200, {"ok": True, "result": message}
        return 200, {"ok": True, "result": True}

    def _drain(self) -> list[dict]:
        try:
            batch = [self.updates.get(timeout=0.5)]
        except queue.Empty:
            return []
        while not self.updates.empty():
            batch.append(self.updates.get_nowait())
        return batch

    # -- what users send ----------------------------------------------------------------------------------

    def message(self, user_id: int, text: str, *, chat_id: int | None = None, mention: bool = False) -> int:
        """Queue a text message; returns its message id. A private message means the user started the bot."""
        chat_id = user_id if chat_id is None else chat_id
        if chat_id == user_id:
            self.not_started.discard(user_id)
        message_id = next(self._ids)
        chat = {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"}
        if chat_id < 0:
            chat["title"] = "团队群"
        if mention:
            text = f"@{BOT['username']} {text}"
        message = {"message_id": message_id, "date": int(time.time()), "text": text, "chat": chat,
                   "from": {"id": user_id, "is_bot": False, "first_name": "顾问"}}
        entities = []
        if text.startswith("/"):
            entities.append({"type": "bot_command", "offset": 0, "length": len(text.split()[0])})
        if mention:
            entities.append({"type": "mention", "offset": 0, "length": len(BOT["username"]) + 1})
        if entities:
            message["entities"] = entities
        self.updates.put({"update_id": next(self._ids), "message": message})
        return message_id

    def press(self, user_id: int, label: str) -> str:
        """Press the newest button with this label in the user's private chat; returns its data."""
        for sent in reversed(self.calls):
            if sent.chat_id != user_id or sent.message_id is None:
                continue
            for text, data in sent.buttons():
                if text == label:
                    message = {"message_id": sent.message_id, "date": int(time.time()), "from": BOT,
                               "chat": {"id": user_id, "type": "private"}, "text": sent.text}
                    user = {"id": user_id, "is_bot": False, "first_name": "顾问"}
                    self.updates.put({"update_id": next(self._ids), "callback_query": {
                        "id": f"cb{next(self._ids)}", "from": user, "chat_instance": "ci", "data": data,
                        "message": message}})
                    return data
        raise AssertionError(f"no button {label!r} for {user_id}: {self.texts(user_id)}")

    # -- what the bot did ------------------------------------------------------------------------------

    def of(self, method: str, chat_id: int | None = None, since: int = 0) -> list[Sent]:
        return [c for c in self.calls[since:]
                if c.method == method and (chat_id is None or c.chat_id == chat_id)]

    def texts(self, chat_id: int | None = None, since: int = 0) -> list[str]:
        return [c.text for c in self.of("sendMessage", chat_id, since)]

    def wait_for(self, predicate, what: str, since: int = 0, timeout: float = 90) -> Sent:  # noqa: ANN001
        """The first call from `since` on that matches."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for sent in self.calls[since:]:
                if predicate(sent):
                    return sent
            time.sleep(0.1)
        raise AssertionError(f"never saw {what}; sent: {[(c.method, c.text[:60]) for c in self.calls[-15:]]}")

    def wait_text(self, chat_id: int, needle: str, since: int = 0, timeout: float = 90) -> Sent:
        def match(sent: Sent) -> bool:
            return sent.method == "sendMessage" and sent.chat_id == chat_id and needle in sent.text

        return self.wait_for(match, f"{needle!r} in chat {chat_id}", since, timeout)

    def mark(self) -> int:
        return len(self.calls)


def _decode(raw: bytes, content_type: str) -> tuple[dict, dict]:
    """python-telegram-bot posts form fields (JSON-encoded values) or multipart with files."""
    if not raw:
        return {}, {}
    if "json" in content_type:
        return json.loads(raw), {}
    if "multipart" in content_type:
        message = BytesParser(policy=email_policy).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + raw)
        params, files = {}, {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True) or b""
            if part.get_filename():
                files[name] = (part.get_filename(), payload)
            else:
                params[name] = _maybe_json(payload.decode())
        return params, files
    fields = {key: values[0] for key, values in parse_qs(raw.decode()).items()}
    return {key: (value if key == "text" else _maybe_json(value)) for key, value in fields.items()}, {}


def _maybe_json(value: str) -> object:
    try:
        return json.loads(value)
    except ValueError:
        return value
