"""What each outbox row says on Telegram, built when it is sent: one builder a purpose
(``BUILDERS``), reading the case, the people and the row's few parameters as they are now.
A builder returns ``Rendered`` (a Reply, several, or a file for ``send_media``, with a
digest of what the message shows), or None when there is nothing left to say.

Also the messages that show a case as the handlers and the builders both render them (the
card, the details), and what such a message shows (``digest``), so an edit that would
change nothing is never sent: Telegram refuses it ("message is not modified").
"""
from __future__ import annotations

import json
import logging
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import bindparam, func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import InlineKeyboardMarkup

from bot.analytics import suspects
from bot.analytics.period import DateRange
from bot.services.container import Services
from bot.engine.i18n import Translator
from bot.prevention.agency_check import register_verdict
from bot.render import casework as work_view
from bot.render import officer as view
from bot.render import officer_desk as desk_view
from bot.render import resident as resident_view
from bot.render import safety as safety_view
from bot.render.text import Reply, pack_blocks, pack_blocks_into
from bot.services import cases, casework, desk, followups, outbox, reports
from bot.services.delivery import Rendered
from bot.services.files import neutral_name
from bot.storage.evidence import EvidenceUnreadable
from models import (Agency, CaseCard, Evidence, Officer, Outbox, Report, ReportContact,
                    Reporter)

log = logging.getLogger(__name__)

# Photos Telegram shows as photos; any other stored file goes as a document.
PHOTO_TYPES = (None, "image/jpeg", "image/png")
# A card names at most this many related cases; /riwayat lists them all.
RELATED_ON_CARD = 10


def officer_t(services: Services, officer: Officer | None) -> Translator:
    return services.translator(officer.locale if officer else None)


def digest(services: Services, reply: Reply, *, secret: bool = False) -> str:
    """What a message shows (see casework.view_digest); keyed when it names the reporter,
    so a dump cannot confirm a guessed name or number against it."""
    markup = reply.keyboard.to_dict() if reply.keyboard is not None else None
    if not secret:
        return casework.view_digest(reply.text, markup)
    blob = json.dumps([reply.text, markup], sort_keys=True, ensure_ascii=False)
    return services.vault.lookup_hash("case view", blob)[:32]


# --- the messages that show a case ------------------------------------------------------

# A card's counts in one statement, built once: its files, the earlier reports naming the
# same number (none without a number: NULL equals nothing), and whether the agency
# register holds anything (see register_verdict).
_CARD_COUNTS = select(
    select(func.count()).select_from(Evidence).where(
        Evidence.report_id == bindparam("report_id"),
        Evidence.is_description == False).scalar_subquery(),  # noqa: E712
    select(func.count()).select_from(Report).where(
        Report.suspect_phone == bindparam("phone", type_=Report.suspect_phone.type),
        Report.id != bindparam("report_id"),
        Report.created_at <= bindparam("created_at")).scalar_subquery(),
    select(Agency.id).limit(1).scalar_subquery())


async def card_facts(session: AsyncSession, report: Report) -> view.CardFacts:
    attachments, same_phone, register = (await session.exec(_CARD_COUNTS, params={
        "report_id": report.id, "phone": report.suspect_phone or None,
        "created_at": report.created_at})).one()
    assignee = await session.get(Officer, report.assignee_id) if report.assignee_id else None
    verdict = await register_verdict(session, report.suspect_company,
                                     loaded=register is not None)
    last = await casework.last_status_event(session, report.id) if report.status_reason else None
    return view.CardFacts(attachments=attachments,
                          same_phone=same_phone,
                          assignee_name=assignee.name if assignee else None,
                          related=tuple(await suspects.related_case_numbers(
                              session, report.id, limit=RELATED_ON_CARD)),
                          register_verdict=verdict,
                          assignee_id=assignee.id if assignee else None,
                          awaits_reason=casework.awaits_reason(assignee, report),
                          reason_key=(last.detail or {}).get("reason_key") if last else None)


async def render_card(session: AsyncSession, services: Services, report: Report,
                      t: Translator, *, for_group: bool = False,
                      viewer: Officer | None = None,
                      facts: view.CardFacts | None = None, panel: str = work_view.MAIN) -> Reply:
    """An officer's card, or the task-force group's minimal notice (no content, no buttons:
    everyone in the group reads it, officers of the case or not). In its assignee's chat
    the card carries the work on the case (``panel``: which part of it)."""
    if for_group:
        return safety_view.group_notice(t, report, services.regions)
    return view.case_card(t, report, facts or await card_facts(session, report),
                          services.regions, viewer_id=viewer.id if viewer else None,
                          now=services.clock(), panel=panel,
                          quick_replies=desk.canned_replies(t, services.settings.canned_replies))


