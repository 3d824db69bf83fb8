"""What a resident reads outside the form: welcome, receipt, status, help."""
from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.engine.callbacks import Action, pack
from bot.engine.i18n import N_, Translator
from bot.engine.labels import category_label, status_label
from bot.render.prevention_menu import prevention_menu_rows
from bot.render.text import Reply, bold, esc, pack_blocks
from models import Report


def main_menu(t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(t("📝 Make a report"), callback_data=pack(Action.MENU, "report"))],
        [InlineKeyboardButton(t("🔎 Check a report"), callback_data=pack(Action.MENU, "status"))],
        [InlineKeyboardButton(t("🆘 Urgent help"), callback_data=pack(Action.MENU, "help"))],
        *prevention_menu_rows(t),
        [InlineKeyboardButton(t("🌐 Language"), callback_data=pack(Action.MENU, "language"))],
    ])


def welcome(t: Translator) -> Reply:
    blocks = [
        "<b>" + esc(t("Welcome to the tip line of the Lampung Migrant Worker Protection "
                      "Task Force (Satgas Perlindungan PMI).")) + "</b>",
        esc(t("Here you can report illegal recruitment of migrant workers: unlicensed "
              "recruiters (calo), fake overseas job offers, forged age or passport "
              "papers, people held before departure, or suspected human trafficking.")),
        "<b>" + esc(t("What happens to your report?")) + "</b>\n" + esc(t(
            "You get a case number and a secret follow-up code. A task-force officer on "
            "duty reviews it, may ask you questions through this bot, and follows it up "
            "with the police, KP2MI/BP3MI or Disnaker when needed.")),
        "<b>" + esc(t("What is stored, and who sees it?")) + "</b>\n" + esc(t(
            "We store your answers and files. You may stay anonymous: officers never see "
            "your Telegram account. Only if you choose to be contactable does the "
            "officer handling your report see the name and number you give. Your "
            "identity is stored encrypted.")),
        esc(t("If someone is in danger right now, press Urgent help.")),
    ]
    return pack_blocks(blocks, main_menu(t))[0]


def hint_menu(t: Translator) -> Reply:
    return Reply(esc(t("What would you like to do? Choose below, or type /lapor to make "
                       "a report.")), main_menu(t))


def _numbers(contacts: list[tuple[str, str]]) -> list[str]:
    return [f"• {esc(name)}: <b>{esc(number)}</b>" for name, number in contacts]


def emergency(t: Translator, contacts: list[tuple[str, str]], *, writing: bool) -> Reply:
    """The emergency numbers, in a message of their own (the form never edits it, so they
    stay in the chat); ``writing``: a report is being written."""
    lines = [bold(t("Urgent help")),
             esc(t("If someone is in danger or about to be sent away, call now:"))]
    lines += _numbers(contacts)
    lines.append(esc(t("Then continue your report here, so the task force can act.") if writing
                     else t("Then report what happened here with /lapor, so the task force "
                            "can act quickly.")))
    return Reply("\n".join(lines))


def receipt(t: Translator, report: Report, followup_code: str,
            contacts: list[tuple[str, str]] = ()) -> Reply:
    blocks = [
        "<b>" + esc(t("Thank you. Your report has been received.")) + "</b>",
        esc(t("Case number:")) + f" <code>{esc(report.case_number)}</code>\n"
        + esc(t("Follow-up code:")) + f" <code>{esc(followup_code)}</code>",
        esc(t("Keep the follow-up code secret and safe. With it you can check this report "
              "from any account with /status. We cannot show it to you again.")),
        "<b>" + esc(t("What happens next?")) + "</b>\n" + esc(t(
            "An officer on duty will review your report. You will be told here when it is "
            "taken up and when it is closed. If the officer has questions, they will write "
            "to you through this bot.")),
    ]
    if report.urgent:
        blocks.append(esc(t("Your report is marked urgent and goes to every officer on duty.")))
        # Said again here: the receipt is what a frightened reporter keeps.
        blocks.append("\n".join([esc(t("If someone is in danger or about to be sent away, "
                                        "call now:")), *_numbers(contacts)]))
    # A reporter's phone may be checked by the very people they report on.
    blocks.append(esc(t("If someone else may look at your phone, you can delete this chat once "
                        "you have noted the case number and the follow-up code somewhere safe. "
                        "We keep handling your report.")))
    return pack_blocks(blocks, main_menu(t))[0]


