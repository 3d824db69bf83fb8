"""What the emulated Telegram knows: users, chats, messages and files."""

from __future__ import annotations

import base64
import copy
import itertools
import os
import time
from dataclasses import dataclass, field
from typing import Any

MAX_DOWNLOAD_SIZE = 20 << 20  # getFile refuses bigger files ("file is too big")
MAX_UPLOAD_SIZE = 50 << 20  # multipart upload limit of the Bot API
MAX_PHOTO_UPLOAD_SIZE = 10 << 20


@dataclass
class SimUser:
    """A simulated Telegram user; its private chat with the bot has ``chat_id == id``."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    is_bot: bool = False
    started: bool = False  # has written to the bot in private (else the bot can't initiate)
    seen: bool = False  # the bot has seen this user somewhere (else: "chat not found")
    blocked: bool = False

    @property
    def chat_id(self) -> int:
        return self.id

    def to_dict(self) -> dict:
        d: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key):
                d[key] = getattr(self, key)
        return d


@dataclass
class SimChat:
    """A chat the bot is in: "private" (with one SimUser), "group" or "supergroup"."""

    id: int
    type: str
    title: str | None = None
    username: str | None = None
    user: SimUser | None = None
    privacy_mode: bool = True  # the bot sees only commands and replies to it in groups
    next_message_id: int = 1
    migrated_to: int | None = None  # a group upgraded to this supergroup

    @property
    def chat_id(self) -> int:
        return self.id

    def to_dict(self) -> dict:
        if self.user is not None:
            d = {"id": self.id, "type": "private", "first_name": self.user.first_name}
            for key in ("last_name", "username"):
                if getattr(self.user, key):
                    d[key] = getattr(self.user, key)
            return d
        d = {"id": self.id, "type": self.type, "title": self.title}
        if self.username:
            d["username"] = self.username
        return d


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    kind: str  # photo, document, video, voice, audio, sticker, ...
    data: bytes
    size: int
    file_name: str | None = None
    mime_type: str | None = None
    file_path: str | None = None
    url: str | None = None  # the bot sent an HTTP URL the emulator cannot fetch
    meta: dict = field(default_factory=dict)  # width, height, duration, thumb (photos) ...


_EDITABLE = ("text", "html", "entities", "caption", "caption_html", "caption_entities", "reply_markup",
             "edit_date")


@dataclass
class StoredMessage:
    """A message in a chat, sent by the bot (``from_bot``) or by a simulated user.

    ``text`` / ``caption`` are plain (after entity parsing); ``html`` / ``caption_html`` are what
    the bot sent; ``edits`` holds the previous versions (dicts of the editable fields).
    """

    chat: SimChat
    message_id: int
    date: int
    sender: dict
    from_bot: bool
    kind: str = "text"
    text: str | None = None
    html: str | None = None
    entities: list[dict] = field(default_factory=list)
    caption: str | None = None
    caption_html: str | None = None
    caption_entities: list[dict] = field(default_factory=list)
    reply_markup: dict | None = None  # inline keyboard as Telegram stores it
    reply_keyboard: dict | None = None  # ReplyKeyboardMarkup/Remove/ForceReply sent with it
    media: dict = field(default_factory=dict)  # e.g. {"document": {...}} or {"photo": [...]}
    file: bytes | None = None
    file_id: str | None = None
    reply_to: StoredMessage | None = None
    extra: dict = field(default_factory=dict)  # location, contact, forward_origin, media_group_id...
    edit_date: int | None = None
    edits: list[dict] = field(default_factory=list)
    deleted: bool = False
    params: dict = field(default_factory=dict)  # the request parameters that produced it

    @property
    def chat_id(self) -> int:
        return self.chat.id

    @property
    def buttons(self) -> list[tuple[str, str | None]]:
        """Inline buttons, flattened: (text, callback_data or None)."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [(b["text"], b.get("callback_data")) for row in rows for b in row]

    def snapshot(self) -> dict:
        return {k: copy.deepcopy(getattr(self, k)) for k in _EDITABLE}

    def to_dict(self, *, with_reply: bool = True) -> dict:
        d: dict[str, Any] = {"message_id": self.message_id, "from": self.sender, "date": self.date,
                             "chat": self.chat.to_dict()}
        if self.reply_to is not None and with_reply and not self.reply_to.deleted:
            d["reply_to_message"] = self.reply_to.to_dict(with_reply=False)
        if self.edit_date:
            d["edit_date"] = self.edit_date
        d.update(copy.deepcopy(self.extra))
        if self.text is not None:
            d["text"] = self.text
            if self.entities:
                d["entities"] = copy.deepcopy(self.entities)
        d.update(copy.deepcopy(self.media))
        if self.caption:
            d["caption"] = self.caption
            if self.caption_entities:
                d["caption_entities"] = copy.deepcopy(self.caption_entities)
        if self.reply_markup:
            d["reply_markup"] = copy.deepcopy(self.reply_markup)
        return d

    def __repr__(self) -> str:
        body = self.text if self.text is not None else self.caption
        return (f"<{'bot' if self.from_bot else 'user'} {self.kind} message {self.message_id} in "
                f"{self.chat.id}: {body!r:.60} buttons={self.buttons}>")


class Ids:
    """Counters and identifiers."""

    def __init__(self) -> None:
        self.users = itertools.count(700_000_001)
        self.groups = itertools.count(4_000_001)
        self.updates = itertools.count(500_000_001)
        self.callbacks = itertools.count(4_200_000_000_000_000_001, 7919)
        self.files = itertools.count(1)

    @staticmethod
    def now() -> int:
        return int(time.time())

    def file_ids(self, kind: str) -> tuple[str, str, int]:
        n = next(self.files)
        prefix = {"photo": "AgAC", "document": "BQAC", "video": "BAAC", "voice": "AwAC", "audio": "CQAC",
                  "sticker": "CAAC", "animation": "CgAC", "video_note": "DQAC"}.get(kind, "BQAC")
        rnd = base64.urlsafe_b64encode(os.urandom(24)).decode().rstrip("=")
        uniq = base64.urlsafe_b64encode(os.urandom(9)).decode().rstrip("=")
        return f"{prefix}{rnd}{n}", f"AQAD{uniq}{n}", n
