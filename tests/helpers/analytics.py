"""Builders for the analytics tests: reports and officers with only what matters given."""
from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone

from bot.analytics.period import whole_seconds_between
from models import CaseEvent, Officer, Report

_numbers = itertools.count(1)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


async def make_officer(session, name: str, *, role: str = "officer", active: bool = True,
                       blocked: bool = False) -> Officer:
    officer = Officer(telegram_user_id=7_000_000_000 + next(_numbers), name=name, role=role,
                      active=active, blocked=blocked)
    session.add(officer)
    await session.flush()
    return officer


async def make_report(session, *, created_at: datetime, category: str = "calo",
                      region_code: str = "1871", status: str = "new",
                      claim_after: float | None = None, close_after: float | None = None,
                      assignee: Officer | None = None, **overrides) -> Report:
    """A report created at ``created_at``; claimed/closed that many seconds later."""
    number = next(_numbers)
    report = Report(
        case_number=overrides.pop("case_number", f"LPG-2611-T{number:04d}"),
        followup_hash=f"hash-{number}",
        category=category,
        region_code=region_code,
        status=status,
        created_at=created_at,
        last_activity_at=created_at,
        claimed_at=created_at + timedelta(seconds=claim_after) if claim_after is not None else None,
        closed_at=created_at + timedelta(seconds=close_after) if close_after is not None else None,
        claim_seconds=_whole(created_at, claim_after),
        close_seconds=_whole(created_at, close_after),
        assignee_id=assignee.id if assignee else None,
        **overrides,
    )
    session.add(report)
    await session.flush()
    return report


def _whole(created_at: datetime, after: float | None) -> int | None:
    """The stored duration, as the case services write it."""
    if after is None:
        return None
    return whole_seconds_between(created_at, created_at + timedelta(seconds=after))


async def add_event(session, report: Report, kind: str, at: datetime,
                    officer: Officer | None = None, **detail) -> CaseEvent:
    event = CaseEvent(report_id=report.id, kind=kind, at=at,
                      officer_id=officer.id if officer else None, detail=detail)
    session.add(event)
    await session.flush()
    return event