def new_code(t: Translator, report: Report, followup_code: str) -> Reply:
    return Reply("<b>" + esc(t("New follow-up code for report {code}").format(
        code=report.case_number)) + "</b>\n" + f"<code>{esc(followup_code)}</code>\n\n" + esc(t(
        "The old code no longer works. Keep this one secret and safe; we cannot show it "
        "to you again.")))


def draft_expired(t: Translator, days: int) -> Reply:
    """Told once, when someone whose abandoned report was deleted comes back."""
    return Reply(esc(t.ngettext(
        "Your unfinished report was deleted because it was not continued for {days} day. "
        "If you still want to report, please start again.",
        "Your unfinished report was deleted because it was not continued for {days} days. "
        "If you still want to report, please start again.", days).format(
        days=t.number(days))), main_menu(t))


def receipt_lost(t: Translator, report: Report) -> Reply:
    """When the receipt itself could not be delivered: the report is safe all the same."""
    return Reply("<b>" + esc(t("Your report {code} WAS received and is being handled.").format(
        code=report.case_number)) + "</b>\n" + esc(t(
        "Its follow-up code could not be shown to you. Do not send the report again: open "
        "/status to see it and to get a new follow-up code.")), main_menu(t))


# At most this many "new code" buttons under the list (the newest reports).
NEW_CODE_BUTTONS = 5


def status_list(t: Translator, reports: list[Report]) -> list[Reply]:
    rows = [[InlineKeyboardButton(t("Check with a follow-up code"),
                                  callback_data=pack(Action.MENU, "code"))]]
    rows += [[InlineKeyboardButton(t("🔑 New code for {code}").format(code=report.case_number),
                                   callback_data=pack(Action.MENU, "newcode", report.id))]
             for report in reports[:NEW_CODE_BUTTONS]]
    ask_code = InlineKeyboardMarkup(rows)
    if not reports:
        return [Reply(esc(t("You have not sent any report from this account yet.")), ask_code)]
    blocks = [bold(t("Your reports"))]
    blocks += [_report_line(t, report) for report in reports]
    return pack_blocks(blocks, ask_code)


def _report_line(t: Translator, report: Report) -> str:
    return (f"<code>{esc(report.case_number)}</code> · {esc(t.date(report.created_at))}\n"
            f"{esc(category_label(t, report.category))}\n"
            f"<b>{esc(status_label(t, report.status))}</b>")


def followup_result(t: Translator, report: Report | None) -> Reply:
    if report is None:
        return Reply(esc(t("No report matches that follow-up code. Please check it and try "
                           "again.")))
    updated = report.closed_at or report.last_activity_at
    return Reply(_report_line(t, report) + "\n" + esc(t("Last update: {when}").format(
        when=t.datetime(updated))))


def ask_followup_code(t: Translator) -> Reply:
    return Reply(esc(t("Type your follow-up code (for example XMHJP-DFY43).")))


def language_choice(t: Translator) -> Reply:
    return Reply(esc(t("Choose your language:")), InlineKeyboardMarkup([[
        InlineKeyboardButton("Bahasa Indonesia", callback_data=pack(Action.LANGUAGE, "id")),
        InlineKeyboardButton("English", callback_data=pack(Action.LANGUAGE, "en")),
    ]]))


def language_set(t: Translator) -> Reply:
    return Reply(esc(t("Language changed to English.")), main_menu(t))


def resume_or_restart(t: Translator) -> Reply:
    return Reply(esc(t("You have an unfinished report. Continue where you left off, or "
                       "start again?")), InlineKeyboardMarkup([
        [InlineKeyboardButton(t("Continue"), callback_data=pack(Action.DRAFT, "resume"))],
        [InlineKeyboardButton(t("Start again"), callback_data=pack(Action.DRAFT, "restart"))],
    ]))


