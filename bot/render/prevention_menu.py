"""The start menu's rows for the prevention tools (kept apart so the menu stays short)."""
from __future__ import annotations

from telegram import InlineKeyboardButton

from bot.engine.callbacks import Action, pack
from bot.engine.i18n import Translator


def prevention_menu_rows(t: Translator) -> list[list[InlineKeyboardButton]]:
    return [
        [InlineKeyboardButton(t("Check a company/agency"),
                              callback_data=pack(Action.PREVENTION, "ask"))],
        [InlineKeyboardButton(t("Check a job offer"),
                              callback_data=pack(Action.PREVENTION, "o", ""))],
        [InlineKeyboardButton(t("Working abroad safely"),
                              callback_data=pack(Action.PREVENTION, "g", "index"))],
    ]
