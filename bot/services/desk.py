"""An officer's own desk: the overview ``/start`` shows, what an officer sends a reporter
(text, a file by its channel id, a pin), and words sent without a pending action, kept
on the officer's row until they choose. Plain values in and out; no Telegram."""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage import scrub
from bot.storage.crypto import Vault, WrongKeyError
from sqlmodel import select

from bot.engine.domain import CLOSED_STATUSES
from bot.engine.i18n import N_, Translator
from bot.services import access, cases, drafts, duty
from models import Officer, Report, Reporter

# The built-in quick replies, in the reporter's language; CANNED_REPLIES replaces them.
CANNED_DEFAULTS = (
    N_("Thank you, we are following up on your report."),
    N_("If you have them, please send photos or documents that support your report."),
    N_("Is this still going on? Please tell us what has happened since your report."),
    N_("If anyone is in danger right now, please call the police at 110 at once."),
    N_("We will let you know here as soon as there is news on your report."),
)


def canned_replies(t: Translator, configured: list[str]) -> list[str]:
    """The configured list as given, else the built-in one in ``t``'s language."""
    return list(configured) if configured else [t(text) for text in CANNED_DEFAULTS]


MAX_KEPT = 10             # an offer keeps the officer's last ten messages, in order
QUEUE_COUNT_LIMIT = 500
# What an officer may send a reporter besides text. Photos come recompressed by the
# channel (no EXIF), voice notes are recorded in the app (no tags), a location is two
# numbers: these go by the channel's file id. Documents keep their author, GPS and file
# name: they are fetched, cleaned (bot/storage/scrub.py) and sent under a neutral name.
MEDIA_KINDS = ("photo", "document", "voice", "location")


@dataclass(frozen=True)
class Outgoing:
    """One message from an officer to a reporter."""

    kind: str                        # "text" or one of MEDIA_KINDS
    text: str | None = None          # the text, or a file's caption
    file_id: str | None = None
    file_name: str | None = None
    mime_type: str | None = None
    latitude: float | None = None
    longitude: float | None = None

    def to_dict(self) -> dict:
        return {key: value for key, value in asdict(self).items() if value is not None}

    @classmethod
    def from_dict(cls, data: dict) -> "Outgoing":
        return cls(**{key: data[key] for key in cls.__dataclass_fields__ if key in data})


def refusal(message: Outgoing, *, size: int | None, max_bytes: int) -> str | None:
    """Why this cannot go to a reporter ("too_big", "not_cleanable"), or None."""
    if message.kind not in ("text", *MEDIA_KINDS):
        return "unsupported"
    if size is not None and size > max_bytes:
        return "too_big"
    if message.kind == "document" and not can_clean(message.mime_type, message.file_name):
        return "not_cleanable"
    return None


def can_clean(mime_type: str | None, file_name: str | None) -> bool:
    """A document whose metadata bot/storage/scrub.py removes: pictures, PDF, Office, audio.
    Judged before the download from what the app reports; the cleaning sniffs the bytes."""
    mime = scrub.named_type(mime_type, file_name) or ""
    return (mime in scrub.IMAGE_TYPES or mime == "application/pdf" or mime in scrub.OOXML_TYPES
            or mime.startswith("audio/"))


@dataclass(frozen=True)
class Overview:
    """What an officer's ``/start`` shows."""

    open_cases: int
    queue: int
    on_duty: bool


async def overview(session: AsyncSession, *, officer: Officer, now: datetime) -> Overview:
    mine = await cases.my_open_cases(session, officer.id)
    waiting = await access.visible(
        session, await cases.unclaimed_cases(session, limit=QUEUE_COUNT_LIMIT), officer)
    return Overview(len(mine), len(waiting),
                    await duty.is_on_duty(session, officer_id=officer.id, now=now))


async def writing_as_resident(session: AsyncSession, *, vault: Vault, channel: str,
                              user_id: int) -> bool:
    """True while this officer's account fills a report as a resident (or the bot waits
    for their follow-up code or agency name): their words then go to the resident's flow."""
    reporter = (await session.exec(select(Reporter).where(
        Reporter.lookup_hash.in_(vault.lookup_hashes(channel, user_id))))).first()
    if reporter is None:
        return False
    return reporter.awaiting is not None or await drafts.load_draft(session, reporter.id) is not None