def confirm_cancel(t: Translator) -> Reply:
    return Reply(esc(t("Cancel this report? Your answers will be deleted.")),
                 InlineKeyboardMarkup([[
                     InlineKeyboardButton(t("Yes, cancel"), callback_data=pack(Action.DRAFT, "drop")),
                     InlineKeyboardButton(t("No, continue"), callback_data=pack(Action.DRAFT, "resume")),
                 ]]))


def cancelled(t: Translator, had_draft: bool) -> Reply:
    text = t("Your report has been cancelled and its answers deleted.") if had_draft else t(
        "There is nothing to cancel.")
    return Reply(esc(text), main_menu(t))


def case_closed(t: Translator, report: Report) -> Reply:
    """A message written after the reporter's case was closed: it reaches no officer."""
    return Reply(esc(t("Your report {code} is closed ({status}), so this message was not "
                       "passed on to an officer.").format(
        code=report.case_number, status=status_label(t, report.status))) + "\n\n" + esc(t(
        "If something new has happened or you have important information, please make a new "
        "report with /lapor. If someone is in danger now, type /darurat.")), main_menu(t))


def stale_button(t: Translator, *, shows_step: bool) -> str:
    """The answer to an old button; ``shows_step``: the current question is shown with it."""
    if shows_step:
        return t("This button is no longer active. Here is where you are now.")
    return t("This button is no longer active.")


def edited_message(t: Translator) -> Reply:
    return Reply(esc(t("Edited messages are not read. Please send your answer again as a new "
                       "message; before sending the report you can change any answer.")))


def too_many_messages(t: Translator) -> Reply:
    return Reply(esc(t("Please wait a moment. Messages sent too quickly may not have been "
                       "read; please send them again.")))


def _open_private_chat(t: Translator, bot_username: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(
        t("Open a private chat"), url=f"https://t.me/{bot_username}")]])


def private_only(t: Translator, bot_username: str) -> Reply:
    keyboard = _open_private_chat(t, bot_username)
    return Reply(esc(t("For your safety, reports are only taken in a private chat with this "
                       "bot, never in a group.")), keyboard)


def commands_in_private(t: Translator, bot_username: str) -> Reply:
    """A command typed in the task force's group: the answer would name cases."""
    keyboard = _open_private_chat(t, bot_username)
    return Reply(esc(t("Commands are answered only in your private chat with the bot, so that "
                       "no case details reach the group.")), keyboard)


def something_went_wrong(t: Translator) -> Reply:
    return Reply(esc(t("Sorry, something went wrong on our side. Your earlier answers are "
                       "saved; please try again in a moment.")))


def officer_or_form(t: Translator, message_id: int | None) -> Reply:
    """Asked, as a reply to the resident's text (where the channel has replies), when it
    may be meant for an officer."""
    return Reply(esc(t("Is this message for the officer handling your earlier report, or "
                       "an answer to the report you are writing now?")),
                 InlineKeyboardMarkup([
                     [InlineKeyboardButton(t("✉️ For the officer"),
                                           callback_data=pack(Action.DRAFT, "officer"))],
                     [InlineKeyboardButton(t("📝 For the new report"),
                                           callback_data=pack(Action.DRAFT, "form"))],
                 ]), reply_to=message_id)


HELP_LINES = (
    N_("/lapor: make a report, one question at a time. Press a button or type your "
       "answer; you may also type ya, tidak or lewati (skip). ⬅️ Back goes to the previous "
       "question, and before sending you can change any answer."),
    N_("/status: see how your reports are progressing. From another account, type the "
       "follow-up code, for example /status XMHJP-DFY43."),
    N_("/darurat: emergency numbers, if someone is in danger now."),
    N_("/cekagensi: check whether a company or agency is licensed. /cektawaran: check "
       "whether a job offer is safe. /info: how to work abroad safely."),
    N_("/batal: cancel the report you are writing. /bahasa: change the language."),
    N_("When an officer writes to you here, just type your answer."),
)


def how_to_use(t: Translator) -> Reply:
    """/help: what the bot does and how to use it."""
    lines = [bold(t("How to use this bot"))] + [esc(t(line)) for line in HELP_LINES]
    return Reply("\n\n".join(lines), main_menu(t))
