"""What follows an event: the cards, notices, relays, reminders and edits a change to a
case brings, queued as intents in the caller's transaction (bot/services/outbox.py; what
follows their delivery is bot/services/delivered.py).

A queued row says what happened and to whom (purpose, case, recipient, channel, a few
parameters, the encrypted words a person wrote); the channel renders it when it sends it
(bot/channels/telegram/messages.py), so nothing here knows a channel's words or buttons.
"""
from __future__ import annotations

import json
import logging
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.services.container import Services
from bot.engine.domain import EventKind, Role
from bot.render.text import split_words
from bot.services import cases, desk, duty, outbox, reminders, reports, routing
from bot.services.outbox import (CARD, CARD_EDIT, CONTACT, DETAILS, EVIDENCE, INFO, NOTICE,
                                 RELAY_FILE, RELAY_IN, RELAY_OUT, REMIND)
from models import CaseCard, CaseEvent, Officer, Outbox, Report, Reporter

log = logging.getLogger(__name__)

# Messages that show a case, remembered when sent (CaseCard.kind) and edited on a change.
VIEW_KINDS = {CARD: "card", DETAILS: "details", REMIND: "reminder"}
# After a status change the reporter's notice waits this long for the officer's optional
# reason (a reason or "no reason" sends it at once): one message, with the reason in it.
REASON_WAIT = timedelta(minutes=5)


def relay_chat_key(services: Services, chat_id: int | str) -> str:
    """How a chat is named in RelayMessage: a keyed hash, never the chat id itself."""
    return services.vault.lookup_hash("relay", chat_id)


# --- cases: cards, edits, notices ---------------------------------------------------------

async def route_case(session: AsyncSession, services: Services, report: Report, *,
                     now: datetime, exclude: set[int] = frozenset(),
                     round_key: str = "") -> cases.Routing:
    """Queue the card to whoever routing picks (see bot.services.routing.route_case)."""
    return await routing.route_case(session, report, now=now, exclude=exclude,
                                    round_key=round_key,
                                    alerts_per_minute=services.settings.alerts_per_minute)


async def refresh_cards(session: AsyncSession, services: Services, report: Report, *,
                        now: datetime) -> None:
    """Every message that shows this case (cards, details, reminders) is edited to show it
    as it is when the edit is sent (a card still queued is rendered when sent). One edit
    waiting to go covers every change until it goes; one that would change nothing is
    never sent (the channel compares with what the message shows). Nothing more reaches
    an officer who left."""
    cards = await cases.cards_of(session, report.id)
    if not cards:
        return
    waiting = await _edits_waiting(session, report.id, now)
    on_the_way = await _details_on_the_way(session, report.id)
    active: dict[int, bool] = {}
    for card in cards:
        # Details with a part not sent yet: their last part to be remembered brings them
        # all up to date (laid over the parts sent alone, they might not fit).
        if card.kind == VIEW_KINDS[DETAILS] and card.view_key in on_the_way:
            continue
        if card.id in waiting and await _still_waiting(session, waiting[card.id], now):
            continue
        if card.officer_id is not None:
            if card.officer_id not in active:
                officer = await session.get(Officer, card.officer_id)
                active[card.officer_id] = officer is not None and officer.active
            if not active[card.officer_id]:
                continue
        await queue_edit(session, card, now=now)


async def queue_edit(session: AsyncSession, card: CaseCard, *, now: datetime,
                     channel: str = outbox.TELEGRAM) -> None:
    """Bring one remembered message up to date, rendered when sent."""
    await outbox.enqueue(session, purpose=CARD_EDIT, now=now, channel=channel,
                         chat_id=card.chat_id, report_id=card.report_id,
                         edit_message_id=card.message_id, params={"view": card.id})


