"""What officers read (case cards, details, lists, reminders) and the notices a
reporter gets about their case. Pure: domain values in, Reply out."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.engine.callbacks import Action, pack
from bot.engine.domain import CLOSED_STATUSES, Role, Status
from bot.engine.i18n import N_, Translator
from bot.engine.labels import (category_label, channel_label, referral_label, region_label,
                               status_label)
from bot.prevention.agency_check import RegisterVerdict
from bot.engine.regions import RegionList
from bot.render import casework
from bot.render.durations import duration_text
from bot.render.prevention_agency import card_line as register_card_line
from bot.render.text import (
    MAX_TEXT, Reply, bold, esc, pack_blocks, split_html, truncate, visible_length,
)
from models import Officer, Report, RosterShift

SUMMARY_CHARS = 300

ERRORS = {
    "unknown": N_("This case no longer exists."),
    "not_yours": N_("This case is handled by another officer."),
    "closed": N_("This case is already closed."),
    "bad_status": N_("That change is not possible."),
    "supervisors_only": N_("Only supervisors can do this."),
    "unknown_officer": N_("That officer is not active."),
    "not_officer": N_("This is for task-force officers only."),
    "admins_only": N_("Only admins can do this."),
    "same_status": N_("The case already has this status."),
    "no_reason_asked": N_("The status has changed since; tap the status again to give a reason."),
    "not_closed": N_("This case is still open."),
    "quick_reply_changed": N_("This quick reply has changed since it was shown; tap it again "
                              "to read it before sending."),
}
WEEKDAYS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"),
            N_("Saturday"), N_("Sunday"))


@dataclass(frozen=True)
class CardFacts:
    """What a card shows besides the report itself."""

    attachments: int
    same_phone: int
    assignee_name: str | None
    related: tuple[str, ...] = ()     # case numbers of linked reports (repeat suspects)
    register_verdict: RegisterVerdict | None = None   # the P3MI register on the company
    assignee_id: int | None = None
    awaits_reason: bool = False       # its assignee was just offered reasons for the status
    reason_key: str | None = None     # the common reason picked, if one was


def _reason(t: Translator, report: Report, facts: CardFacts) -> str | None:
    reason = casework.reason_text(t, facts.reason_key, report.status_reason)
    return truncate(reason, 1000) if reason else None


def _button(text: str, verb: str, report: Report, *args: object) -> InlineKeyboardButton:
    """A case button; it names the case by its random card token, never by its id."""
    return InlineKeyboardButton(text, callback_data=pack(Action.CASE, verb, report.card_token,
                                                         *args))


def _case_code(report: Report) -> str:
    return f"<code>{esc(report.case_number)}</code>"


def _suspect(report: Report) -> str:
    return " · ".join(part for part in (report.suspect_name, report.suspect_company) if part)


def _fact_lines(t: Translator, report: Report, facts: CardFacts, regions: RegionList,
                *, summary: bool) -> list[str]:
    lines = [
        esc(t("Category:")) + " " + esc(category_label(t, report.category)),
        esc(t("Region:")) + " " + esc(region_label(t, report.region_code, regions)),
        esc(t("Urgent:")) + " " + esc(t("yes") if report.urgent else t("no")),
    ]
    text = report.description or (t("(voice message)") if report.description_is_voice else "")
    if summary and text:
        lines.append(esc(t("Summary:")) + " " + esc(truncate(text, SUMMARY_CHARS)))
    if _suspect(report):
        lines.append(esc(t("Reported person/company:")) + " " + esc(_suspect(report)))
    if facts.register_verdict is not None:
        lines.append(register_card_line(t, facts.register_verdict))
    lines.append(esc(t.ngettext("{n} attachment", "{n} attachments", facts.attachments)
                     .format(n=t.number(facts.attachments))))
    if report.suspect_phone and facts.same_phone:     # a zero would only be noise
        lines.append(esc(t.ngettext(
            "{n} earlier report names the same phone number",
            "{n} earlier reports name the same phone number", facts.same_phone)
            .format(n=t.number(facts.same_phone))))
    if facts.related:
        lines.append(esc(t("Related reports: {cases}").format(cases=", ".join(facts.related))))
    if (report.location_enc or report.latitude is not None) and summary:
        lines.append("📍 " + esc(t("Location pin: in the details, for the officer handling "
                                   "the case")))
    return lines


def map_link(pin: tuple[float, float] | None) -> str | None:
    """The reporter's pin as a link any phone opens in its map app."""
    if pin is None:
        return None
    where = f"{pin[0]:.5f},{pin[1]:.5f}"
    url = f"https://www.google.com/maps/search/?api=1&amp;query={where}"
    return f'📍 <a href="{url}">{esc(where)}</a>'


