"""The buttons an assignee works a case with, on its card and its details (status in one
tap, then an optional reason; message, note, evidence; snooze, release, reopen), and what
a reminder about the case says once the case has moved on. Pure: domain values in."""
from __future__ import annotations

from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.engine.callbacks import Action, pack
from bot.engine.domain import CLOSED_STATUSES, ReferralTarget, Status
from bot.engine.i18n import N_, Translator
from bot.engine.labels import referral_label, status_label
from bot.render.officer_desk import canned_rows
from bot.render.text import Reply, esc
from models import Report

# Common reasons per status, offered as buttons right after the status changed; the key
# travels in the callback data and the timeline, the words are translated for each reader.
REASONS: dict[str, dict[str, str]] = {
    Status.VERIFIED: {
        "ver_checked": N_("The information was checked and holds up"),
        "ver_witness": N_("Confirmed by a victim or a witness"),
        "ver_docs": N_("Documents or evidence support the report"),
    },
    Status.IN_PROGRESS: {
        "prog_field": N_("Officers are checking on the ground"),
        "prog_agency": N_("Being coordinated with the agencies concerned"),
        "prog_info": N_("Waiting for more information from the reporter"),
    },
    Status.REFERRED: {
        "ref_crime": N_("A crime such as trafficking (TPPO) is suspected"),
        "ref_placement": N_("A matter of placing and protecting migrant workers"),
        "ref_licence": N_("A matter of the recruiter's licence"),
    },
    Status.RESOLVED: {
        "res_stopped": N_("The non-procedural departure was stopped"),
        "res_returned": N_("The victim is back home safely"),
        "res_action": N_("Action was taken against the recruiter"),
        "res_licensed": N_("The recruiter turned out to be licensed"),
    },
    Status.INVALID: {
        "inv_info": N_("Not enough information to trace the matter"),
        "inv_unreachable": N_("The reporter could not be reached for details"),
        "inv_remit": N_("Not a matter for the migrant-worker task force"),
    },
    Status.DUPLICATE: {
        "dup_same": N_("The same matter is already handled in another report"),
    },
}
REASON_KEYS = {key: text for reasons in REASONS.values() for key, text in reasons.items()}
# What the reporter reads for a common reason: written for a phone that may be in the wrong
# hands (no plans, no assessment of the reporter, nothing about who said what), never the
# officer's words. A typed reason stays on the case (and /riwayat) and reaches no reporter.
REPORTER_REASONS: dict[str, str] = {
    "ver_checked": N_("We checked the information you gave, and it holds up."),
    "ver_witness": N_("What you reported has been confirmed."),
    "ver_docs": N_("The evidence supports your report."),
    "prog_field": N_("The task force is following up your report."),
    "prog_agency": N_("The task force is working on it together with the agencies "
                      "concerned."),
    "prog_info": N_("The officer may need more information from you: if it is safe, write "
                    "it here."),
    "ref_crime": N_("That authority has the power to deal with matters like this one."),
    "ref_placement": N_("It concerns the placement and protection of migrant workers, which "
                        "that agency handles."),
    "ref_licence": N_("It concerns a recruiter's licence, which that agency oversees."),
    "res_stopped": N_("The departure you reported was prevented."),
    "res_returned": N_("The person concerned is back home safely."),
    "res_action": N_("Action was taken against the recruiter."),
    "res_licensed": N_("The recruiter turned out to hold a valid licence."),
    "inv_info": N_("The information we have is not enough to trace the matter."),
    "inv_unreachable": N_("We could not get the further details we needed."),
    "inv_remit": N_("The matter is outside what the migrant-worker task force handles."),
    "dup_same": N_("What you told us has been added to that report."),
}
STATUS_BUTTONS = {
    Status.VERIFIED: N_("✔️ Verified"),
    Status.IN_PROGRESS: N_("🔍 In progress"),
    Status.RESOLVED: N_("✅ Resolved"),
    Status.INVALID: N_("🚫 Invalid"),
    Status.DUPLICATE: N_("♻️ Duplicate"),
}
# verb in callback data -> status it sets ("rt" sets REFERRED with its target)
STATUS_VERBS = {
    "ver": Status.VERIFIED, "prog": Status.IN_PROGRESS, "res": Status.RESOLVED,
    "inv": Status.INVALID, "dup": Status.DUPLICATE,
}
SKIP = "-"


def button(text: str, verb: str, report: Report, *args: object) -> InlineKeyboardButton:
    """A case button; it names the case by its random card token, never by its id."""
    return InlineKeyboardButton(text, callback_data=pack(Action.CASE, verb, report.card_token,
                                                         *args))


def reason_text(t: Translator, key: str | None, typed: str | None) -> str | None:
    """A common reason in the reader's language, else what the officer typed."""
    if key in REASON_KEYS:
        return t(REASON_KEYS[key])
    return typed


# The assignee's buttons come in panels, so that a card fits a phone (at most six rows):
# the work done most (message, the common statuses, note, evidence) on the card, the rest
# one tap away behind "More", the quick replies behind their own button; each panel leads back.
MAIN, MORE, REPLIES = "main", "more", "replies"
PANELS = (MAIN, MORE, REPLIES)


def panel_button(t: Translator, report: Report, panel: str, where: str) -> InlineKeyboardButton:
    """Opens ``panel`` of the message it sits on (``where``: card "c" or details "d")."""
    labels = {MAIN: N_("⬅️ Back"), MORE: N_("⋯ More"), REPLIES: N_("💬 Quick replies")}
    return button(t(labels[panel]), "pnl", report, panel, where)


