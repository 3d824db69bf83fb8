"""Answering a button press (answerCallbackQuery): best-effort.

The answer only stops the button's spinner or shows a toast; what the press does (a
report sent, a case claimed) is done and committed whatever Telegram says to it. One 5xx
on the answer used to fail the whole update: the resident's report stayed a draft and
nobody told them. A failed answer is logged (the error's type, nothing of the person).
"""
from __future__ import annotations

import logging

from telegram import CallbackQuery
from telegram.error import TelegramError

log = logging.getLogger(__name__)


async def answer_press(query: CallbackQuery, text: str | None = None, *,
                       show_alert: bool = False) -> bool:
    """Answer the press; False when Telegram refused or failed (the work goes on)."""
    try:
        await query.answer(text, show_alert=show_alert)
    except TelegramError as exc:
        log.warning("answering a button press failed (%s); carrying on", type(exc).__name__)
        return False
    return True
