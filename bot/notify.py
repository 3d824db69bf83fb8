"""Between the case engine and the outbox: renders what officers and reporters are told
and queues it in the caller's transaction. Nothing here talks to Telegram."""
from __future__ import annotations

import json
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import InlineKeyboardMarkup

from bot.analytics import suspects
from bot.context import Services
from bot.engine.domain import EventKind, Role
from bot.engine.i18n import Translator
from bot.prevention.agency_check import register_verdict
from bot.render import casework as work_view
from bot.render import officer as view
from bot.render import officer_desk as desk_view
from bot.render import resident as resident_view
from bot.render import safety as safety_view
from bot.render.text import Reply, pack_blocks, pack_blocks_into
from bot.services import cases, casework, desk, duty, outbox, reminders, reports, routing
from bot.services.files import neutral_name
from models import (Agency, CaseCard, CaseEvent, Evidence, Officer, Outbox, Report,
                    ReportContact, Reporter)

log = logging.getLogger(__name__)

CARD = outbox.CARD
CARD_EDIT, NOTICE, RELAY_OUT, RELAY_IN, INFO = (
    "card_edit", "notice", "relay_out", "relay_in", "info")
REMIND = "remind"
# A file or location an officer sends a reporter: what to send (the channel's file id or the
# coordinates, the caption) is kept only encrypted, in secret_enc, and erased once sent.
RELAY_FILE = "relay_file"
# A case's stored file the officer asked for (📎): which file (its path in the evidence
# store), its neutral name and caption, encrypted in secret_enc; the file is read from the
# store only when sent, so a retry after a 429 sends the same file again.
EVIDENCE = "evidence"
# Photos Telegram shows as photos; any other stored file goes as a document.
PHOTO_TYPES = (None, "image/jpeg", "image/png")
DETAILS = "details"
# Messages that show a case, remembered when sent (CaseCard.kind) and edited on a change.
VIEW_KINDS = {CARD: "card", DETAILS: "details", REMIND: "reminder"}
# After a status change the reporter's notice waits this long for the officer's optional
# reason (a reason or "no reason" sends it at once): one message, with the reason in it.
REASON_WAIT = timedelta(minutes=5)
# A card names at most this many related cases; /riwayat lists them all.
RELATED_ON_CARD = 10


def officer_t(services: Services, officer: Officer | None) -> Translator:
    return services.translator(officer.locale if officer else None)


def _markup(reply: Reply) -> dict | None:
    return reply.keyboard.to_dict() if reply.keyboard is not None else None


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
                          quick_replies=desk_view.canned_replies(
                              t, services.settings.canned_replies))


async def queue_card(session: AsyncSession, services: Services, report: Report, *, now: datetime,
                     officer: Officer | None = None, chat_id: int | None = None,
                     round_key: str = "") -> bool:
    """A case card to one officer or the group (see bot.services.routing.queue_card)."""
    return await routing.queue_card(session, report, now=now, officer=officer, chat_id=chat_id,
                                    round_key=round_key,
                                    alerts_per_minute=services.settings.alerts_per_minute)


async def route_case(session: AsyncSession, services: Services, report: Report, *,
                     now: datetime, exclude: set[int] = frozenset(),
                     round_key: str = "", page_interval=None) -> cases.Routing:
    """Queue the card to whoever routing picks (see bot.services.routing.route_case)."""
    return await routing.route_case(session, report, now=now, exclude=exclude,
                                    round_key=round_key, page_interval=page_interval,
                                    alerts_per_minute=services.settings.alerts_per_minute)


