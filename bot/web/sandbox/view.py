"""What the page shows of the emulator's chats: plain dicts, no I/O.

Texts go out as plain text with Telegram's entities (the page builds the formatting from
them with textContent), never as HTML, so nothing a person typed can run in the page."""
from __future__ import annotations

from typing import Any

from bot.web.emulator import StoredMessage

_FILE_KINDS = ("photo", "document", "video", "voice", "audio", "animation", "sticker", "video_note")


def file_of(msg: StoredMessage) -> dict | None:
    """The file a message carries: kind, file_id (the biggest photo size), name, type."""
    for kind in _FILE_KINDS:
        media = msg.media.get(kind)
        if media is None:
            continue
        obj = media[-1] if isinstance(media, list) else media
        return {"kind": kind, "file_id": obj["file_id"], "name": obj.get("file_name"),
                "mime": obj.get("mime_type"), "size": obj.get("file_size")}
    return None


def buttons_of(msg: StoredMessage) -> list[list[dict]]:
    rows = (msg.reply_markup or {}).get("inline_keyboard", [])
    return [[{"text": b["text"], "url": b.get("url"), "callback": "callback_data" in b} for b in row]
            for row in rows]


def message_view(pane: str, msg: StoredMessage) -> dict[str, Any]:
    """One message as the page draws it; ``version`` changes whenever it is edited."""
    reply = msg.reply_to
    return {
        "pane": pane,
        "id": msg.message_id,
        "from_bot": msg.from_bot,
        "sender": msg.sender.get("first_name", ""),
        "date": msg.date,
        "kind": msg.kind,
        "text": msg.text if msg.text is not None else (msg.caption or ""),
        "entities": msg.entities if msg.text is not None else msg.caption_entities,
        "file": file_of(msg),
        "location": msg.extra.get("location"),
        "buttons": buttons_of(msg),
        "reply_to": None if reply is None else {
            "id": reply.message_id, "sender": reply.sender.get("first_name", ""),
            "text": (reply.text or reply.caption or "")[:120]},
        "edited": msg.edit_date is not None,
        "deleted": msg.deleted,
        "version": len(msg.edits),
    }


def chat_views(pane: str, messages: list[StoredMessage]) -> list[dict[str, Any]]:
    return [message_view(pane, m) for m in messages]
