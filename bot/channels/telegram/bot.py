"""The bot's ExtBot, with a lean path for the calls whose returned message nobody reads.

python-telegram-bot turns every message a call returns (sendMessage, editMessageText)
into a ``telegram.Message``, attribute by attribute: about a quarter of a millisecond of
CPU for a prompt with six buttons, as much as the rest of the call's encoding. Most
replies are sent and forgotten (a resident's next question, an edited prompt); only the
chat and the message id are ever read back (officer_scope remembers which messages show a
case). ``send_html`` and ``edit_html`` make the same Bot API call with the same parameters
as ``send_message`` / ``edit_message_text`` (through the same rate limiter and request
objects) and return just those two ids. A keyboard of plain callback buttons is encoded
here too (``keyboard_json``), into the very JSON PTB would make of it.

The lean path is PTB's public ``do_api_request``, which returns the Bot API's result as a
dict, through the same rate limiter and request objects. With PTB's arbitrary callback
data on (ExtBot then rewrites keyboards and reads every returned message) the ordinary
methods are used instead: same call, same result, only the parsing's cost back.
"""
from __future__ import annotations

import logging
import warnings
from typing import Any, NamedTuple

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, ReplyParameters
from telegram.constants import ParseMode
from telegram.ext import ExtBot
from telegram.warnings import PTBUserWarning

log = logging.getLogger(__name__)

# do_api_request suggests the method of the same name whenever one exists; here that
# method is the point, not an oversight: the lean calls skip its parsing on purpose.
warnings.filterwarnings("ignore", r"Please use 'Bot\.(sendMessage|editMessageText)' instead",
                        PTBUserWarning)


class SentMessage(NamedTuple):
    """What is kept of a message the bot sent or edited: where it is."""

    chat_id: int
    message_id: int


# The fields of a button in the PTB this was written for. A plain button (text and
# callback data, nothing else) is encoded here; any other, or a PTB whose buttons have
# other fields, is left to PTB's to_dict().
_BUTTON_FIELDS = frozenset({
    "callback_data", "callback_game", "copy_text", "icon_custom_emoji_id", "login_url", "pay",
    "style", "switch_inline_query", "switch_inline_query_chosen_chat",
    "switch_inline_query_current_chat", "text", "url", "web_app"})
_OTHER_FIELDS = tuple(sorted(_BUTTON_FIELDS - {"text", "callback_data"}))
PLAIN_KEYBOARDS = (frozenset(InlineKeyboardButton.__slots__) == _BUTTON_FIELDS
                   and tuple(InlineKeyboardMarkup.__slots__) == ("inline_keyboard",))


def keyboard_json(markup: InlineKeyboardMarkup | None) -> InlineKeyboardMarkup | dict | None:
    """A keyboard of plain callback buttons as the JSON PTB's ``to_dict()`` makes of it,
    in a thirtieth of the time (to_dict visits every field of every button: 0.2 ms for
    the form's seventeen regions); any other keyboard unchanged, for PTB to encode."""
    if (markup is None or not PLAIN_KEYBOARDS or type(markup) is not InlineKeyboardMarkup
            or markup.api_kwargs or not markup.inline_keyboard):
        return markup
    rows = []
    for row in markup.inline_keyboard:
        if not row:
            return markup
        encoded = []
        for button in row:
            if (type(button) is not InlineKeyboardButton or button.api_kwargs
                    or type(button.callback_data) is not str
                    or any(getattr(button, name) is not None for name in _OTHER_FIELDS)):
                return markup
            encoded.append({"text": button.text, "callback_data": button.callback_data})
        rows.append(encoded)
    return {"inline_keyboard": rows}


class TipBot(ExtBot):
    """ExtBot plus ``send_html`` and ``edit_html`` (see the module's docstring)."""

    # ExtBot defines __slots__; this class adds nothing to an instance.
    __slots__ = ()

    def _lean(self) -> bool:
        return self.callback_data_cache is None

    async def send_html(self, chat_id: int | str, text: str, *,
                        reply_markup: InlineKeyboardMarkup | None = None,
                        reply_parameters: ReplyParameters | None = None,
                        rate_limit_args: dict | None = None) -> SentMessage:
        """``send_message(chat_id, text, parse_mode=HTML, reply_markup=...,
        link_preview_options=None, reply_parameters=...)``, without parsing the result.
        ``rate_limit_args`` (the outbox's priority) go through the public method."""
        if not self._lean() or rate_limit_args is not None:
            return _sent(await self.send_message(
                chat_id, text, parse_mode=ParseMode.HTML, reply_markup=reply_markup,
                link_preview_options=None, reply_parameters=reply_parameters,
                **_limited(rate_limit_args)))
        data: dict[str, Any] = {"chat_id": chat_id, "text": text, "parse_mode": ParseMode.HTML,
                                "reply_markup": keyboard_json(reply_markup),
                                "reply_parameters": reply_parameters}
        return _sent(await self.do_api_request("sendMessage", data))

    async def edit_html(self, chat_id: int | str, message_id: int, text: str, *,
                        reply_markup: InlineKeyboardMarkup | None = None,
                        rate_limit_args: dict | None = None) -> SentMessage:
        """``edit_message_text(text, chat_id=..., message_id=..., parse_mode=HTML,
        reply_markup=...)``, without parsing the result."""
        if not self._lean() or rate_limit_args is not None:
            result = await self.edit_message_text(
                text, chat_id=chat_id, message_id=message_id, parse_mode=ParseMode.HTML,
                reply_markup=reply_markup, **_limited(rate_limit_args))
            return _sent(result) if isinstance(result, Message) else SentMessage(chat_id,
                                                                                 message_id)
        data: dict[str, Any] = {"chat_id": chat_id, "message_id": message_id, "text": text,
                                "parse_mode": ParseMode.HTML,
                                "reply_markup": keyboard_json(reply_markup)}
        result = await self.do_api_request("editMessageText", data)
        return _sent(result) if isinstance(result, dict) else SentMessage(chat_id, message_id)


def _limited(rate_limit_args: dict | None) -> dict:
    return {"rate_limit_args": rate_limit_args} if rate_limit_args is not None else {}


def _sent(result: Message | dict) -> SentMessage:
    if isinstance(result, Message):
        return SentMessage(result.chat_id, result.message_id)
    return SentMessage(result["chat"]["id"], result["message_id"])