async def _edits_waiting(session: AsyncSession, report_id: int, now: datetime) -> dict[int, int]:
    """The remembered messages of a case with an edit queued and not yet taken to send:
    the edit's outbox id by the message's CaseCard id."""
    rows = (await session.exec(select(Outbox.id, Outbox.params).where(
        Outbox.report_id == report_id, Outbox.purpose == CARD_EDIT,
        Outbox.status == outbox.PENDING, outbox.unlocked(now)))).all()
    return {params["view"]: outbox_id for outbox_id, params in rows
            if params and "view" in params}


async def _still_waiting(session: AsyncSession, outbox_id: int, now: datetime) -> bool:
    """Whether a queued edit is still not taken, kept so until this transaction ends: the
    UPDATE holds the row, and a claim of it waits for this change to be committed, so the
    edit is rendered with it. Taken meanwhile (rendered before it, perhaps): False."""
    touched = await session.exec(update(Outbox).where(
        Outbox.id == outbox_id, Outbox.status == outbox.PENDING, outbox.unlocked(now))
        .values(locked_until=None))
    return touched.rowcount == 1


async def _details_on_the_way(session: AsyncSession, report_id: int) -> set[str]:
    """The view keys of the case's details with a part still waiting in the outbox; each
    such part is marked stale, so the last part remembered brings them up to date."""
    rows = (await session.exec(select(Outbox).where(
        Outbox.report_id == report_id, Outbox.purpose == DETAILS,
        Outbox.status == outbox.PENDING))).all()
    for row in rows:
        if row.params and not row.params.get("stale"):
            row.params = {**row.params, "stale": True}
    return {row.params["view"] for row in rows if row.params and "view" in row.params}


async def refresh_case(session: AsyncSession, services: Services, report_id: int, *,
                       now: datetime) -> None:
    report = await session.get(Report, report_id)
    if report is not None:
        await refresh_cards(session, services, report, now=now)


async def notify_reporter(session: AsyncSession, services: Services, report: Report, *,
                          now: datetime, hold: bool = False, reason_key: str | None = None,
                          reopened: bool = False) -> None:
    """Taken, a new status or reopened: the reporter is told (rendered when sent, in their
    language). ``hold``: the officer may still give a reason, so the notice waits
    REASON_WAIT for it. A notice still waiting is rewritten rather than followed by
    another: one message per change."""
    if report.reporter_id is None:
        return
    reporter = await session.get(Reporter, report.reporter_id)
    if reporter is None:
        return
    params = {"reason_key": reason_key, "reopened": reopened}
    due = now + REASON_WAIT if hold else now
    waiting = [row for row in await outbox.pending_for_report(session, report_id=report.id,
                                                              purpose=NOTICE)
               if row.locked_until is None or row.locked_until < now]
    if waiting:
        waiting[-1].params, waiting[-1].next_attempt_at = params, due
        return
    await outbox.enqueue(session, purpose=NOTICE, now=now, channel=reporter.channel,
                         params=params, reporter_id=reporter.id, report_id=report.id,
                         not_before=due)


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


async def case_released(session: AsyncSession, services: Services, report: Report, *,
                        by: Officer, now: datetime) -> list[int]:
    """A case its officer gave back: routed again like a new unclaimed case (not to them),
    and every message showing it offers the claim again; returns who was alerted."""
    routed = await route_case(session, services, report, now=now, exclude={by.id},
                              round_key=f":r{int(now.timestamp())}")
    officer_ids = [o.id for o in routed.officers]
    session.add(CaseEvent(report_id=report.id, at=now, kind=EventKind.ALERTED,
                          detail={"officers": officer_ids, "released": True}))
    await refresh_cards(session, services, report, now=now)
    return officer_ids


async def queue_info(session: AsyncSession, info: str, *, officer: Officer, now: datetime,
                     report_id: int | None = None, **params) -> None:
    """A notice to an officer; ``info`` names which (the channel's builders know them)."""
    await outbox.enqueue(session, purpose=INFO, now=now, officer_id=officer.id,
                         report_id=report_id, params={"info": info, **params})


