"""The report form as a pure state machine: no Telegram, no database.

A channel adapter turns what the person did into an ``Answer`` (a button pick, typed
text, a location pin, an upload...), calls :func:`apply`, saves the new state and
renders the prompt for ``outcome.state.step``. WhatsApp or SMS can drive the same form.

Every step is one entry of :data:`STEPS` (at the end): its question, input kind (which
chooses its validation, unless it brings its own), choices, the answers it fills and the
case columns they go to, its summary line and its export column. The engine, the
renderers, the summary, the case and the export all read that table; nothing else names
a step's details. What an entry holds is in bot/engine/form_types.py.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from bot.engine.domain import OUTSIDE_REGION, Category
from bot.engine.form_types import (  # noqa: F401  (the vocabulary, re-exported for callers)
    DESCRIPTION_MAX, DESCRIPTION_MIN, MAX_VICTIMS, OTHER_COUNTRY, Answer, Check, Choice,
    Column, ExportColumn, FormState, Input, Limits, Options, Outcome, Pick, Pin, Problem,
    SharedContact, Show, Step, StepSpec, StepTable, SummaryLine, Typed, Unsupported, Upload,
)
from bot.engine.i18n import N_
from bot.engine.parsing import match_region, parse_date
from bot.engine.phones import normalize_phone
from bot.engine.sanitize import clean_line, is_plain_number, without_direction_controls
from bot.engine.regions import COMMON_DESTINATIONS

__all__ = ["match_region", "normalize_phone", "parse_date"]   # re-exported for callers


# Words people type instead of pressing a button (Indonesian and English).
TYPED_YES = frozenset({"ya", "iya", "yes", "y"})
TYPED_NO = frozenset({"tidak", "tdk", "enggak", "nggak", "gak", "no", "n"})
TYPED_SKIP = frozenset({"lewati", "skip", "tidak", "tidak ada", "tidak tahu", "belum tahu",
                        "none", "no", "not known"})
TYPED_DONE = frozenset({"selesai", "sudah", "tidak ada", "done", "none"})


def typed_as_pick(step: Step, answer: Answer) -> Answer:
    """"ya", "tidak", "tidak ada", "lewati" typed where a button is expected."""
    if not isinstance(answer, Typed):
        return answer
    word = " ".join(answer.text.lower().split()).strip(".!")
    spec = STEPS[step]
    for choice in spec.choices:
        if word in choice.typed:
            return Pick(choice.value)
    if spec.skippable and word in TYPED_SKIP:
        return Pick("skip")
    return answer


def applicable_steps(answers: dict[str, Any]) -> list[Step]:
    """The questions this report will ask, given its answers so far (and the summary)."""
    return [step for step in STEPS.order if _applies(step, answers)]


def progress_of(state: FormState) -> tuple[int, int, bool]:
    """(number, total, among the details): until the offer to send, the essentials are
    counted alone (a frightened reporter reads "3 of 6", not "3 of 18"); after it, the
    optional details, the summary last."""
    steps = applicable_steps(state.answers)
    number = steps.index(state.step) + 1 if state.step in steps else len(steps)
    offer = steps.index(Step.SEND_OR_ADD) + 1
    if number <= offer:
        return number, offer, False
    return number - offer, len(steps) - offer, True


def submits(step: Step | str, value: str) -> bool:
    """The answer that sends the report (from the offer to send, or from the summary)."""
    return value == "send" and step in (Step.SEND_OR_ADD, Step.SUMMARY)


def apply(state: FormState, answer: Answer, limits: Limits) -> Outcome:
    """The form's one transition: the person's answer at ``state.step``."""
    spec = STEPS[state.step]
    answer = typed_as_pick(state.step, answer)
    if isinstance(answer, Pick) and answer.value == "back":
        return Outcome(_back(state))
    if isinstance(answer, Pick) and answer.value == "keep":
        # An answer already there (filled in from /cekagensi, or before going back) stays.
        if spec.skippable and any(state.answers.get(key) for key in spec.answers):
            return Outcome(_forward(state))
        return Outcome(state, Problem.USE_BUTTONS)
    if isinstance(answer, Pick) and answer.value == "skip":
        if not spec.skippable:
            return Outcome(state, Problem.CANNOT_SKIP)
        answers = {k: v for k, v in state.answers.items() if k not in spec.answers}
        return Outcome(_forward(replace(state, answers=answers)))
    if isinstance(answer, Pick) and answer.value == "skip_section":
        if spec.skip_section is None:
            return Outcome(state, Problem.CANNOT_SKIP)
        return Outcome(_past_section(state))
    return (spec.check or CHECKS[spec.kind])(state, answer, limits)


# --- moving around ----------------------------------------------------------------------

def _section_of(step: Step) -> str:
    return STEPS[step].section


def _applies(step: Step, answers: dict[str, Any]) -> bool:
    return STEPS[step].applies(answers)


def _forward(state: FormState, answers: dict[str, Any] | None = None) -> FormState:
    answers = state.answers if answers is None else answers
    order = STEPS.order
    index = order.index(state.step) + 1
    while not _applies(order[index], answers):
        index += 1
    nxt = order[index]
    history = state.history + (state.step,)
    if state.editing and _section_of(nxt) != state.editing:
        return FormState(Step.SUMMARY, answers, history, None)
    return FormState(nxt, answers, history, state.editing)


def _past_section(state: FormState) -> FormState:
    """Nothing known about the rest of this section: its answers cleared, its questions
    passed over (Back returns to the question that offered this)."""
    section = _section_of(state.step)
    order = STEPS.order
    rest = order[order.index(state.step):]
    cleared = {key for step in rest if _section_of(step) == section
               for key in STEPS[step].answers}
    answers = {k: v for k, v in state.answers.items() if k not in cleared}
    index = order.index(state.step) + 1
    while order[index] is not Step.SUMMARY and (
            _section_of(order[index]) == section or not _applies(order[index], answers)):
        index += 1
    nxt, history = order[index], state.history + (state.step,)
    if state.editing and _section_of(nxt) != state.editing:
        return FormState(Step.SUMMARY, answers, history, None)
    return FormState(nxt, answers, history, state.editing)


def _back(state: FormState) -> FormState:
    if not state.history:
        return state
    previous = state.history[-1]
    return replace(state, step=previous, history=state.history[:-1], editing=None)


def start_editing(state: FormState, section: str) -> FormState:
    first = STEPS.sections[section][0]
    return FormState(first, state.answers, state.history + (state.step,), section)


def _set(state: FormState, **values: Any) -> FormState:
    answers = dict(state.answers)
    answers.update(values)
    return _forward(state, answers)


# --- one function a step ---------------------------------------------------------------

def _choice(state: FormState, answer: Answer, allowed: set[str]) -> str | Problem:
    if isinstance(answer, Pick) and answer.value in allowed:
        return answer.value
    return Problem.USE_BUTTONS


def _pick_one(state, answer, limits):
    """A button of the step's choices (and its options); kept under its one answer key."""
    spec = STEPS[state.step]
    allowed = {c.value for c in spec.choices}
    if spec.options is Options.CATEGORIES:
        allowed |= {c.value for c in Category}
    value = _choice(state, answer, allowed)
    if isinstance(value, Problem):
        return Outcome(state, value)
    return Outcome(_set(state, **{spec.answers[0]: value}))


