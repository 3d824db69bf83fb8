"""/riwayat: a case's timeline as plain records (who did what, when)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel.ext.asyncio.session import AsyncSession

from models import CaseEvent, Officer, Report

_CASE_NUMBER = re.compile(r"^([A-Z]{2,5})-?(\d{4})-?([A-Z0-9]{5})$")


def normalize_case_number(text: str) -> str:
    """What an officer typed (``lpg 2611 k7q4m``) as stored (``LPG-2611-K7Q4M``)."""
    compact = re.sub(r"[\s_.]+", "", text.strip().upper())
    match = _CASE_NUMBER.match(compact)
    return "-".join(match.groups()) if match else compact


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str                 # an EventKind value
    officer_id: int | None
    officer_name: str | None  # None: the system or the reporter
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CaseTimeline:
    report_id: int
    case_number: str
    category: str
    region_code: str
    status: str
    urgent: bool
    created_at: datetime
    assignee_name: str | None
    entries: list[TimelineEntry]
    total_entries: int        # more than len(entries) when ``limit`` cut the list


async def case_timeline(
    session: AsyncSession,
    *,
    case_number: str | None = None,
    report_id: int | None = None,
    limit: int | None = None,
) -> CaseTimeline | None:
    """The case (by number as typed, or id) and its events in order, or None if unknown.

    With ``limit``, the latest ``limit`` events are kept (still oldest first).
    """
    if (case_number is None) == (report_id is None):
        raise ValueError("give exactly one of case_number and report_id")
    query = select(Report, Officer.name).outerjoin(Officer, Officer.id == Report.assignee_id)
    if case_number is not None:
        query = query.where(Report.case_number == normalize_case_number(case_number))
    else:
        query = query.where(Report.id == report_id)
    found = (await session.exec(query)).first()
    if found is None:
        return None
    report, assignee_name = found

    events = (
        select(CaseEvent.at, CaseEvent.kind, CaseEvent.officer_id, Officer.name,
               CaseEvent.detail)
        .outerjoin(Officer, Officer.id == CaseEvent.officer_id)
        .where(CaseEvent.report_id == report.id)
        .order_by(CaseEvent.at, CaseEvent.id)
    )
    rows = (await session.exec(events)).all()
    total = len(rows)
    if limit is not None and total > limit:
        rows = rows[total - limit:]
    entries = [TimelineEntry(at, kind, officer_id, name, dict(detail or {}))
               for at, kind, officer_id, name, detail in rows]
    return CaseTimeline(
        report_id=report.id, case_number=report.case_number, category=report.category,
        region_code=report.region_code, status=report.status, urgent=report.urgent,
        created_at=report.created_at, assignee_name=assignee_name, entries=entries,
        total_entries=total,
    )