def evidence_caption(t: Translator, report: Report, caption: str | None, *,
                     cleaned: bool = True) -> str:
    """The case number, a warning if the file's metadata could not be removed, then what
    the reporter wrote under the file (HTML, ≤ 1024)."""
    head = _case_code(report)
    if not cleaned:
        head += "\n" + esc(t("⚠️ Not cleaned: this file may still show who made it, on which "
                             "device and where. Do not pass it on as it is."))
    if not caption:
        return head
    label = esc(t("Reporter's caption:"))
    return head + "\n" + label + " " + esc(truncate(caption, 900))


def _channel_mark(t: Translator, report: Report) -> str:
    """" · via WhatsApp" for a case that did not come through Telegram (the default):
    the officer knows the reporter may answer later (WhatsApp's 24-hour window)."""
    if report.channel == "telegram":
        return ""
    return " · " + esc(t("via {channel}").format(channel=channel_label(t, report.channel)))


def case_card(t: Translator, report: Report, facts: CardFacts, regions: RegionList,
              *, viewer_id: int | None = None, now: datetime | None = None,
              panel: str = casework.MAIN, quick_replies: list[str] = ()) -> Reply:
    """The alert every chosen officer (and the task-force group) receives; in its
    assignee's chat it carries the work on the case (``panel``: which of its buttons)."""
    lines = [_card_head(t, report), *_fact_lines(t, report, facts, regions, summary=True)]
    rows = []
    mine = facts.assignee_id is not None and facts.assignee_id == viewer_id
    if facts.assignee_name is None:
        rows.append([_button(t("🙋 Claim"), "claim", report)])
    else:
        lines.append(bold(t("Taken by {name}").format(name=facts.assignee_name)) + " · "
                     + esc(status_label(t, report.status)))
    if mine:
        lines += casework.work_lines(t, report, awaits_reason=facts.awaits_reason,
                                     reason=_reason(t, report, facts), now=now)
        rows += casework.work_rows(t, report, attachments=facts.attachments,
                                   awaits_reason=facts.awaits_reason, panel=panel, where="c",
                                   quick_replies=list(quick_replies))
        if panel == casework.MAIN or report.status in CLOSED_STATUSES:
            rows.append([_button(t("📄 Details"), "view", report)])
    else:
        rows.append([_button(t("📄 Details"), "view", report),
                     _button(t("👥 Reassign"), "rea", report)])
    return Reply("\n".join(lines), InlineKeyboardMarkup(rows))


def _card_head(t: Translator, report: Report) -> str:
    """"🚨 URGENT New report" until an officer claims it, "🚨 URGENT Case" while it is
    worked, and "Case" once closed (a claimed case is no longer new)."""
    urgent = report.urgent and report.status not in CLOSED_STATUSES
    title = t("New report") if report.status == Status.NEW else t("Case")
    return ("🚨 " + bold(t("URGENT")) + " " if urgent else "") + bold(title) + " " \
        + _case_code(report) + _channel_mark(t, report)


def case_details(t: Translator, report: Report, facts: CardFacts, regions: RegionList,
                 *, contact: tuple[str, str] | None, mine: bool,
                 now: datetime | None = None, quick_replies: list[str] = (),
                 pin: tuple[float, float] | None = None) -> list[Reply]:
    """Everything about the case, with the work buttons for its assignee (and its quick
    replies, one tap each), in as many messages as it takes."""
    return pack_blocks(*details_blocks(t, report, facts, regions, contact=contact, mine=mine,
                                       now=now, quick_replies=quick_replies, pin=pin))


