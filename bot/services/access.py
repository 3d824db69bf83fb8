"""Who may see a case, and the audit trail of every look.

The rule: an officer sees a case only if it was routed to them (alert, reminder,
escalation or reassignment), they hold it, a shift of theirs covers its region (a shift
without a region covers all), or they are a supervisor or admin. Card buttons name a case
by its random ``card_token``; whatever a button says, this rule is checked again.
"""
from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import or_
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.engine.domain import EventKind, Role
from models import AuditLog, CaseEvent, Officer, Report, RosterShift

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{8,24}$")
# Events that put a case in front of an officer, and where they list who.
ROUTING_EVENTS = {EventKind.ALERTED: "officers", EventKind.REMINDER: "to",
                  EventKind.ESCALATION: "to", EventKind.REASSIGNED: "to"}


async def case_by_token(session: AsyncSession, token: str) -> Report | None:
    """The case a button names; None for anything malformed or unknown."""
    if not TOKEN_RE.match(token):
        return None
    return (await session.exec(select(Report).where(Report.card_token == token)
                               .execution_options(populate_existing=True))).first()


async def may_see(session: AsyncSession, report: Report, officer: Officer) -> bool:
    """The access rule of this module's docstring."""
    if not officer.active:
        return False
    if officer.role in (Role.SUPERVISOR, Role.ADMIN) or report.assignee_id == officer.id:
        return True
    return await _routed_to(session, report, officer) or await _covers_region(
        session, report, officer)


async def _routed_to(session: AsyncSession, report: Report, officer: Officer) -> bool:
    events = (await session.exec(select(CaseEvent.kind, CaseEvent.detail).where(
        CaseEvent.report_id == report.id,
        CaseEvent.kind.in_([kind.value for kind in ROUTING_EVENTS])))).all()
    for kind, detail in events:
        named = (detail or {}).get(ROUTING_EVENTS[EventKind(kind)])
        if named == officer.id or (isinstance(named, list) and officer.id in named):
            return True
    return False


async def _covers_region(session: AsyncSession, report: Report, officer: Officer) -> bool:
    found = await session.exec(select(RosterShift.id).where(
        RosterShift.officer_id == officer.id,
        or_(RosterShift.region_code == None,  # noqa: E711
            RosterShift.region_code == report.region_code)).limit(1))
    return found.first() is not None


async def visible(session: AsyncSession, reports: list[Report], officer: Officer) -> list[Report]:
    """The cases of ``reports`` this officer may see, in the same order."""
    return [report for report in reports if await may_see(session, report, officer)]


def audit(session: AsyncSession, *, officer_id: int | None, action: str, now: datetime,
          **detail: Any) -> None:
    """One line of the audit trail: who, what, when; ids and counts, never content."""
    session.add(AuditLog(at=now, officer_id=officer_id, action=action, detail=detail))
