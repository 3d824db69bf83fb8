"""Working a case: routing choice, the one-winner claim, status changes, notes,
reassignment and the relay records. Plain values in and out; no Telegram."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Exists, update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.analytics.period import whole_seconds_between
from bot.engine.domain import CLOSED_STATUSES, EventKind, ReferralTarget, Role, Status
from bot.services import abuse, duty
from models import CaseCard, CaseEvent, Officer, Outbox, RelayMessage, Report, Reporter

# A reporter's plain text during a new report may be meant for the officer of a case they
# talked about this recently: the bot asks which one rather than guessing.
RECENT_CONVERSATION = timedelta(hours=48)
WORK_STATUSES = (Status.VERIFIED, Status.IN_PROGRESS, Status.REFERRED, Status.RESOLVED,
                 Status.INVALID, Status.DUPLICATE)
OPEN_VALUES = [s.value for s in Status if s not in CLOSED_STATUSES]


class CaseError(Exception):
    """Why an officer may not do this; ``code`` is shown to them through the renderer."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def is_supervisor(officer: Officer) -> bool:
    return officer.role in (Role.SUPERVISOR, Role.ADMIN)


@dataclass(frozen=True)
class Routing:
    officers: list[Officer]
    on_duty: bool          # False: nobody was on duty; supervisors and admins were chosen
    paged: bool = False    # an urgent page: everyone on duty and the supervisors (or bosses)
    collapsed: bool = False  # urgent, but its reporter paged within the interval: no page


async def choose_recipients(session: AsyncSession, *, report: Report, now: datetime,
                            exclude: set[int] = frozenset(),
                            page_interval: timedelta | None = None) -> Routing:
    """Least-loaded on-duty officer (round robin on ties); urgent: everyone on duty and
    the supervisors; nobody on duty: supervisors and admins.

    With ``page_interval``, an urgent report whose reporter already paged within it is
    routed to one officer (or one supervisor/admin), like a normal case: one person
    cannot page the whole task force again and again."""
    # The active officers read once, for both lists.
    active = await duty.active_officers(session)
    on_duty = [o for o in await duty.on_duty_among(session, active, now=now,
                                                   region_code=report.region_code)
               if o.id not in exclude]
    bosses = [o for o in active if o.role in duty.BOSS_ROLES and o.id not in exclude]
    collapsed = bool(report.urgent and page_interval and await abuse.urgent_paged_recently(
        session, report=report, interval=page_interval, now=now))
    if not on_duty:
        if collapsed and bosses:
            return Routing([await _least_loaded(session, bosses, now)], False, collapsed=True)
        return Routing(bosses, False, paged=report.urgent)
    if report.urgent and not collapsed:
        chosen = on_duty + [o for o in bosses if o.role == Role.SUPERVISOR and o not in on_duty]
        return Routing(chosen, True, paged=True)
    return Routing([await _least_loaded(session, on_duty, now)], True, collapsed=collapsed)


async def _least_loaded(session: AsyncSession, officers: list[Officer], now: datetime) -> Officer:
    loads = await duty.open_loads(session, [o.id for o in officers])
    floor = datetime.min.replace(tzinfo=now.tzinfo)
    best = min(officers, key=lambda o: (loads.get(o.id, 0), o.last_routed_at or floor, o.id))
    best.last_routed_at = now
    return best


async def claim_case(session: AsyncSession, *, report_id: int, officer: Officer,
                     now: datetime) -> bool:
    """The single conditional UPDATE decides the one winner among simultaneous presses."""
    created_at = (await session.exec(select(Report.created_at).where(Report.id == report_id))).first()
    if created_at is None:
        return False
    result = await session.exec(update(Report).where(
        Report.id == report_id, Report.assignee_id == None,  # noqa: E711
        Report.status == Status.NEW).values(
        assignee_id=officer.id, status=Status.CLAIMED, claimed_at=now, last_activity_at=now,
        claim_seconds=whole_seconds_between(created_at, now)))
    if result.rowcount != 1:
        return False
    session.add(CaseEvent(report_id=report_id, at=now, kind=EventKind.CLAIMED,
                          officer_id=officer.id))
    return True


async def load_case(session: AsyncSession, report_id: int) -> Report | None:
    return await session.get(Report, report_id, populate_existing=True)


def require_assignee(report: Report | None, officer: Officer, *, or_supervisor: bool = False) -> Report:
    if report is None:
        raise CaseError("unknown")
    if report.assignee_id == officer.id or (or_supervisor and is_supervisor(officer)):
        return report
    raise CaseError("not_yours")