def details_blocks(t: Translator, report: Report, facts: CardFacts, regions: RegionList,
                   *, contact: tuple[str, str] | None, mine: bool, now: datetime | None = None,
                   quick_replies: list[str] = (), pin: tuple[float, float] | None = None,
                   panel: str = casework.MAIN) -> tuple[list[str], InlineKeyboardMarkup]:
    """The details as blocks and their buttons, so that an edit can lay them out over the
    messages already shown (``pack_blocks_into``). The status comes last, above the
    buttons."""
    head = ("🚨 " if report.urgent else "") + bold(t("Case")) + " " + _case_code(report) \
        + _channel_mark(t, report)
    status = esc(t("Status:")) + " " + bold(status_label(t, report.status))
    if facts.assignee_name is not None:
        status += "\n" + esc(t("Taken by {name}").format(name=facts.assignee_name))
    if report.referred_to:
        status += "\n" + esc(t("Referred to:")) + " " + esc(referral_label(t, report.referred_to))
    if mine:
        status = "\n".join([status, *casework.work_lines(
            t, report, awaits_reason=facts.awaits_reason, reason=_reason(t, report, facts),
            now=now)])
    elif _reason(t, report, facts):
        status += "\n" + esc(t("Reason:")) + " " + esc(_reason(t, report, facts))
    blocks = ["\n".join([head, *_fact_lines(t, report, facts, regions, summary=False)])]
    if report.description:
        blocks.append(esc(t("Description:")) + "\n" + esc(truncate(report.description, 3000)))
    extra = []
    if report.suspect_phone:
        extra.append(esc(t("Phone:")) + " " + esc(report.suspect_phone))
    if report.suspect_social:
        extra.append(esc(t("Social media:")) + " " + esc(report.suspect_social))
    if report.victim_count:
        extra.append(esc(t("People affected:")) + " " + esc(t.number(report.victim_count)))
    if report.destination_country:
        extra.append(esc(t("Destination:")) + " " + esc(
            report.destination_other or t.country(report.destination_country)))
    if report.departure_date:
        extra.append(esc(t("Departure:")) + " " + esc(t.date(report.departure_date)))
    extra.append(esc(t("Received:")) + " " + esc(t.datetime(report.created_at)))
    if pin is not None:           # given for the officer handling the case only
        extra.append(esc(t("Location:")) + " " + map_link(pin))
    blocks.append("\n".join(extra))
    if contact is not None:
        blocks.append(bold(t("Contactable reporter")) + "\n" + esc(contact[0]) + " · "
                      + esc(contact[1]))
    elif report.contactable and not mine:
        blocks.append(esc(t("The reporter agreed to be contacted; only the officer handling "
                            "the case sees their name and number.")))
    elif report.contactable:
        pass    # the assignee gets the name and number in a message of its own
    else:
        blocks.append(esc(t("The reporter is anonymous. Write to them with the button below; "
                            "they will not learn who you are, nor you who they are.")))
    blocks.append(status)
    return blocks, _details_keyboard(t, report, facts, mine, quick_replies, panel)


def details_moved(t: Translator, report: Report) -> Reply:
    """What a details message says once the case no longer fits in it and its details were
    sent again below."""
    return Reply("<code>" + esc(report.case_number) + "</code> " + esc(t(
        "These details are out of date; the case's details are in the message below.")))


def _details_keyboard(t: Translator, report: Report, facts: CardFacts,
                      mine: bool, quick_replies: list[str] = (),
                      panel: str = casework.MAIN) -> InlineKeyboardMarkup:
    if facts.assignee_name is None:
        return InlineKeyboardMarkup([[_button(t("🙋 Claim"), "claim", report)]])
    rows: list[list[InlineKeyboardButton]] = []
    if mine:
        open_case = report.status not in CLOSED_STATUSES
        rows += casework.work_rows(t, report, attachments=facts.attachments,
                                   awaits_reason=facts.awaits_reason, panel=panel, where="d",
                                   quick_replies=list(quick_replies) if open_case else [])
    elif facts.attachments:
        rows.append([_button(t("📎 Evidence"), "ev", report)])
    if report.status not in CLOSED_STATUSES and (not mine or panel == casework.MORE):
        rows.insert(len(rows) - 1 if mine else len(rows),
                    [_button(t("👥 Reassign"), "rea", report)])
    return InlineKeyboardMarkup([row for row in rows if row])


def ask_note(t: Translator, report: Report) -> Reply:
    return Reply(esc(t("Type the note for case {code} (or /batal to cancel).")
                     .format(code=report.case_number)))


