"""The report form's prompts, problems and summary, in the reader's language."""
from __future__ import annotations

from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import Action, pack
from bot.domain import OUTSIDE_REGION, Category
from bot.form import (
    applicable_steps,
    DESCRIPTION_MAX, DESCRIPTION_MIN, OTHER_COUNTRY, SECTIONS, SHORT_TEXT_MAX, FormState, Problem, Step,
)
from bot.i18n import N_, Translator
from bot.labels import category_label, country_label, region_label
from bot.phones import display_phone
from bot.regions import COMMON_DESTINATIONS, RegionList
from bot.render.text import Reply, bold, esc, pack_blocks

SECTION_ORDER = list(SECTIONS)
TOTAL_SECTIONS = len(SECTION_ORDER) + 1  # and the summary

QUESTIONS = {
    Step.CATEGORY: N_("What would you like to report?"),
    Step.URGENCY: N_("Is anyone in danger right now, or about to be sent away soon?"),
    Step.REGION: N_("Where did it happen? Choose the regency or city."),
    Step.LOCATION: N_("If it is safe, send the place where it happened (📎 → Location). "
                      "Note: Telegram sends your current position. You may skip this."),
    Step.DESCRIPTION: N_("Tell us what happened: who, what, when and where. Write at least "
                         "one sentence ({min} to {max} letters), or send a voice note."),
    Step.SUSPECT_NAME: N_("What is the name or nickname of the person you are reporting?"),
    Step.SUSPECT_PHONE: N_("What is that person's phone or WhatsApp number? (if you know it)"),
    Step.SUSPECT_COMPANY: N_("What is the name of the company (PT), recruitment agency (P3MI) "
                             "or sponsor involved? (if any)"),
    Step.SUSPECT_SOCIAL: N_("That person's social media account or link (e.g. Facebook, "
                            "TikTok), if any."),
    Step.VICTIMS: N_("How many people are victims or at risk of becoming victims?"),
    Step.DESTINATION: N_("Which country are they being sent to?"),
    Step.DESTINATION_OTHER: N_("Type the name of the destination country."),
    Step.DEPARTURE: N_("When are they due to leave? Type the date, e.g. 15-01-2027."),
    Step.EVIDENCE: N_("Send any evidence: photos, documents, videos or voice notes "
                      "(up to {max_files} files, at most {max_mb} MB each). Press Done when "
                      "finished or if you have no evidence."),
    Step.IDENTITY: N_("Would you like to stay anonymous, or may an officer contact you?"),
    Step.CONTACT_NAME: N_("Your name or nickname (a made-up name is fine):"),
    Step.CONTACT_PHONE: N_("Your phone number that the officer may call:"),
}

# Text answers that may already be there when the question comes: "keep" moves on.
KEEPABLE = {Step.SUSPECT_NAME: "suspect_name", Step.SUSPECT_PHONE: "suspect_phone",
            Step.SUSPECT_COMPANY: "suspect_company", Step.SUSPECT_SOCIAL: "suspect_social"}

HINTS = {
    Step.URGENCY: N_("If you answer Yes, we will show emergency numbers right away and "
                     "mark your report as urgent."),
    Step.SUSPECT_NAME: N_("The next questions are about the person or company you are "
                          "reporting. Skip anything you do not know."),
    Step.LOCATION: N_("Note: Telegram sends the position of your phone right now, unless you "
                      "move the pin on the map first. If that could show where you live or "
                      "where you are hiding, press Skip."),
    Step.EVIDENCE: N_("Careful: photos and files can show who took them, with which phone, "
                      "and where (the GPS position). We remove this from photos, PDF, Office "
                      "files and audio before an officer sees them; from videos we cannot. "
                      "Send only what you are ready to share."),
    Step.IDENTITY: N_("Anonymous means officers cannot see who you are. If you agree to be "
                      "contacted, only the task-force officer handling your report will "
                      "see the name and number you give."),
}

# A hint that introduces a group of questions is read before the first of them.
HINTS_BEFORE = frozenset({Step.SUSPECT_NAME})

PROBLEMS = {
    Problem.USE_BUTTONS: N_("Please choose one of the buttons below."),
    Problem.NOT_UNDERSTOOD: N_("Sorry, I could not use that here. Please answer the question "
                               "below."),
    Problem.TOO_SHORT: N_("That is a little short. Please write at least {min} characters."),
    Problem.TOO_LONG: N_("That is too long. Please shorten it to at most {max} characters."),
    Problem.TEXT_OR_VOICE: N_("Please describe it in a text message or a voice note."),
    Problem.PIN_OR_SKIP: N_("Please share a location pin, or press Skip."),
    Problem.BAD_PHONE: N_("That does not look like a valid phone number. Example: "
                          "0812-3456-7890. Or press Skip."),
    Problem.BAD_NUMBER: N_("Please choose a button or type a number, e.g. 7."),
    Problem.BAD_DATE: N_("We could not read that date yet. Write it as 15-01-2027 or press "
                         "Not known yet."),
    Problem.FILES_OR_DONE: N_("Send a photo, document, video or voice note. If you have none, "
                              "press Done."),
    Problem.TOO_MANY_FILES: N_("You have already sent the maximum of {max_files} files. "
                               "Press Done to continue."),
    Problem.FILE_TOO_BIG: N_("That file is larger than {max_mb} MB. Please send a smaller "
                             "file."),
    Problem.CANNOT_SKIP: N_("This question cannot be skipped."),
}