def _urgency(state, answer, limits):
    value = _choice(state, answer, {c.value for c in STEPS[state.step].choices})
    if isinstance(value, Problem):
        return Outcome(state, value)
    return Outcome(_set(state, urgent=value == "yes"), show_emergency=value == "yes")


def _region(state, answer, limits):
    key = STEPS[state.step].answers[0]
    if isinstance(answer, Typed):
        code = match_region(answer.text, limits.regions)
        if code:
            return Outcome(_set(state, **{key: code}))
    if isinstance(answer, Pick) and limits.regions.is_valid(answer.value):
        return Outcome(_set(state, **{key: answer.value}))
    return Outcome(state, Problem.USE_BUTTONS)


def _pin(state, answer, limits):
    if isinstance(answer, Pin):
        latitude, longitude = STEPS[state.step].answers
        return Outcome(_set(state, **{latitude: answer.latitude, longitude: answer.longitude}))
    return Outcome(state, Problem.PIN_OR_SKIP)


def _story(state, answer, limits):
    """A text between the step's lengths, or a voice note (kept as a file)."""
    spec = STEPS[state.step]
    key, voice = spec.answers
    if isinstance(answer, Upload) and answer.kind in ("voice", "audio"):
        if answer.size and answer.size > limits.max_file_bytes:
            return Outcome(state, Problem.FILE_TOO_BIG)
        return Outcome(_set(state, **{key: "", voice: True}), store_upload=answer)
    if not isinstance(answer, Typed):
        return Outcome(state, Problem.TEXT_OR_VOICE)
    text = without_direction_controls(answer.text).strip()
    if len(text) < spec.min_length:
        return Outcome(state, Problem.TOO_SHORT)
    if len(text) > spec.max_length:
        return Outcome(state, Problem.TOO_LONG)
    return Outcome(_set(state, **{key: text, voice: False}))