def ask_message(t: Translator, report: Report) -> Reply:
    return Reply(esc(t("Send your message to the reporter of case {code}: text, a photo, a "
                       "document, a voice note or a location. The reporter will read it on "
                       "their phone exactly as you write it, with the case number and never "
                       "your name (or /batal to cancel).")
                     .format(code=report.case_number)))


def note_saved(t: Translator, report: Report) -> Reply:
    return Reply(esc(t("Note saved to case {code}.").format(code=report.case_number)))


def message_queued(t: Translator, report: Report) -> Reply:
    return Reply(esc(t("Your message is on its way to the reporter of case {code}.")
                     .format(code=report.case_number)))


def message_delivered(t: Translator, report: Report) -> Reply:
    """Once the officer's message reached the reporter's chat (in place of message_queued
    when that one can be edited)."""
    return Reply("✅ " + esc(t("Your message was delivered to the reporter of case {code}.")
                            .format(code=report.case_number)))


def input_cancelled(t: Translator) -> Reply:
    return Reply(esc(t("Cancelled.")))


def claimed_by_you(t: Translator, report: Report) -> str:
    return t("You took case {code}.").format(code=report.case_number)


def already_taken(t: Translator, name: str | None) -> str:
    if name is None:
        return t("This case is already taken.")
    return t("Already taken by {name}.").format(name=name)


def error_text(t: Translator, code: str) -> str:
    return t(ERRORS.get(code, ERRORS["bad_status"]))


def error_reply(t: Translator, code: str) -> Reply:
    return Reply(esc(error_text(t, code)))


def case_list(t: Translator, reports: list[Report], *, queue: bool, now: datetime) -> Reply:
    if not reports:
        return Reply(esc(t("No unclaimed cases.") if queue else t("You have no open cases.")))
    title = t("Unclaimed cases") if queue else t("Your open cases")
    lines = [bold(title)]
    rows = []
    for report in reports[:30]:
        mark = "🚨 " if report.urgent else ""
        lines.append(f"{mark}{_case_code(report)} · {esc(category_label(t, report.category))} · "
                     + esc(status_label(t, report.status)) + " · "
                     + esc(t("waiting {time}").format(time=duration_text(t, now - report.created_at))))
        rows.append([_button(report.case_number, "view", report)])
    return Reply("\n".join(lines), InlineKeyboardMarkup(rows))


def reassign_choice(t: Translator, report: Report, officers: list[Officer]) -> Reply:
    rows = [[_button(officer.name, "to", report, officer.id)] for officer in officers[:40]]
    return Reply(esc(t("Give case {code} to:").format(code=report.case_number)),
                 InlineKeyboardMarkup(rows) if rows else None)


def reassigned(t: Translator, report: Report, name: str) -> Reply:
    return Reply(esc(t("Case {code} is now handled by {name}.").format(
        code=report.case_number, name=name)))


def assigned_to_you(t: Translator, report: Report) -> Reply:
    return Reply(esc(t("A supervisor gave you case {code}.").format(code=report.case_number)),
                 InlineKeyboardMarkup([[_button(t("📄 Details"), "view", report)]]))


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def roster_view(t: Translator, shifts: list[tuple[RosterShift, Officer]],
                checked_in: list[Officer], regions: RegionList) -> list[Reply]:
    """/jadwal a weekday at a time: short days share a message, a day is never cut between
    two messages unless it alone is too long, then between shifts, under its name again."""
    blocks = [bold(t("Duty roster (WIB)"))]
    if not shifts:
        blocks[0] += "\n" + esc(t("No shifts yet. Import the roster with `tipbot roster import`."))
    days: dict[int, list[str]] = {}
    for shift, officer in shifts:
        region = f" · {esc(region_label(t, shift.region_code, regions))}" if shift.region_code else ""
        days.setdefault(shift.weekday, []).append(
            f"{_hhmm(shift.start_minute)}–{_hhmm(shift.end_minute)} {esc(officer.name)}{region}")
    for weekday, lines in sorted(days.items()):
        heading = bold(t(WEEKDAYS[weekday]))
        room = MAX_TEXT - visible_length(heading) - 1
        blocks += [heading + "\n" + part for part in split_html(["\n".join(lines)], room)]
    if checked_in:
        blocks.append(bold(t("Checked in now:")) + " "
                      + ", ".join(esc(officer.name) for officer in checked_in))
    return pack_blocks(blocks)


