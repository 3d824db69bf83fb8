"""What an officer reads about their own desk: the /start menu, help, quick replies, the
offer to send what they typed, and the admins' list of officers. Pure: values in, Reply out."""
from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.storage import scrub
from bot.engine.callbacks import Action, pack
from bot.engine.i18n import N_, Translator
from bot.render.text import Reply, bold, esc, truncate
from bot.services.desk import Kept, Overview
from models import Officer, Report

CANNED_LABEL_CHARS = 40
# Residents' commands an officer may still use, shown in their help.
AS_RESIDENT = (("lapor", N_("Make a report yourself, as a resident")),)


def canned_rows(t: Translator, report: Report, replies: list[str]) -> list[list[InlineKeyboardButton]]:
    """One button a quick reply; the data names its index, never its words (64 bytes)."""
    return [[InlineKeyboardButton("💬 " + truncate(reply, CANNED_LABEL_CHARS),
                                  callback_data=pack(Action.CASE, "qr", report.card_token, i))]
            for i, reply in enumerate(replies)]


def quick_reply_preview(t: Translator, report: Report, index: str, text: str,
                        digest: str) -> Reply:
    """A quick reply's whole text, as the reporter will read it, before it goes."""
    head = t("The reporter of case {code} will read this message:").format(
        code=report.case_number)
    return Reply(esc(head) + "\n\n" + "<blockquote>" + esc(text) + "</blockquote>",
                 InlineKeyboardMarkup([[
                     InlineKeyboardButton(t("✉️ Send"), callback_data=pack(
                         Action.CASE, "qrs", report.card_token, index, digest)),
                     InlineKeyboardButton(t("✖️ Cancel"), callback_data=pack(
                         Action.CASE, "qrx", report.card_token)),
                 ]]))


def quick_reply_sent(t: Translator, report: Report) -> Reply:
    return Reply(esc(t("Your message is on its way to the reporter of case {code}.")
                     .format(code=report.case_number)))


def quick_reply_cancelled(t: Translator) -> str:
    return t("Not sent.")


def canned_sent(t: Translator, report: Report, text: str) -> str:
    """The toast after a quick reply was queued."""
    return truncate(t("Sent to the reporter of case {code}: {text}").format(
        code=report.case_number, text=text), 190)


def _commands(t: Translator, commands: list[tuple[str, str]]) -> list[str]:
    return ["/" + name + " · " + esc(t(text)) for name, text in commands]


def officer_help(t: Translator, commands: list[tuple[str, str]]) -> Reply:
    """The short help an officer gets for a message the bot cannot place."""
    lines = [bold(t("Officer commands")), *_commands(t, commands),
             *_commands(t, list(AS_RESIDENT)), "",
             esc(t("To write to a reporter, open the case (/kasus) and press "
                   "✉️ Message reporter; then send text, a photo, a document, a voice "
                   "note or a location."))]
    return Reply("\n".join(lines))


def officer_menu(t: Translator, officer: Officer, overview: Overview,
                 commands: list[tuple[str, str]], *, nothing_cancelled: bool = False) -> Reply:
    """An officer's /start (and /batal with nothing to cancel): their desk at a glance,
    then their commands."""
    duty = t("on duty") if overview.on_duty else t("not on duty")
    lines = [
        *([esc(t("There is nothing to cancel: you are not typing a note, a reason or a "
                 "message.")), ""] if nothing_cancelled else []),
        bold(t("Welcome back, {name}.").format(name=officer.name)),
        esc(t.ngettext("You hold {n} open case.", "You hold {n} open cases.",
                       overview.open_cases).format(n=t.number(overview.open_cases))),
        esc(t.ngettext("{n} case is waiting to be claimed.", "{n} cases are waiting to be "
                       "claimed.", overview.queue).format(n=t.number(overview.queue))),
        esc(t("Duty: {state} (/piket to change).").format(state=duty)),
        "",
        *_commands(t, commands),
        *_commands(t, list(AS_RESIDENT)),
    ]
    keyboard = InlineKeyboardMarkup([[
        InlineKeyboardButton(t("📂 My cases"), callback_data=pack(Action.DESK, "cases")),
        InlineKeyboardButton(t("📥 Queue"), callback_data=pack(Action.DESK, "queue")),
    ]])
    return Reply("\n".join(lines), keyboard)


def offer_to_send(t: Translator, report: Report, count: int) -> Reply:
    """Asked after an officer sent something without choosing where it goes."""
    if count == 1:   # "Kirim 1 pesan ini" reads as a counted artefact: one is "this message"
        text = t("Send this message to the reporter of case {code}, your one open case?").format(
            code=report.case_number)
    else:
        text = t.ngettext(
            "Send {n} message to the reporter of case {code}, your one open case?",
            "Send {n} messages to the reporter of case {code}, your one open case?",
            count).format(n=t.number(count), code=report.case_number)
    return Reply(esc(text), _offer_buttons(t, report))


def kept_again(t: Translator, report: Report, count: int) -> Reply:
    """The offer again, after the officer did something else (a reason, a note) first."""
    text = t.ngettext(
        "Your earlier message for the reporter of case {code} has not been sent yet. "
        "Send it now?",
        "Your {n} earlier messages for the reporter of case {code} have not been sent yet. "
        "Send them now?", count).format(n=t.number(count), code=report.case_number)
    return Reply(esc(text), _offer_buttons(t, report))