def _button(label: str, draft_id: int, step: Step, value: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=pack(Action.FORM, draft_id, step.value, value))


def _rows(buttons: list[InlineKeyboardButton], per_row: int) -> list[list[InlineKeyboardButton]]:
    return [buttons[i:i + per_row] for i in range(0, len(buttons), per_row)]


def progress(t: Translator, state: FormState) -> str:
    """"Step 5 of 17": one step per question this report asks, the summary last."""
    steps = applicable_steps(state.answers)
    number = steps.index(state.step) + 1 if state.step in steps else len(steps)
    return t("Step {number} of {total}").format(number=t.number(number),
                                                 total=t.number(len(steps)))


def problem_notice(t: Translator, problem: Problem, step: Step, max_files: int,
                   max_mb: int) -> str:
    """Why the answer was not taken (HTML), shown above the question asked again."""
    return problem_reply(t, problem, step, max_files, max_mb).text


def problem_reply(t: Translator, problem: Problem, step: Step, max_files: int,
                  max_mb: int) -> Reply:
    """Why the answer was not taken; the question is asked again after it."""
    minimum = DESCRIPTION_MIN if step is Step.DESCRIPTION else 1
    maximum = SHORT_TEXT_MAX.get(step, DESCRIPTION_MAX)
    text = t(PROBLEMS[problem]).format(min=t.number(minimum), max=t.number(maximum),
                                       max_mb=t.number(max_mb), max_files=t.number(max_files))
    return Reply("⚠️ " + esc(text))


def evidence_received(t: Translator, draft_id: int, count: int, max_files: int) -> Reply:
    """One short acknowledgement per file, with Done at hand (albums send many at once)."""
    text = "✅ " + esc(t.ngettext("{count} file received. Send another or press Done.",
                                  "{count} files received. Send another or press Done.",
                                  count).format(count=t.number(count)))
    done = _button(t("✅ Done"), draft_id, Step.EVIDENCE, "done")
    return Reply(text, InlineKeyboardMarkup([[done]]))


def prompt(t: Translator, draft_id: int, state: FormState, regions: RegionList, *,
           max_files: int, max_mb: int, notice: str | None = None) -> list[Reply]:
    """The question for the current step with its buttons (the summary at the end).

    ``notice`` (HTML: why an answer was refused, emergency numbers) heads the same
    message, so each answer costs one message."""
    replies = _prompt(t, draft_id, state, regions, max_files=max_files, max_mb=max_mb)
    if notice:
        first = replies[0]
        replies[0] = Reply(notice + "\n\n" + first.text, first.keyboard)
    return replies


def _prompt(t: Translator, draft_id: int, state: FormState, regions: RegionList, *,
            max_files: int, max_mb: int) -> list[Reply]:
    step = state.step
    if step is Step.SUMMARY:
        return summary(t, draft_id, state, regions)
    question = t(QUESTIONS[step]).format(
        min=t.number(DESCRIPTION_MIN), max=t.number(DESCRIPTION_MAX),
        max_files=t.number(max_files), max_mb=t.number(max_mb))
    lines = [f"<i>{esc(progress(t, state))}</i>", f"<b>{esc(question)}</b>"]
    if step in HINTS_BEFORE:
        lines.insert(1, esc(t(HINTS[step])))
    elif step in HINTS:
        lines.append(esc(t(HINTS[step])))
    if step is Step.EVIDENCE and state.answers.get("evidence_count"):
        count = state.answers["evidence_count"]
        lines.append(esc(t.ngettext("{count} file received.", "{count} files received.",
                                    count).format(count=t.number(count))))
    rows = _step_buttons(t, draft_id, state, regions)
    kept = state.answers.get(KEEPABLE.get(step, ""))
    if kept:
        lines.append(esc(t("Already filled in: {answer}").format(answer=kept)))
        rows.insert(0, [_button(t("✔️ Keep this answer"), draft_id, step, "keep")])
    if state.history:
        rows.append([_button(t("⬅️ Back"), draft_id, step, "back")])
    return [Reply("\n\n".join(lines), InlineKeyboardMarkup(rows) if rows else None)]


