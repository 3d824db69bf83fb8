"""Turning a finished draft into a case, and finding cases again."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.crypto import Vault
from bot.storage.evidence import EvidenceStore
from bot.engine.domain import EventKind
from bot.engine.form import STEPS, Upload, case_values
from bot.services import outbox, routing
from bot.services.codes import canonical_code, new_case_number, new_followup_code
from bot.services.drafts import all_answers
from bot.services.files import KeptFile
from models import CaseEvent, Draft, Evidence, Report, ReportContact, Reporter

@dataclass(frozen=True)
class Receipt:
    report: Report
    followup_code: str


async def submit_report(
    session: AsyncSession, *, vault: Vault, draft: Draft, reporter: Reporter, now: datetime,
    rules: routing.RoutingRules, counts: routing.Counts | None = None,
) -> Receipt:
    """Store the report, its contact and evidence, drop the draft and route the case: one
    transaction, whatever channel the report came through.

    The follow-up code is kept encrypted on the report until the receipt carrying it is
    delivered (through the outbox, queued here in this same transaction), so a crash or a
    Telegram outage right after the commit cannot lose it. Routing queues the officers'
    cards in the same transaction: a report is never stored without its alerts, nor
    alerts without a report.
    """
    answers = all_answers(draft, vault)
    code = new_followup_code()
    case_number = await _unused_case_number(session, now)
    report = Report(
        **case_values(answers),
        case_number=case_number,
        followup_hash=vault.lookup_hash("followup", canonical_code(code)),
        followup_enc=vault.encrypt(code),
        location_enc=seal_location(vault, answers),
        reporter_id=reporter.id,
        locale=reporter.locale or "id",
        channel=reporter.channel,
        created_at=now,
        last_activity_at=now,
    )
    # Read first, then write: the writes below go one after the other, with no read in
    # between (see routing.plan_new_case).
    plan = await routing.plan_new_case(session, report, rules=rules, now=now)
    session.add(report)
    await session.flush()
    if report.contactable:
        session.add(ReportContact(report_id=report.id,
                                  name_enc=vault.encrypt(answers.get("contact_name") or ""),
                                  phone_enc=vault.encrypt(answers.get("contact_phone") or "")))
    await session.exec(update(Evidence).where(Evidence.draft_id == draft.id)
                       .values(report_id=report.id, draft_id=None))
    await outbox.enqueue(session, purpose=outbox.RECEIPT, now=now, channel=reporter.channel,
                         reporter_id=reporter.id, report_id=report.id)
    await session.delete(draft)
    await session.flush()
    # Its timeline begins there (created, then alerted).
    await routing.route_new_case(session, report, plan, rules=rules, now=now)
    if counts is not None:
        counts.report_submitted(reporter.channel)
    return Receipt(report, code)


def seal_location(vault: Vault, answers: dict) -> str | None:
    """The pin as given, encrypted for the case (see StepSpec.sealed); None without one."""
    sealed = {key: answers[key] for key in STEPS.sealed_answers if answers.get(key) is not None}
    return vault.encrypt(json.dumps(sealed)) if sealed else None


def open_location(vault: Vault, report: Report) -> tuple[float, float] | None:
    """The case's pin (latitude, longitude), decrypted in memory; None without one."""
    if not report.location_enc:
        return None
    sealed = json.loads(vault.decrypt(report.location_enc))
    return float(sealed["latitude"]), float(sealed["longitude"])


async def _unused_case_number(session: AsyncSession, now: datetime) -> str:
    for _ in range(20):
        candidate = new_case_number(now)
        taken = await session.exec(select(Report.id).where(Report.case_number == candidate))
        if taken.first() is None:
            return candidate
    raise RuntimeError("could not find a free case number")


async def reports_of(session: AsyncSession, reporter_id: int, limit: int = 20) -> list[Report]:
    query = (select(Report).where(Report.reporter_id == reporter_id)
             .order_by(Report.created_at.desc()).limit(limit))
    return list((await session.exec(query)).all())


async def renew_followup_code(session: AsyncSession, *, vault: Vault, report: Report,
                              now: datetime) -> None:
    """A new code for the report (the old one stops working), kept encrypted until sent."""
    code = new_followup_code()
    report.followup_hash = vault.lookup_hash("followup", canonical_code(code))
    report.followup_enc = vault.encrypt(code)
    for row in await outbox.pending_for_reporter(
            session, report_id=report.id, purposes=(outbox.RECEIPT, outbox.NEW_CODE)):
        row.status = outbox.CANCELLED
    reporter = await session.get(Reporter, report.reporter_id) if report.reporter_id else None
    await outbox.enqueue(session, purpose=outbox.NEW_CODE, now=now,
                         channel=reporter.channel if reporter else outbox.TELEGRAM,
                         reporter_id=report.reporter_id, report_id=report.id)
    await session.flush()


async def own_report(session: AsyncSession, *, reporter_id: int, report_id: int) -> Report | None:
    """The report if this reporter filed it (buttons are never trusted)."""
    report = await session.get(Report, report_id)
    return report if report is not None and report.reporter_id == reporter_id else None


async def evidence_of(session: AsyncSession, report_id: int) -> list[Evidence]:
    query = select(Evidence).where(Evidence.report_id == report_id).order_by(Evidence.id)
    return list((await session.exec(query)).all())


async def add_report_evidence(session: AsyncSession, *, report: Report, upload: Upload,
                              kept: KeptFile, now: datetime) -> Evidence:
    """A file the reporter sends later, kept with the case it belongs to."""
    await EvidenceStore.keep(session, kept.stored, now=now)
    evidence = kept.evidence(kind=upload.kind, report_id=report.id, caption=upload.caption,
                             now=now)
    session.add(evidence)
    report.last_activity_at = now
    session.add(CaseEvent(report_id=report.id, at=now, kind=EventKind.FROM_REPORTER,
                          detail={"evidence": upload.kind}))
    await session.flush()
    return evidence