async def set_status(session: AsyncSession, *, report: Report, officer: Officer, status: str,
                     now: datetime, reason: str | None = None,
                     referred_to: str | None = None) -> CaseEvent:
    """The assignee moves the case on in one tap; the reason may follow (``set_reason``).
    Returns the timeline event, which records the old and the new status."""
    require_assignee(report, officer)
    if report.status in CLOSED_STATUSES:
        raise CaseError("closed")
    if status not in WORK_STATUSES:
        raise CaseError("bad_status")
    if status == Status.REFERRED:
        if referred_to not in {t.value for t in ReferralTarget}:
            raise CaseError("bad_status")
    else:
        referred_to = None
    if status == report.status and (status != Status.REFERRED
                                    or referred_to == report.referred_to):
        raise CaseError("same_status")      # a double tap changes nothing
    previous = report.status
    if referred_to:
        report.referred_to = referred_to
    report.status, report.status_reason, report.last_activity_at = status, reason, now
    if status in CLOSED_STATUSES:
        report.closed_at = now
        report.close_seconds = whole_seconds_between(report.created_at, now)
    event = CaseEvent(report_id=report.id, at=now, kind=EventKind.STATUS, officer_id=officer.id,
                      detail={"from": previous, "status": status, "reason": reason,
                              "referred_to": referred_to})
    session.add(event)
    await session.flush()
    return event


async def add_note(session: AsyncSession, *, report: Report, officer: Officer, text: str,
                   now: datetime) -> None:
    require_assignee(report, officer, or_supervisor=True)
    report.last_activity_at = now
    session.add(CaseEvent(report_id=report.id, at=now, kind=EventKind.NOTE, officer_id=officer.id,
                          detail={"text": text}))


async def reassign(session: AsyncSession, *, report: Report, by: Officer, to_officer_id: int,
                   now: datetime) -> Officer:
    """Supervisors only, re-checked here whatever the button said."""
    if not is_supervisor(by):
        raise CaseError("supervisors_only")
    if report.status in CLOSED_STATUSES:
        raise CaseError("closed")
    target = await session.get(Officer, to_officer_id)
    if target is None or not target.active:
        raise CaseError("unknown_officer")
    previous = report.assignee_id
    report.assignee_id, report.last_activity_at = target.id, now
    if report.status == Status.NEW:
        report.status, report.claimed_at = Status.CLAIMED, now
        report.claim_seconds = whole_seconds_between(report.created_at, now)
    session.add(CaseEvent(report_id=report.id, at=now, kind=EventKind.REASSIGNED, officer_id=by.id,
                          detail={"from": previous, "to": target.id}))
    return target


async def release_cases_of(session: AsyncSession, *, officer: Officer,
                           now: datetime) -> list[Report]:
    """The officer's open cases back in the queue, unassigned and unclaimed, as if new."""
    held = await my_open_cases(session, officer.id)
    for report in held:
        previous = report.status
        report.assignee_id, report.status = None, Status.NEW
        report.claimed_at, report.claim_seconds, report.last_activity_at = None, None, now
        session.add(CaseEvent(report_id=report.id, at=now, kind=EventKind.RELEASED,
                              officer_id=None, detail={"from": officer.id, "status": previous}))
    await session.flush()
    return held


async def record_relay(session: AsyncSession, *, report: Report, officer_id: int | None,
                       to_reporter: bool, now: datetime) -> None:
    report.last_activity_at = now
    kind = EventKind.TO_REPORTER if to_reporter else EventKind.FROM_REPORTER
    session.add(CaseEvent(report_id=report.id, at=now, kind=kind, officer_id=officer_id))


async def my_open_cases(session: AsyncSession, officer_id: int) -> list[Report]:
    return list((await session.exec(select(Report).where(
        Report.assignee_id == officer_id, Report.status.in_(OPEN_VALUES))
        .order_by(Report.created_at))).all())


async def unclaimed_cases(session: AsyncSession, limit: int = 30) -> list[Report]:
    return list((await session.exec(select(Report).where(
        Report.assignee_id == None, Report.status == Status.NEW)  # noqa: E711
        .order_by(Report.urgent.desc(), Report.created_at).limit(limit))).all())


async def cards_of(session: AsyncSession, report_id: int) -> list[CaseCard]:
    return list((await session.exec(select(CaseCard).where(
        CaseCard.report_id == report_id).order_by(CaseCard.id))).all())