@dataclass(frozen=True)
class Details:
    """A case's details as one officer reads them, in one or more messages."""

    report_id: int
    blocks: list[str]
    keyboard: InlineKeyboardMarkup
    contact: bool        # they show the contactable reporter's name and number
    pin: bool = False    # they show the reporter's location pin (to the case's officer)

    @property
    def secret(self) -> bool:
        """They show something that may name or locate the reporter: digests keyed."""
        return self.contact or self.pin

    @property
    def replies(self) -> list[Reply]:
        return pack_blocks(self.blocks, self.keyboard)


async def reporter_contact(session: AsyncSession, services: Services, report: Report,
                           officer: Officer | None) -> tuple[str, str] | None:
    """The name and number of a reporter who chose to be contactable, for the officer
    handling the case only; decrypted for this render, never kept in clear."""
    if not report.contactable or officer is None or report.assignee_id != officer.id:
        return None
    row = (await session.exec(select(ReportContact).where(
        ReportContact.report_id == report.id))).first()
    if row is None:
        return None
    return services.vault.decrypt(row.name_enc), services.vault.decrypt(row.phone_enc)


async def render_details(session: AsyncSession, services: Services, report: Report,
                         officer: Officer, *, with_contact: bool = True,
                         facts: view.CardFacts | None = None,
                         panel: str = work_view.MAIN) -> Details:
    """The case's details for ``officer`` (the reporter's contact only with
    ``with_contact``, and only for the officer handling the case)."""
    t = officer_t(services, officer)
    contact = await reporter_contact(session, services, report, officer) if with_contact else None
    mine = report.assignee_id == officer.id
    # The pin, like the contact, for the officer handling the case alone (decrypted now).
    pin = reports.open_location(services.vault, report) if mine else None
    blocks, keyboard = view.details_blocks(
        t, report, facts or await card_facts(session, report), services.regions,
        contact=contact, mine=mine, now=services.clock(), pin=pin,
        quick_replies=desk.canned_replies(t, services.settings.canned_replies), panel=panel)
    return Details(report.id, blocks, keyboard, contact is not None, pin is not None)


async def remember_shown(services: Services, *, officer_id: int, chat_id: int,
                         message_ids: list[int], details: Details) -> None:
    """Details an officer asked for, sent straight away: remembered like the queued ones,
    every part of them."""
    key = secrets.token_hex(8)
    async with services.sessions() as session:
        for part, (message_id, reply) in enumerate(zip(message_ids, details.replies)):
            session.add(CaseCard(report_id=details.report_id, chat_id=chat_id,
                                 message_id=message_id, officer_id=officer_id,
                                 created_at=services.clock(),
                                 kind=followups.VIEW_KINDS[outbox.DETAILS],
                                 digest=digest(services, reply, secret=details.secret),
                                 view_key=key, part=part, shows_contact=details.contact))
        await session.commit()


# --- one builder a purpose ----------------------------------------------------------------

async def build(session: AsyncSession, services: Services, row: Outbox) -> Rendered | None:
    """The row's message as Telegram shows it, rendered now."""
    params = row.params or {}
    if "stored" in params and row.purpose not in (outbox.RELAY_FILE, outbox.EVIDENCE):
        # Queued before rows were intents (migration 0003_outbox_intents): its words as they were stored.
        text = services.vault.decrypt(row.secret_enc) if row.secret_enc else params["stored"]
        return Rendered(Reply(text)) if text else None
    report = await session.get(Report, row.report_id) if row.report_id is not None else None
    if row.report_id is not None and report is None:
        return None
    return await BUILDERS[row.purpose](session, services, row, report, params)


async def _officer(session: AsyncSession, officer_id: int | None) -> Officer | None:
    return await session.get(Officer, officer_id) if officer_id is not None else None


async def _reporter_t(session: AsyncSession, services: Services, row: Outbox,
                      report: Report | None) -> Translator:
    reporter = await session.get(Reporter, row.reporter_id) if row.reporter_id else None
    return services.translator((reporter.locale if reporter else None)
                               or (report.locale if report else None))


async def _card(session, services: Services, row: Outbox, report: Report, params) -> Rendered:
    officer = await _officer(session, row.officer_id)
    reply = await render_card(session, services, report, officer_t(services, officer),
                              for_group=row.officer_id is None, viewer=officer)
    return Rendered(reply, digest(services, reply))


async def _reminder(session, services: Services, row: Outbox, report: Report,
                    params) -> Rendered:
    officer = await _officer(session, row.officer_id)
    reply = view.reminder(officer_t(services, officer), outbox.reminder_kind(row), report,
                          timedelta(seconds=params.get("waited", 0)))
    return Rendered(reply, digest(services, reply))


