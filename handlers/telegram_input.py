"""Telegram messages turned into the form's channel-neutral answers."""
from __future__ import annotations

from telegram import Message

from bot.context import TipContext
from bot.engine.form import Answer, Pin, SharedContact, Typed, Unsupported, Upload
from bot.services.desk import Outgoing
from bot.services.form_flow import Download


def answer_of(message: Message, context: TipContext) -> tuple[Answer, Download | None]:
    """What the person sent, and how to fetch the file if there is one."""
    if message.text is not None:
        return Typed(message.text), None
    if message.location is not None:
        return Pin(message.location.latitude, message.location.longitude), None
    if message.contact is not None:
        return SharedContact(message.contact.phone_number), None
    media = _media(message)
    if media is None:
        return Unsupported(_kind(message)), None
    kind, item, mime, name = media

    async def download() -> bytes:
        telegram_file = await context.bot.get_file(item.file_id)
        return bytes(await telegram_file.download_as_bytearray())

    caption = (message.caption or "").strip() or None
    return Upload(kind=kind, size=item.file_size, mime_type=mime, file_name=name,
                  caption=caption), download


def _media(message: Message):
    if message.photo:
        largest = message.photo[-1]
        return "photo", largest, "image/jpeg", None
    for kind in ("document", "video", "voice", "audio", "video_note"):
        item = getattr(message, kind)
        if item is not None:
            return (kind if kind != "video_note" else "video", item,
                    getattr(item, "mime_type", None), getattr(item, "file_name", None))
    return None


def _kind(message: Message) -> str:
    for kind in ("sticker", "animation", "poll", "dice", "venue", "game"):
        if getattr(message, kind, None) is not None:
            return kind
    return "other"


def outgoing_of(message: Message) -> tuple[Outgoing, int | None]:
    """What an officer sent, as the engine's Outgoing, and its size (files only)."""
    if message.text is not None:
        return Outgoing("text", message.text), None
    if message.location is not None:
        return Outgoing("location", latitude=message.location.latitude,
                        longitude=message.location.longitude), None
    caption = (message.caption or "").strip() or None
    if message.photo:
        largest = message.photo[-1]
        return Outgoing("photo", caption, file_id=largest.file_id), largest.file_size
    for kind in ("document", "voice"):
        item = getattr(message, kind)
        if item is not None:
            return Outgoing(kind, caption, file_id=item.file_id,
                            file_name=getattr(item, "file_name", None),
                            mime_type=item.mime_type), item.file_size
    return Outgoing(_kind(message)), None
