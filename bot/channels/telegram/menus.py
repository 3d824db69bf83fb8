"""The command menus Telegram shows: the residents' for everyone, and each officer's own
in their private chat (by role), in Indonesian and English."""
from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import BadRequest, Forbidden

from bot.engine.domain import Role
from bot.engine.i18n import N_, get_translator
from models import Officer

log = logging.getLogger(__name__)

RESIDENT_COMMANDS = [
    ("lapor", N_("Make a report")),
    ("status", N_("Check your reports")),
    ("darurat", N_("Urgent help")),
    ("cekagensi", N_("Check a company or agency")),
    ("cektawaran", N_("Check a job offer")),
    ("info", N_("Working abroad safely")),
    ("bahasa", N_("Change language")),
    ("batal", N_("Cancel the report in progress")),
]
OFFICER_COMMANDS = [
    ("kasus", N_("My open cases")),
    ("antrian", N_("Unclaimed cases")),
    ("jadwal", N_("Duty roster")),
    ("piket", N_("Check in or out of duty")),
    ("batal", N_("Cancel what is being typed")),
]
REVIEW_COMMANDS = [
    ("statistik", N_("Figures and charts")),
    ("ekspor", N_("Export cases (CSV/XLSX)")),
    ("riwayat", N_("A case's history")),
    ("terlapor", N_("Most-reported suspects")),
]
ADMIN_COMMANDS = [("undang", N_("Invite an officer")),
                  ("petugas", N_("Officers: list and deactivate"))]
LANGUAGES = (("id", None), ("en", "en"))


def officer_commands(role: str) -> list[tuple[str, str]]:
    commands = list(OFFICER_COMMANDS)
    if role in (Role.SUPERVISOR, Role.ADMIN):
        commands += REVIEW_COMMANDS
    if role == Role.ADMIN:
        commands += ADMIN_COMMANDS
    return commands


async def publish_resident_menu(bot: Bot) -> None:
    for locale, language_code in LANGUAGES:
        t = get_translator(locale)
        await bot.set_my_commands([BotCommand(name, t(text)) for name, text in RESIDENT_COMMANDS],
                                  language_code=language_code)


async def reset_to_resident_menu(bot: Bot, telegram_user_id: int) -> None:
    """A deactivated officer's own chat shows the residents' commands again."""
    scope = BotCommandScopeChat(telegram_user_id)
    try:
        for locale, language_code in LANGUAGES:
            t = get_translator(locale)
            commands = [BotCommand(name, t(text)) for name, text in RESIDENT_COMMANDS]
            await bot.set_my_commands(commands, scope=scope, language_code=language_code)
    except (BadRequest, Forbidden):
        log.info("no chat with a deactivated officer; their menu was not reset")


async def publish_officer_menu(bot: Bot, officer: Officer) -> None:
    """The officer's commands in their own chat; skipped if they never opened the bot."""
    scope = BotCommandScopeChat(officer.telegram_user_id)
    try:
        for locale, language_code in LANGUAGES:
            t = get_translator(locale)
            commands = [BotCommand(name, t(text)) for name, text in officer_commands(officer.role)]
            await bot.set_my_commands(commands, scope=scope, language_code=language_code)
    except (BadRequest, Forbidden):
        log.info("officer %s has no chat with the bot yet; menu not set", officer.id)