def _short_text(state, answer, limits):
    spec = STEPS[state.step]
    if not isinstance(answer, Typed):
        return Outcome(state, Problem.NOT_UNDERSTOOD)
    text = clean_line(answer.text)
    if not text:
        return Outcome(state, Problem.TOO_SHORT)
    if len(text) > spec.max_length:
        return Outcome(state, Problem.TOO_LONG)
    return Outcome(_set(state, **{spec.answers[0]: text}))


def _phone(state, answer, limits):
    raw = answer.phone if isinstance(answer, SharedContact) else (
        answer.text if isinstance(answer, Typed) else None)
    if raw is None:
        return Outcome(state, Problem.NOT_UNDERSTOOD)
    number = normalize_phone(raw)
    if number is None:
        return Outcome(state, Problem.BAD_PHONE)
    return Outcome(_set(state, **{STEPS[state.step].answers[0]: number}))


def _number(state, answer, limits):
    spec = STEPS[state.step]
    raw = answer.value if isinstance(answer, Pick) else (
        answer.text.strip() if isinstance(answer, Typed) else "")
    if is_plain_number(raw) and 1 <= int(raw) <= (spec.largest or int(raw)):
        return Outcome(_set(state, **{spec.answers[0]: int(raw)}))
    return Outcome(state, Problem.BAD_NUMBER)


def _destination(state, answer, limits):
    if isinstance(answer, Pick) and answer.value in (*COMMON_DESTINATIONS, OTHER_COUNTRY):
        values = {"destination": answer.value}
        if answer.value != OTHER_COUNTRY:
            values["destination_other"] = None
        return Outcome(_set(state, **values))
    if isinstance(answer, Typed) and clean_line(answer.text):
        text = clean_line(answer.text)
        if len(text) > STEPS[Step.DESTINATION_OTHER].max_length:
            return Outcome(state, Problem.TOO_LONG)
        # A typed country is kept as written; the next step is then not needed.
        answers = dict(state.answers, destination=OTHER_COUNTRY, destination_other=text)
        moved = _forward(state, answers)
        if moved.step is Step.DESTINATION_OTHER:
            moved = _forward(moved)
        return Outcome(moved)
    return Outcome(state, Problem.USE_BUTTONS)


def _date(state, answer, limits):
    """A date within five years of today, either way."""
    if not isinstance(answer, Typed):
        return Outcome(state, Problem.BAD_DATE)
    parsed = parse_date(answer.text)
    if parsed is None or abs((parsed - limits.today).days) > 5 * 366:
        return Outcome(state, Problem.BAD_DATE)
    return Outcome(_set(state, **{STEPS[state.step].answers[0]: parsed.isoformat()}))


def _files(state, answer, limits):
    """Uploads the adapter keeps (and counts), until Done."""
    if isinstance(answer, Pick) and answer.value == "done":
        return Outcome(_forward(state))
    if isinstance(answer, Upload):
        if state.answers.get(STEPS[state.step].answers[0], 0) >= limits.max_files:
            return Outcome(state, Problem.TOO_MANY_FILES)
        if answer.size and answer.size > limits.max_file_bytes:
            return Outcome(state, Problem.FILE_TOO_BIG)
        return Outcome(state, store_upload=answer)
    return Outcome(state, Problem.FILES_OR_DONE)


def _identity(state, answer, limits):
    value = _choice(state, answer, {c.value for c in STEPS[state.step].choices})
    if isinstance(value, Problem):
        return Outcome(state, value)
    values: dict[str, Any] = {"contactable": value == "contact"}
    if value == "anonymous":
        values.update(contact_name=None, contact_phone=None)
    return Outcome(_set(state, **values))