def checkin_view(t: Translator, checked_in: bool, ends_at: datetime | None) -> Reply:
    if not checked_in:
        return Reply(esc(t("You are checked out. New cases will not be routed to you outside "
                           "your shifts.")))
    if ends_at is None:
        return Reply(esc(t("You are on duty until you check out with /piket.")))
    return Reply(esc(t("You are on duty until {time} (end of your shift) or until you check "
                       "out with /piket.").format(time=t.datetime(ends_at))))


INVITES = {
    Role.OFFICER: N_("One-time invite link; it registers whoever opens it as an officer. "
                     "Valid until {time}:"),
    Role.SUPERVISOR: N_("One-time invite link; it registers whoever opens it as a "
                        "supervisor. Valid until {time}:"),
    Role.ADMIN: N_("One-time invite link; it registers whoever opens it as an admin. "
                   "Valid until {time}:"),
}


def invite_view(t: Translator, link: str, expires_at: datetime, role: str = Role.OFFICER) -> Reply:
    """The link, saying the role it gives."""
    text = INVITES.get(role, INVITES[Role.OFFICER])
    return Reply(esc(t(text).format(time=t.datetime(expires_at))) + "\n" + esc(link))


def officer_welcome(t: Translator, officer: Officer) -> Reply:
    return Reply(bold(t("Welcome to the task force, {name}.").format(name=officer.name)) + "\n"
                 + esc(t("New cases reach you while you are on duty. Commands: /kasus your open "
                         "cases, /antrian unclaimed cases, /jadwal roster, /piket check in or "
                         "out.")))


def invite_invalid(t: Translator) -> Reply:
    return Reply(esc(t("This invite link is invalid, already used or expired. Ask an admin "
                       "for a new one.")))


def reminder(t: Translator, kind: str, report: Report, waited: timedelta) -> Reply:
    """Unclaimed and stale reminders, and their escalations."""
    code, time = report.case_number, duration_text(t, waited)
    texts = {
        "unclaimed": t("⏰ Reminder: case {code} has waited {time} without an officer."),
        "escalate": t("⚠️ Escalation: case {code} has waited {time} and nobody has taken it."),
        "stale": t("⏰ Reminder: your case {code} has had no activity for {time}."),
        "stale_esc": t("⚠️ Escalation: case {code} has had no activity for {time}."),
    }
    text = esc(texts[kind].format(code=code, time=time))
    if report.urgent:
        text = "🚨 " + text
    rows = [[_button(t("📄 Details"), "view", report)]]
    if kind in ("unclaimed", "escalate"):
        rows[0].insert(0, _button(t("🙋 Claim"), "claim", report))
    else:
        rows[0].append(_button(t("👥 Reassign"), "rea", report))
    if kind == "stale":       # to the assignee: remind me later
        rows.insert(0, casework.snooze_row(t, report))
    return Reply(text, InlineKeyboardMarkup(rows))


def _labelled(label: str, text: str, tail: str = "", part: tuple[int, int] = (0, 1)) -> list[str]:
    """The relayed text under its label (and ``tail`` after it), numbered when it is part
    ``part`` = (index, count) of a longer message, or when it does not fit in one message."""
    index, count = part
    if count > 1:
        label = f"{label} ({index + 1}/{count})"
    blocks = [esc(text), tail]
    whole = split_html(blocks, MAX_TEXT - visible_length(bold(label)) - 1)
    if len(whole) <= 1:
        return [bold(label) + "\n" + "".join(whole)]
    parts = split_html(blocks, MAX_TEXT - visible_length(bold(f"{label} (99/99)")) - 1)
    return [bold(f"{label} ({i}/{len(parts)})") + "\n" + piece
            for i, piece in enumerate(parts, 1)]


def relay_to_officer(t: Translator, report: Report, text: str,
                     part: tuple[int, int] = (0, 1)) -> list[Reply]:
    """The reporter's words (``part`` of them: see _labelled); the reply button under the
    last part."""
    label = t("Reporter of case {code}:").format(code=report.case_number)
    messages = _labelled(label, text, part=part)
    if part[0] < part[1] - 1:
        return [Reply(m) for m in messages]
    keyboard = InlineKeyboardMarkup([[_button(t("↩️ Reply"), "msg", report)]])
    return [Reply(m) for m in messages[:-1]] + [Reply(messages[-1], keyboard)]


