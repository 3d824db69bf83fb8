"""The report form as a pure state machine: no Telegram, no database.

A channel adapter turns what the person did into an ``Answer`` (a button pick, typed
text, a location pin, an upload...), calls :func:`apply`, saves the new state and
renders the prompt for ``outcome.state.step``. WhatsApp or SMS can drive the same form.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from babel import Locale

from bot.domain import Category
from bot.phones import normalize_phone
from bot.regions import COMMON_DESTINATIONS, RegionList
from bot.sanitize import clean_line, is_plain_number, without_direction_controls


class Step(StrEnum):
    CATEGORY = "category"
    URGENCY = "urgency"
    REGION = "region"
    LOCATION = "location"
    DESCRIPTION = "description"
    SUSPECT_NAME = "suspect_name"
    SUSPECT_PHONE = "suspect_phone"
    SUSPECT_COMPANY = "suspect_company"
    SUSPECT_SOCIAL = "suspect_social"
    VICTIMS = "victims"
    DESTINATION = "destination"
    DESTINATION_OTHER = "destination_other"
    DEPARTURE = "departure"
    EVIDENCE = "evidence"
    IDENTITY = "identity"
    CONTACT_NAME = "contact_name"
    CONTACT_PHONE = "contact_phone"
    SUMMARY = "summary"


ORDER = list(Step)
SECTIONS: dict[str, tuple[Step, ...]] = {
    "category": (Step.CATEGORY,),
    "urgency": (Step.URGENCY,),
    "place": (Step.REGION, Step.LOCATION),
    "story": (Step.DESCRIPTION,),
    "suspect": (Step.SUSPECT_NAME, Step.SUSPECT_PHONE, Step.SUSPECT_COMPANY, Step.SUSPECT_SOCIAL),
    "victims": (Step.VICTIMS, Step.DESTINATION, Step.DESTINATION_OTHER, Step.DEPARTURE),
    "evidence": (Step.EVIDENCE,),
    "identity": (Step.IDENTITY, Step.CONTACT_NAME, Step.CONTACT_PHONE),
}
SKIPPABLE = frozenset({
    Step.LOCATION, Step.SUSPECT_NAME, Step.SUSPECT_PHONE, Step.SUSPECT_COMPANY,
    Step.SUSPECT_SOCIAL, Step.VICTIMS, Step.DESTINATION, Step.DESTINATION_OTHER,
    Step.DEPARTURE,
})
DESCRIPTION_MIN, DESCRIPTION_MAX = 20, 3000
SHORT_TEXT_MAX = {Step.SUSPECT_NAME: 200, Step.SUSPECT_COMPANY: 200, Step.SUSPECT_SOCIAL: 300,
                  Step.DESTINATION_OTHER: 100, Step.CONTACT_NAME: 120}
MAX_VICTIMS = 10_000
OTHER_COUNTRY = "OTHER"


class Problem(StrEnum):
    """Why an answer was refused; the renderer explains each in the reader's language."""

    USE_BUTTONS = "use_buttons"
    NOT_UNDERSTOOD = "not_understood"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    TEXT_OR_VOICE = "text_or_voice"
    PIN_OR_SKIP = "pin_or_skip"
    BAD_PHONE = "bad_phone"
    BAD_NUMBER = "bad_number"
    BAD_DATE = "bad_date"
    FILES_OR_DONE = "files_or_done"
    TOO_MANY_FILES = "too_many_files"
    FILE_TOO_BIG = "file_too_big"
    CANNOT_SKIP = "cannot_skip"


# --- what the person did -------------------------------------------------------------

@dataclass(frozen=True)
class Pick:
    value: str


@dataclass(frozen=True)
class Typed:
    text: str


@dataclass(frozen=True)
class Pin:
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Upload:
    kind: str                  # photo, document, video, voice, audio
    size: int | None = None
    mime_type: str | None = None
    file_name: str | None = None
    caption: str | None = None     # kept with the file: it often says what it shows


@dataclass(frozen=True)
class SharedContact:
    phone: str


@dataclass(frozen=True)
class Unsupported:
    kind: str                  # sticker, poll, ...


Answer = Pick | Typed | Pin | Upload | SharedContact | Unsupported


# --- state and result -----------------------------------------------------------------

