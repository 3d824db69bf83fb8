"""Retention: what is kept, and for how long (UU 27/2022; see docs/privacy.md).

- Sent (or failed, cancelled) outbox rows: OUTBOX_KEEP after they were queued.
- Abandoned drafts and their files: DRAFT_EXPIRE_AFTER after the last answer; the resident
  is told when they come back (Reporter.notice).
- Closed cases: RETENTION_AFTER_CLOSE after closing, the reporter link, the follow-up code,
  the contact, the location pin, the relayed messages, the outbox rows and the evidence
  go; the case's facts (the pin's area, about 1 km, among them) stay for the statistics
  (Report.purged_at says it happened).
- Residents with no report and no draft: forgotten DRAFT_EXPIRE_AFTER after last seen.
- Stored files no evidence row names any more (a replaced description, say): after an
  hour (ORPHAN_FILE_AGE).

Each purge writes one audit row with the counts, never content. ``dry_run`` counts only.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, func, or_, update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import Settings
from bot.engine.domain import CLOSED_STATUSES
from bot.storage.evidence import EvidenceStore
from bot.storage.upsert import session_insert
from bot.services import outbox
from models import (AuditLog, Draft, Evidence, EvidenceFile, JobRun, Outbox, RelayMessage, Report,
                    ReportContact, Reporter, WhatsAppSent)

DRAFT_EXPIRED = "draft_expired"
ORPHAN_FILE_AGE = timedelta(hours=1)
PURGE_JOB = "purge"
PURGE_EVERY = timedelta(days=1)
_EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)


async def purge(session: AsyncSession, *, settings: Settings, store: EvidenceStore,
                now: datetime, dry_run: bool = False) -> dict[str, int]:
    """Delete what is past its keeping time; returns what was (or would be) deleted."""
    counts: dict[str, int] = {}
    doomed_files: set[str] = set()
    # Before the steps below unlink files from their rows (those are counted there).
    orphans = await _orphan_files(session, now - ORPHAN_FILE_AGE)
    # Residents first, before drafts expire and closed cases are unlinked: a dry run then
    # counts what the real run deletes, and whoever those steps leave with nothing is
    # forgotten by a later purge (after they had a chance to be told).
    counts["residents"] = await _forgotten_residents(
        session, now=now, period=settings.draft_expire_after, dry_run=dry_run)
    counts["outbox_rows"] = await _old_outbox(session, now - settings.outbox_keep, dry_run)
    counts["drafts"], counts["draft_files"] = await _expired_drafts(
        session, now - settings.draft_expire_after, doomed_files, dry_run)
    counts["closed_cases"] = await _closed_cases(
        session, now - settings.retention_after_close, now, doomed_files, counts, dry_run)
    counts["orphan_files"] = len(orphans)
    if not dry_run:
        await session.flush()
        unused = [path for path in doomed_files if (await session.exec(
            select(Evidence.id).where(Evidence.path == path))).first() is None]
        # In the database: deleted for every instance at once.
        await store.delete(session, unused + orphans)
        session.add(AuditLog(at=now, officer_id=None, action="purge", detail=dict(counts)))
    return counts


async def _orphan_files(session: AsyncSession, before: datetime) -> list[str]:
    named = select(Evidence.id).where(Evidence.path == EvidenceFile.path).exists()
    return list((await session.exec(select(EvidenceFile.path).where(
        EvidenceFile.created_at < before, ~named))).all())


async def _old_outbox(session: AsyncSession, before: datetime, dry_run: bool) -> int:
    done = (Outbox.status != outbox.PENDING, Outbox.created_at < before)
    if dry_run:
        return (await session.exec(select(func.count()).select_from(Outbox).where(*done))).one()
    return (await session.exec(delete(Outbox).where(*done))).rowcount


async def _expired_drafts(session: AsyncSession, before: datetime, doomed: set[str],
                          dry_run: bool) -> tuple[int, int]:
    drafts = (await session.exec(select(Draft).where(Draft.updated_at < before))).all()
    files = 0
    for draft in drafts:
        paths = (await session.exec(select(Evidence.path).where(
            Evidence.draft_id == draft.id, Evidence.report_id == None))).all()  # noqa: E711
        files += len(paths)
        if dry_run:
            continue
        doomed.update(paths)
        await session.exec(delete(Evidence).where(Evidence.draft_id == draft.id,
                                                  Evidence.report_id == None))  # noqa: E711
        reporter = await session.get(Reporter, draft.reporter_id)
        if reporter is not None:
            reporter.notice = DRAFT_EXPIRED
        await session.delete(draft)
    return len(drafts), files


async def _closed_cases(session: AsyncSession, before: datetime, now: datetime,
                        doomed: set[str], counts: dict[str, int], dry_run: bool) -> int:
    reports = (await session.exec(select(Report).where(
        Report.status.in_([s.value for s in CLOSED_STATUSES]), Report.closed_at < before,
        Report.purged_at == None))).all()  # noqa: E711
    for kind in ("contacts", "relay_messages", "evidence_files", "chat_references"):
        counts.setdefault(kind, 0)
    purged_ids = {report.id for report in reports}
    reporter_ids = {report.reporter_id for report in reports if report.reporter_id is not None}
    for report in reports:
        contacts = (await session.exec(select(func.count()).select_from(ReportContact).where(
            ReportContact.report_id == report.id))).one()
        relayed = (await session.exec(select(func.count()).select_from(RelayMessage).where(
            RelayMessage.report_id == report.id))).one()
        paths = (await session.exec(select(Evidence.path).where(
            Evidence.report_id == report.id))).all()
        counts["contacts"] += contacts
        counts["relay_messages"] += relayed
        counts["evidence_files"] += len(paths)
        if dry_run:
            continue
        doomed.update(paths)
        await session.exec(delete(ReportContact).where(ReportContact.report_id == report.id))
        await session.exec(delete(RelayMessage).where(RelayMessage.report_id == report.id))
        await session.exec(delete(Evidence).where(Evidence.report_id == report.id))
        # Relayed words (encrypted) and receipts of this case, whatever their state.
        await session.exec(delete(Outbox).where(Outbox.report_id == report.id,
                                                Outbox.reporter_id != None))  # noqa: E711
        await session.exec(delete(WhatsAppSent).where(WhatsAppSent.report_id == report.id))
        report.reporter_id = None
        report.followup_enc = None
        report.location_enc = None      # the pin; its area (about 1 km) stays for figures
        report.purged_at = now
    # The chat reference of whoever has nothing else with us (no other case, no draft).
    for reporter_id in reporter_ids:
        others = (await session.exec(select(Report.id).where(
            Report.reporter_id == reporter_id, Report.id.not_in(purged_ids)))).first()
        draft = (await session.exec(select(Draft.id).where(Draft.reporter_id == reporter_id))).first()
        if others is None and draft is None:
            counts["chat_references"] += 1
            if not dry_run:
                await session.exec(delete(Outbox).where(Outbox.reporter_id == reporter_id))
                await session.exec(delete(WhatsAppSent).where(
                    WhatsAppSent.reporter_id == reporter_id))
                await session.exec(delete(Reporter).where(Reporter.id == reporter_id))
    return len(reports)


async def _forgotten_residents(session: AsyncSession, *, now: datetime, period: timedelta,
                               dry_run: bool) -> int:
    """People with no report and no draft, not seen for ``period``; a pending notice
    (their draft expired) keeps them one more period, so they can be told."""
    before = now - period
    has_report = select(Report.id).where(Report.reporter_id == Reporter.id).exists()
    has_draft = select(Draft.id).where(Draft.reporter_id == Reporter.id).exists()
    stale = or_(Reporter.notice == None, Reporter.last_seen_at < before - period)  # noqa: E711
    ids = list((await session.exec(select(Reporter.id).where(
        ~has_report, ~has_draft, Reporter.last_seen_at < before, stale))).all())
    if dry_run or not ids:
        return len(ids)
    await session.exec(delete(Outbox).where(Outbox.reporter_id.in_(ids)))
    await session.exec(delete(WhatsAppSent).where(WhatsAppSent.reporter_id.in_(ids)))
    await session.exec(delete(Reporter).where(Reporter.id.in_(ids)))
    return len(ids)


async def claim_daily_purge(session: AsyncSession, *, now: datetime) -> bool:
    """True for the one process that runs today's purge (a conditional UPDATE decides)."""
    await session.exec(session_insert(session)(JobRun).values(name=PURGE_JOB, last_run_at=_EPOCH)
                       .on_conflict_do_nothing(index_elements=["name"]))
    result = await session.exec(update(JobRun).where(
        JobRun.name == PURGE_JOB, JobRun.last_run_at <= now - PURGE_EVERY)
        .values(last_run_at=now))
    return result.rowcount == 1
