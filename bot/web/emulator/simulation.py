"""What simulated users do (send messages, press buttons, block the bot) and what tests read back.

A mixin of BotApiEmulator. Each user action queues the Update Telegram would send and returns it
(a dict), or None when Telegram would not deliver it to the bot (privacy mode in groups).
"""

from __future__ import annotations

import copy
import hashlib
from typing import Any

from .errors import ApiError
from .files import media_object
from .formatting import Formatted, check_length, detect_entities, format_text
from .state import SimChat, SimUser, StoredMessage


class Simulation:
    # -- people and chats --------------------------------------------------------------------
    def user(self, first_name: str = "Test", *, last_name: str | None = None, username: str | None = None,
             language_code: str | None = "id", started: bool = False) -> SimUser:
        """A new user. ``started=True``: as if they had already written to the bot before."""
        u = SimUser(next(self.ids.users), first_name, last_name, username, language_code,
                    started=started, seen=started)
        self.users[u.id] = u
        self.chats[u.id] = SimChat(u.id, "private", user=u)
        return u

    def group(self, title: str = "Group", *, type: str = "group", username: str | None = None,
              privacy_mode: bool = True, bot_is_admin: bool = False) -> SimChat:
        """A group the bot is a member of (negative id; supergroups get -100... ids)."""
        n = next(self.ids.groups)
        chat_id = -(1_000_000_000_000 + n) if type == "supergroup" else -n
        chat = SimChat(chat_id, type, title=title, username=username, privacy_mode=privacy_mode)
        self.chats[chat_id] = chat
        self.bot_admin[chat_id] = bot_is_admin
        return chat

    def upgrade_group(self, chat: SimChat) -> SimChat:
        """The group becomes a supergroup with a new id; sends to the old id answer 400
        with ``migrate_to_chat_id``."""
        new = self.group(chat.title or "Group", type="supergroup", username=chat.username,
                         privacy_mode=chat.privacy_mode, bot_is_admin=self.bot_admin.get(chat.id, False))
        chat.migrated_to = new.id
        return new

    def block(self, user: SimUser) -> dict:
        """The user blocks the bot: later sends answer 403, a my_chat_member update is queued."""
        user.blocked = True
        return self._member_update(user, "member", "kicked")

    def unblock(self, user: SimUser) -> dict:
        user.blocked = False
        return self._member_update(user, "kicked", "member")

    def _member_update(self, user: SimUser, old: str, new: str) -> dict:
        bot = self.bot.to_dict()
        def member(status):
            return {"status": status, "user": bot, **({"until_date": 0} if status == "kicked" else {})}
        return self._queue("my_chat_member", {
            "chat": self.chats[user.id].to_dict(), "from": user.to_dict(), "date": self.ids.now(),
            "old_chat_member": member(old), "new_chat_member": member(new)})

    # -- messages from users -----------------------------------------------------------------
    def _chat_of(self, user: SimUser, chat: Any) -> SimChat:
        if chat is None:
            return self.chats[user.id]
        return chat if isinstance(chat, SimChat) else self.chats[getattr(chat, "id", chat)]

    def _from_user(self, user: SimUser, chat: Any, kind: str, *, reply_to: Any = None,
                   update_kind: str = "message", **fields) -> dict | None:
        chat = self._chat_of(user, chat)
        if user.blocked and chat.type == "private":
            raise AssertionError(f"{user.first_name} has blocked the bot: call emu.unblock(user) first")
        user.seen = True
        if chat.type == "private":
            user.started = True
        target = self._resolve_message(chat, reply_to) if reply_to is not None else None
        msg = self._store(chat, from_bot=False, sender=user.to_dict(), kind=kind, reply_to=target, **fields)
        if not self._group_delivers(chat, msg):
            return None
        return self._queue(update_kind, msg.to_dict())

    def _group_delivers(self, chat: SimChat, msg: StoredMessage) -> bool:
        """Privacy mode: in groups the bot gets commands and replies to its own messages only."""
        if chat.type == "private" or not chat.privacy_mode:
            return True
        if msg.reply_to is not None and msg.reply_to.from_bot:
            return True
        for e in msg.entities:
            if e["type"] == "bot_command":
                command = msg.text[e["offset"]:e["offset"] + e["length"]]
                if "@" not in command or command.split("@", 1)[1].lower() == self.bot.username.lower():
                    return True
        return False

    def _resolve_message(self, chat: SimChat, message: Any) -> StoredMessage:
        if isinstance(message, StoredMessage):
            return message
        if isinstance(message, dict):
            message = message.get("message", message).get("message_id")
        found = self.messages.get(chat.id, {}).get(message)
        if found is None:
            raise AssertionError(f"no message {message} in chat {chat.id}")
        return found

    def send_text(self, user: SimUser, text: str, *, chat: Any = None, reply_to: Any = None) -> dict | None:
        """A text message; commands ("/start inv_abc") get their bot_command entity."""
        plain = _as_user_text(text)
        return self._from_user(user, chat, "text", reply_to=reply_to, text=plain.text, html=text,
                               entities=plain.entities)

    def _send_file(self, user: SimUser, chat: Any, kind: str, stored, caption: str | None, **kw) -> dict | None:
        cap = {}
        if caption:
            cap = {"caption": caption, "caption_html": caption,
                   "caption_entities": detect_entities(caption, commands=True)}
        return self._from_user(user, chat, kind, media=media_object(stored), file=stored.data,
                               file_id=stored.file_id, **cap, **kw)

    def send_photo(self, user: SimUser, data: bytes = b"\xff\xd8\xff\xe0fake-jpeg", caption: str | None = None,
                   *, chat: Any = None, width: int | None = None, height: int | None = None) -> dict | None:
        return self._send_file(user, chat, "photo", self.files.add_photo(data, width=width, height=height), caption)

    def send_document(self, user: SimUser, data: bytes = b"%PDF-1.4 fake", file_name: str = "document.pdf",
                      mime_type: str | None = None, size: int | None = None, caption: str | None = None,
                      *, chat: Any = None) -> dict | None:
        """``size`` overrides the declared file_size (e.g. 25 MB to test "file is too big")."""
        stored = self.files.add("document", data, size=size, file_name=file_name, mime_type=mime_type)
        return self._send_file(user, chat, "document", stored, caption)

    def send_video(self, user: SimUser, data: bytes = b"fake-mp4", duration: int = 5, caption: str | None = None,
                   *, chat: Any = None, size: int | None = None, width: int = 640, height: int = 480) -> dict | None:
        stored = self.files.add("video", data, size=size, duration=duration, width=width, height=height)
        return self._send_file(user, chat, "video", stored, caption)

    def send_voice(self, user: SimUser, data: bytes = b"OggS fake-voice", duration: int = 3,
                   *, chat: Any = None, size: int | None = None) -> dict | None:
        return self._send_file(user, chat, "voice", self.files.add("voice", data, size=size, duration=duration), None)

    def send_audio(self, user: SimUser, data: bytes = b"ID3 fake-mp3", duration: int = 60,
                   file_name: str = "audio.mp3", *, chat: Any = None) -> dict | None:
        stored = self.files.add("audio", data, duration=duration, file_name=file_name)
        return self._send_file(user, chat, "audio", stored, None)

    def send_sticker(self, user: SimUser, emoji: str = "👍", *, chat: Any = None) -> dict | None:
        return self._send_file(user, chat, "sticker", self.files.add("sticker", b"RIFF fake-webp", emoji=emoji), None)

    def send_location(self, user: SimUser, latitude: float, longitude: float, *, chat: Any = None) -> dict | None:
        return self._from_user(user, chat, "location",
                               extra={"location": {"latitude": float(latitude), "longitude": float(longitude)}})

    def send_contact(self, user: SimUser, phone_number: str, first_name: str, *, last_name: str | None = None,
                     user_id: int | None = None, chat: Any = None) -> dict | None:
        """A shared contact; pass ``user_id=user.id`` for "share my phone number" buttons."""
        contact = {"phone_number": phone_number, "first_name": first_name}
        if last_name:
            contact["last_name"] = last_name
        if user_id is not None:
            contact["user_id"] = user_id
        return self._from_user(user, chat, "contact", extra={"contact": contact})

    def edit_text(self, user: SimUser, message_id: Any, text: str, *, chat: Any = None) -> dict | None:
        """The user edits one of their text messages: an edited_message update."""
        chat = self._chat_of(user, chat)
        msg = self._resolve_message(chat, message_id)
        if msg.from_bot or msg.sender["id"] != user.id or msg.kind != "text":
            raise AssertionError(f"{user.first_name} can only edit their own text messages, not {msg!r}")
        plain = _as_user_text(text)
        msg.edits.append(msg.snapshot())
        msg.text, msg.html, msg.entities = plain.text, text, plain.entities
        msg.edit_date = self.ids.now()
        if not self._group_delivers(chat, msg):
            return None
        return self._queue("edited_message", msg.to_dict())

    # -- buttons -----------------------------------------------------------------------------
    def press(self, user: SimUser, message: Any = None, text: str | None = None, *,
              callback_data: str | None = None, chat: Any = None) -> dict:
        """Press an inline button (by its visible text, or by callback_data) of a bot message.

        ``message``: a StoredMessage, a message id, or None for the newest bot message in the chat
        that has such a button. Queues a callback_query update; the bot must answer it.
        """
        if text is None and callback_data is None:
            raise TypeError("press() needs the button text or callback_data=")
        chat = self._chat_of(user, chat if chat is not None else getattr(message, "chat", None))
        if user.blocked and chat.type == "private":
            raise AssertionError(f"{user.first_name} has blocked the bot")
        candidates = ([self._resolve_message(chat, message)] if message is not None
                      else list(reversed(self.sent(chat))))
        for msg in candidates:
            if msg.deleted or not msg.from_bot:
                continue
            for row in (msg.reply_markup or {}).get("inline_keyboard", []):
                for button in row:
                    if (text is not None and button["text"] == text) or (
                            callback_data is not None and button.get("callback_data") == callback_data):
                        return self._press(user, chat, msg, button)
        wanted = f"text {text!r}" if text is not None else f"callback_data {callback_data!r}"
        seen = {m.message_id: m.buttons for m in candidates if m.buttons}
        raise AssertionError(f"no inline button with {wanted} in chat {chat.id}; buttons: {seen or 'none'}")

    def _press(self, user: SimUser, chat: SimChat, msg: StoredMessage, button: dict) -> dict:
        if "callback_data" not in button:
            raise AssertionError(f"button {button['text']!r} is not a callback button: {button}")
        query_id = str(next(self.ids.callbacks))
        self.callbacks[query_id] = {"answered": False, "time": self._clock(), "user_id": user.id,
                                    "chat_id": chat.id, "message_id": msg.message_id,
                                    "data": button["callback_data"]}
        instance = hashlib.sha1(f"{chat.id}".encode()).hexdigest()[:16]
        return self._queue("callback_query", {
            "id": query_id, "from": user.to_dict(), "message": msg.to_dict(),
            "chat_instance": str(int(instance, 16)), "data": button["callback_data"]})

    @property
    def unanswered_callbacks(self) -> list[dict]:
        """Callback queries the bot has not answered (each: id, data, chat_id, message_id...)."""
        return [{"id": k, **v} for k, v in self.callbacks.items() if not v["answered"]]

    def callback_answer(self, update: dict) -> dict | None:
        """How the bot answered the callback query of ``update`` (text, show_alert, url) or None."""
        return self.callbacks.get(update["callback_query"]["id"])

    # -- reading back ------------------------------------------------------------------------
    def _chat_id(self, chat: Any) -> int:
        return getattr(chat, "id", chat)

    def sent(self, chat: Any, *, include_deleted: bool = False) -> list[StoredMessage]:
        """The bot's messages in a chat, oldest first (current state, after edits)."""
        msgs = self.messages.get(self._chat_id(chat), {}).values()
        return [m for m in msgs if m.from_bot and (include_deleted or not m.deleted)]

    def last(self, chat: Any) -> StoredMessage | None:
        msgs = self.sent(chat)
        return msgs[-1] if msgs else None

    def last_user_message_id(self, chat: Any) -> int:
        """The id of the newest message a user sent in a chat."""
        for msg in reversed(self.history(chat)):
            if not msg.from_bot:
                return msg.message_id
        raise AssertionError(f"no user message in chat {self._chat_id(chat)}")

    def history(self, chat: Any) -> list[StoredMessage]:
        """Every message in a chat, from users and the bot, oldest first."""
        return list(self.messages.get(self._chat_id(chat), {}).values())

    def calls(self, method: str) -> list[dict]:
        """Parameters of every request for one method (case-insensitive), in order."""
        return [params for name, params in self.requests if name.lower() == method.lower()]

    def keyboard(self, chat: Any) -> dict | None:
        """The reply keyboard (ReplyKeyboardMarkup/ForceReply) the bot last set in a chat."""
        return copy.deepcopy(self.keyboards.get(self._chat_id(chat)))

    def file_bytes(self, file_id: str) -> bytes:
        return self.files.by_id[file_id].data

    def assert_clean(self) -> None:
        """No violations, no unhandled methods, no unanswered callback queries."""
        problems = []
        if self.violations:
            problems.append("violations:\n  " + "\n  ".join(self.violations))
        if self.unhandled_methods:
            problems.append(f"unhandled methods: {self.unhandled_methods}")
        if self.unanswered_callbacks:
            problems.append(f"unanswered callback queries: {self.unanswered_callbacks}")
        assert not problems, "\n".join(problems)


def _as_user_text(text: str) -> Formatted:
    """A user's text as Telegram delivers it (trimmed, entities detected); blank or >4096: impossible."""
    try:
        plain = format_text(text, None, None, allow_empty=False, commands=True)
        check_length(plain, caption=False)
    except ApiError as exc:
        raise AssertionError(f"a Telegram user cannot send this text ({exc.description}): "
                             "clients refuse blank messages and split long ones") from None
    return plain