@dataclass(frozen=True)
class FormState:
    step: Step = Step.CATEGORY
    answers: dict[str, Any] = field(default_factory=dict)
    history: tuple[Step, ...] = ()
    editing: str | None = None       # the summary section being changed


@dataclass(frozen=True)
class Limits:
    regions: RegionList
    today: date
    max_files: int = 10
    max_file_bytes: int = 20 * 1024 * 1024


@dataclass(frozen=True)
class Outcome:
    state: FormState
    problem: Problem | None = None
    store_upload: Upload | None = None   # the adapter downloads and keeps this file
    show_emergency: bool = False
    submit: bool = False


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
    if step is Step.URGENCY and word in TYPED_YES:
        return Pick("yes")
    if step is Step.URGENCY and word in TYPED_NO:
        return Pick("no")
    if step is Step.EVIDENCE and word in TYPED_DONE:
        return Pick("done")
    if step in SKIPPABLE and word in TYPED_SKIP:
        return Pick("skip")
    return answer


def applicable_steps(answers: dict[str, Any]) -> list[Step]:
    """The questions this report will ask, given its answers so far (and the summary)."""
    return [step for step in ORDER if _applies(step, answers)]


def apply(state: FormState, answer: Answer, limits: Limits) -> Outcome:
    """The form's one transition: the person's answer at ``state.step``."""
    answer = typed_as_pick(state.step, answer)
    if isinstance(answer, Pick) and answer.value == "back":
        return Outcome(_back(state))
    if isinstance(answer, Pick) and answer.value == "keep":
        # An answer already there (filled in from /cekagensi, or before going back) stays.
        if any(state.answers.get(key) for key in _KEYS_OF.get(state.step, ())):
            return Outcome(_forward(state))
        return Outcome(state, Problem.USE_BUTTONS)
    if isinstance(answer, Pick) and answer.value == "skip":
        if state.step not in SKIPPABLE:
            return Outcome(state, Problem.CANNOT_SKIP)
        answers = {k: v for k, v in state.answers.items() if k not in _KEYS_OF[state.step]}
        return Outcome(_forward(replace(state, answers=answers)))
    handler = _STEP_HANDLERS[state.step]
    return handler(state, answer, limits)


# --- moving around ----------------------------------------------------------------------

def _section_of(step: Step) -> str:
    return next(name for name, steps in SECTIONS.items() if step in steps)


def _applies(step: Step, answers: dict[str, Any]) -> bool:
    if step is Step.DESTINATION_OTHER:
        return answers.get("destination") == OTHER_COUNTRY
    if step in (Step.CONTACT_NAME, Step.CONTACT_PHONE):
        return answers.get("contactable") is True
    return True


def _forward(state: FormState, answers: dict[str, Any] | None = None) -> FormState:
    answers = state.answers if answers is None else answers
    index = ORDER.index(state.step) + 1
    while not _applies(ORDER[index], answers):
        index += 1
    nxt = ORDER[index]
    history = state.history + (state.step,)
    if state.editing and _section_of(nxt) != state.editing:
        return FormState(Step.SUMMARY, answers, history, None)
    return FormState(nxt, answers, history, state.editing)


def _back(state: FormState) -> FormState:
    if not state.history:
        return state
    previous = state.history[-1]
    return replace(state, step=previous, history=state.history[:-1], editing=None)


def start_editing(state: FormState, section: str) -> FormState:
    first = SECTIONS[section][0]
    return FormState(first, state.answers, state.history + (state.step,), section)


def _set(state: FormState, **values: Any) -> FormState:
    answers = dict(state.answers)
    answers.update(values)
    return _forward(state, answers)


_KEYS_OF: dict[Step, tuple[str, ...]] = {
    Step.LOCATION: ("latitude", "longitude"),
    Step.SUSPECT_NAME: ("suspect_name",),
    Step.SUSPECT_PHONE: ("suspect_phone",),
    Step.SUSPECT_COMPANY: ("suspect_company",),
    Step.SUSPECT_SOCIAL: ("suspect_social",),
    Step.VICTIMS: ("victim_count",),
    Step.DESTINATION: ("destination", "destination_other"),
    Step.DESTINATION_OTHER: ("destination_other",),
    Step.DEPARTURE: ("departure_date",),
}


# --- one function a step ---------------------------------------------------------------

