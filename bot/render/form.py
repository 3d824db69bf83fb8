"""The report form's prompts, problems and summary, in the reader's language."""
from __future__ import annotations

from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.engine.callbacks import Action, pack
from bot.engine.domain import OUTSIDE_REGION, Category
from bot.engine.form import (
    STEPS, FormState, Input, Options, Problem, Show, Step,
    StepSpec, progress_of,
)
from bot.engine.i18n import N_, Translator
from bot.engine.labels import category_label, country_label, region_label
from bot.engine.phones import display_phone
from bot.engine.regions import COMMON_DESTINATIONS, RegionList
from bot.render.text import Reply, bold, esc, pack_blocks
from bot.storage.file_limits import MAX_PIXELS

# Every question, hint, button and summary label of a step is in bot.engine.form.STEPS.

FILE_REFUSED = N_("That file is too large to check safely (a picture of more than {megapixels} "
                  "megapixels, or a document that grows enormous when opened), so it was not "
                  "kept. Please send a smaller file, such as an ordinary photo or a screenshot, "
                  "or describe it in words.")

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
    Problem.FILE_REFUSED: FILE_REFUSED,
    Problem.CANNOT_SKIP: N_("This question cannot be skipped."),
}


def _button(label: str, draft_id: int, step: Step, value: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=pack(Action.FORM, draft_id, step.value, value))


def _rows(buttons: list[InlineKeyboardButton], per_row: int) -> list[list[InlineKeyboardButton]]:
    return [buttons[i:i + per_row] for i in range(0, len(buttons), per_row)]


def progress(t: Translator, state: FormState) -> str:
    """"Step 3 of 6" among the essentials, then "Details: step 2 of 11" (the summary
    last): one step per question this report asks."""
    number, total, details = progress_of(state)
    text = t("Details: step {number} of {total}") if details else t("Step {number} of {total}")
    return text.format(number=t.number(number), total=t.number(total))


def problem_notice(t: Translator, problem: Problem, step: Step, max_files: int,
                   max_mb: int) -> str:
    """Why the answer was not taken (HTML), shown above the question asked again."""
    return problem_reply(t, problem, step, max_files, max_mb).text


def problem_reply(t: Translator, problem: Problem, step: Step, max_files: int,
                  max_mb: int) -> Reply:
    """Why the answer was not taken; the question is asked again after it."""
    spec = STEPS[step]
    minimum, maximum = spec.min_length, spec.max_length or STEPS[Step.DESCRIPTION].max_length
    text = t(PROBLEMS[problem]).format(min=t.number(minimum), max=t.number(maximum),
                                       max_mb=t.number(max_mb), max_files=t.number(max_files),
                                       megapixels=megapixels(t))
    return Reply("⚠️ " + esc(text))


