"""The Bot API methods the emulator implements (``api_<methodName>``), as a mixin of BotApiEmulator.

Every handler gets the request (``req``: notes go to emu.violations) and the parameters already
checked and coerced against the spec. Failures raise ApiError (see errors.py).
"""

from __future__ import annotations

import copy
import json
from typing import Any

from . import rules
from .errors import NOT_MODIFIED, QUERY_TOO_OLD, ApiError, bad_request, expected
from .files import media_object, telegram_type
from .formatting import Formatted, check_length, format_text
from .updates import DEFAULT_UPDATES
from .spec import UploadedFile
from .state import MAX_DOWNLOAD_SIZE, MAX_UPLOAD_SIZE, SimChat, StoredFile, StoredMessage

CALLBACK_QUERY_LIFETIME = 15.0  # seconds after which answerCallbackQuery is "too old"
_MEDIA_METHODS = {"sendPhoto": "photo", "sendDocument": "document", "sendVideo": "video",
                  "sendVoice": "voice", "sendAudio": "audio", "sendAnimation": "animation",
                  "sendSticker": "sticker", "sendVideoNote": "video_note"}
_ALBUM_ONLY_SAME = {"audio", "document"}


class Req:
    """One request being handled."""

    def __init__(self, method: str, params: dict, files: dict[str, UploadedFile] | None = None) -> None:
        self.method = method
        self.params = params
        self.files = files or {}  # multipart parts, for attach://<name> references
        self.notes: list[str] = []

    def note(self, message: str) -> None:
        self.notes.append(message)


