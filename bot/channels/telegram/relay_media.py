"""Sends the file or location an officer relays to a reporter, and a case's stored files
to the officer who asked for them (called by the outbox).

A photo and a voice note go by the channel's file id: a new message from the bot, with no
trace of the officer's account, and Telegram's recompressed photo and in-app voice note
carry no metadata. A document is fetched, cleaned like evidence (bot/storage/scrub.py: author,
GPS, edit times) and sent under a neutral name, so neither its properties nor its file
name say who wrote it.
"""
from __future__ import annotations

from telegram import Bot, InputFile, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.storage.scrub import cleaned_document


async def send_media(bot: Bot, chat_id, media: dict, **limits) -> Message:
    kind, caption = media["kind"], media.get("caption") or None
    if "data" in media:
        # A case's stored file for the officer (📎): cleaned when it was kept, sent as
        # read from the evidence store under its neutral name.
        upload = InputFile(media["data"], filename=media["file_name"])
        send = bot.send_photo if kind == "photo" else bot.send_document
        return await send(chat_id, upload, caption=caption, parse_mode=ParseMode.HTML,
                          **limits)
    if kind == "location":
        return await bot.send_location(chat_id, latitude=media["latitude"],
                                       longitude=media["longitude"], **limits)
    if kind == "photo":
        return await bot.send_photo(chat_id, media["file_id"], caption=caption,
                                    parse_mode=ParseMode.HTML, **limits)
    if kind == "voice":
        return await bot.send_voice(chat_id, media["file_id"], caption=caption,
                                    parse_mode=ParseMode.HTML, **limits)
    telegram_file = await bot.get_file(media["file_id"])
    data = bytes(await telegram_file.download_as_bytearray())
    cleaned = await cleaned_document(data, mime_type=media.get("mime_type"),
                                     file_name=media.get("file_name"))
    if cleaned is None:
        # Only a damaged or oversized file gets here (the type was checked when the officer
        # sent it): refused like a bad request, never sent as it is.
        raise BadRequest("the document could not be cleaned of its metadata")
    return await bot.send_document(chat_id, InputFile(cleaned.data, filename=media["file_name"]),
                                   caption=caption, parse_mode=ParseMode.HTML, **limits)