async def relay_case_for_reporter(session: AsyncSession, *, reporter_id: int, chat_key: str,
                                  reply_to_message_id: int | None) -> Report | None:
    """The open, assigned case a reporter's message belongs to: the one whose relayed
    message they replied to, else their most recent."""
    # Only cases held by an active officer: relay never goes to one who left.
    held = (select(Report).join(Officer, Officer.id == Report.assignee_id).where(
        Report.reporter_id == reporter_id, Report.status.in_(OPEN_VALUES),
        Officer.active == True))  # noqa: E712
    if reply_to_message_id is not None:
        relayed = (await session.exec(select(RelayMessage).where(
            RelayMessage.side == "reporter", RelayMessage.chat_key == chat_key,
            RelayMessage.message_id == reply_to_message_id))).first()
        if relayed is not None:
            report = (await session.exec(held.where(Report.id == relayed.report_id))).first()
            if report is not None:
                return report
    return (await session.exec(
        held.order_by(Report.last_activity_at.desc(), Report.id.desc()))).first()


async def released_case_of(session: AsyncSession, *, reporter_id: int) -> Report | None:
    """The reporter's open case that went back to the queue when its officer left and
    nobody has taken yet: their messages wait for the next officer."""
    return (await session.exec(select(Report).join(
        CaseEvent, CaseEvent.report_id == Report.id).where(
        Report.reporter_id == reporter_id, Report.assignee_id == None,  # noqa: E711
        Report.status == Status.NEW, CaseEvent.kind == EventKind.RELEASED)
        .order_by(CaseEvent.at.desc()))).first()


async def closed_latest_case_of(session: AsyncSession, *, reporter_id: int) -> Report | None:
    """The reporter's latest report, when it is closed: a message now reaches no officer."""
    latest = (await session.exec(select(Report).where(Report.reporter_id == reporter_id)
                                 .order_by(Report.created_at.desc(), Report.id.desc())
                                 .limit(1))).first()
    return latest if latest is not None and latest.status in CLOSED_STATUSES else None


async def relay_case_for_officer(session: AsyncSession, *, officer: Officer, chat_key: str,
                                 reply_to_message_id: int) -> Report | None:
    """The case of a reporter's message the assignee replied to."""
    relayed = (await session.exec(select(RelayMessage).where(
        RelayMessage.side == "officer", RelayMessage.chat_key == chat_key,
        RelayMessage.message_id == reply_to_message_id))).first()
    if relayed is None:
        return None
    report = await session.get(Report, relayed.report_id)
    if report is None or report.assignee_id != officer.id or report.status not in OPEN_VALUES:
        return None
    return report


async def case_replied_to(session: AsyncSession, *, reporter_id: int, chat_key: str,
                          reply_to_message_id: int) -> Report | None:
    """The open, assigned case of the officer's message the reporter replied to, if any."""
    relayed = (await session.exec(select(RelayMessage).where(
        RelayMessage.side == "reporter", RelayMessage.chat_key == chat_key,
        RelayMessage.message_id == reply_to_message_id))).first()
    if relayed is None:
        return None
    report = await session.get(Report, relayed.report_id)
    if (report is None or report.reporter_id != reporter_id or report.status not in OPEN_VALUES
            or report.assignee_id is None):
        return None
    assignee = await session.get(Officer, report.assignee_id)
    return report if assignee is not None and assignee.active else None   # never to one who left


def officer_wrote_lately(since) -> Exists:
    """Whether the reporter of the enclosing query (``Reporter.id``, correlated) has an open
    case whose active assignee wrote to them since ``since``: their text may be meant for
    that officer. A column of the resident's own lookup (bot/services/residents.py), so a
    typed answer costs no statement of its own."""
    return (select(Report.id).join(CaseEvent, CaseEvent.report_id == Report.id)
            .join(Officer, Officer.id == Report.assignee_id)
            .where(Report.reporter_id == Reporter.id, Report.status.in_(OPEN_VALUES),
                   Officer.active == True,  # noqa: E712
                   CaseEvent.kind == EventKind.TO_REPORTER, CaseEvent.at >= since)
            .exists())


async def officer_wrote_to(session: AsyncSession, *, reporter_id: int, now: datetime) -> bool:
    """``officer_wrote_lately`` for one reporter, as a statement of its own (WhatsApp's
    lookup of a resident does not ask it with every update)."""
    return (await session.exec(select(Reporter.id).where(
        Reporter.id == reporter_id, officer_wrote_lately(now - RECENT_CONVERSATION)))).first() \
        is not None


async def unrouted_cases(session: AsyncSession) -> list[Report]:
    """Unclaimed cases whose card reached no officer (nobody was registered then)."""
    carded = select(Outbox.id).where(Outbox.report_id == Report.id, Outbox.purpose == "card",
                                     Outbox.officer_id != None)  # noqa: E711
    return list((await session.exec(select(Report).where(
        Report.assignee_id == None, Report.status == Status.NEW,  # noqa: E711
        ~carded.exists()).order_by(Report.created_at))).all())