async def refresh_cards(session: AsyncSession, services: Services, report: Report, *,
                        now: datetime) -> None:
    """Edit every message that shows this case (cards, details, reminders) to show it as it
    is now (a card still queued is rendered when sent); a message that would not change is
    left alone, and one in the chat of an officer who left too (nothing more about any case
    reaches them)."""
    facts = await card_facts(session, report)
    details: dict[str, list[CaseCard]] = {}
    for card in await cases.cards_of(session, report.id):
        if card.kind == VIEW_KINDS[DETAILS]:
            details.setdefault(card.view_key or f"#{card.id}", []).append(card)
        else:
            await _refresh_view(session, services, report, card, facts, now=now)
    if details:
        on_the_way = await _details_on_the_way(session, report.id)
    for key, parts in details.items():
        # Some parts not sent yet: laid over the ones sent alone, the details would not
        # fit. Their last part to be remembered brings them all up to date.
        if key not in on_the_way:
            await _refresh_details(session, services, report, parts, facts, now=now)


async def _refresh_view(session: AsyncSession, services: Services, report: Report,
                        card: CaseCard, facts: view.CardFacts, *, now: datetime) -> None:
    officer = await session.get(Officer, card.officer_id) if card.officer_id else None
    if officer is not None and not officer.active:
        return
    t = officer_t(services, officer)
    if card.kind == VIEW_KINDS[REMIND]:
        reply = work_view.reminder_update(t, report, facts.assignee_name)
    else:
        reply = await render_card(session, services, report, t, for_group=officer is None,
                                  viewer=officer, facts=facts)
    digest = casework.view_digest(reply.text, _markup(reply))
    if digest == card.digest:
        return          # Telegram refuses an edit that changes nothing
    card.digest = digest
    await outbox.enqueue(session, purpose=CARD_EDIT, text=reply.text, markup=_markup(reply),
                         now=now, chat_id=card.chat_id, report_id=report.id,
                         edit_message_id=card.message_id)


async def card_state(session: AsyncSession, row: Outbox, *, fresh: bool = False) -> tuple | None:
    """What a card about to be sent was rendered from (the objects content_of used), or
    with ``fresh`` what it would be rendered from now, as far as a change made while it
    is on its way is concerned: the case's row and its assignee's (whatever calls
    refresh_cards changes one of them: a claim, a status, a reason offered to the
    assignee). None for anything else."""
    if row.purpose != CARD or row.report_id is None:
        return None
    report = await session.get(Report, row.report_id, populate_existing=fresh)
    if report is None:
        return None
    assignee = (await session.get(Officer, report.assignee_id, populate_existing=fresh)
                if report.assignee_id else None)
    return (_columns(report, skip=_NOT_ON_CARD),
            _columns(assignee) if assignee is not None else None)


# A card never shows the follow-up code: the receipt's delivery erasing it (often while
# the case's card is on its way) does not make the card stale. Before, about one card in
# three of a surge was rendered again for it, and the ones naming a related case that had
# come meanwhile were edited.
_NOT_ON_CARD = frozenset({"followup_enc", "followup_hash"})


def _columns(instance, skip: frozenset[str] = frozenset()) -> tuple:
    return tuple(getattr(instance, column.key) for column in instance.__table__.columns
                 if column.key not in skip)


async def remember_view(session: AsyncSession, services: Services, row: Outbox, *,
                        chat_id: int, message_id: int, now: datetime,
                        shown: tuple[str, dict | None],
                        rendered_from: tuple | None = None) -> None:
    """A card, details or reminder just sent (``shown``: the words and buttons it went out
    with; a card's are rendered when sent): remembered with what it shows; a card or
    details that went stale while it was on its way is edited at once.

    A card rendered when sent (``rendered_from``: card_state then) is rendered again only
    when its case or assignee changed meanwhile. Other cases named in it (related
    reports) may have come since, but no card is edited for those, so neither is this one:
    before, every card of a surge was rendered twice and edited right after it was sent."""
    key, part, parts, contact = _details_part(row)
    card = CaseCard(report_id=row.report_id, chat_id=chat_id, message_id=message_id,
                    officer_id=row.officer_id, created_at=now, kind=VIEW_KINDS[row.purpose],
                    digest=_digest(services, *shown, secret=contact), view_key=key, part=part,
                    shows_contact=contact)
    session.add(card)
    if row.purpose == REMIND:
        return          # a reminder is true when sent; it is edited when the case changes
    if rendered_from is not None and await card_state(session, row, fresh=True) == rendered_from:
        return
    report = await session.get(Report, row.report_id, populate_existing=True)
    if row.purpose == CARD:
        await _refresh_view(session, services, report, card, await card_facts(session, report),
                            now=now)
        return
    siblings = [card]
    if key is not None:
        await session.flush()
        siblings = [c for c in await cases.cards_of(session, report.id)
                    if c.kind == card.kind and c.view_key == key]
    # Details are checked once all their parts are remembered, by whichever comes last
    # (parts are recorded side by side; two recorded at once may both leave it: the next
    # change to the case brings them up to date then).
    if len(siblings) == parts:
        await _refresh_details(session, services, report, siblings,
                               await card_facts(session, report), now=now)


