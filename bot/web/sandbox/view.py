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


# WhatsApp's media message types, as the page's file kinds.
_WHATSAPP_FILES = {"image": "photo", "document": "document", "audio": "voice", "video": "video"}


def whatsapp_view(entry: dict, sender: str) -> dict[str, Any]:
    """One message of the WhatsApp pane (the Graph API stand-in's log), drawn like the
    others: its words as WhatsApp shows them (with their *marks*), its reply buttons or
    list rows as buttons, one a row."""
    from bot.web.graph_emulator import readable

    view: dict[str, Any] = {
        "pane": "whatsapp", "id": entry["id"], "from_bot": entry["from_bot"],
        "sender": "" if entry["from_bot"] else sender, "date": entry["date"], "kind": "text",
        "text": "", "entities": [], "file": None, "location": None, "buttons": [],
        "reply_to": None, "edited": False, "deleted": False, "version": 0,
    }
    if entry["from_bot"]:
        payload = entry["payload"]
        kind = payload.get("type")
        view["text"] = readable(payload)
        if kind in _WHATSAPP_FILES:
            # An officer's file, as WhatsApp shows it: the file (served from the stand-in's
            # media by /api/files/wa-<id>) with its caption, if any.
            media = payload[kind]
            view["file"] = {"kind": _WHATSAPP_FILES[kind], "file_id": "wa-" + str(media["id"]),
                            "name": media.get("filename"), "mime": None, "size": None}
            view["text"] = media.get("caption") or ""
        elif kind == "location":
            view["kind"], view["text"] = "location", ""
            view["location"] = {k: payload["location"][k] for k in ("latitude", "longitude")}
        elif kind == "interactive":
            action = payload["interactive"]["action"]
            titles = ([b["reply"]["title"] for b in action.get("buttons") or []]
                      + [r.get("description") or r["title"]
                         for s in action.get("sections") or [] for r in s["rows"]])
            view["buttons"] = [[{"text": title, "url": None, "callback": True}]
                               for title in titles]
        return view
    message = entry["message"]
    kind = message.get("type")
    if kind == "text":
        view["text"] = message["text"]["body"]
    elif kind == "interactive":
        chosen = message["interactive"]
        view["text"] = chosen[chosen["type"]]["title"]
    elif kind == "location":
        view["kind"] = "location"
        view["location"] = {k: message["location"][k] for k in ("latitude", "longitude")}
    else:
        media = message.get(kind) or {}
        view["text"] = "📎 " + (media.get("caption") or media.get("mime_type") or kind)
    return view