def _pick_part(details: Details, part: int, parts: int) -> Reply | None:
    """Part ``part`` of the details laid over ``parts`` messages (as queued); if they no
    longer fit in so many, as they fit now."""
    replies = pack_blocks_into(details.blocks, parts, details.keyboard) or details.replies
    return replies[part] if part < len(replies) else None


async def _details(session, services: Services, row: Outbox, report: Report,
                   params) -> Rendered | None:
    officer = await _officer(session, row.officer_id)
    details = await render_details(session, services, report, officer,
                                   with_contact=bool(params.get("contact")))
    reply = _pick_part(details, params.get("part", 0), params.get("parts", 1))
    return Rendered(reply, digest(services, reply, secret=details.secret)) if reply else None


async def _edit(session, services: Services, row: Outbox, report: Report,
                params) -> Rendered | None:
    """A remembered message (card, details part, reminder) brought up to date; None when
    it already shows the case as it is."""
    if params.get("moved"):
        officer = await _officer(session, params.get("officer"))
        return Rendered(view.details_moved(officer_t(services, officer), report))
    card = await session.get(CaseCard, params.get("view"))
    if card is None:
        return None       # forgotten meanwhile (its details went out again below)
    officer = await _officer(session, card.officer_id)
    if card.officer_id is not None and (officer is None or not officer.active):
        return None
    t, secret = officer_t(services, officer), False
    if card.kind == followups.VIEW_KINDS[outbox.REMIND]:
        assignee = await _officer(session, report.assignee_id)
        reply = work_view.reminder_update(t, report, assignee.name if assignee else None)
    elif card.kind == followups.VIEW_KINDS[outbox.DETAILS]:
        reply, secret = await _details_edit(session, services, report, card, officer)
        if reply is None:
            return None
    else:
        reply = await render_card(session, services, report, t, for_group=officer is None,
                                  viewer=officer)
    shown = digest(services, reply, secret=secret)
    return Rendered(reply, shown) if shown != card.digest else None


async def _details_edit(session, services: Services, report: Report, card: CaseCard,
                        officer: Officer) -> tuple[Reply | None, bool]:
    """One part of a details message laid out again with the others; when they no longer
    fit in as many messages, they go out again below (followups.details_outgrown)."""
    parts = sorted((c for c in await cases.cards_of(session, report.id)
                    if c.kind == card.kind and c.view_key == card.view_key),
                   key=lambda c: c.part)
    details = await render_details(session, services, report, officer,
                                   with_contact=any(c.shows_contact for c in parts))
    replies = pack_blocks_into(details.blocks, len(parts), details.keyboard)
    if replies is None:
        await followups.details_outgrown(session, parts, officer=officer,
                                         parts=len(details.replies), contact=details.contact,
                                         now=services.clock())
        return None, False
    index = next(i for i, c in enumerate(parts) if c.id == card.id)
    return replies[index], details.secret


async def _contact(session, services: Services, row: Outbox, report: Report,
                   params) -> Rendered | None:
    if report.assignee_id != row.officer_id:
        return None    # reassigned or released while queued: not theirs to see any more
    contact = (await session.exec(select(ReportContact).where(
        ReportContact.report_id == report.id))).first()
    if contact is None:
        return None
    officer = await _officer(session, row.officer_id)
    vault = services.vault
    return Rendered(view.contact_details(officer_t(services, officer), report,
                                         vault.decrypt(contact.name_enc),
                                         vault.decrypt(contact.phone_enc)))


async def _info(session, services: Services, row: Outbox, report: Report | None,
                params) -> Rendered | None:
    officer = await _officer(session, row.officer_id)
    t, info = officer_t(services, officer), params.get("info")
    who = await _officer(session, params.get("who"))
    name = who.name if who else ""
    if info == "officer_left":
        return Rendered(safety_view.officer_left(t, name, list(params.get("cases", []))))
    if info == "contacts_exported":
        period = DateRange(date.fromisoformat(params["start"]), date.fromisoformat(params["end"]))
        return Rendered(safety_view.contacts_exported(t, name, params.get("rows", 0), period))
    if info == "assigned" and report is not None:
        return Rendered(view.assigned_to_you(t, report))
    if info == "delivered" and report is not None:
        return Rendered(view.message_delivered(t, report))
    return None


async def _notice(session, services: Services, row: Outbox, report: Report,
                  params) -> Rendered:
    t = await _reporter_t(session, services, row, report)
    return Rendered(view.reporter_notice(t, report, params.get("reason_key"),
                                         reopened=bool(params.get("reopened"))))