@dataclass(frozen=True)
class Details:
    """A case's details as one officer reads them, in one or more messages."""

    report_id: int
    blocks: list[str]
    keyboard: InlineKeyboardMarkup
    contact: bool        # they show the contactable reporter's name and number

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
    blocks, keyboard = view.details_blocks(
        t, report, facts or await card_facts(session, report), services.regions,
        contact=contact, mine=report.assignee_id == officer.id, now=services.clock(),
        quick_replies=desk_view.canned_replies(t, services.settings.canned_replies),
        panel=panel)
    return Details(report.id, blocks, keyboard, contact is not None)


def _digest(services: Services, text: str, markup: dict | None, *, secret: bool) -> str:
    """What a message shows (see casework.view_digest); keyed when it names the reporter."""
    if not secret:
        return casework.view_digest(text, markup)
    blob = json.dumps([text, markup], sort_keys=True, ensure_ascii=False)
    return services.vault.lookup_hash("case view", blob)[:32]


async def remember_shown(services: Services, *, officer_id: int, chat_id: int,
                         message_ids: list[int], details: Details) -> None:
    """Details an officer asked for, sent straight away: remembered like the queued ones,
    every part of them."""
    key = secrets.token_hex(8)
    replies = details.replies
    async with services.sessions() as session:
        for part, (message_id, reply) in enumerate(zip(message_ids, replies)):
            session.add(CaseCard(report_id=details.report_id, chat_id=chat_id,
                                 message_id=message_id, officer_id=officer_id,
                                 created_at=services.clock(), kind=VIEW_KINDS[DETAILS],
                                 digest=_digest(services, reply.text, _markup(reply),
                                                secret=details.contact),
                                 view_key=key, part=part, shows_contact=details.contact))
        await session.commit()


async def queue_details(session: AsyncSession, services: Services, details: Details, *,
                        officer: Officer, now: datetime) -> None:
    """The case's details to an officer; every part is remembered when sent and edited
    when the case changes. Words that name the reporter wait only encrypted."""
    replies = details.replies
    key = secrets.token_hex(8)
    for index, reply in enumerate(replies):
        secret = services.vault.encrypt(reply.text) if details.contact else None
        await outbox.enqueue(session, purpose=DETAILS, text="" if secret else reply.text,
                             secret_enc=secret, markup=_markup(reply), now=now,
                             officer_id=officer.id, report_id=details.report_id,
                             dedupe_key=f"{DETAILS}:{key}:{index}:{len(replies)}"
                                        f":{int(details.contact)}")


async def _details_on_the_way(session: AsyncSession, report_id: int) -> set[str]:
    """The view keys of the case's details with a part still waiting in the outbox."""
    keys = (await session.exec(select(Outbox.dedupe_key).where(
        Outbox.report_id == report_id, Outbox.purpose == DETAILS,
        Outbox.status == outbox.PENDING))).all()
    return {key.split(":")[1] for key in keys if key and key.count(":") == 4}


