"""What admins and supervisors read around the figures: range buttons, export offers."""
from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.analytics.period import DateRange, range_last_days, range_today
from bot.render.stats import format_range
from bot.engine.callbacks import Action, pack
from bot.engine.i18n import Translator
from bot.render.text import Reply, esc
from bot.services.review import range_token


def stats_keyboard(t: Translator, shown: DateRange, now) -> InlineKeyboardMarkup:
    """Other ranges at one press, and the charts of the range shown."""
    ranges = [(t("Today"), range_today(now)), (t("7 days"), range_last_days(7, now)),
              (t("30 days"), range_last_days(30, now))]
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(label, callback_data=pack(Action.REVIEW, "stats", range_token(r)))
         for label, r in ranges],
        [InlineKeyboardButton(t("📊 Charts"), callback_data=pack(Action.REVIEW, "chart",
                                                               range_token(shown)))],
    ])


def export_offer(t: Translator, date_range: DateRange, with_contacts: bool) -> Reply:
    """CSV or XLSX without reporters' contacts; admins may also ask for a file with them
    (the ``:c`` buttons), which needs a confirmation."""
    token = range_token(date_range)
    lines = [esc(t("Export the cases received {period}. Choose a format:").format(
        period=format_range(t, date_range)))]
    rows = [[
        InlineKeyboardButton("CSV", callback_data=pack(Action.REVIEW, "export", token, "csv")),
        InlineKeyboardButton("XLSX", callback_data=pack(Action.REVIEW, "export", token, "xlsx")),
    ]]
    if with_contacts:
        lines.append(esc(t("As an admin you may also export the contact details of reporters "
                           "who agreed to be contacted: you will be asked to confirm, and the "
                           "other admins are told.")))
        rows.append([InlineKeyboardButton(t("{format} with contacts").format(format=fmt.upper()),
                                          callback_data=pack(Action.REVIEW, "export", token,
                                                             fmt, "c"))
                     for fmt in ("csv", "xlsx")])
    lines.append(esc(t("Every export is recorded in the audit trail.")))
    return Reply("\n\n".join(lines), InlineKeyboardMarkup(rows))


def export_caption(t: Translator, date_range: DateRange, rows: int) -> str:
    return t.ngettext("{count} case, {period}", "{count} cases, {period}", rows).format(
        count=t.number(rows), period=format_range(t, date_range))


def chart_caption(t: Translator, title: str, date_range: DateRange) -> str:
    return f"{title}, {format_range(t, date_range)}"


def bad_range(t: Translator) -> Reply:
    return Reply(esc(t("I could not read that period. Examples: /statistik, /statistik 30, "
                       "/statistik hari-ini, /statistik 01-11-2026 28-11-2026")))


def not_allowed(t: Translator) -> Reply:
    return Reply(esc(t("Only admins and supervisors of the task force can use this.")))


def ask_case_number(t: Translator) -> Reply:
    return Reply(esc(t("Which case? For example: /riwayat LPG-2611-K7Q4M")))


def unknown_case(t: Translator) -> Reply:
    return Reply(esc(t("No case has that number.")))
