"""The report form's vocabulary: its steps, what a person can answer, the form's state,
and what one entry of the step table holds. The table itself, and the engine that reads
it, are in bot/engine/form.py. No Telegram, no database."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from bot.engine.regions import RegionList


class Step(StrEnum):
    CATEGORY = "category"
    URGENCY = "urgency"
    REGION = "region"
    LOCATION = "location"
    DESCRIPTION = "description"
    SEND_OR_ADD = "send_or_add"
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


DESCRIPTION_MIN, DESCRIPTION_MAX = 20, 3000
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
    FILE_REFUSED = "file_refused"      # too large to open safely (bot/storage/file_limits.py)
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


# --- the step table's vocabulary -----------------------------------------------------

class Input(StrEnum):
    """What a step takes; a channel offers the matching way to answer."""

    CHOICE = "choice"          # one of the buttons
    REGION = "region"          # a region button, or its name typed
    PIN = "pin"                # a location pin
    STORY = "story"            # a text or a voice note
    TEXT = "text"              # a short line of text
    PHONE = "phone"            # a phone number, typed or shared
    NUMBER = "number"          # a whole number, a button or typed
    COUNTRY = "country"        # a country button, or its name typed
    DATE = "date"              # a typed date
    FILES = "files"            # uploads, then Done
    SEND_OR_ADD = "send_or_add"  # what was given so far: send it now, or add details
    REVIEW = "review"          # the summary: send, or change a section


class Options(StrEnum):
    """Buttons that come from data rather than from the table (listed before the choices)."""

    CATEGORIES = "categories"
    REGIONS = "regions"
    COUNTRIES = "countries"
    COUNTS = "counts"          # 1 to 5


class Show(StrEnum):
    """How a stored answer is shown in the summary or written in the export."""

    TEXT = "text"
    STORY = "story"            # the summary's long block: its own heading line
    CATEGORY = "category"
    REGION = "region"
    PLACE = "place"            # region, and whether a pin came with it
    LOCATION = "location"      # latitude, longitude
    PHONE = "phone"
    YES_NO = "yes_no"
    NUMBER = "number"
    COUNTRY = "country"        # a code, or the country typed in its place
    DATE = "date"
    FILES = "files"
    CONTACT = "contact"        # anonymous, or the name and number given


@dataclass(frozen=True)
class Choice:
    value: str
    label: str                              # msgid
    typed: frozenset[str] = frozenset()     # words typed instead of pressing it


@dataclass(frozen=True)
class Column:
    """A case column filled from an answer (``convert`` turns the stored answer into it)."""

    answer: str
    column: str
    convert: Callable[[Any], Any] | None = None


@dataclass(frozen=True)
class SummaryLine:
    label: str                 # msgid
    show: Show
    block: str                 # consecutive lines of one block are shown together


@dataclass(frozen=True)
class ExportColumn:
    key: str                   # stable
    header: str                # msgid
    show: Show
    fields: tuple[str, ...]    # the case's columns read (``evidence_count``: counted)


Check = Callable[["FormState", Answer, "Limits"], "Outcome"]


def _always(answers: dict[str, Any]) -> bool:
    return True


@dataclass(frozen=True)
class StepSpec:
    """One form step, all of it: what is asked, how it is answered and where it goes."""

    key: Step
    section: str                            # what the summary's "change" buttons reopen
    kind: Input                             # also chooses the validation...
    question: str | None = None             # msgid; {min} {max} {max_files} {max_mb}
    check: Check | None = None              # ...unless the step brings its own
    answers: tuple[str, ...] = ()           # the answer keys it fills (skip clears them)
    choices: tuple[Choice, ...] = ()
    options: Options | None = None
    per_row: int = 1                        # option buttons per row
    skip: str | None = None                 # the skip button's msgid: skippable if set
    skip_section: str | None = None         # msgid of a button skipping its whole section
    offer_keep: bool = False                # an answer already there may be kept
    hint: str | None = None                 # msgid, read after the question...
    hint_first: bool = False                # ...or before it (it opens a group)
    min_length: int = 1
    max_length: int | None = None
    largest: int | None = None              # the largest number taken
    secret: bool = False                    # names the reporter: kept encrypted
    # May point at the reporter (a pin is often their phone's own position): kept
    # encrypted, in the draft and on the case; the case's columns hold a coarse copy.
    sealed: bool = False
    applies: Callable[[dict[str, Any]], bool] = _always
    columns: tuple[Column, ...] = ()        # where the case keeps it
    summary: SummaryLine | None = None
    export: ExportColumn | None = None

    @property
    def skippable(self) -> bool:
        return self.skip is not None


class StepTable:
    """The form's steps in the order they are asked. Everything about a step is read from
    here when it is needed (nothing copied at import), so the table is the one place."""

    def __init__(self, specs: tuple[StepSpec, ...]) -> None:
        self.specs = specs

    def __iter__(self):
        return iter(self.specs)

    def __getitem__(self, key: Step) -> StepSpec:
        for spec in self.specs:
            if spec.key == key:
                return spec
        raise KeyError(key)

    @property
    def order(self) -> list[Step]:
        return [spec.key for spec in self.specs]

    @property
    def sections(self) -> dict[str, tuple[Step, ...]]:
        """Section name to its steps, in order (the summary is no section)."""
        found: dict[str, tuple[Step, ...]] = {}
        for spec in self.specs:
            if spec.key is not Step.SUMMARY:
                found[spec.section] = found.get(spec.section, ()) + (spec.key,)
        return found

    @property
    def secret_answers(self) -> tuple[str, ...]:
        """Answers that name or may locate the reporter: kept encrypted, never in the clear."""
        return tuple(key for spec in self.specs if spec.secret or spec.sealed
                     for key in spec.answers)

    @property
    def sealed_answers(self) -> tuple[str, ...]:
        """Answers kept encrypted on the case as well (see StepSpec.sealed)."""
        return tuple(key for spec in self.specs if spec.sealed for key in spec.answers)