def _details_part(row: Outbox) -> tuple[str | None, int, int, bool]:
    """(view key, part, parts, shows the contact) of a queued details message; a row
    queued before details had parts is a message on its own."""
    fields = (row.dedupe_key or "").split(":")
    if row.purpose != DETAILS or len(fields) != 5 or fields[0] != DETAILS:
        return None, 0, 1, False
    return fields[1], int(fields[2]), int(fields[3]), fields[4] == "1"


async def _refresh_details(session: AsyncSession, services: Services, report: Report,
                           cards: list[CaseCard], facts: view.CardFacts, *,
                           now: datetime) -> None:
    """Every part of one details message brought up to date, each edited only when it
    differs. Details that no longer fit in as many messages are sent again below, and
    the old parts say so (a message cannot be added between two others)."""
    cards = sorted(cards, key=lambda c: c.part)
    officer = await session.get(Officer, cards[0].officer_id) if cards[0].officer_id else None
    if officer is None or not officer.active:
        return
    details = await render_details(session, services, report, officer, facts=facts,
                                   with_contact=any(c.shows_contact for c in cards))
    replies = pack_blocks_into(details.blocks, len(cards), details.keyboard)
    if replies is None:
        moved = view.details_moved(officer_t(services, officer), report)
        for card in cards:
            await _edit(session, services, card, report, moved, now=now, secret=False)
            await session.delete(card)
        await queue_details(session, services, details, officer=officer, now=now)
        return
    for card, reply in zip(cards, replies):
        await _edit(session, services, card, report, reply, now=now, secret=details.contact)


async def _edit(session: AsyncSession, services: Services, card: CaseCard, report: Report,
                reply: Reply, *, now: datetime, secret: bool) -> None:
    """Edit one remembered message to ``reply``, unless it shows just that already."""
    digest = _digest(services, reply.text, _markup(reply), secret=secret)
    if digest == card.digest:
        return          # Telegram refuses an edit that changes nothing
    card.digest = digest
    hidden = services.vault.encrypt(reply.text) if secret else None
    await outbox.enqueue(session, purpose=CARD_EDIT, text="" if hidden else reply.text,
                         secret_enc=hidden, markup=_markup(reply), now=now,
                         chat_id=card.chat_id, report_id=report.id,
                         edit_message_id=card.message_id)


async def notify_reporter(session: AsyncSession, services: Services, report: Report, *,
                          now: datetime, hold: bool = False, reason_key: str | None = None,
                          reopened: bool = False) -> None:
    """Taken, a new status or reopened: told in the reporter's own language. ``hold``: the
    officer may still give a reason, so the notice waits REASON_WAIT for it. A notice
    still waiting is rewritten rather than followed by another: one message per change."""
    if report.reporter_id is None:
        return
    reporter = await session.get(Reporter, report.reporter_id)
    if reporter is None:
        return
    reply = view.reporter_notice(services.translator(reporter.locale or report.locale), report,
                                 reason_key, reopened=reopened)
    due = now + REASON_WAIT if hold else now
    waiting = [row for row in await outbox.pending_for_report(session, report_id=report.id,
                                                              purpose=NOTICE)
               if row.locked_until is None or row.locked_until < now]
    if waiting:
        waiting[-1].text, waiting[-1].next_attempt_at = reply.text, due
        return
    await outbox.enqueue(session, purpose=NOTICE, text=reply.text, now=now,
                         reporter_id=reporter.id, report_id=report.id, not_before=due)


async def case_changed(session: AsyncSession, services: Services, report: Report, *,
                       now: datetime, tell_reporter: bool = False, hold: bool = False,
                       reason_key: str | None = None, reopened: bool = False,
                       also: int | None = None) -> None:
    """After a change to a case: every message showing it is brought up to date (and
    those of case ``also``, whose offered reasons were just withdrawn), and the reporter
    is told when asked."""
    await refresh_cards(session, services, report, now=now)
    if also is not None and also != report.id:
        await refresh_case(session, services, also, now=now)
    if tell_reporter:
        await notify_reporter(session, services, report, now=now, hold=hold,
                              reason_key=reason_key, reopened=reopened)


