"""What the sweep must remind or escalate now, computed from the database alone.

Each item carries a dedupe key made of the case and the number of whole intervals
elapsed, so each reminder is queued once per interval, whichever process or restart
finds it first; a stale reminder's key also holds the last activity, so any work on the
case starts the count again. A snoozed case reminds nobody until its snooze ends; then
the key holds the snooze's end too, so the reminder it held back comes once, at its end.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import Settings
from bot.engine.domain import Role, Status
from bot.services import abuse, duty
from bot.services.cases import OPEN_VALUES
from models import Officer, Report

UNCLAIMED, ESCALATE, STALE, STALE_ESCALATE = "unclaimed", "escalate", "stale", "stale_esc"
REMINDER_KINDS = (UNCLAIMED, STALE)


@dataclass
class Due:
    kind: str
    report: Report
    key: str               # unique per case and interval; recipients are appended
    waited: timedelta
    recipients: list[Officer]


def _intervals(elapsed: timedelta, every: timedelta) -> int:
    return int(elapsed / every) if every.total_seconds() > 0 else 0


async def due_now(session: AsyncSession, *, settings: Settings, now: datetime) -> list[Due]:
    found: list[Due] = []
    bosses = await duty.supervisors_and_admins(session)
    supervisors = [o for o in bosses if o.role == Role.SUPERVISOR] or bosses
    unclaimed = (await session.exec(select(Report).where(
        Report.assignee_id == None, Report.status == Status.NEW))).all()  # noqa: E711
    # An urgent report whose page was collapsed (its reporter had just paged) keeps the
    # normal timers: its reminders must not page everyone in its place.
    collapsed = await abuse.collapsed_pages(session, [r.id for r in unclaimed if r.urgent])
    for report in unclaimed:
        if _snoozed(report, now):
            continue
        waited = now - report.created_at
        urgent = report.urgent and report.id not in collapsed
        remind_every = (settings.unclaimed_reminder_after_urgent if urgent
                        else settings.unclaimed_reminder_after)
        escalate_every = settings.escalate_after_urgent if urgent else settings.escalate_after
        n = _intervals(waited, remind_every)
        if n >= 1:
            on_duty = await duty.on_duty_officers(session, now=now, region_code=report.region_code)
            if on_duty:
                found.append(Due(UNCLAIMED, report, f"{UNCLAIMED}:{report.id}:{n}", waited, on_duty))
        n = _intervals(waited, escalate_every)
        if n >= 1 and bosses:
            found.append(Due(ESCALATE, report, f"{ESCALATE}:{report.id}:{n}", waited, bosses))
    assigned = (await session.exec(select(Report).where(
        Report.assignee_id != None, Report.status.in_(OPEN_VALUES)))).all()  # noqa: E711
    for report in assigned:
        if _snoozed(report, now):
            continue
        idle = now - report.last_activity_at
        stamp = int(report.last_activity_at.timestamp())
        if report.snoozed_until is not None and report.snoozed_until > report.last_activity_at:
            stamp = f"{stamp}s{int(report.snoozed_until.timestamp())}"
        n = _intervals(idle, settings.stale_case_after)
        if n >= 1:
            assignee = await session.get(Officer, report.assignee_id)
            if (assignee is not None and assignee.active and not assignee.blocked
                    and await duty.is_on_duty(session, officer_id=assignee.id, now=now)):
                found.append(Due(STALE, report, f"{STALE}:{report.id}:{stamp}:{n}", idle, [assignee]))
        n = _intervals(idle, settings.stale_escalate_after)
        if n >= 1 and supervisors:
            found.append(Due(STALE_ESCALATE, report, f"{STALE_ESCALATE}:{report.id}:{stamp}:{n}",
                             idle, supervisors))
    return found


def _snoozed(report: Report, now: datetime) -> bool:
    return report.snoozed_until is not None and report.snoozed_until > now


def still_due(kind: str, report: Report | None, queued_at: datetime) -> bool:
    """A queued reminder is dropped at delivery if the case moved on, or was snoozed, since."""
    if report is None or report.status not in OPEN_VALUES:
        return False
    if report.snoozed_until is not None and report.snoozed_until > queued_at:
        return False
    if kind in (UNCLAIMED, ESCALATE):
        return report.assignee_id is None
    return report.last_activity_at <= queued_at