async def queue_details(session: AsyncSession, *, report_id: int, officer: Officer,
                        parts: int, contact: bool, now: datetime) -> None:
    """A case's details to an officer, in ``parts`` messages (as many as the channel
    needs for them now); every part is remembered when sent and edited when the case
    changes. Rendered when sent, the reporter's contact only for the case's assignee."""
    key = secrets.token_hex(8)
    for index in range(parts):
        await outbox.enqueue(session, purpose=DETAILS, now=now, officer_id=officer.id,
                             report_id=report_id,
                             params={"view": key, "part": index, "parts": parts,
                                     "contact": contact},
                             dedupe_key=f"{DETAILS}:{key}:{index}:{parts}:{int(contact)}")


async def details_outgrown(session: AsyncSession, cards: list[CaseCard], *, officer: Officer,
                           parts: int, contact: bool, now: datetime) -> None:
    """Details that no longer fit in the messages that show them: those messages say so
    (a message cannot be added between two others), are forgotten, and the details go
    out again below in ``parts`` messages. Two edits of the same details finding so at once
    (their lane makes rows ready side by side): the one whose DELETE takes the messages
    does it, the other nothing."""
    shown = [(card.report_id, card.chat_id, card.message_id) for card in cards]
    taken = await session.exec(delete(CaseCard).where(CaseCard.id.in_([c.id for c in cards])))
    if taken.rowcount == 0:
        return
    for report_id, chat_id, message_id in shown:
        await outbox.enqueue(session, purpose=CARD_EDIT, now=now, chat_id=chat_id,
                             report_id=report_id, edit_message_id=message_id,
                             params={"moved": True, "officer": officer.id})
    await queue_details(session, report_id=shown[0][0], officer=officer, parts=parts,
                        contact=contact, now=now)


async def queue_contact(session: AsyncSession, report: Report, *, officer: Officer,
                        now: datetime) -> None:
    """The contactable reporter's name and number for the assignee, read when sent."""
    if report.contactable:
        await outbox.enqueue(session, purpose=CONTACT, now=now, officer_id=officer.id,
                             report_id=report.id)


async def queue_evidence(session: AsyncSession, report: Report, *, officer: Officer,
                         now: datetime) -> int:
    """The case's photos and documents to the officer (📎), each read from the store only
    when sent; returns how many."""
    files = await reports.evidence_of(session, report.id)
    for index, item in enumerate(files, start=1):
        await outbox.enqueue(session, purpose=EVIDENCE, now=now, officer_id=officer.id,
                             report_id=report.id, params={"evidence": item.id, "index": index})
    return len(files)


# --- the reporter and the officer talking through the bot ---------------------------------

async def _reporter_of(session: AsyncSession, report: Report) -> Reporter:
    reporter = await session.get(Reporter, report.reporter_id) if report.reporter_id else None
    if reporter is None:
        raise cases.CaseError("unknown")
    return reporter


def _confirm(officer: Officer, confirm: int | bool | None) -> dict:
    """The params asking for the officer to be told once their message was delivered:
    in the message ``confirm`` names (the one saying it is on its way), or in a new one."""
    if confirm is None or confirm is False:
        return {}
    return {"confirm_to": officer.id,
            "confirm_in": confirm if confirm is not True else None}


async def relay_to_reporter(session: AsyncSession, services: Services, report: Report, *,
                            officer: Officer, text: str, now: datetime,
                            confirm: int | bool | None = None) -> None:
    """An officer's words to the reporter, labelled with the case number only
    (``confirm``: the officer is told once they were delivered, see ``_confirm``)."""
    reporter = await _reporter_of(session, report)
    await _queue_words(session, services, RELAY_OUT, text, channel=reporter.channel,
                       reporter_id=reporter.id, report_id=report.id, now=now,
                       last=_confirm(officer, confirm))
    await cases.record_relay(session, report=report, officer_id=officer.id, to_reporter=True,
                             now=now)