def kept_lost(t: Translator, kept: Kept) -> Reply:
    """Kept words that can no longer go: their case closed, or left the officer."""
    n, code = t.number(kept.count), kept.report.case_number
    if kept.lost == "unreadable":
        text = t.ngettext(
            "Your earlier message for case {code} was lost: it was kept encrypted with a key "
            "that is no longer set, so it cannot be read or sent. The reporter will not see "
            "it; please write it again.",
            "Your {n} earlier messages for case {code} were lost: they were kept encrypted "
            "with a key that is no longer set, so they cannot be read or sent. The reporter "
            "will not see them; please write them again.", kept.count)
    elif kept.lost == "closed":
        text = t.ngettext(
            "Your earlier message was not sent: case {code} is closed. The reporter will "
            "not see it.",
            "Your {n} earlier messages were not sent: case {code} is closed. The reporter "
            "will not see them.", kept.count)
    else:
        text = t.ngettext(
            "Your earlier message was not sent: case {code} is no longer in your hands. "
            "The reporter will not see it.",
            "Your {n} earlier messages were not sent: case {code} is no longer in your "
            "hands. The reporter will not see them.", kept.count)
    return Reply(esc(text.format(n=n, code=code)))


def _offer_buttons(t: Translator, report: Report) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(t("✉️ Send to the reporter"),
                             callback_data=pack(Action.CASE, "offer", report.card_token, "send")),
        InlineKeyboardButton(t("✖️ Do not send"),
                             callback_data=pack(Action.CASE, "offer", report.card_token, "drop")),
    ]])


def kept_dropped(t: Translator) -> Reply:
    return Reply(esc(t("Not sent. The reporter will not see it.")))


def nothing_kept(t: Translator) -> str:
    return t("Nothing is waiting to be sent any more.")


def wrong_input(t: Translator) -> Reply:
    """A file or location where the bot waits for typed words (a reason, a note)."""
    return Reply(esc(t("Please type it as text (or /batal to cancel).")))


def _reporter_label(t: Translator, report: Report) -> str:
    return bold(t("Task-force officer, case {code}:").format(code=report.case_number))


def media_caption(t: Translator, report: Report, caption: str | None) -> str:
    """A file's caption for the reporter: the case number only, the officer's words, and
    how to answer (HTML, within Telegram's 1024)."""
    parts = [_reporter_label(t, report)]
    if caption:
        parts.append(esc(truncate(caption, 800)))
    parts.append(esc(t("To answer, just type your message here.")))
    return "\n".join(parts)


def location_label(t: Translator, report: Report) -> str:
    """The message just before a location the officer sends (a pin has no caption)."""
    return _reporter_label(t, report) + "\n" + esc(t("📍 A location from the officer:"))


def officer_file_name(report: Report, mime_type: str | None, file_name: str | None) -> str:
    """A neutral name for an officer's document: the officer's own file name may name them."""
    extension = scrub.extension_for(scrub.named_type(mime_type, file_name), "document")
    return f"{report.case_number}-satgas{extension}"


REFUSALS = {
    "too_big": N_("This file is too big to pass on (at most {mb} MB)."),
    "not_cleanable": N_("This kind of document cannot be cleaned of what it says about who "
                        "made it, so it is not passed on. Send it as a PDF, a picture or an "
                        "Office file."),
    "unsupported": N_("This kind of message cannot be passed on. Send text, a photo, a "
                      "document, a voice note or a location."),
}


def refused(t: Translator, code: str, max_mb: int) -> Reply:
    return Reply(esc(t(REFUSALS[code]).format(mb=t.number(max_mb))))


def _staff(verb: str, officer: Officer) -> str:
    return pack(Action.DESK, "staff", verb, officer.id)


def staff_list(t: Translator, officers: list[Officer], *, me: Officer,
               on_duty: set[int]) -> Reply:
    """/petugas: every officer, with a button to deactivate each active one but oneself."""
    lines = [bold(t("Officers"))]
    rows = []
    for officer in officers[:60]:
        state = (t("active") if officer.active else t("deactivated"))
        if officer.active and officer.id in on_duty:
            state += ", " + t("on duty")
        lines.append(esc(officer.name) + " · " + esc(t(ROLE_NAMES.get(officer.role, officer.role)))
                     + " · " + esc(state))
        if officer.active and officer.id != me.id and len(rows) < 40:
            rows.append([InlineKeyboardButton(
                t("🚫 Deactivate {name}").format(name=truncate(officer.name, 30)),
                callback_data=_staff("ask", officer))])
    return Reply("\n".join(lines), InlineKeyboardMarkup(rows) if rows else None)


ROLE_NAMES = {"officer": N_("officer"), "supervisor": N_("supervisor"), "admin": N_("admin")}


def staff_confirm(t: Translator, officer: Officer, open_cases: int) -> Reply:
    text = t.ngettext(
        "Deactivate {name}? They stop receiving cases at once, their commands stop working, "
        "and their {n} open case goes back to the queue.",
        "Deactivate {name}? They stop receiving cases at once, their commands stop working, "
        "and their {n} open cases go back to the queue.", open_cases).format(
        name=officer.name, n=t.number(open_cases))
    return Reply(esc(text), InlineKeyboardMarkup([[
        InlineKeyboardButton(t("✅ Yes, deactivate"), callback_data=_staff("ok", officer)),
        InlineKeyboardButton(t("✖️ Cancel"), callback_data=_staff("no", officer)),
    ]]))


def staff_deactivated(t: Translator, name: str, released: int) -> Reply:
    return Reply(esc(t.ngettext(
        "{name} is deactivated; {n} case went back to the queue.",
        "{name} is deactivated; {n} cases went back to the queue.", released).format(
        name=name, n=t.number(released))))


def staff_kept(t: Translator, name: str) -> Reply:
    return Reply(esc(t("{name} stays active.").format(name=name)))


def staff_refused(t: Translator) -> str:
    return t("Not possible: only admins deactivate, never themselves, and only active officers.")