@dataclass(frozen=True)
class Kept:
    """Messages kept for a case the officer holds, waiting for their choice. ``lost``:
    they can no longer go (the case closed, "closed", or left the officer, "not_yours",
    or they were encrypted with a key no longer listed, "unreadable") and were let go;
    the officer is told so."""

    report: Report
    count: int
    lost: str | None = None


async def keep_unsent(session: AsyncSession, *, officer: Officer, vault: Vault,
                      message: Outgoing) -> Kept | None:
    """A message sent with no pending action. Held exactly one open case: kept (encrypted,
    it is meant for a reporter) on the officer's row, to offer sending it there; a second
    message joins the first. Otherwise None: the officer gets help, nothing is kept.
    Kept messages that can no longer go are replaced: ``settle_kept`` first tells why."""
    kept: list[dict] = []
    report = None
    if officer.unsent:
        report = await cases.load_case(session, officer.unsent["report_id"])
        if report is not None and _why_lost(report, officer) is None \
                and _readable(vault, officer.unsent):
            kept = _kept(vault, officer.unsent)
        else:
            report = None
    if report is None:
        held = await cases.my_open_cases(session, officer.id)
        if len(held) != 1:
            return None
        report = held[0]
    kept = (kept + [message.to_dict()])[-MAX_KEPT:]
    officer.unsent = dict(report_id=report.id, count=len(kept),
                          kept_enc=vault.encrypt(json.dumps(kept)))
    return Kept(report, len(kept))


async def settle_kept(session: AsyncSession, *, officer: Officer, vault: Vault) -> Kept | None:
    """What is still kept for the officer, after they did something else: offered again
    while its case is open and theirs, else let go (``Kept.lost`` says why). None when
    nothing is kept."""
    if not officer.unsent:
        return None
    report = await cases.load_case(session, officer.unsent["report_id"])
    if not _readable(vault, officer.unsent):
        unreadable, officer.unsent = officer.unsent, None
        return Kept(report, unreadable.get("count") or 1, UNREADABLE) \
            if report is not None else None
    count = len(_kept(vault, officer.unsent))
    lost = _why_lost(report, officer) if count else "empty"
    if lost is None:
        return Kept(report, count)
    officer.unsent = None
    return Kept(report, count, lost) if report is not None and count else None


def _why_lost(report: Report | None, officer: Officer) -> str | None:
    if report is None or report.assignee_id != officer.id:
        return "not_yours"
    if report.status in CLOSED_STATUSES:
        return "closed"
    return None


def take_kept(officer: Officer, *, vault: Vault,
              report: Report) -> tuple[Kept, list[Outgoing]] | None:
    """The kept messages for this case, forgotten on the row (``Kept.lost`` when they can
    no longer go); None when none are kept for it (already sent, or dropped)."""
    unsent = officer.unsent or {}
    if unsent.get("report_id") != report.id:
        return None
    officer.unsent = None
    if not _readable(vault, unsent):
        return Kept(report, unsent.get("count") or 1, UNREADABLE), []
    messages = _kept(vault, unsent)
    return Kept(report, len(messages), _why_lost(report, officer)), [
        Outgoing.from_dict(item) for item in messages]


# Kept words encrypted with a key no longer listed (``tipbot keys rotate`` re-encrypts
# them, so only a key removed without rotating does this): let go, and the officer told.
UNREADABLE = "unreadable"


def _readable(vault: Vault, unsent: dict) -> bool:
    return vault.can_decrypt(unsent.get("kept_enc") or "")


def _kept(vault: Vault, unsent: dict) -> list[dict]:
    try:
        return json.loads(vault.decrypt(unsent["kept_enc"]))
    except WrongKeyError:
        return []


def reply_digest(text: str) -> str:
    """Eight characters naming a quick reply's words in a Send button (64-byte data)."""
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def pick_reply(replies: list[str], index: str) -> str | None:
    """The quick reply a button names by its index; None for anything else."""
    if not index.isdigit() or int(index) >= len(replies):
        return None
    return replies[int(index)]