async def _queue_words(session: AsyncSession, services: Services, purpose: str, text: str, *,
                       now: datetime, last: dict | None = None, **to) -> None:
    """A person's words, kept only encrypted and only until sent, in parts (``last``:
    more params of the last part)."""
    parts = split_words(text)
    for index, part in enumerate(parts):
        extra = (last or {}) if index == len(parts) - 1 else {}
        await outbox.enqueue(session, purpose=purpose, now=now, **to,
                             secret_enc=services.vault.encrypt(part),
                             params={"part": index, "parts": len(parts), **extra})


async def send_to_reporter(session: AsyncSession, services: Services, report: Report, *,
                           officer: Officer, message: desk.Outgoing, now: datetime,
                           confirm: int | bool | None = None) -> None:
    """What an officer sends the reporter: text, a file (by its file id) or a location
    (``confirm``: the officer is told once it was delivered, see ``_confirm``)."""
    cases.require_assignee(report, officer)
    if message.kind == "text":
        await relay_to_reporter(session, services, report, officer=officer,
                                text=message.text or "", now=now, confirm=confirm)
        return
    reporter = await _reporter_of(session, report)
    to = dict(channel=reporter.channel, reporter_id=reporter.id, report_id=report.id)
    if message.kind == "location":
        # A pin has no caption: a label goes just before it.
        await outbox.enqueue(session, purpose=RELAY_OUT, now=now, **to,
                             params={"location_label": True})
        payload = dict(kind="location", latitude=message.latitude, longitude=message.longitude)
    else:
        payload = dict(kind=message.kind, file_id=message.file_id, mime_type=message.mime_type,
                       file_name=message.file_name, caption=message.text)
    await outbox.enqueue(session, purpose=RELAY_FILE, now=now, **to,
                         secret_enc=services.vault.encrypt(json.dumps(payload)),
                         params=_confirm(officer, confirm) or None)
    await cases.record_relay(session, report=report, officer_id=officer.id, to_reporter=True,
                             now=now)


async def quick_reply_text(session: AsyncSession, services: Services, report: Report, *,
                           index: str) -> str | None:
    """One of the quick replies (CANNED_REPLIES, else the built-in ones in the reporter's
    language), named by its index, as the reporter would read it; None for no such one."""
    reporter = await _reporter_of(session, report)
    t = services.translator(reporter.locale or report.locale)
    return desk.pick_reply(desk.canned_replies(t, services.settings.canned_replies), index)


async def quick_reply_to_reporter(session: AsyncSession, services: Services, report: Report, *,
                                  officer: Officer, index: str, now: datetime,
                                  shown: str | None = None) -> str:
    """The quick reply named by its index, to the reporter; returns its words. ``shown``:
    the digest of the words the officer read before choosing Send; other words (the
    reporter changed language, the list was changed) are not sent. The officer is told
    once it was delivered, as for the words they type."""
    text = await quick_reply_text(session, services, report, index=index)
    if text is None or (shown is not None and desk.reply_digest(text) != shown):
        raise cases.CaseError("quick_reply_changed")
    await relay_to_reporter(session, services, report, officer=officer, text=text, now=now,
                            confirm=True)
    return text


async def _active_assignee(session: AsyncSession, report: Report) -> Officer:
    """The officer holding the case; relay never goes to one who left."""
    assignee = await session.get(Officer, report.assignee_id) if report.assignee_id else None
    if assignee is None or not assignee.active:
        raise cases.CaseError("unknown_officer")
    return assignee


async def relay_to_officer(session: AsyncSession, services: Services, report: Report, *,
                           text: str, now: datetime) -> None:
    """The reporter's words to the officer handling the case."""
    assignee = await _active_assignee(session, report)
    await _queue_words(session, services, RELAY_IN, text, officer_id=assignee.id,
                       report_id=report.id, now=now)
    await cases.record_relay(session, report=report, officer_id=None, to_reporter=False, now=now)