def _send_or_add(state, answer, limits):
    """The essentials are in: send them now (anonymously), or go on to the details."""
    value = _choice(state, answer, {c.value for c in STEPS[state.step].choices})
    if isinstance(value, Problem):
        return Outcome(state, value)
    if value == "send":
        return Outcome(state, submit=True)
    return Outcome(_forward(state))


def _summary(state, answer, limits):
    if isinstance(answer, Pick) and answer.value == "send":
        return Outcome(state, submit=True)
    if isinstance(answer, Pick) and answer.value.startswith("edit:"):
        section = answer.value.removeprefix("edit:")
        if section in STEPS.sections:
            return Outcome(start_editing(state, section))
    return Outcome(state, Problem.USE_BUTTONS)


# The validation of each input kind; a step with its own ``check`` uses that instead.
CHECKS: dict[Input, Check] = {
    Input.CHOICE: _pick_one, Input.REGION: _region, Input.PIN: _pin, Input.STORY: _story,
    Input.TEXT: _short_text, Input.PHONE: _phone, Input.NUMBER: _number,
    Input.COUNTRY: _destination, Input.DATE: _date, Input.FILES: _files,
    Input.SEND_OR_ADD: _send_or_add, Input.REVIEW: _summary,
}


# --- the step table: one entry a step, in the order they are asked ----------------------

def _is_other_country(answers: dict[str, Any]) -> bool:
    return answers.get("destination") == OTHER_COUNTRY


def _contactable(answers: dict[str, Any]) -> bool:
    return answers.get("contactable") is True


def _iso_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


SKIP, NOT_KNOWN, NOT_KNOWN_YET = N_("Skip"), N_("Not known"), N_("Not known yet")
# Two decimals of a degree: about 1.1 km on the ground near the equator (Lampung is at 5°S).
COARSE_DECIMALS = 2


def coarse_degrees(value: float | None) -> float | None:
    """A pin's coordinate rounded to about a kilometre: an area, not a house."""
    return None if value is None else round(float(value), COARSE_DECIMALS)