async def refresh_case(session: AsyncSession, services: Services, report_id: int, *,
                       now: datetime) -> None:
    report = await session.get(Report, report_id)
    if report is not None:
        await refresh_cards(session, services, report, now=now)


async def case_released(session: AsyncSession, services: Services, report: Report, *,
                        by: Officer, now: datetime) -> list[int]:
    """A case its officer gave back: routed again like a new unclaimed case (not to them),
    and every message showing it offers the claim again; returns who was alerted."""
    routing = await route_case(session, services, report, now=now, exclude={by.id},
                               round_key=f":r{int(now.timestamp())}")
    officer_ids = [o.id for o in routing.officers]
    session.add(CaseEvent(report_id=report.id, at=now, kind=EventKind.ALERTED,
                          detail={"officers": officer_ids, "released": True}))
    await refresh_cards(session, services, report, now=now)
    return officer_ids


async def queue_info(session: AsyncSession, reply: Reply, *, officer: Officer, now: datetime,
                     report_id: int | None = None) -> None:
    await outbox.enqueue(session, purpose=INFO, text=reply.text, markup=_markup(reply), now=now,
                         officer_id=officer.id, report_id=report_id)


async def relay_to_reporter(session: AsyncSession, services: Services, report: Report, *,
                            officer: Officer, text: str, now: datetime) -> None:
    reporter = await session.get(Reporter, report.reporter_id) if report.reporter_id else None
    if reporter is None:
        raise cases.CaseError("unknown")
    for reply in view.relay_to_reporter(services.translator(reporter.locale or report.locale),
                                        report, text):
        await outbox.enqueue(session, purpose=RELAY_OUT, text="", now=now,
                             secret_enc=services.vault.encrypt(reply.text),
                             reporter_id=reporter.id, report_id=report.id)
    await cases.record_relay(session, report=report, officer_id=officer.id, to_reporter=True,
                             now=now)


async def send_to_reporter(session: AsyncSession, services: Services, report: Report, *,
                           officer: Officer, message: desk.Outgoing, now: datetime) -> None:
    """What an officer sends the reporter: text, a file (by its file id) or a location,
    labelled with the case number only."""
    cases.require_assignee(report, officer)
    if message.kind == "text":
        await relay_to_reporter(session, services, report, officer=officer,
                                text=message.text or "", now=now)
        return
    reporter = await session.get(Reporter, report.reporter_id) if report.reporter_id else None
    if reporter is None:
        raise cases.CaseError("unknown")
    t = services.translator(reporter.locale or report.locale)
    vault = services.vault
    if message.kind == "location":
        # A pin has no caption: the label goes just before it.
        await outbox.enqueue(session, purpose=RELAY_OUT, text="", now=now,
                             secret_enc=vault.encrypt(desk_view.location_label(t, report)),
                             reporter_id=reporter.id, report_id=report.id)
        payload = dict(kind="location", latitude=message.latitude, longitude=message.longitude)
    else:
        payload = dict(kind=message.kind, file_id=message.file_id, mime_type=message.mime_type,
                       file_name=desk_view.officer_file_name(report, message.mime_type,
                                                             message.file_name),
                       caption=desk_view.media_caption(t, report, message.text))
    await outbox.enqueue(session, purpose=RELAY_FILE, text="", now=now,
                         secret_enc=vault.encrypt(json.dumps(payload)),
                         reporter_id=reporter.id, report_id=report.id)
    await cases.record_relay(session, report=report, officer_id=officer.id, to_reporter=True,
                             now=now)


def media_of(services: Services, row: Outbox) -> dict | None:
    """The file or location a queued row sends, in memory; None for a text row. A case's
    stored file comes with its bytes (``data``), read from the evidence store."""
    media = _media_payload(services, row)
    if media is not None and row.purpose == EVIDENCE:
        media["data"] = services.evidence.read(media["path"])
    return media