def _choice(state: FormState, answer: Answer, allowed: set[str]) -> str | Problem:
    if isinstance(answer, Pick) and answer.value in allowed:
        return answer.value
    return Problem.USE_BUTTONS


def _category(state, answer, limits):
    value = _choice(state, answer, {c.value for c in Category})
    return Outcome(state, value) if isinstance(value, Problem) else Outcome(_set(state, category=value))


def _urgency(state, answer, limits):
    value = _choice(state, answer, {"yes", "no"})
    if isinstance(value, Problem):
        return Outcome(state, value)
    return Outcome(_set(state, urgent=value == "yes"), show_emergency=value == "yes")


def _region(state, answer, limits):
    if isinstance(answer, Typed):
        code = match_region(answer.text, limits.regions)
        if code:
            return Outcome(_set(state, region=code))
    if isinstance(answer, Pick) and limits.regions.is_valid(answer.value):
        return Outcome(_set(state, region=answer.value))
    return Outcome(state, Problem.USE_BUTTONS)


def _location(state, answer, limits):
    if isinstance(answer, Pin):
        return Outcome(_set(state, latitude=answer.latitude, longitude=answer.longitude))
    return Outcome(state, Problem.PIN_OR_SKIP)


def _description(state, answer, limits):
    if isinstance(answer, Upload) and answer.kind in ("voice", "audio"):
        if answer.size and answer.size > limits.max_file_bytes:
            return Outcome(state, Problem.FILE_TOO_BIG)
        next_state = _set(state, description="", description_voice=True)
        return Outcome(next_state, store_upload=answer)
    if not isinstance(answer, Typed):
        return Outcome(state, Problem.TEXT_OR_VOICE)
    text = without_direction_controls(answer.text).strip()
    if len(text) < DESCRIPTION_MIN:
        return Outcome(state, Problem.TOO_SHORT)
    if len(text) > DESCRIPTION_MAX:
        return Outcome(state, Problem.TOO_LONG)
    return Outcome(_set(state, description=text, description_voice=False))


def _short_text(key: str):
    def handler(state, answer, limits):
        if not isinstance(answer, Typed):
            return Outcome(state, Problem.NOT_UNDERSTOOD)
        text = clean_line(answer.text)
        if not text:
            return Outcome(state, Problem.TOO_SHORT)
        if len(text) > SHORT_TEXT_MAX[state.step]:
            return Outcome(state, Problem.TOO_LONG)
        return Outcome(_set(state, **{key: text}))
    return handler


def _phone(key: str):
    def handler(state, answer, limits):
        raw = answer.phone if isinstance(answer, SharedContact) else (
            answer.text if isinstance(answer, Typed) else None)
        if raw is None:
            return Outcome(state, Problem.NOT_UNDERSTOOD)
        number = normalize_phone(raw)
        if number is None:
            return Outcome(state, Problem.BAD_PHONE)
        return Outcome(_set(state, **{key: number}))
    return handler


def _victims(state, answer, limits):
    raw = answer.value if isinstance(answer, Pick) else (
        answer.text.strip() if isinstance(answer, Typed) else "")
    if is_plain_number(raw) and 1 <= int(raw) <= MAX_VICTIMS:
        return Outcome(_set(state, victim_count=int(raw)))
    return Outcome(state, Problem.BAD_NUMBER)


def _destination(state, answer, limits):
    if isinstance(answer, Pick) and answer.value in (*COMMON_DESTINATIONS, OTHER_COUNTRY):
        values = {"destination": answer.value}
        if answer.value != OTHER_COUNTRY:
            values["destination_other"] = None
        return Outcome(_set(state, **values))
    if isinstance(answer, Typed) and clean_line(answer.text):
        text = clean_line(answer.text)
        if len(text) > SHORT_TEXT_MAX[Step.DESTINATION_OTHER]:
            return Outcome(state, Problem.TOO_LONG)
        # A typed country is kept as written; the next step is then not needed.
        answers = dict(state.answers, destination=OTHER_COUNTRY, destination_other=text)
        moved = _forward(state, answers)
        if moved.step is Step.DESTINATION_OTHER:
            moved = _forward(moved)
        return Outcome(moved)
    return Outcome(state, Problem.USE_BUTTONS)