STEPS = StepTable((
    StepSpec(
        Step.CATEGORY, "category", Input.CHOICE,
        question=N_("What would you like to report?"),
        answers=("category",), options=Options.CATEGORIES,
        columns=(Column("category", "category"),),
        summary=SummaryLine(N_("Type"), Show.CATEGORY, "facts"),
        export=ExportColumn("category", N_("Category"), Show.CATEGORY, ("category",))),
    StepSpec(
        Step.URGENCY, "urgency", Input.CHOICE, check=_urgency,
        question=N_("Is anyone in danger right now, or about to be sent away soon?"),
        answers=("urgent",),
        choices=(Choice("yes", N_("Yes, someone is in danger"), TYPED_YES),
                 Choice("no", N_("No"), TYPED_NO)),
        hint=N_("If you answer Yes, we will show emergency numbers right away and mark your "
                "report as urgent."),
        columns=(Column("urgent", "urgent", bool),),
        summary=SummaryLine(N_("Urgent"), Show.YES_NO, "facts"),
        export=ExportColumn("urgent", N_("Urgent"), Show.YES_NO, ("urgent",))),
    StepSpec(
        Step.REGION, "place", Input.REGION,
        question=N_("Where did it happen? Choose the regency or city."),
        answers=("region",), options=Options.REGIONS, per_row=2,
        # Labelled from the regions file ("Outside Lampung"): see bot.engine.labels.outside_label.
        choices=(Choice(OUTSIDE_REGION, N_("Outside the area")),),
        columns=(Column("region", "region_code"),),
        summary=SummaryLine(N_("Place"), Show.PLACE, "facts"),
        export=ExportColumn("region", N_("Regency/city"), Show.REGION, ("region_code",))),
    StepSpec(
        Step.LOCATION, "place", Input.PIN,
        # The warning about the phone's position is the hint below, said once.
        question=N_("If it is safe, send the place where it happened (📎 → Location). "
                    "You may skip this."),
        answers=("latitude", "longitude"), skip=SKIP,
        hint=N_("Note: Telegram sends the position of your phone right now, unless you move "
                "the pin on the map first. If that could show where you live or where you are "
                "hiding, press Skip."),
        # The pin itself is kept encrypted on the case (reports.location_enc) for the
        # officer handling it; the columns, exports and figures get about a kilometre.
        sealed=True,
        columns=(Column("latitude", "latitude", coarse_degrees),
                 Column("longitude", "longitude", coarse_degrees)),
        export=ExportColumn("location", N_("Area (about 1 km: latitude, longitude)"),
                            Show.LOCATION, ("latitude", "longitude"))),
    StepSpec(
        Step.DESCRIPTION, "story", Input.STORY,
        question=N_("Tell us what happened: who, what, when and where. Write at least one "
                    "sentence ({min} to {max} letters), or send a voice note."),
        answers=("description", "description_voice"),
        min_length=DESCRIPTION_MIN, max_length=DESCRIPTION_MAX,
        columns=(Column("description", "description", lambda text: text or ""),
                 Column("description_voice", "description_is_voice", bool)),
        summary=SummaryLine(N_("What happened"), Show.STORY, "story")),
    # The essentials are in (what, how urgent, where, the story): enough for an officer to
    # act. Everything after this is optional, and a frightened reporter may stop here.
    StepSpec(
        Step.SEND_OR_ADD, "send_or_add", Input.SEND_OR_ADD,
        question=N_("Thank you. This is enough for an officer to begin. Send your report "
                    "now, or add details first?"),
        choices=(Choice("send", N_("📨 Send now"), frozenset({"kirim", "send"})),
                 Choice("more", N_("➕ Add details"), frozenset({"tambah", "add", "more"}))),
        hint=N_("Sent now, your report is anonymous. Details help officers act sooner: the "
                "recruiter or agency, the destination country, the departure date, evidence, "
                "and whether an officer may contact you. All of them are optional.")),
    StepSpec(
        Step.SUSPECT_NAME, "suspect", Input.TEXT,
        question=N_("What is the name or nickname of the person you are reporting?"),
        answers=("suspect_name",), skip=SKIP, offer_keep=True, max_length=200,
        skip_section=N_("I know nothing about the recruiter"),
        hint=N_("The next questions are about the person or company you are reporting. Skip "
                "anything you do not know."), hint_first=True,
        columns=(Column("suspect_name", "suspect_name"),),
        summary=SummaryLine(N_("Reported person's name"), Show.TEXT, "suspect"),
        export=ExportColumn("suspect_name", N_("Reported person"), Show.TEXT,
                            ("suspect_name",))),
    StepSpec(
        Step.SUSPECT_PHONE, "suspect", Input.PHONE,
        question=N_("What is that person's phone or WhatsApp number? (if you know it)"),
        answers=("suspect_phone",), skip=SKIP, offer_keep=True,
        columns=(Column("suspect_phone", "suspect_phone"),),
        summary=SummaryLine(N_("Reported person's phone"), Show.PHONE, "suspect"),
        export=ExportColumn("suspect_phone", N_("Reported phone number"), Show.TEXT,
                            ("suspect_phone",))),
    StepSpec(
        Step.SUSPECT_COMPANY, "suspect", Input.TEXT,
        question=N_("What is the name of the company (PT), recruitment agency (P3MI) or "
                    "sponsor involved? (if any)"),
        answers=("suspect_company",), skip=SKIP, offer_keep=True, max_length=200,
        columns=(Column("suspect_company", "suspect_company"),),
        summary=SummaryLine(N_("Company or agency"), Show.TEXT, "suspect"),
        export=ExportColumn("suspect_company", N_("Reported agency/company"), Show.TEXT,
                            ("suspect_company",))),
    StepSpec(
        Step.SUSPECT_SOCIAL, "suspect", Input.TEXT,
        question=N_("That person's social media account or link (e.g. Facebook, TikTok), "
                    "if any."),
        answers=("suspect_social",), skip=SKIP, offer_keep=True, max_length=300,
        columns=(Column("suspect_social", "suspect_social"),),
        summary=SummaryLine(N_("Social media"), Show.TEXT, "suspect"),
        export=ExportColumn("suspect_social", N_("Reported social media account"), Show.TEXT,
                            ("suspect_social",))),
    StepSpec(
        Step.VICTIMS, "victims", Input.NUMBER,
        question=N_("How many people are victims or at risk of becoming victims?"),
        answers=("victim_count",), options=Options.COUNTS, per_row=5, skip=NOT_KNOWN,
        largest=MAX_VICTIMS,
        columns=(Column("victim_count", "victim_count"),),
        summary=SummaryLine(N_("Number of victims"), Show.NUMBER, "more"),
        export=ExportColumn("victim_count", N_("Number of victims"), Show.NUMBER,
                            ("victim_count",))),
    StepSpec(
        Step.DESTINATION, "victims", Input.COUNTRY,
        question=N_("Which country are they being sent to?"),
        answers=("destination", "destination_other"), options=Options.COUNTRIES, per_row=2,
        choices=(Choice(OTHER_COUNTRY, N_("Another country")),), skip=NOT_KNOWN_YET,
        columns=(Column("destination", "destination_country"),),
        summary=SummaryLine(N_("Destination"), Show.COUNTRY, "more"),
        export=ExportColumn("destination", N_("Destination country"), Show.COUNTRY,
                            ("destination_country", "destination_other"))),
    StepSpec(
        Step.DESTINATION_OTHER, "victims", Input.TEXT,
        question=N_("Type the name of the destination country."),
        answers=("destination_other",), skip=SKIP, max_length=100,
        applies=_is_other_country,
        columns=(Column("destination_other", "destination_other"),)),
    StepSpec(
        Step.DEPARTURE, "victims", Input.DATE,
        question=N_("When are they due to leave? Type the date, e.g. 15-01-2027."),
        answers=("departure_date",), skip=NOT_KNOWN_YET,
        columns=(Column("departure_date", "departure_date", _iso_date),),
        summary=SummaryLine(N_("Departure"), Show.DATE, "more"),
        export=ExportColumn("departure_date", N_("Departure date"), Show.DATE,
                            ("departure_date",))),
    StepSpec(
        Step.EVIDENCE, "evidence", Input.FILES,
        question=N_("Send any evidence: photos, documents, videos or voice notes (up to "
                    "{max_files} files, at most {max_mb} MB each). Press Done when finished "
                    "or if you have no evidence."),
        answers=("evidence_count",),
        choices=(Choice("done", N_("✅ Done"), TYPED_DONE),),
        hint=N_("Careful: photos and files can show who took them, with which phone, and "
                "where (the GPS position). We remove this from photos, PDF, Office files and "
                "audio before an officer sees them; from videos we cannot. Send only what you "
                "are ready to share."),
        summary=SummaryLine(N_("Evidence"), Show.FILES, "more"),
        export=ExportColumn("evidence_count", N_("Evidence files"), Show.NUMBER,
                            ("evidence_count",))),
    StepSpec(
        Step.IDENTITY, "identity", Input.CHOICE, check=_identity,
        question=N_("Would you like to stay anonymous, or may an officer contact you?"),
        answers=("contactable",),
        choices=(Choice("anonymous", N_("Stay anonymous")),
                 Choice("contact", N_("An officer may contact me"))),
        hint=N_("Anonymous means officers cannot see who you are. If you agree to be "
                "contacted, only the task-force officer handling your report will see the "
                "name and number you give."),
        columns=(Column("contactable", "contactable", bool),),
        summary=SummaryLine(N_("Your identity"), Show.CONTACT, "more"),
        export=ExportColumn("contactable", N_("Reporter may be contacted"), Show.YES_NO,
                            ("contactable",))),
    # The reporter's name and number are kept encrypted beside the case (ReportContact),
    # exported only to an admin who asks for them.
    StepSpec(
        Step.CONTACT_NAME, "identity", Input.TEXT,
        question=N_("Your name or nickname (a made-up name is fine):"),
        answers=("contact_name",), max_length=120, secret=True, applies=_contactable,
        export=ExportColumn("reporter_name", N_("Reporter name"), Show.TEXT, ("name_enc",))),
    StepSpec(
        Step.CONTACT_PHONE, "identity", Input.PHONE,
        question=N_("Your phone number that the officer may call:"),
        answers=("contact_phone",), secret=True, applies=_contactable,
        export=ExportColumn("reporter_phone", N_("Reporter phone"), Show.TEXT, ("phone_enc",))),
    StepSpec(Step.SUMMARY, "summary", Input.REVIEW),
))

def case_values(answers: dict[str, Any]) -> dict[str, Any]:
    """The case's columns from a finished form's answers, as the table maps them."""
    values: dict[str, Any] = {}
    for spec in STEPS:
        for column in spec.columns:
            raw = answers.get(column.answer)
            values[column.column] = column.convert(raw) if column.convert else raw
    return values