def _media_payload(services: Services, row: Outbox) -> dict | None:
    if row.purpose not in (RELAY_FILE, EVIDENCE) or not row.secret_enc:
        return None
    return json.loads(services.vault.decrypt(row.secret_enc))


async def queue_evidence(session: AsyncSession, services: Services, report: Report, *,
                         officer: Officer, now: datetime) -> int:
    """The case's photos and documents to the officer (📎), each under a neutral name
    with the reporter's caption, through the outbox; returns how many."""
    t, vault = officer_t(services, officer), services.vault
    files = await reports.evidence_of(session, report.id)
    for index, item in enumerate(files, start=1):
        as_photo = item.kind == "photo" and item.mime_type in PHOTO_TYPES
        payload = dict(kind="photo" if as_photo else "document", path=item.path,
                       file_name=neutral_name(report.case_number, index, item),
                       caption=view.evidence_caption(t, report, item.caption,
                                                     cleaned=item.cleaned))
        await outbox.enqueue(session, purpose=EVIDENCE, text="", now=now, officer_id=officer.id,
                             report_id=report.id, secret_enc=vault.encrypt(json.dumps(payload)))
    return len(files)


async def quick_reply_to_reporter(session: AsyncSession, services: Services, report: Report, *,
                                  officer: Officer, index: str, now: datetime) -> None:
    """One of the quick replies (CANNED_REPLIES, else the built-in ones in the reporter's
    language), named by its index, to the reporter."""
    reporter = await session.get(Reporter, report.reporter_id) if report.reporter_id else None
    if reporter is None:
        raise cases.CaseError("unknown")
    t = services.translator(reporter.locale or report.locale)
    text = desk.pick_reply(desk_view.canned_replies(t, services.settings.canned_replies), index)
    if text is None:
        raise cases.CaseError("bad_status")
    await relay_to_reporter(session, services, report, officer=officer, text=text, now=now)


async def _active_assignee(session: AsyncSession, report: Report) -> Officer:
    """The officer holding the case; relay never goes to one who left."""
    assignee = await session.get(Officer, report.assignee_id) if report.assignee_id else None
    if assignee is None or not assignee.active:
        raise cases.CaseError("unknown_officer")
    return assignee


async def relay_to_officer(session: AsyncSession, services: Services, report: Report, *,
                           text: str, now: datetime) -> None:
    assignee = await _active_assignee(session, report)
    for reply in view.relay_to_officer(officer_t(services, assignee), report, text):
        # The reporter's own words: kept only encrypted, and only until sent.
        await outbox.enqueue(session, purpose=RELAY_IN, text="", markup=_markup(reply),
                             secret_enc=services.vault.encrypt(reply.text), now=now,
                             officer_id=assignee.id, report_id=report.id)
    await cases.record_relay(session, report=report, officer_id=None, to_reporter=False, now=now)


async def evidence_to_officer(session: AsyncSession, services: Services, report: Report, *,
                              kind: str, now: datetime, caption: str | None = None) -> None:
    """Tell the assignee that the reporter sent a new file to the case, with its caption;
    the messages that show the case count it (and offer the evidence) from now on."""
    assignee = await _active_assignee(session, report)
    reply = view.new_evidence(officer_t(services, assignee), report, kind, caption)
    await outbox.enqueue(session, purpose=RELAY_IN, text=reply.text, markup=_markup(reply),
                         now=now, officer_id=assignee.id, report_id=report.id)
    await refresh_cards(session, services, report, now=now)


async def route_waiting_cases(session: AsyncSession, services: Services, *,
                              now: datetime) -> int:
    """Cases filed while no officer was registered go to the first ones who appear."""
    routed = 0
    for report in await cases.unrouted_cases(session):
        routing = await route_case(session, services, report, now=now)
        officer_ids = [o.id for o in routing.officers]
        if officer_ids:
            session.add(CaseEvent(report_id=report.id, at=now, kind=EventKind.ALERTED,
                                  detail={"officers": officer_ids, "waited": True}))
            routed += 1
    return routed