async def evidence_to_officer(session: AsyncSession, services: Services, report: Report, *,
                              kind: str, now: datetime, caption: str | None = None) -> None:
    """Tell the assignee that the reporter sent a new file to the case, with its caption;
    the messages that show the case count it (and offer the evidence) from now on."""
    assignee = await _active_assignee(session, report)
    await outbox.enqueue(session, purpose=RELAY_IN, now=now, officer_id=assignee.id,
                         report_id=report.id, params={"new_file": kind},
                         secret_enc=services.vault.encrypt(caption) if caption else None)
    await refresh_cards(session, services, report, now=now)


# --- the sweep: waiting cases, reminders, escalations -------------------------------------

async def route_waiting_cases(session: AsyncSession, services: Services, *,
                              now: datetime) -> int:
    """Cases filed while no officer was registered go to the first ones who appear."""
    routed = 0
    for report in await cases.unrouted_cases(session):
        officer_ids = [o.id for o in (await route_case(session, services, report,
                                                       now=now)).officers]
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
        if not await _queue_reminder(session, due, first, due.key, now):
            continue
        for officer in others:
            await _queue_reminder(session, due, officer, f"{due.key}:o{officer.id}", now)
        kind = EventKind.ESCALATION if due.kind in (reminders.ESCALATE, reminders.STALE_ESCALATE) \
            else EventKind.REMINDER
        session.add(CaseEvent(report_id=due.report.id, at=now, kind=kind,
                              detail={"kind": due.kind, "to": [o.id for o in due.recipients]}))
        queued += 1
    return queued


async def _queue_reminder(session, due: reminders.Due, officer: Officer, key: str, now) -> bool:
    return await outbox.enqueue(session, purpose=REMIND, now=now, officer_id=officer.id,
                                report_id=due.report.id, dedupe_key=key,
                                params={"waited": int(due.waited.total_seconds())})


# --- officers coming and going ------------------------------------------------------------

async def reroute_after_block(session: AsyncSession, services: Services, report_id: int, *,
                              now: datetime) -> None:
    """An officer blocked the bot before seeing an unclaimed case: pick someone else."""
    report = await session.get(Report, report_id)
    if report is None or report.assignee_id is not None:
        return
    already = set((await session.exec(select(Outbox.officer_id).where(
        Outbox.report_id == report_id, Outbox.purpose == CARD,
        Outbox.officer_id != None))).all())  # noqa: E711
    routed = await route_case(session, services, report, now=now, exclude=already)
    session.add(CaseEvent(report_id=report.id, at=now, kind=EventKind.ALERTED,
                          detail={"officers": [o.id for o in routed.officers],
                                  "rerouted": True}))


async def officer_left(session: AsyncSession, services: Services, departure, *,
                       now: datetime) -> list[int]:
    """After a deactivation: the released cases go out again like new unclaimed cases,
    and the supervisors and admins are told; returns who was told."""
    gone = departure.officer
    round_key = f":r{int(now.timestamp())}"
    for report in departure.released:
        routed = await route_case(session, services, report, now=now, exclude={gone.id},
                                  round_key=round_key)
        await refresh_cards(session, services, report, now=now)
        session.add(CaseEvent(report_id=report.id, at=now, kind=EventKind.ALERTED,
                              detail={"officers": [o.id for o in routed.officers],
                                      "rerouted": True}))
    bosses = [o for o in await duty.supervisors_and_admins(session) if o.id != gone.id]
    codes = [report.case_number for report in departure.released]
    for boss in bosses:
        await queue_info(session, "officer_left", officer=boss, now=now, who=gone.id,
                         cases=codes)
    log.info("officer %s deactivated; %d case(s) back in the queue", gone.id, len(codes))
    return [boss.id for boss in bosses]


async def tell_admins_of_contacts_export(session: AsyncSession, *, by: Officer, rows: int,
                                         date_range, now: datetime) -> None:
    """Reporters' contacts left the bot: every other admin hears of it."""
    for admin in await duty.active_officers(session, roles=(Role.ADMIN,)):
        if admin.id != by.id:
            await queue_info(session, "contacts_exported", officer=admin, now=now, who=by.id,
                             rows=rows, start=date_range.start.isoformat(),
                             end=date_range.end.isoformat())
