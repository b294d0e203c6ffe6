"""Who may use the bot, and when a group message is meant for it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from telegram import Chat, Message, MessageEntity


@dataclass(frozen=True)
class Access:
    allowed: frozenset[int]
    admins: frozenset[int]

    @classmethod
    def of(cls, allowed: Iterable[int], admins: Iterable[int]) -> Access:
        return cls(frozenset(allowed), frozenset(admins))

    def may_use(self, user_id: int | None) -> bool:
        # Default (both lists empty): nobody. A bank opts advisers in; it never has to opt them out.
        return user_id is not None and (user_id in self.allowed or user_id in self.admins)

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.admins


def refusal_text(user_id: int) -> str:
    return (f"抱歉，这个助手只对本行授权的理财顾问开放。你的 Telegram 用户 ID 是 {user_id}，"
            "请把它发给管理员开通。")


def is_private(chat: Chat | None) -> bool:
    return chat is not None and chat.type == Chat.PRIVATE


def addressed_to_bot(message: Message, bot_username: str, bot_id: int) -> bool:
    """In a private chat every message is for us; in a group only a mention, a command or a reply to us."""
    if is_private(message.chat):
        return True
    reply_to = message.reply_to_message
    if reply_to is not None and reply_to.from_user is not None and reply_to.from_user.id == bot_id:
        return True
    text = message.text or message.caption or ""
    if text.startswith("/"):
        command = text.split()[0]
        _, _, target = command.partition("@")
        # /cmd@us, or a bare /cmd (Telegram delivers those to a bot in privacy mode only when meant for it)
        return not target or target.lower() == bot_username.lower()
    # Telegram marks each @mention as an entity: "@advisorbot2" is not a mention of "@advisorbot".
    mentions = {*message.parse_entities([MessageEntity.MENTION]).values(),
                *message.parse_caption_entities([MessageEntity.MENTION]).values()}
    return f"@{bot_username}".lower() in {m.lower() for m in mentions}


def strip_mention(text: str, bot_username: str) -> str:
    mention = f"@{bot_username}"
    index = text.lower().find(mention.lower())
    if index < 0:
        return text.strip()
    return (text[:index] + text[index + len(mention):]).strip()