async def run_sweep(session: AsyncSession, services: Services, *, now: datetime) -> int:
    """Queue every reminder and escalation due now; each one once, ever."""
    queued = await route_waiting_cases(session, services, now=now)
    for due in await reminders.due_now(session, settings=services.settings, now=now):
        first, *others = due.recipients
        # The key without a recipient is the sentinel: whoever inserts it owns this
        # interval's reminder, its other rows and its timeline event.
        if not await _queue_reminder(session, services, due, first, due.key, now):
            continue
        for officer in others:
            await _queue_reminder(session, services, due, officer, f"{due.key}:o{officer.id}", now)
        kind = EventKind.ESCALATION if due.kind in (reminders.ESCALATE, reminders.STALE_ESCALATE) \
            else EventKind.REMINDER
        session.add(CaseEvent(report_id=due.report.id, at=now, kind=kind,
                              detail={"kind": due.kind, "to": [o.id for o in due.recipients]}))
        queued += 1
    return queued


async def _queue_reminder(session, services, due, officer: Officer, key: str, now) -> bool:
    reply = view.reminder(officer_t(services, officer), due.kind, due.report, due.waited)
    return await outbox.enqueue(session, purpose=REMIND, text=reply.text, markup=_markup(reply),
                                now=now, officer_id=officer.id, report_id=due.report.id,
                                dedupe_key=key)


def reminder_kind(row: Outbox) -> str | None:
    return row.dedupe_key.split(":", 1)[0] if row.purpose == REMIND and row.dedupe_key else None


async def reroute_after_block(session: AsyncSession, services: Services, report_id: int, *,
                              now: datetime) -> None:
    """An officer blocked the bot before seeing an unclaimed case: pick someone else."""
    report = await session.get(Report, report_id)
    if report is None or report.assignee_id is not None:
        return
    already = set((await session.exec(select(Outbox.officer_id).where(
        Outbox.report_id == report_id, Outbox.purpose == CARD,
        Outbox.officer_id != None))).all())  # noqa: E711
    routing = await route_case(session, services, report, now=now, exclude=already)
    officer_ids = [o.id for o in routing.officers]
    session.add(CaseEvent(report_id=report.id, at=now, kind=EventKind.ALERTED,
                          detail={"officers": officer_ids, "rerouted": True}))


async def officer_left(session: AsyncSession, services: Services, departure, *,
                       now: datetime) -> list[int]:
    """After a deactivation: the released cases go out again like new unclaimed cases,
    and the supervisors and admins are told; returns who was told."""
    gone = departure.officer
    round_key = f":r{int(now.timestamp())}"
    for report in departure.released:
        routing = await route_case(session, services, report, now=now, exclude={gone.id},
                                   round_key=round_key)
        officer_ids = [o.id for o in routing.officers]
        await refresh_cards(session, services, report, now=now)
        session.add(CaseEvent(report_id=report.id, at=now, kind=EventKind.ALERTED,
                              detail={"officers": officer_ids, "rerouted": True}))
    bosses = [o for o in await duty.supervisors_and_admins(session) if o.id != gone.id]
    codes = [report.case_number for report in departure.released]
    for boss in bosses:
        await queue_info(session, safety_view.officer_left(officer_t(services, boss), gone.name, codes),
                         officer=boss, now=now)
    log.info("officer %s deactivated; %d case(s) back in the queue", gone.id, len(codes))
    return [boss.id for boss in bosses]


async def tell_admins_of_contacts_export(session: AsyncSession, services: Services, *,
                                         by: Officer, rows: int, date_range,
                                         now: datetime) -> None:
    """Reporters' contacts left the bot: every other admin hears of it."""
    for admin in await duty.active_officers(session, roles=(Role.ADMIN,)):
        if admin.id != by.id:
            await queue_info(session, safety_view.contacts_exported(
                officer_t(services, admin), by.name, rows, date_range), officer=admin, now=now)