def _departure(state, answer, limits):
    if not isinstance(answer, Typed):
        return Outcome(state, Problem.BAD_DATE)
    parsed = parse_date(answer.text)
    if parsed is None or abs((parsed - limits.today).days) > 5 * 366:
        return Outcome(state, Problem.BAD_DATE)
    return Outcome(_set(state, departure_date=parsed.isoformat()))


def _evidence(state, answer, limits):
    if isinstance(answer, Pick) and answer.value == "done":
        return Outcome(_forward(state))
    if isinstance(answer, Upload):
        if state.answers.get("evidence_count", 0) >= limits.max_files:
            return Outcome(state, Problem.TOO_MANY_FILES)
        if answer.size and answer.size > limits.max_file_bytes:
            return Outcome(state, Problem.FILE_TOO_BIG)
        return Outcome(state, store_upload=answer)
    return Outcome(state, Problem.FILES_OR_DONE)


def _identity(state, answer, limits):
    value = _choice(state, answer, {"anonymous", "contact"})
    if isinstance(value, Problem):
        return Outcome(state, value)
    values: dict[str, Any] = {"contactable": value == "contact"}
    if value == "anonymous":
        values.update(contact_name=None, contact_phone=None)
    return Outcome(_set(state, **values))


def _summary(state, answer, limits):
    if isinstance(answer, Pick) and answer.value == "send":
        return Outcome(state, submit=True)
    if isinstance(answer, Pick) and answer.value.startswith("edit:"):
        section = answer.value.removeprefix("edit:")
        if section in SECTIONS:
            return Outcome(start_editing(state, section))
    return Outcome(state, Problem.USE_BUTTONS)


_STEP_HANDLERS = {
    Step.CATEGORY: _category,
    Step.URGENCY: _urgency,
    Step.REGION: _region,
    Step.LOCATION: _location,
    Step.DESCRIPTION: _description,
    Step.SUSPECT_NAME: _short_text("suspect_name"),
    Step.SUSPECT_PHONE: _phone("suspect_phone"),
    Step.SUSPECT_COMPANY: _short_text("suspect_company"),
    Step.SUSPECT_SOCIAL: _short_text("suspect_social"),
    Step.VICTIMS: _victims,
    Step.DESTINATION: _destination,
    Step.DESTINATION_OTHER: _short_text("destination_other"),
    Step.DEPARTURE: _departure,
    Step.EVIDENCE: _evidence,
    Step.IDENTITY: _identity,
    Step.CONTACT_NAME: _short_text("contact_name"),
    Step.CONTACT_PHONE: _phone("contact_phone"),
    Step.SUMMARY: _summary,
}


# --- parsing helpers ----------------------------------------------------------------------

def match_region(text: str, regions: RegionList) -> str | None:
    """A typed region name ("metro", "Kota Bandar Lampung") to its code, if unambiguous."""
    wanted = _simplify(re.sub(r"^\s*(kabupaten|kab\.?|kota)\s+", "", text, flags=re.I))
    if not wanted:
        return None
    exact = [r.code for r in regions.regions if _simplify(r.name) == wanted]
    if exact:
        return exact[0]
    partial = [r.code for r in regions.regions if wanted in _simplify(r.name)]
    return partial[0] if len(partial) == 1 else None


def _simplify(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


_DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d", "%d-%m-%y", "%d/%m/%y")


def _month_numbers() -> dict[str, int]:
    months: dict[str, int] = {}
    for code in ("id", "en"):
        names = Locale.parse(code).months["format"]
        for width in ("wide", "abbreviated"):
            for number, name in names[width].items():
                months[name.lower().rstrip(".")] = number
    months["agust"] = 8
    return months


_MONTHS = _month_numbers()


def parse_date(text: str) -> date | None:
    """``12-01-2027``, ``12/1/27``, ``2027-01-12`` or ``12 Januari 2027``."""
    cleaned = " ".join(text.strip().split())
    if not cleaned.isascii():        # "²" or Arabic-Indic digits: not a date we read
        return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date()
        except ValueError:
            pass
    match = re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})", cleaned)
    if match:
        day, month_name, year = match.groups()
        month = _MONTHS.get(month_name.lower())
        if month:
            try:
                return date(int(year), month, int(day))
            except ValueError:
                return None
    return None