def _step_buttons(t, draft_id, state, regions) -> list[list[InlineKeyboardButton]]:
    step = state.step
    b = lambda label, value: _button(label, draft_id, step, value)  # noqa: E731
    skip = [[b(t("Skip"), "skip")]]
    if step is Step.CATEGORY:
        return [[b(category_label(t, c), c.value)] for c in Category]
    if step is Step.URGENCY:
        return [[b(t("Yes, someone is in danger"), "yes")], [b(t("No"), "no")]]
    if step is Step.REGION:
        buttons = [b(r.name, r.code) for r in regions.regions]
        return _rows(buttons, 2) + [[b(t("Outside Lampung"), OUTSIDE_REGION)]]
    if step is Step.VICTIMS:
        return [[b(str(n), str(n)) for n in range(1, 6)], [b(t("Not known"), "skip")]]
    if step is Step.DESTINATION:
        buttons = [b(t.country(code), code) for code in COMMON_DESTINATIONS]
        return _rows(buttons, 2) + [[b(t("Another country"), OTHER_COUNTRY)],
                                    [b(t("Not known yet"), "skip")]]
    if step is Step.DEPARTURE:
        return [[b(t("Not known yet"), "skip")]]
    if step is Step.EVIDENCE:
        return [[b(t("✅ Done"), "done")]]
    if step is Step.IDENTITY:
        return [[b(t("Stay anonymous"), "anonymous")],
                [b(t("An officer may contact me"), "contact")]]
    if step in (Step.LOCATION, Step.SUSPECT_NAME, Step.SUSPECT_PHONE, Step.SUSPECT_COMPANY,
                Step.SUSPECT_SOCIAL, Step.DESTINATION_OTHER):
        return skip
    return []


EDIT_LABELS = {
    "category": N_("Change type"),
    "urgency": N_("Change urgency"),
    "place": N_("Change place"),
    "story": N_("Change story"),
    "suspect": N_("Change reported party"),
    "victims": N_("Change victims and destination country"),
    "evidence": N_("Add evidence"),
    "identity": N_("Change identity"),
}


def summary_blocks(t: Translator, answers: dict, regions: RegionList) -> list[str]:
    """Every answer as HTML blocks, user text escaped."""
    dash = "—"

    def line(label: str, value: object) -> str:
        return f"<b>{esc(label)}:</b> {esc(value) if value not in (None, '') else dash}"

    place = region_label(t, answers.get("region", ""), regions)
    if answers.get("latitude") is not None:
        place += " " + t("(location pin attached)")
    if answers.get("description_voice"):
        story = t("(voice note)")
    else:
        story = answers.get("description", "")
    departure = answers.get("departure_date")
    count = answers.get("evidence_count", 0)
    contact = t("Anonymous")
    if answers.get("contactable"):
        contact = t("may be contacted ({name}, {phone})").format(
            name=answers.get("contact_name", ""),
            phone=display_phone(answers.get("contact_phone")))
    return [
        bold(t("Please check your report")),
        "\n".join([
            line(t("Type"), category_label(t, answers.get("category", ""))),
            line(t("Urgent"), t("Yes") if answers.get("urgent") else t("No")),
            line(t("Place"), place),
        ]),
        bold(t("What happened") + ":") + f"\n{esc(story) or dash}",
        bold(t("Reported party")) + "\n" + "\n".join([
            line(t("Reported person's name"), answers.get("suspect_name")),
            line(t("Reported person's phone"), display_phone(answers.get("suspect_phone"))),
            line(t("Company or agency"), answers.get("suspect_company")),
            line(t("Social media"), answers.get("suspect_social")),
        ]),
        "\n".join([
            line(t("Number of victims"), t.number(answers["victim_count"])
                 if answers.get("victim_count") else None),
            line(t("Destination"), country_label(t, answers.get("destination"),
                                                 answers.get("destination_other"))),
            line(t("Departure"), t.date(date.fromisoformat(departure)) if departure else None),
            line(t("Evidence"), t.ngettext("{count} file", "{count} files", count)
                 .format(count=t.number(count))),
            line(t("Your identity"), contact),
        ]),
    ]


def summary(t: Translator, draft_id: int, state: FormState, regions: RegionList) -> list[Reply]:
    edits = [_button(t(label), draft_id, Step.SUMMARY, f"edit:{section}")
             for section, label in EDIT_LABELS.items()]
    rows = [[_button(t("📨 Send report"), draft_id, Step.SUMMARY, "send")]]
    rows += _rows(edits, 2)
    rows.append([InlineKeyboardButton(t("✖️ Cancel report"),
                                      callback_data=pack(Action.DRAFT, "cancel"))])
    blocks = [f"<i>{esc(progress(t, state))}</i>"] + summary_blocks(t, state.answers, regions)
    return pack_blocks(blocks, InlineKeyboardMarkup(rows))