def megapixels(t: Translator) -> str:
    return t.number(MAX_PIXELS // 1_000_000)


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
    spec = STEPS[step]
    question = t(spec.question).format(
        min=t.number(spec.min_length), max=t.number(spec.max_length or 0),
        max_files=t.number(max_files), max_mb=t.number(max_mb))
    lines = [f"<i>{esc(progress(t, state))}</i>", f"<b>{esc(question)}</b>"]
    if spec.hint and spec.hint_first:
        lines.insert(1, esc(t(spec.hint)))
    elif spec.hint:
        lines.append(esc(t(spec.hint)))
    if step is Step.EVIDENCE and state.answers.get("evidence_count"):
        count = state.answers["evidence_count"]
        lines.append(esc(t.ngettext("{count} file received.", "{count} files received.",
                                    count).format(count=t.number(count))))
    rows = _step_buttons(t, draft_id, spec, regions)
    if spec.kind is Input.SEND_OR_ADD:
        # What would be sent, above the offer to send it.
        blocks = summary_blocks(t, state.answers, regions, upto=step)[1:]
        lines[1:1] = blocks
    kept = state.answers.get(spec.answers[0]) if spec.offer_keep else None
    if kept:
        lines.append(esc(t("Already filled in: {answer}").format(answer=kept)))
        rows.insert(0, [_button(t("✔️ Keep this answer"), draft_id, step, "keep")])
    if state.history:
        rows.append([_button(t("⬅️ Back"), draft_id, step, "back")])
    # One message, unless a long story shown above the offer to send needs two.
    return pack_blocks(lines, InlineKeyboardMarkup(rows) if rows else None)


def _options(t: Translator, options: Options | None, regions: RegionList) -> list[tuple[str, str]]:
    """(label, value) of the buttons a step takes from data."""
    if options is Options.CATEGORIES:
        return [(category_label(t, c), c.value) for c in Category]
    if options is Options.REGIONS:
        return [(r.name, r.code) for r in regions.regions]
    if options is Options.COUNTRIES:
        return [(t.country(code), code) for code in COMMON_DESTINATIONS]
    if options is Options.COUNTS:
        return [(str(n), str(n)) for n in range(1, 6)]
    return []


def _step_buttons(t, draft_id, spec: StepSpec, regions) -> list[list[InlineKeyboardButton]]:
    """The step's option buttons, then each choice on its row, then skip."""
    b = lambda label, value: _button(label, draft_id, spec.key, value)  # noqa: E731
    options = [b(label, value) for label, value in _options(t, spec.options, regions)]
    rows = _rows(options, spec.per_row)
    rows += [[b(region_label(t, choice.value, regions) if choice.value == OUTSIDE_REGION
                else t(choice.label), choice.value)] for choice in spec.choices]
    if spec.skip:
        rows.append([b(t(spec.skip), "skip")])
    if spec.skip_section:
        rows.append([b(t(spec.skip_section), "skip_section")])
    return rows


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


# A block of the summary opened by a heading of its own.
SUMMARY_HEADINGS = {"suspect": N_("Reported party")}
DASH = "—"


def summary_value(t: Translator, spec: StepSpec, answers: dict, regions: RegionList):
    """A step's answer as the summary shows it (None: nothing given)."""
    value = answers.get(spec.answers[0]) if spec.answers else None
    show = spec.summary.show
    if show is Show.CATEGORY:
        return category_label(t, value or "")
    if show is Show.YES_NO:
        return t("Yes") if value else t("No")
    if show is Show.PLACE:
        place = region_label(t, value or "", regions)
        if answers.get("latitude") is not None:
            place += " " + t("(location pin attached)")
        return place
    if show is Show.STORY:
        return t("(voice note)") if answers.get("description_voice") else value or ""
    if show is Show.PHONE:
        return display_phone(value)
    if show is Show.NUMBER:
        return t.number(value) if value else None
    if show is Show.COUNTRY:
        return country_label(t, value, answers.get("destination_other"))
    if show is Show.DATE:
        return t.date(date.fromisoformat(value)) if value else None
    if show is Show.FILES:
        count = value or 0
        return t.ngettext("{count} file", "{count} files", count).format(count=t.number(count))
    if show is Show.CONTACT:
        if not value:
            return t("Anonymous")
        return t("may be contacted ({name}, {phone})").format(
            name=answers.get("contact_name", ""),
            phone=display_phone(answers.get("contact_phone")))
    return value


def summary_blocks(t: Translator, answers: dict, regions: RegionList,
                   upto: Step | None = None) -> list[str]:
    """Every answer (``upto``: of the steps before that one) as HTML blocks, user text
    escaped: one line a step, in the table's order, consecutive lines of one block
    together."""
    blocks: list[str] = [bold(t("Please check your report"))]
    current, lines = None, []
    for spec in STEPS:
        if spec.key == upto:
            break
        if spec.summary is None:
            continue
        if spec.summary.block != current and lines:
            blocks.append("\n".join(lines))
            lines = []
        if spec.summary.block != current and spec.summary.block in SUMMARY_HEADINGS:
            lines.append(bold(t(SUMMARY_HEADINGS[spec.summary.block])))
        current = spec.summary.block
        label, value = t(spec.summary.label), summary_value(t, spec, answers, regions)
        if spec.summary.show is Show.STORY:
            lines.append(bold(label + ":") + f"\n{esc(value) or DASH}")
        else:
            lines.append(f"<b>{esc(label)}:</b> {esc(value) if value not in (None, '') else DASH}")
    if lines:
        blocks.append("\n".join(lines))
    return blocks


def summary(t: Translator, draft_id: int, state: FormState, regions: RegionList) -> list[Reply]:
    edits = [_button(t(label), draft_id, Step.SUMMARY, f"edit:{section}")
             for section, label in EDIT_LABELS.items()]
    rows = [[_button(t("📨 Send report"), draft_id, Step.SUMMARY, "send")]]
    rows += _rows(edits, 2)
    rows.append([InlineKeyboardButton(t("✖️ Cancel report"),
                                      callback_data=pack(Action.DRAFT, "cancel"))])
    blocks = [f"<i>{esc(progress(t, state))}</i>"] + summary_blocks(t, state.answers, regions)
    return pack_blocks(blocks, InlineKeyboardMarkup(rows))