# What the reporter reads, in their own language.

def relay_to_reporter(t: Translator, report: Report, text: str,
                      part: tuple[int, int] = (0, 1)) -> list[Reply]:
    """The officer's words (``part`` of them), with how to answer under the last part."""
    label = t("Task-force officer, case {code}:").format(code=report.case_number)
    hint = esc(t("To answer, just type your message here.")) if part[0] == part[1] - 1 else ""
    return [Reply(m) for m in _labelled(label, text, hint, part=part)]


def contact_details(t: Translator, report: Report, name: str, phone: str) -> Reply:
    """Sent to the assignee alone, rendered at send time (never stored in clear)."""
    return Reply(bold(t("Contactable reporter")) + " · " + _case_code(report) + "\n"
                 + esc(name) + " · " + esc(phone))


def new_evidence(t: Translator, report: Report, kind: str, caption: str | None = None) -> Reply:
    text = bold(t("The reporter of case {code} sent a new file ({kind}).").format(
        code=report.case_number, kind=t(EVIDENCE_KINDS.get(kind, kind))))
    if caption:
        text += "\n" + esc(t("Reporter's caption:")) + " " + esc(truncate(caption, 1000))
    return Reply(text, InlineKeyboardMarkup([[
        _button(t("📎 Evidence"), "ev", report), _button(t("↩️ Reply"), "msg", report)]]))


def evidence_unreadable(t: Translator, report: Report, index: int) -> Reply:
    """One line instead of a file this instance cannot read (not in the store, or another
    key): said once, not retried in silence."""
    return Reply(esc(t("File {index} of case {code} cannot be read on this server. Please "
                       "tell an admin.").format(index=index, code=report.case_number)))


EVIDENCE_KINDS = {"photo": N_("photo"), "document": N_("document"), "video": N_("video"),
                  "voice": N_("voice note"), "audio": N_("audio")}


def relay_received(t: Translator, report: Report) -> Reply:
    return Reply(esc(t("Your message was passed on to the officer handling case {code}.")
                     .format(code=report.case_number)))


def reporter_notice(t: Translator, report: Report, reason_key: str | None = None, *,
                    reopened: bool = False) -> Reply:
    """What the reporter is told when their case is taken, changes status or is reopened:
    what happened in a whole sentence, the sentence written for the reporter for a common
    reason if one was picked, and what they can do next. Never the officer's own words:
    a reason is internal to the case."""
    code = report.case_number
    if reopened:
        text = t("Your report {code} has been reopened and the task force is working on it "
                 "again.").format(code=code)
    elif report.status == Status.REFERRED:
        text = t("Your report {code} has been passed on to {target} for follow-up.").format(
            code=code, target=referral_label(t, report.referred_to))
    else:
        text = t(NOTICE_SENTENCES.get(report.status, NOTICE_SENTENCES[Status.CLAIMED])).format(
            code=code)
    if report.status != Status.CLAIMED and not reopened \
            and reason_key in casework.REPORTER_REASONS:
        text += " " + t(casework.REPORTER_REASONS[reason_key])
    text += " " + t(NEXT_STEPS[report.status in CLOSED_STATUSES])
    if report.status in CLOSED_STATUSES:
        text += " " + t("If someone is in danger right now, see /darurat for the emergency "
                        "numbers.")
    return Reply(esc(text))


NOTICE_SENTENCES = {
    Status.CLAIMED: N_("Your report {code} is now being handled by a task-force officer."),
    Status.VERIFIED: N_("Your report {code} has been checked and verified by a task-force "
                        "officer."),
    Status.IN_PROGRESS: N_("Your report {code} is being investigated by the task force."),
    Status.RESOLVED: N_("Your report {code} has been dealt with; thank you for reporting it."),
    Status.INVALID: N_("Your report {code} has been closed because it could not be followed "
                       "up."),
    Status.DUPLICATE: N_("Your report {code} has been closed because the same matter is "
                         "already being handled in another report."),
}
NEXT_STEPS = {
    False: N_("If you have more information, just type it here and it will reach the "
              "officer."),
    True: N_("If the problem continues or you learn something new, please make a new report "
             "with /lapor."),
}
