"""TipBot's lean calls (bot/channels/telegram/bot.py): the same Bot API requests as PTB's
send_message / edit_message_text through PTB's public ``do_api_request``, without parsing
the returned message, and the ordinary methods when arbitrary callback data is on."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from telegram import (
    Chat,
    CopyTextButton,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    ReplyParameters,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.channels.telegram import bot as telegram_bot
from bot.channels.telegram.bot import SentMessage, TipBot
from bot.channels.telegram.ratelimit import PriorityRateLimiter
from tests.helpers.harness import TOKEN

KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("Ya", callback_data="f:1:q:ya"),
                                  InlineKeyboardButton("Tidak", callback_data="f:1:q:no")]])


def calls(emu, method: str) -> list[dict]:
    return [r.params for r in emu.requests if r.method == method]


async def _both_ways(emu, bot: TipBot) -> tuple[list, list]:
    """Each call made the lean way and PTB's way; returns (lean results, PTB results)."""
    user = emu.user(first_name="Siti", started=True)
    async with bot:
        question = await bot.send_message(user.id, "Halo")
        answered = ReplyParameters(question.message_id, allow_sending_without_reply=True)
        lean = [await bot.send_html(user.id, "<b>Pertanyaan</b> 1", reply_markup=KEYBOARD),
                await bot.send_html(user.id, "Balasan", reply_parameters=answered)]
        ptb = [await bot.send_message(user.id, "<b>Pertanyaan</b> 1", parse_mode=ParseMode.HTML,
                                      reply_markup=KEYBOARD, link_preview_options=None),
               await bot.send_message(user.id, "Balasan", parse_mode=ParseMode.HTML,
                                      link_preview_options=None, reply_parameters=answered)]
        lean.append(await bot.edit_html(user.id, lean[0].message_id, "<i>Pertanyaan</i> 2",
                                        reply_markup=KEYBOARD))
        ptb.append(await bot.edit_message_text("<i>Pertanyaan</i> 2", chat_id=user.id,
                                               message_id=ptb[0].message_id,
                                               parse_mode=ParseMode.HTML, reply_markup=KEYBOARD))
        # Refusals are PTB's errors either way.
        with pytest.raises(BadRequest, match="not modified"):
            await bot.edit_html(user.id, lean[0].message_id, "<i>Pertanyaan</i> 2",
                                reply_markup=KEYBOARD)
    for sent in lean:
        assert type(sent) is SentMessage and sent.chat_id == user.id
    assert [m.message_id for m in lean] == [lean[0].message_id, lean[0].message_id + 1,
                                            lean[0].message_id]
    assert emu.messages[user.id][lean[0].message_id].text == "Pertanyaan 2"
    assert emu.violations == []
    return lean, ptb


def _same_requests(emu) -> None:
    sends, edits = calls(emu, "sendMessage")[1:], calls(emu, "editMessageText")
    # The lean requests (the first of each pair) are the very ones PTB makes.
    assert sends[0] == sends[2] and sends[1] == sends[3]
    assert edits[0] == edits[2]                         # the refused one: the same again
    assert {**edits[0], "message_id": 0} == {**edits[1], "message_id": 0}
    assert sends[0]["parse_mode"] == "HTML" and "reply_markup" in sends[0]
    assert sends[1]["reply_parameters"]["allow_sending_without_reply"] is True


async def test_lean_calls_make_the_same_requests_and_skip_parsing_the_messages(
        emu, monkeypatch):
    parsed, raw = [], []
    monkeypatch.setattr(TipBot, "send_message", _spy(TipBot.send_message, parsed))
    monkeypatch.setattr(TipBot, "edit_message_text", _spy(TipBot.edit_message_text, parsed))
    monkeypatch.setattr(TipBot, "do_api_request", _spy(TipBot.do_api_request, raw))
    limiter = PriorityRateLimiter()
    bot = TipBot(TOKEN, base_url=emu.base_url, base_file_url=emu.base_file_url,
                 rate_limiter=limiter)
    await _both_ways(emu, bot)
    _same_requests(emu)
    assert len(parsed) == 4          # only PTB's own calls (and "Halo") made a Message
    assert len(raw) == 4             # the lean ones, the refused edit among them


def _spy(method, seen: list):
    async def spy(self, *args, **kwargs):
        seen.append(method.__name__)
        return await method(self, *args, **kwargs)
    return spy


async def test_with_arbitrary_callback_data_the_public_methods_are_used(emu, monkeypatch):
    # ExtBot then swaps each keyboard's data for its cache's keys and reads every returned
    # message: the lean path must leave that to send_message (the cache itself needs
    # cachetools, which this bot does not install).
    monkeypatch.setattr(TipBot, "callback_data_cache", property(lambda self: object()))
    used = []

    async def send_message(self, chat_id, text, **kwargs):
        used.append((chat_id, text, kwargs))
        return Message(41, datetime.now(timezone.utc), Chat(chat_id, "private"), text=text)

    monkeypatch.setattr(TipBot, "send_message", send_message)
    bot = TipBot(TOKEN, base_url=emu.base_url, base_file_url=emu.base_file_url)
    assert await bot.send_html(7, "Pilih", reply_markup=KEYBOARD) == SentMessage(7, 41)
    assert used == [(7, "Pilih", dict(parse_mode=ParseMode.HTML, reply_markup=KEYBOARD,
                                      link_preview_options=None, reply_parameters=None))]
    assert emu.requests == []


def test_a_plain_keyboard_is_encoded_as_ptb_encodes_it_and_any_other_is_left_to_ptb(monkeypatch):
    regions = InlineKeyboardMarkup([[InlineKeyboardButton(f"Kabupaten {i}", callback_data=f"f:1:r:{i}")
                                     for i in range(j, j + 2)] for j in range(0, 17, 2)])
    for plain in (KEYBOARD, regions):
        assert telegram_bot.keyboard_json(plain) == plain.to_dict()
        assert type(telegram_bot.keyboard_json(plain)) is dict
    others = [
        InlineKeyboardMarkup([]),                # PTB leaves an empty keyboard out
        InlineKeyboardMarkup([[InlineKeyboardButton("Peta", url="https://maps.example/x")]]),
        InlineKeyboardMarkup([[InlineKeyboardButton("Ya", callback_data="ya"),
                               InlineKeyboardButton("Salin", copy_text=CopyTextButton("kode"))]]),
        InlineKeyboardMarkup([[InlineKeyboardButton("Ya", callback_data="ya", api_kwargs={"x": 1})]]),
        InlineKeyboardMarkup([[InlineKeyboardButton("Ya", callback_data="ya")]], api_kwargs={"x": 1}),
    ]
    for other in others:
        assert telegram_bot.keyboard_json(other) is other
    assert telegram_bot.keyboard_json(None) is None
    # A PTB whose buttons have fields this module does not know: every keyboard to PTB.
    assert telegram_bot.PLAIN_KEYBOARDS
    monkeypatch.setattr(telegram_bot, "PLAIN_KEYBOARDS", False)
    assert telegram_bot.keyboard_json(KEYBOARD) is KEYBOARD