async def _receipt(session, services: Services, row: Outbox, report: Report,
                   params) -> Rendered | None:
    t = await _reporter_t(session, services, row, report)
    if row.purpose == outbox.RECEIPT_LOST:
        return Rendered(resident_view.receipt_lost(t, report))
    if not report.followup_enc:
        return None
    code = services.vault.decrypt(report.followup_enc)
    if row.purpose == outbox.NEW_CODE:
        return Rendered(resident_view.new_code(t, report, code))
    return Rendered(resident_view.receipt(t, report, code, services.settings.emergency_contacts))


def _part(params) -> tuple[int, int]:
    return params.get("part", 0), params.get("parts", 1)


async def _relay_out(session, services: Services, row: Outbox, report: Report,
                     params) -> Rendered | None:
    t = await _reporter_t(session, services, row, report)
    if params.get("location_label"):
        return Rendered(Reply(desk_view.location_label(t, report)))
    if not row.secret_enc:
        return None
    words = services.vault.decrypt(row.secret_enc)
    return Rendered(view.relay_to_reporter(t, report, words, part=_part(params)))


async def _relay_in(session, services: Services, row: Outbox, report: Report,
                    params) -> Rendered | None:
    officer = await _officer(session, row.officer_id)
    t = officer_t(services, officer)
    words = services.vault.decrypt(row.secret_enc) if row.secret_enc else None
    if "new_file" in params:
        return Rendered(view.new_evidence(t, report, params["new_file"], words))
    if words is None:
        return None
    return Rendered(view.relay_to_officer(t, report, words, part=_part(params)))


async def _relay_file(session, services: Services, row: Outbox, report: Report,
                      params) -> Rendered | None:
    """A file or location from the officer, for ``send_media``."""
    if not row.secret_enc:
        return None
    media = json.loads(services.vault.decrypt(row.secret_enc))
    if "stored" in params or media.get("kind") == "location":
        return Rendered(media)     # a pin, or queued before rows were intents
    t = await _reporter_t(session, services, row, report)
    media["file_name"] = desk_view.officer_file_name(report, media.get("mime_type"),
                                                     media.get("file_name"))
    media["caption"] = desk_view.media_caption(t, report, media.get("caption"))
    return Rendered(media)


async def _evidence(session, services: Services, row: Outbox, report: Report,
                    params) -> Rendered | None:
    """A case's stored file for the officer, read from the evidence store now; None when
    it was purged (retention) while its row waited. A file this instance cannot read is
    not retried in silence: the officer is told so in one line instead."""
    officer = await _officer(session, row.officer_id)
    if "stored" in params:
        media = json.loads(services.vault.decrypt(row.secret_enc)) if row.secret_enc else None
        if media is None or (await session.exec(select(Evidence.id).where(
                Evidence.path == media["path"]))).first() is None:
            return None
        try:
            media["data"] = await services.evidence.read(session, media["path"])
        except EvidenceUnreadable as exc:
            return _unreadable(services, row, report, officer, params, exc)
        return Rendered(media)
    item = await session.get(Evidence, params.get("evidence"))
    if item is None or item.report_id != report.id:
        return None
    try:
        data = await services.evidence.read(session, item.path)
    except EvidenceUnreadable as exc:
        return _unreadable(services, row, report, officer, params, exc)
    as_photo = item.kind == "photo" and item.mime_type in PHOTO_TYPES
    return Rendered(dict(
        kind="photo" if as_photo else "document", data=data,
        file_name=neutral_name(report.case_number, params.get("index", 1), item),
        caption=view.evidence_caption(officer_t(services, officer), report, item.caption,
                                      cleaned=item.cleaned)))


def _unreadable(services: Services, row: Outbox, report: Report, officer: Officer | None,
                params, error: EvidenceUnreadable) -> Rendered:
    log.warning("outbox %s: a stored file cannot be read here (%s)", row.id, error)
    return Rendered(view.evidence_unreadable(officer_t(services, officer), report,
                                             params.get("index", 1)))


BUILDERS = {
    outbox.CARD: _card, outbox.CARD_EDIT: _edit, outbox.DETAILS: _details,
    outbox.REMIND: _reminder, outbox.CONTACT: _contact, outbox.INFO: _info,
    outbox.NOTICE: _notice, outbox.RECEIPT: _receipt, outbox.NEW_CODE: _receipt,
    outbox.RECEIPT_LOST: _receipt, outbox.RELAY_OUT: _relay_out, outbox.RELAY_IN: _relay_in,
    outbox.RELAY_FILE: _relay_file, outbox.EVIDENCE: _evidence,
}