async def queue_contact(session: AsyncSession, report: Report, *, officer: Officer,
                        now: datetime) -> None:
    """The contactable reporter's name and number for the assignee, read when sent."""
    if report.contactable:
        await outbox.enqueue(session, purpose=outbox.CONTACT, text="", now=now,
                             officer_id=officer.id, report_id=report.id)


async def content_of(session: AsyncSession, services: Services,
                     row: Outbox) -> tuple[str, dict | None] | None:
    """The words of a queued row, in memory; None when there is nothing left to say."""
    if row.purpose in (RELAY_FILE, EVIDENCE):
        media = _media_payload(services, row)
        if media is None or (row.purpose == EVIDENCE and not await _still_stored(session, media)):
            return None
        return (media.get("caption") or ""), row.markup
    if row.secret_enc:
        return services.vault.decrypt(row.secret_enc), row.markup
    if row.purpose not in outbox.RENDERED_AT_SEND:
        return row.text, row.markup
    report = await session.get(Report, row.report_id) if row.report_id else None
    if report is None:
        return None
    if row.purpose == outbox.CONTACT:
        reply = await _contact_reply(session, services, report, row)
    elif row.purpose == outbox.CARD:
        officer = await session.get(Officer, row.officer_id) if row.officer_id else None
        reply = await render_card(session, services, report, officer_t(services, officer),
                                  for_group=row.officer_id is None, viewer=officer)
    else:
        reply = await _receipt_reply(session, services, report, row)
    return (reply.text, _markup(reply)) if reply is not None else None


async def _still_stored(session: AsyncSession, media: dict) -> bool:
    """The file was not purged (retention) while its row waited."""
    return (await session.exec(select(Evidence.id).where(
        Evidence.path == media["path"]))).first() is not None


async def _contact_reply(session, services: Services, report: Report, row: Outbox) -> Reply | None:
    if report.assignee_id != row.officer_id:
        return None    # reassigned or released while queued: not theirs to see any more
    contact = (await session.exec(select(ReportContact).where(
        ReportContact.report_id == report.id))).first()
    if contact is None:
        return None
    officer = await session.get(Officer, row.officer_id)
    vault = services.vault
    return view.contact_details(officer_t(services, officer), report,
                                vault.decrypt(contact.name_enc), vault.decrypt(contact.phone_enc))


async def _receipt_reply(session, services: Services, report: Report, row: Outbox) -> Reply | None:
    reporter = await session.get(Reporter, row.reporter_id) if row.reporter_id else None
    t = services.translator((reporter.locale if reporter else None) or report.locale)
    if row.purpose == outbox.RECEIPT_LOST:
        return resident_view.receipt_lost(t, report)
    if not report.followup_enc:
        return None
    code = services.vault.decrypt(report.followup_enc)
    if row.purpose == outbox.NEW_CODE:
        return resident_view.new_code(t, report, code)
    return resident_view.receipt(t, report, code, services.settings.emergency_contacts)


async def after_delivered(session: AsyncSession, row: Outbox) -> None:
    """A delivered follow-up code is erased: it was shown once, as promised."""
    if row.purpose in (outbox.RECEIPT, outbox.NEW_CODE) and row.report_id is not None:
        # One UPDATE, without reading the case first.
        await session.exec(update(Report).where(Report.id == row.report_id)
                           .values(followup_enc=None))


async def after_failed(session: AsyncSession, row: Outbox, *, now: datetime) -> None:
    """A receipt that can never be delivered: the code is erased, and the resident is
    still told (in words that need no code) that the report WAS received."""
    if row.purpose not in (outbox.RECEIPT, outbox.NEW_CODE):
        return
    await after_delivered(session, row)
    if row.purpose == outbox.RECEIPT:
        await outbox.enqueue(session, purpose=outbox.RECEIPT_LOST, text="", now=now,
                             reporter_id=row.reporter_id, report_id=row.report_id,
                             dedupe_key=f"receipt_lost:{row.report_id}")
