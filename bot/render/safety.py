"""What reporter safety makes people read: an officer who left, the group's minimal
notice, refused views, quotas and pauses. Pure: domain values in, Reply out."""
from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.analytics.period import DateRange
from bot.render.stats import format_range
from bot.engine.callbacks import Action, pack
from bot.engine.i18n import N_, Translator
from bot.engine.labels import category_label, region_label, status_label
from bot.engine.regions import RegionList
from bot.render import form as form_view
from bot.render import officer as officer_view
from bot.render.text import Reply, bold, esc
from bot.services.review import range_token
from models import Report


def officer_left(t: Translator, name: str, case_numbers: list[str]) -> Reply:
    """To supervisors and admins: an officer was deactivated; their cases are queued again."""
    head = bold(t("{name} no longer works cases (deactivated).").format(name=name))
    if not case_numbers:
        return Reply(head + "\n" + esc(t("They held no open case.")))
    body = t.ngettext("{n} open case is back in the queue and was sent to the officers on "
                      "duty:", "{n} open cases are back in the queue and were sent to the "
                      "officers on duty:", len(case_numbers)).format(n=t.number(len(case_numbers)))
    codes = ", ".join(f"<code>{esc(code)}</code>" for code in case_numbers)
    return Reply(head + "\n" + esc(body) + " " + codes)


REFUSALS = {
    "no_access": N_("This case was not routed to you and is outside your region. "
                    "The attempt was recorded."),
}


def refusal_text(t: Translator, code: str) -> str:
    """The short answer to a refused case button."""
    return t(REFUSALS[code]) if code in REFUSALS else officer_view.error_text(t, code)


def group_notice(t: Translator, report: Report, regions: RegionList) -> Reply:
    """The task-force group's card: number, category, region, urgency, status. Never the
    chronology, names, phones or files: not every member of the group works this case."""
    head = ("🚨 " if report.urgent else "") + bold(t("Case")) + \
        f" <code>{esc(report.case_number)}</code>"
    lines = [
        head,
        esc(t("Category:")) + " " + esc(category_label(t, report.category)),
        esc(t("Region:")) + " " + esc(region_label(t, report.region_code, regions)),
        esc(t("Urgent:")) + " " + esc(t("yes") if report.urgent else t("no")),
        esc(t("Status:")) + " " + esc(status_label(t, report.status)),
        esc(t("Details reach the officers it is routed to, in their private chat.")),
    ]
    return Reply("\n".join(lines))


def private_chat_only(t: Translator) -> str:
    """A review or export button pressed outside the requester's private chat."""
    return t("Figures and exports are only sent in your private chat with the bot. "
             "Open it and use the command there.")


def confirm_contacts_export(t: Translator, date_range: DateRange, fmt: str) -> Reply:
    """The second question before a file with reporters' names and numbers is made."""
    text = t("This {format} file will contain the names and phone numbers of reporters who "
             "agreed to be contacted, for the cases received {period}. Anyone who gets the "
             "file can identify them. The other admins will be told. Send it?").format(
        format=fmt.upper(), period=format_range(t, date_range))
    button = InlineKeyboardButton(t("Yes, export with contacts"), callback_data=pack(
        Action.REVIEW, "xc", range_token(date_range), fmt))
    return Reply(bold(t("Reporters' contact details")) + "\n" + esc(text),
                 InlineKeyboardMarkup([[button]]))


def contacts_exported(t: Translator, name: str, rows: int, date_range: DateRange) -> Reply:
    """To the other admins: someone took reporters' contacts out of the bot."""
    return Reply("🔐 " + esc(t.ngettext(
        "{name} exported {count} case with reporters' contact details ({period}).",
        "{name} exported {count} cases with reporters' contact details ({period}).", rows)
        .format(name=name, count=t.number(rows), period=format_range(t, date_range))))


def quota_reached(t: Translator, quota, *, draft_kept: bool = False) -> Reply:
    """A kind answer past REPORTS_PER_DAY: when they can report again; the emergency
    contacts follow in their own message."""
    lines = [esc(t.ngettext(
        "You have sent {count} report in the last 24 hours, the most one account can send.",
        "You have sent {count} reports in the last 24 hours, the most one account can send.",
        quota.used).format(count=t.number(quota.used))),
        esc(t("Thank you: every one of them is being handled. You can send a new report "
              "from {time}.").format(time=t.datetime(quota.retry_at)))]
    if draft_kept:
        lines.append(esc(t("This report is kept: open it again with /lapor and send it then.")))
    lines.append(esc(t("To add something to a report you already sent, reply to the "
                       "officer's message here.")))
    return Reply("\n\n".join(lines))


def codes_paused(t: Translator, until) -> Reply:
    """Too many wrong follow-up codes from this account."""
    return Reply(esc(t("Too many wrong follow-up codes. For everyone's safety, please try "
                       "again after {time}.").format(time=t.datetime(until))))


def relayed_file_refused(t: Translator, problem: str, max_files: int, max_mb: int) -> Reply:
    """A file sent to an open case past the evidence limits."""
    if problem == "too_many_files":
        text = t("This case already has {max_files} files, the most it can hold. Write to the "
                 "officer instead, or describe the file in words.").format(
            max_files=t.number(max_files))
    elif problem == "file_refused":
        text = t(form_view.FILE_REFUSED).format(megapixels=form_view.megapixels(t))
    else:
        text = t("That file is larger than {max_mb} MB. Please send a smaller file.").format(
            max_mb=t.number(max_mb))
    return Reply(esc(text))


def case_waiting_for_officer(t: Translator, report: Report) -> Reply:
    """To a reporter whose officer left: the message cannot be passed on yet."""
    return Reply(esc(t("Your report {code} is being passed to another task-force officer. "
                       "This message could not be passed on yet: the new officer will write "
                       "to you here, and you can answer them then.").format(
        code=report.case_number)))
