"""Brakes on abuse, kept in the database so a restart or a second process sees them:
new reports per reporter per day, one urgent page per reporter per interval, and wrong
follow-up codes per account. Plain values in and out; no Telegram."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.crypto import Vault
from bot.engine.domain import EventKind
from bot.services.codes import find_by_followup
from models import CaseEvent, Evidence, Report, Reporter

QUOTA_WINDOW = timedelta(hours=24)
CODE_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class Quota:
    """Whether a reporter may file a new report now, and if not, from when."""

    allowed: bool
    used: int
    retry_at: datetime | None = None


async def report_quota(session: AsyncSession, *, reporter_id: int, per_day: int,
                       now: datetime) -> Quota:
    """At most ``per_day`` new reports in any 24 hours; a slot frees up 24 hours after
    the oldest report of the window."""
    recent = list((await session.exec(select(Report.created_at).where(
        Report.reporter_id == reporter_id, Report.created_at > now - QUOTA_WINDOW)
        .order_by(Report.created_at))).all())
    if len(recent) < per_day:
        return Quota(True, len(recent))
    return Quota(False, len(recent), recent[len(recent) - per_day] + QUOTA_WINDOW)


async def urgent_paged_recently(session: AsyncSession, *, report: Report,
                                interval: timedelta, now: datetime) -> bool:
    """True when an urgent report of the same reporter paged everyone within ``interval``:
    this one is then routed like a normal case (still urgent, no second page)."""
    if report.reporter_id is None or interval.total_seconds() <= 0:
        return False
    alerts = (await session.exec(select(CaseEvent.detail).join(
        Report, Report.id == CaseEvent.report_id).where(
        Report.reporter_id == report.reporter_id, Report.id != report.id, Report.urgent,
        CaseEvent.kind == EventKind.ALERTED, CaseEvent.at > now - interval))).all()
    return any((detail or {}).get("paged") for detail in alerts)


async def collapsed_pages(session: AsyncSession, report_ids: list[int]) -> set[int]:
    """Which of these urgent cases were routed without a page (collapsed)."""
    if not report_ids:
        return set()
    alerts = (await session.exec(select(CaseEvent.report_id, CaseEvent.detail).where(
        CaseEvent.report_id.in_(report_ids), CaseEvent.kind == EventKind.ALERTED))).all()
    return {report_id for report_id, detail in alerts if (detail or {}).get("collapsed")}


@dataclass(frozen=True)
class CodeCheck:
    report: Report | None
    paused_until: datetime | None = None     # set: too many wrong codes, nothing looked up


def code_pause(reporter: Reporter, *, tries: int, now: datetime) -> datetime | None:
    """When this account may try codes again, if it is paused now."""
    since = reporter.code_failures_since
    if since is None or since <= now - CODE_WINDOW or reporter.code_failures < tries:
        return None
    return since + CODE_WINDOW


async def check_followup_code(session: AsyncSession, *, vault: Vault, reporter: Reporter,
                              code: str, tries: int, now: datetime) -> CodeCheck:
    """Look a follow-up code up, counting wrong ones per account: after ``tries`` wrong
    codes within an hour the account waits until that hour is over."""
    paused = code_pause(reporter, tries=tries, now=now)
    if paused is not None:
        return CodeCheck(None, paused)
    found = await find_by_followup(session, vault=vault, code=code)
    if found is None:
        since = reporter.code_failures_since
        if since is None or since <= now - CODE_WINDOW:
            reporter.code_failures, reporter.code_failures_since = 1, now
        else:
            reporter.code_failures += 1
    return CodeCheck(found, code_pause(reporter, tries=tries, now=now))


async def case_file_count(session: AsyncSession, *, report_id: int) -> int:
    """Evidence files of a case (a voice description not counted): MAX_EVIDENCE_FILES
    holds for files relayed after submission too."""
    return (await session.exec(select(func.count()).select_from(Evidence).where(
        Evidence.report_id == report_id, Evidence.is_description == False))).one()  # noqa: E712