class BotMethods:
    # -- chats and messages -----------------------------------------------------------------
    def _find_chat(self, chat_id: Any) -> SimChat | None:
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            return next((c for c in self.chats.values() if c.username and
                         c.username.lower() == chat_id[1:].lower()), None)
        chat = self.chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is not None and chat.user is not None and not chat.user.seen:
            return None  # the bot has never seen this user
        return chat

    def _chat(self, chat_id: Any, *, write: bool = True) -> SimChat:
        chat = self._find_chat(chat_id)
        if chat is None:
            raise expected(400, "Bad Request: chat not found")
        if chat.migrated_to is not None:
            err = expected(400, "Bad Request: group chat was upgraded to a supergroup chat")
            err.parameters = {"migrate_to_chat_id": chat.migrated_to}
            raise err
        if write and chat.user is not None:
            if chat.user.blocked:
                raise expected(403, "Forbidden: bot was blocked by the user")
            if not chat.user.started:
                raise expected(403, "Forbidden: bot can't initiate conversation with a user")
        return chat

    def _message(self, chat: SimChat, message_id: int | None, what: str) -> StoredMessage:
        msg = self.messages.get(chat.id, {}).get(message_id or 0)
        if msg is None or msg.deleted:
            raise expected(400, f"Bad Request: {what} not found")
        return msg

    def _store(self, chat: SimChat, *, from_bot: bool, sender: dict, **fields) -> StoredMessage:
        msg = StoredMessage(chat=chat, message_id=chat.next_message_id, date=self.ids.now(),
                            sender=sender, from_bot=from_bot, **fields)
        chat.next_message_id += 1
        self.messages.setdefault(chat.id, {})[msg.message_id] = msg
        return msg

    def _format(self, req: Req, p: dict, key: str, mode_key: str, ent_key: str, *, caption: bool) -> Formatted:
        chat = self._find_chat(p.get("chat_id"))
        f = format_text(p.get(key) or "", p.get(mode_key), p.get(ent_key), allow_empty=caption,
                        commands=chat is not None and chat.type != "private",
                        resolve_user=self._user_dict)
        for w in f.warnings:
            req.note(f"{key}: {w}")
        check_length(f, caption=caption)
        return f

    def _text(self, req: Req, p: dict) -> Formatted:
        if not p.get("text"):
            raise bad_request("message text is empty")
        return self._format(req, p, "text", "parse_mode", "entities", caption=False)

    def _caption(self, req: Req, p: dict) -> Formatted:
        return self._format(req, p, "caption", "parse_mode", "caption_entities", caption=True)

    def _user_dict(self, user_id: int) -> dict:
        user = self.users.get(user_id)
        return user.to_dict() if user else {"id": user_id, "is_bot": False, "first_name": "Unknown"}

    def _markup(self, req: Req, p: dict, *, inline_only: bool = False) -> tuple[dict | None, dict | None]:
        """(inline keyboard as stored, other reply markup) for the reply_markup parameter."""
        markup = p.get("reply_markup")
        if markup is None:
            return None, None
        if "inline_keyboard" in markup:
            stored, warnings = rules.check_inline_keyboard(markup)
            for w in warnings:
                req.note(w)
            return stored, None
        if inline_only:
            raise bad_request("inline keyboard expected")
        for w in rules.check_reply_keyboard(markup):
            req.note(w)
        return None, markup

    def _reply_to(self, chat: SimChat, p: dict) -> StoredMessage | None:
        rp = p.get("reply_parameters")
        if not rp:
            return None
        target = self._chat(rp["chat_id"], write=False) if rp.get("chat_id") is not None else chat
        msg = self.messages.get(target.id, {}).get(rp["message_id"])
        if (msg is None or msg.deleted) and not rp.get("allow_sending_without_reply"):
            raise expected(400, "Bad Request: message to be replied not found")
        return msg if msg is not None and not msg.deleted and target is chat else None

    def _bot_message(self, req: Req, p: dict, chat: SimChat, kind: str, **fields) -> StoredMessage:
        inline, keyboard = fields.pop("markup", (None, None))
        reply_to = self._reply_to(chat, p)
        msg = self._store(chat, from_bot=True, sender=self.bot.to_dict(), kind=kind, reply_to=reply_to,
                          reply_markup=inline, reply_keyboard=keyboard, params=dict(p), **fields)
        if keyboard is not None:
            self.keyboards[chat.id] = None if "remove_keyboard" in keyboard else keyboard
        return msg

    # -- files ----------------------------------------------------------------------------
    def _input_file(self, req: Req, value: Any, kind: str) -> StoredFile:
        if isinstance(value, str) and value.startswith("attach://"):
            name = value[len("attach://"):]
            if name not in req.files:
                raise bad_request("wrong file identifier/HTTP URL specified", detail=f"no file part {name!r}")
            value = req.files[name]
        if isinstance(value, UploadedFile):
            if not value.data:
                raise bad_request("file must be non-empty")
            if len(value.data) > MAX_UPLOAD_SIZE:
                raise ApiError(413, "Request Entity Too Large")
            if kind == "photo":
                return self.files.add_photo(value.data)
            return self.files.add(kind, value.data, file_name=value.filename,
                                  mime_type=value.content_type if kind != "photo" else None)
        if isinstance(value, str) and value.lower().startswith(("http://", "https://")):
            return self.files.add(kind, b"", url=value, file_name=value.rsplit("/", 1)[-1] or None)
        f = self.files.by_id.get(value)
        if f is None:
            raise bad_request("wrong file identifier/HTTP URL specified", detail=f"unknown file_id {value!r}")
        if (f.kind == "photo") != (kind == "photo"):
            raise bad_request(f"can't use file of type {telegram_type(f.kind)} as {telegram_type(kind)}")
        return f

    def _media_fields(self, f: StoredFile) -> dict:
        return {"media": media_object(f), "file": f.data, "file_id": f.file_id}

    # -- getting updates --------------------------------------------------------------------
    async def api_getUpdates(self, req: Req, p: dict) -> list[dict]:
        if self.webhook_url:
            raise expected(409, "Conflict: can't use getUpdates method while webhook is active; "
                                "use deleteWebhook to delete the webhook first")
        offset = p.get("offset", 0)
        limit = min(max(p.get("limit", 100), 1), 100)
        timeout = min(max(p.get("timeout", 0), 0), 50)
        if timeout > 0:
            self._long_polling = True  # an Updater: settle() waits for its offset to confirm updates
        if "allowed_updates" in p:
            self.allowed_updates = set(p["allowed_updates"]) or set(DEFAULT_UPDATES)
        return await self._poll(offset, limit, timeout)

    def api_deleteWebhook(self, req: Req, p: dict) -> bool:
        self.webhook_url, self.webhook_secret = "", None
        if p.get("drop_pending_updates"):
            self._drop_pending()
        return True

    def api_setWebhook(self, req: Req, p: dict) -> bool:
        if p.get("drop_pending_updates"):
            self._drop_pending()
        if "allowed_updates" in p:
            self.allowed_updates = set(p["allowed_updates"]) or set(DEFAULT_UPDATES)
        self._set_webhook(p)
        return True

    def api_getWebhookInfo(self, req: Req, p: dict) -> dict:
        info = {"url": self.webhook_url, "has_custom_certificate": False,
                "pending_update_count": len(self.pending_updates)}
        return info

    # -- bot identity and settings -----------------------------------------------------------
    def api_getMe(self, req: Req, p: dict) -> dict:
        me = self.bot.to_dict()
        for f in self.spec.types["User"]["fields"]:
            if "Returned only in getMe" in f["description"] and f["types"] == ["Boolean"]:
                me[f["name"]] = f["name"] == "can_join_groups"
        return me

    def api_logOut(self, req: Req, p: dict) -> bool:
        return True

    def api_close(self, req: Req, p: dict) -> bool:
        return True

    def _commands_key(self, p: dict) -> str:
        scope = p.get("scope") or {"type": "default"}
        return json.dumps([scope, p.get("language_code", "")], sort_keys=True)

    def api_setMyCommands(self, req: Req, p: dict) -> bool:
        rules.check_commands(p["commands"])
        self.commands[self._commands_key(p)] = copy.deepcopy(p["commands"])
        return True

    def api_getMyCommands(self, req: Req, p: dict) -> list[dict]:
        return copy.deepcopy(self.commands.get(self._commands_key(p), []))

    def api_deleteMyCommands(self, req: Req, p: dict) -> bool:
        self.commands.pop(self._commands_key(p), None)
        return True

    def api_setChatMenuButton(self, req: Req, p: dict) -> bool:
        if p.get("chat_id") is not None:
            self._chat(p["chat_id"], write=False)
        self.menu_buttons[p.get("chat_id")] = p.get("menu_button") or {"type": "default"}
        return True

    def api_getChatMenuButton(self, req: Req, p: dict) -> dict:
        button = self.menu_buttons.get(p.get("chat_id")) or self.menu_buttons.get(None)
        return copy.deepcopy(button or {"type": "commands"})

    def api_getChat(self, req: Req, p: dict) -> dict:
        chat = self._chat(p["chat_id"], write=False)
        info = chat.to_dict()
        info.update(accent_color_id=0, max_reaction_count=11,
                    accepted_gift_types={"unlimited_gifts": True, "limited_gifts": True, "unique_gifts": True,
                                         "premium_subscription": True, "gifts_from_channels": True})
        return info

    # -- sending ---------------------------------------------------------------------------
    def api_sendMessage(self, req: Req, p: dict) -> dict:
        f = self._text(req, p)
        markup = self._markup(req, p)
        chat = self._chat(p["chat_id"])
        msg = self._bot_message(req, p, chat, "text", text=f.text, html=p["text"], entities=f.entities,
                                markup=markup)
        return msg.to_dict()

    def _send_media(self, req: Req, p: dict, kind: str) -> dict:
        cap = self._caption(req, p)
        markup = self._markup(req, p)
        stored = self._input_file(req, p[kind], kind)
        if kind in ("video", "voice", "audio", "animation", "video_note") and "duration" in p:
            stored.meta.setdefault("duration", p["duration"])
        chat = self._chat(p["chat_id"])
        msg = self._bot_message(req, p, chat, kind, caption=cap.text or None, caption_html=p.get("caption"),
                                caption_entities=cap.entities, markup=markup, **self._media_fields(stored))
        return msg.to_dict()

    def api_sendPhoto(self, req: Req, p: dict) -> dict:
        return self._send_media(req, p, "photo")

    def api_sendDocument(self, req: Req, p: dict) -> dict:
        return self._send_media(req, p, "document")

    def api_sendVideo(self, req: Req, p: dict) -> dict:
        return self._send_media(req, p, "video")

    def api_sendVoice(self, req: Req, p: dict) -> dict:
        return self._send_media(req, p, "voice")

    def api_sendAudio(self, req: Req, p: dict) -> dict:
        return self._send_media(req, p, "audio")

    def api_sendLocation(self, req: Req, p: dict) -> dict:
        markup = self._markup(req, p)
        if not (-90 <= p["latitude"] <= 90 and -180 <= p["longitude"] <= 180):
            raise bad_request("wrong location specified")
        chat = self._chat(p["chat_id"])
        location = {"latitude": p["latitude"], "longitude": p["longitude"]}
        msg = self._bot_message(req, p, chat, "location", markup=markup, extra={"location": location})
        return msg.to_dict()

    def api_sendMediaGroup(self, req: Req, p: dict) -> list[dict]:
        items = p["media"]
        if len(items) > 10:
            raise bad_request("too many messages to send as an album")
        if not items:
            raise bad_request("there are no messages to send")
        if len(items) == 1:
            req.note("media: a media group must include 2-10 items (got 1)")
        kinds = {item["type"] for item in items}
        for kind in kinds & _ALBUM_ONLY_SAME:
            if len(kinds) > 1:
                raise bad_request(f"{kind} can't be mixed with other media types")
        prepared = []
        for item in items:
            cap = self._format(req, item, "caption", "parse_mode", "caption_entities", caption=True)
            prepared.append((item, cap, self._input_file(req, item["media"], item["type"])))
        chat = self._chat(p["chat_id"])
        group_id = str(next(self.ids.files) * 7919 + 13_000_000_000_000_000)
        result = []
        for item, cap, stored in prepared:
            msg = self._bot_message(req, p, chat, item["type"], caption=cap.text or None,
                                    caption_html=item.get("caption"), caption_entities=cap.entities,
                                    extra={"media_group_id": group_id}, **self._media_fields(stored))
            result.append(msg.to_dict())
        return result

    def api_sendChatAction(self, req: Req, p: dict) -> bool:
        if p["action"].lower() not in rules.CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        chat = self._chat(p["chat_id"])
        self.chat_actions.append((chat.id, p["action"]))
        return True

    def _copy_source(self, p: dict, what: str) -> StoredMessage:
        source_chat = self._chat(p["from_chat_id"], write=False)
        return self._message(source_chat, p["message_id"], what)

    def api_copyMessage(self, req: Req, p: dict) -> dict:
        src = self._copy_source(p, "message to copy")
        cap = self._caption(req, p) if "caption" in p else None
        markup = self._markup(req, p)
        chat = self._chat(p["chat_id"])
        fields = {k: copy.deepcopy(getattr(src, k)) for k in
                  ("text", "html", "entities", "caption", "caption_html", "caption_entities", "media", "file",
                   "file_id")}
        fields["extra"] = {k: v for k, v in copy.deepcopy(src.extra).items() if k != "forward_origin"}
        if cap is not None:
            fields.update(caption=cap.text or None, caption_html=p.get("caption"), caption_entities=cap.entities)
        msg = self._bot_message(req, p, chat, src.kind, markup=markup, **fields)
        return {"message_id": msg.message_id}

    def api_forwardMessage(self, req: Req, p: dict) -> dict:
        src = self._copy_source(p, "message to forward")
        chat = self._chat(p["chat_id"])
        fields = {k: copy.deepcopy(getattr(src, k)) for k in
                  ("text", "html", "entities", "caption", "caption_html", "caption_entities", "media", "file",
                   "file_id")}
        if src.chat.type == "private" or not src.from_bot:
            origin = {"type": "user", "date": src.date, "sender_user": src.sender}
        else:
            origin = {"type": "chat", "date": src.date, "sender_chat": src.chat.to_dict()}
        fields["extra"] = {**copy.deepcopy(src.extra), "forward_origin": origin}
        msg = self._bot_message(req, p, chat, src.kind, **fields)
        return msg.to_dict()

    # -- editing ---------------------------------------------------------------------------
    def _editable(self, p: dict) -> StoredMessage:
        if p.get("inline_message_id"):
            raise bad_request("MESSAGE_ID_INVALID", detail="inline messages are not emulated")
        if p.get("chat_id") is None or not p.get("message_id"):
            raise bad_request("message identifier is not specified")
        chat = self._chat(p["chat_id"])
        msg = self._message(chat, p["message_id"], "message to edit")
        if not msg.from_bot:
            raise bad_request("message can't be edited", detail=f"message {msg.message_id} was sent by a user")
        return msg

    def _apply_edit(self, msg: StoredMessage, changes: dict, source: dict | None = None) -> dict:
        """Apply ``changes`` (compared for "not modified") and ``source`` (the HTML as sent)."""
        if all(getattr(msg, k) == v for k, v in changes.items()):
            raise expected(400, f"Bad Request: {NOT_MODIFIED}")
        msg.edits.append(msg.snapshot())
        for k, v in {**changes, **(source or {})}.items():
            setattr(msg, k, v)
        msg.edit_date = self.ids.now()
        return msg.to_dict()

    def api_editMessageText(self, req: Req, p: dict) -> dict:
        f = self._text(req, p)
        inline, _ = self._markup(req, p, inline_only=True)
        msg = self._editable(p)
        if msg.kind != "text":
            raise bad_request("there is no text in the message to edit")
        return self._apply_edit(msg, {"text": f.text, "entities": f.entities, "reply_markup": inline},
                                {"html": p["text"]})

    def api_editMessageCaption(self, req: Req, p: dict) -> dict:
        cap = self._caption(req, p)
        inline, _ = self._markup(req, p, inline_only=True)
        msg = self._editable(p)
        if msg.kind in ("text", "location", "contact", "sticker"):
            raise bad_request("there is no caption in the message to edit")
        return self._apply_edit(msg, {"caption": cap.text or None, "caption_entities": cap.entities,
                                      "reply_markup": inline}, {"caption_html": p.get("caption")})

    def api_editMessageReplyMarkup(self, req: Req, p: dict) -> dict:
        inline, _ = self._markup(req, p, inline_only=True)
        msg = self._editable(p)
        return self._apply_edit(msg, {"reply_markup": inline})

    def api_deleteMessage(self, req: Req, p: dict) -> bool:
        chat = self._chat(p["chat_id"], write=False)
        msg = self._message(chat, p["message_id"], "message to delete")
        if not msg.from_bot and chat.type != "private" and not self.bot_admin.get(chat.id):
            raise expected(400, "Bad Request: message can't be deleted")
        msg.deleted = True
        return True

    # -- callbacks and files -----------------------------------------------------------------
    def api_answerCallbackQuery(self, req: Req, p: dict) -> bool:
        rules.check_callback_answer_text(p.get("text"))
        query = self.callbacks.get(p["callback_query_id"])
        if query is None or query["answered"] or self._clock() - query["time"] > CALLBACK_QUERY_LIFETIME:
            raise expected(400, f"Bad Request: {QUERY_TOO_OLD}")
        query.update(answered=True, text=p.get("text"), show_alert=p.get("show_alert", False),
                     url=p.get("url"))
        return True

    def api_getFile(self, req: Req, p: dict) -> dict:
        f = self.files.by_id.get(p["file_id"])
        if f is None:
            raise bad_request("invalid file_id", detail=f"unknown file_id {p['file_id']!r}")
        if f.size > MAX_DOWNLOAD_SIZE:
            raise expected(400, "Bad Request: file is too big")
        return {"file_id": f.file_id, "file_unique_id": f.file_unique_id, "file_size": f.size,
                "file_path": self.files.path_of(f)}
