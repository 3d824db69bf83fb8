"""One-tap work on a claimed case: the optional reason after a status change, releasing it
back to the queue, reopening a closed case and snoozing its reminders. Plain values in
and out; no Telegram. Who may do what is re-checked here, whatever the button said."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.engine.domain import CLOSED_STATUSES, EventKind, Status
from bot.services.cases import CaseError, is_supervisor, require_assignee
from models import CaseEvent, Officer, Report

SNOOZE_HOURS = (1, 4)
REASON = "reason"     # Officer.pending kind: the optional reason of the last status change


def awaits_reason(officer: Officer | None, report: Report) -> bool:
    """The assignee was offered a reason for this case's last status change."""
    pending = officer.pending if officer is not None else None
    return bool(pending and pending.get("kind") == REASON
                and pending.get("report_id") == report.id)


def offered_reason_case(officer: Officer) -> int | None:
    """The case whose reasons the officer was offered, if any."""
    pending = officer.pending or {}
    return pending.get("report_id") if pending.get("kind") == REASON else None


def offer_reason(officer: Officer, report: Report, event: CaseEvent) -> int | None:
    """Remember that the next typed message is the reason; returns another case whose
    offered reasons this replaces, so its card can lose those buttons."""
    previous = offered_reason_case(officer)
    officer.pending = dict(kind=REASON, report_id=report.id, event_id=event.id)
    return previous if previous != report.id else None


async def set_reason(session: AsyncSession, *, report: Report, officer: Officer,
                     reason: str | None, now: datetime, key: str | None = None) -> CaseEvent:
    """The reason for the status just set (None: skipped); only while it is offered."""
    require_assignee(report, officer)
    if not awaits_reason(officer, report):
        raise CaseError("no_reason_asked")
    event = await session.get(CaseEvent, officer.pending.get("event_id"))
    officer.pending = None
    if event is None or event.report_id != report.id or event.detail.get("status") != report.status:
        raise CaseError("no_reason_asked")    # the case moved on since
    if reason is not None:
        report.status_reason, report.last_activity_at = reason, now
        event.detail = {**event.detail, "reason": reason, "reason_key": key}
    return event


async def release_case(session: AsyncSession, *, report: Report, officer: Officer,
                       now: datetime) -> str:
    """The assignee gives an open case back to the queue: unassigned and unclaimed, as if
    new; returns the status it had."""
    require_assignee(report, officer)
    if report.status in CLOSED_STATUSES:
        raise CaseError("closed")
    previous = report.status
    report.assignee_id, report.status = None, Status.NEW
    report.claimed_at, report.claim_seconds, report.last_activity_at = None, None, now
    report.snoozed_until = None
    if officer.pending and officer.pending.get("report_id") == report.id:
        officer.pending = None
    session.add(CaseEvent(report_id=report.id, at=now, kind=EventKind.RELEASED,
                          officer_id=officer.id,
                          detail={"from": officer.id, "status": previous, "by": officer.id}))
    await session.flush()
    return previous


async def reopen_case(session: AsyncSession, *, report: Report, officer: Officer,
                      now: datetime) -> CaseEvent:
    """A closed case is worked again (under investigation) by its assignee, or by the
    supervisor who reopens it when its assignee has left."""
    if report is None:
        raise CaseError("unknown")
    if report.status not in CLOSED_STATUSES:
        raise CaseError("not_closed")
    assignee = await session.get(Officer, report.assignee_id) if report.assignee_id else None
    if report.assignee_id != officer.id:
        if not is_supervisor(officer):
            raise CaseError("not_yours")
        if assignee is None or not assignee.active:
            report.assignee_id = officer.id
    previous = report.status
    report.status, report.status_reason = Status.IN_PROGRESS, None
    report.closed_at, report.close_seconds, report.last_activity_at = None, None, now
    event = CaseEvent(report_id=report.id, at=now, kind=EventKind.REOPENED, officer_id=officer.id,
                      detail={"from": previous, "status": Status.IN_PROGRESS.value})
    session.add(event)
    await session.flush()
    return event


async def snooze_case(session: AsyncSession, *, report: Report, officer: Officer, hours: int,
                      now: datetime) -> datetime:
    """No reminder about the case until then (the sweep reads it); not activity."""
    require_assignee(report, officer)
    if report.status in CLOSED_STATUSES:
        raise CaseError("closed")
    if hours not in SNOOZE_HOURS:
        raise CaseError("bad_status")
    report.snoozed_until = now + timedelta(hours=hours)
    session.add(CaseEvent(report_id=report.id, at=now, kind=EventKind.SNOOZED,
                          officer_id=officer.id,
                          detail={"hours": hours, "until": report.snoozed_until.isoformat()}))
    return report.snoozed_until


async def last_status_event(session: AsyncSession, report_id: int) -> CaseEvent | None:
    return (await session.exec(select(CaseEvent).where(
        CaseEvent.report_id == report_id, CaseEvent.kind.in_(
            (EventKind.STATUS, EventKind.REOPENED, EventKind.CLAIMED)))
        .order_by(CaseEvent.at.desc(), CaseEvent.id.desc()))).first()


def view_digest(text: str, markup: dict[str, Any] | None) -> str:
    """What a message shows, in 32 characters: equal digests, nothing to edit."""
    blob = json.dumps([text, markup], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()[:32]