def work_rows(t: Translator, report: Report, *, attachments: int, awaits_reason: bool,
              panel: str = MAIN, where: str = "c",
              quick_replies: list[str] = ()) -> list[list[InlineKeyboardButton]]:
    """The assignee's buttons: the reasons just after a status change, the work on an open
    case (in ``panel``), reopening on a closed one."""
    if report.status in CLOSED_STATUSES and not awaits_reason:
        return [[button(t("🔓 Reopen"), "reo", report), button(t("📝 Note"), "note", report)]]
    if awaits_reason:
        rows = [[button(t(text), "rs", report, key)]
                for key, text in REASONS.get(report.status, {}).items()]
        return rows + [[button(t("⏭️ No reason"), "rs", report, SKIP)]]
    if panel == REPLIES and quick_replies:
        return _reply_rows(t, report, quick_replies) + [[panel_button(t, report, MAIN, where)]]
    statuses = {verb: button(t(STATUS_BUTTONS[status]), verb, report)
                for verb, status in STATUS_VERBS.items() if status != report.status}
    if panel == MORE:
        referrals = [button("➡️ " + referral_label(t, target), "rt", report, target.value)
                     for target in ReferralTarget
                     if not (report.status == Status.REFERRED and report.referred_to == target)]
        rows = [referrals, [statuses[verb] for verb in ("dup",) if verb in statuses],
                snooze_row(t, report), [button(t("↩️ Release"), "rel", report)],
                [panel_button(t, report, MAIN, where)]]
        return [row for row in rows if row]
    talk = [button(t("✉️ Message reporter"), "msg", report)]
    if quick_replies:
        talk.append(panel_button(t, report, REPLIES, where))
    rows = [talk, [statuses[verb] for verb in ("prog", "ver") if verb in statuses],
            [statuses[verb] for verb in ("res", "inv") if verb in statuses],
            [button(t("📝 Note"), "note", report),
             *([button(t("📎 Evidence"), "ev", report)] if attachments else []),
             panel_button(t, report, MORE, where)]]
    return [row for row in rows if row]


def _reply_rows(t: Translator, report: Report, replies: list[str]) -> list[list[InlineKeyboardButton]]:
    """One quick reply a button (its index in the data, never its words: 64 bytes); two a
    row when there are more than five, so that ten still fit a phone."""
    rows = canned_rows(t, report, replies)
    if len(rows) <= 5:
        return rows
    buttons = [row[0] for row in rows]
    return [buttons[i:i + 2] for i in range(0, len(buttons), 2)]


def snooze_row(t: Translator, report: Report) -> list[InlineKeyboardButton]:
    return [button(t("⏰ Snooze 1 h"), "snz", report, 1),
            button(t("⏰ Snooze 4 h"), "snz", report, 4)]


def work_lines(t: Translator, report: Report, *, awaits_reason: bool, reason: str | None,
               now: datetime | None = None) -> list[str]:
    """Under the assignee's card and details: the reason, the question, the snooze."""
    lines = []
    if reason:
        lines.append(esc(t("Reason: {reason}").format(reason=reason)))
    if awaits_reason:
        lines.append("✍️ " + esc(t("Reason (optional, for the case file; the reporter never "
                                  "sees it): tap one below, type it in one message, or tap "
                                  "No reason.")))
    if report.snoozed_until is not None and (now is None or report.snoozed_until > now) \
            and report.status not in CLOSED_STATUSES:
        lines.append("⏰ " + esc(t("Reminders paused until {time}.").format(
            time=t.datetime(report.snoozed_until))))
    return lines


def reminder_update(t: Translator, report: Report, assignee_name: str | None) -> Reply:
    """A reminder about a case that has moved on: waiting, taken by whom, or closed, and
    only the buttons that still make sense. The steps of an open case's work are left out:
    an urgent case's dozens of reminders are edited when it is claimed, released, snoozed
    or closed, not at every status."""
    code = f"<code>{esc(report.case_number)}</code>"
    snoozed = work_lines(t, report, awaits_reason=False, reason=None)
    if assignee_name is None:
        text = "⏰ " + code + " · " + esc(status_label(t, report.status))
        rows = [[button(t("🙋 Claim"), "claim", report), button(t("📄 Details"), "view", report)]]
    else:
        text = "⏰ " + code + " · " + esc(t("Taken by {name}").format(name=assignee_name))
        if report.status in CLOSED_STATUSES:
            text += " · " + esc(status_label(t, report.status))
        rows = [[button(t("📄 Details"), "view", report)]]
    return Reply("\n".join([text, *snoozed]), InlineKeyboardMarkup(rows))


def status_toast(t: Translator, report: Report) -> str:
    return t("Case {code} is now: {status}.").format(code=report.case_number,
                                                     status=status_label(t, report.status))


def reason_saved(t: Translator, report: Report) -> str:
    return t("Reason saved to case {code}; only officers see it.").format(
        code=report.case_number)


def released_toast(t: Translator, report: Report) -> str:
    return t("Case {code} is back in the queue; the officers on duty are alerted.").format(
        code=report.case_number)


def reopened_toast(t: Translator, report: Report) -> str:
    return t("Case {code} is open again.").format(code=report.case_number)


def snoozed_toast(t: Translator, report: Report, until: datetime) -> str:
    return t("No reminders about case {code} until {time}.").format(
        code=report.case_number, time=t.datetime(until))


def reason_saved_reply(t: Translator, report: Report) -> Reply:
    return Reply(esc(reason_saved(t, report)))
