"""What follows a delivery: what the delivery core (bot/services/delivery.py) asks the
engine about a row it is sending. Whether it is still wanted (its officer still active, its
reminder still due), what a card was rendered from (to tell whether it went stale on its
way), and what is remembered once it was delivered (the messages that show a case, relayed
messages, an erased follow-up code) or can never be (a receipt lost, a blocked recipient).
What follows an event (and queues the rows) is bot/services/followups.py."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.services.container import Services
from bot.services import cases, duty, outbox, reminders
from bot.services.followups import VIEW_KINDS, queue_edit, relay_chat_key, reroute_after_block
from bot.services.outbox import (CARD, CARD_EDIT, DETAILS, INFO, NEW_CODE, RECEIPT,
                                 RECEIPT_LOST, RELAY_FILE, RELAY_IN, RELAY_OUT, REMIND)
from models import CaseCard, Officer, Outbox, RelayMessage, Report, Reporter


async def still_wanted(session: AsyncSession, row: Outbox, now: datetime) -> bool:
    """Whether a claimed row should still go (read as the database has it now)."""
    if row.officer_id is not None:
        officer = await session.get(Officer, row.officer_id)
        if officer is None or not officer.active:
            return False          # they left: nothing more about any case reaches them
    kind = outbox.reminder_kind(row)
    if kind is None:
        return True
    report = await session.get(Report, row.report_id)
    if not reminders.still_due(kind, report, row.created_at):
        return False
    if kind in reminders.REMINDER_KINDS:
        return await duty.is_on_duty(session, officer_id=row.officer_id, now=now)
    return True


async def card_state(session: AsyncSession, row: Outbox, *, fresh: bool = False) -> tuple | None:
    """What a card about to be sent is rendered from, or with ``fresh`` what it would be
    rendered from now, as far as a change made while it is on its way is concerned: the
    case's row and its assignee's (whatever calls refresh_cards changes one of them: a
    claim, a status, a reason offered to the assignee). None for anything else."""
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


async def after_sent(session: AsyncSession, services: Services, row: Outbox, *,
                     chat_id: int | str, message_id: int, now: datetime, shown: str | None,
                     rendered_from: tuple | None = None, unblock: bool = False) -> None:
    """A row just delivered (``shown``: the channel's digest of what the message shows):
    a follow-up code is erased, what shows a case is remembered (and edited at once if
    it went stale on its way), a relayed message is remembered so a reply finds its case,
    and an officer recorded as having blocked the bot has them no longer."""
    await after_delivered(session, row)
    if row.purpose in VIEW_KINDS and row.report_id is not None:
        await remember_view(session, row, chat_id=int(chat_id), message_id=message_id,
                            now=now, shown=shown, rendered_from=rendered_from)
    elif row.purpose == CARD_EDIT:
        card_id = (row.params or {}).get("view")
        if card_id is not None and shown is not None:
            await session.exec(update(CaseCard).where(CaseCard.id == card_id)
                               .values(digest=shown))
    elif row.purpose in (RELAY_OUT, RELAY_FILE, RELAY_IN):
        side = "officer" if row.purpose == RELAY_IN else "reporter"
        session.add(RelayMessage(report_id=row.report_id, side=side,
                                 chat_key=relay_chat_key(services, chat_id),
                                 message_id=message_id, created_at=now))
        await _confirm_delivered(session, row, now=now)
    if unblock and row.officer_id is not None:
        await session.exec(update(Officer).where(Officer.id == row.officer_id)
                           .values(blocked=False))


async def _confirm_delivered(session: AsyncSession, row: Outbox, *, now: datetime) -> None:
    """The last part of an officer's message reached the reporter: the officer is told,
    in the message that said it was on its way when there is one."""
    params = row.params or {}
    officer = await session.get(Officer, params["confirm_to"]) if params.get("confirm_to") \
        else None
    if officer is None or not officer.active:
        return
    await outbox.enqueue(session, purpose=INFO, now=now, officer_id=officer.id,
                         report_id=row.report_id, edit_message_id=params.get("confirm_in"),
                         params={"info": "delivered"}, dedupe_key=f"delivered:{row.id}")


async def remember_view(session: AsyncSession, row: Outbox, *, chat_id: int, message_id: int,
                        now: datetime, shown: str | None,
                        rendered_from: tuple | None = None) -> None:
    """A card, details part or reminder just sent: remembered with what it shows; a card
    or details that went stale while on its way are edited at once.

    A card (``rendered_from``: card_state when it was rendered) is edited only when its
    case or assignee changed meanwhile. Other cases named in it (related reports) may have
    come since, but no card is edited for those, so neither is this one."""
    params = row.params or {}
    key = params.get("view") if row.purpose == DETAILS else None
    card = CaseCard(report_id=row.report_id, chat_id=chat_id, message_id=message_id,
                    officer_id=row.officer_id, created_at=now, kind=VIEW_KINDS[row.purpose],
                    digest=shown, view_key=key, part=params.get("part", 0) if key else 0,
                    shows_contact=bool(params.get("contact")) if key else False)
    session.add(card)
    if row.purpose == REMIND:
        return          # a reminder is true when sent; it is edited when the case changes
    if rendered_from is not None and await card_state(session, row, fresh=True) == rendered_from:
        return
    await session.flush()
    if row.purpose == CARD:
        await queue_edit(session, card, now=now)
        return
    siblings = [c for c in await cases.cards_of(session, row.report_id)
                if c.kind == card.kind and c.view_key == key] if key else [card]
    # Details the case changed under while on their way are brought up to date once all
    # their parts are remembered, by whichever comes last (parts recorded side by side may
    # both leave it: the next change to the case brings them up to date then). A part
    # that shows the case as it is is not edited.
    if len(siblings) == params.get("parts", 1) and await _went_stale(session, row, key):
        for sibling in siblings:
            await queue_edit(session, sibling, now=now)


async def _went_stale(session: AsyncSession, row: Outbox, key: str | None) -> bool:
    """A change to the case while these details were on their way (refresh_cards marked
    their parts still waiting); a details message of its own: always checked."""
    if key is None:
        return True
    rows = (await session.exec(select(Outbox.params).where(
        Outbox.report_id == row.report_id, Outbox.purpose == DETAILS))).all()
    return any(p.get("stale") for p in rows if p and p.get("view") == key)


async def after_delivered(session: AsyncSession, row: Outbox) -> None:
    """A delivered follow-up code is erased: it was shown once, as promised."""
    if row.purpose in (RECEIPT, NEW_CODE) and row.report_id is not None:
        # One UPDATE, without reading the case first.
        await session.exec(update(Report).where(Report.id == row.report_id)
                           .values(followup_enc=None))


async def after_failed(session: AsyncSession, row: Outbox, *, now: datetime) -> None:
    """A receipt that can never be delivered: the code is erased, and the resident is
    still told (in words that need no code) that the report WAS received."""
    if row.purpose not in (RECEIPT, NEW_CODE):
        return
    await after_delivered(session, row)
    if row.purpose == RECEIPT:
        await outbox.enqueue(session, purpose=RECEIPT_LOST, now=now, channel=row.channel,
                             reporter_id=row.reporter_id, report_id=row.report_id,
                             dedupe_key=f"receipt_lost:{row.report_id}")


async def after_blocked(session: AsyncSession, services: Services, row: Outbox, *,
                        now: datetime) -> None:
    """The recipient blocked the bot: recorded; an unclaimed case's card goes to someone
    else, and a receipt's code is erased (it can never be delivered)."""
    if row.officer_id is not None:
        officer = await session.get(Officer, row.officer_id)
        officer.blocked = True
        await session.flush()
        if row.purpose == CARD and row.report_id is not None:
            await reroute_after_block(session, services, row.report_id, now=now)
    elif row.reporter_id is not None:
        reporter = await session.get(Reporter, row.reporter_id)
        reporter.blocked = True
        await after_delivered(session, row)
