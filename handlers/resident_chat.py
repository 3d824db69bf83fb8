"""What a resident's message outside the form does, the same on every channel: it reaches
the officer on their case (files become evidence), or they are told why it cannot; a
follow-up code looked up; a new follow-up code for one of their reports. Each channel
finds the case its own way (Telegram by the message replied to, WhatsApp by the latest)
and sends the replies."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.engine.form import Answer, Problem
from bot.engine.i18n import Translator
from bot.render import officer as officer_view
from bot.render import resident as resident_view
from bot.render import safety as safety_view
from bot.render.text import Reply
from bot.services import abuse, cases, followups, reports
from bot.services.files import receive_file
from bot.services.form_flow import Download
from bot.services.reports import add_report_evidence
from models import Report, Reporter


class Conversation(Protocol):
    """One update's work for a resident: its session, the resident, their language, the
    replies to send after the commit, and whether outbox rows wait to be delivered."""

    session: AsyncSession
    reporter: Reporter
    t: Translator
    deliver: bool

    def reply(self, replies: Reply | Iterable[Reply]) -> None: ...


async def relay_to_case(scope: Conversation, services, report: Report | None, *,
                        answer: Answer, download: Download | None, text: str | None) -> bool:
    """The resident's ``text``, or the file ``download`` fetches, for the officer handling
    ``report``. With no case in an officer's hands the resident is told why (it waits for
    an officer again, or it is closed); False when they have no such case at all."""
    if report is None:
        return await _why_not_relayed(scope)
    now = services.clock()
    if download is None:
        await followups.relay_to_officer(scope.session, services, report, text=text, now=now)
    else:
        kept = await _kept_file(scope.session, services, report, answer, download)
        if isinstance(kept, Problem):
            scope.reply(safety_view.relayed_file_refused(
                scope.t, kept, services.settings.max_evidence_files, services.max_mb))
            return True
        await add_report_evidence(scope.session, report=report, upload=answer, kept=kept, now=now)
        await followups.evidence_to_officer(scope.session, services, report, kind=answer.kind,
                                            now=now, caption=answer.caption)
    scope.reply(officer_view.relay_received(scope.t, report))
    scope.deliver = True
    return True


async def _kept_file(session: AsyncSession, services, report: Report, answer: Answer,
                     download: Download):
    """The resident's file kept as evidence of the case, or the Problem why not."""
    settings = services.settings
    if await abuse.case_file_count(session, report_id=report.id) >= settings.max_evidence_files:
        return Problem.TOO_MANY_FILES
    if answer.size and answer.size > settings.max_evidence_bytes:
        return Problem.FILE_TOO_BIG
    return await receive_file(services.evidence, answer, download,
                              max_bytes=settings.max_evidence_bytes)


async def _why_not_relayed(scope: Conversation) -> bool:
    waiting = await cases.released_case_of(scope.session, reporter_id=scope.reporter.id)
    if waiting is not None:
        scope.reply(safety_view.case_waiting_for_officer(scope.t, waiting))
        return True
    closed = await cases.closed_latest_case_of(scope.session, reporter_id=scope.reporter.id)
    if closed is not None:
        scope.reply(resident_view.case_closed(scope.t, closed))
    return closed is not None


async def renew_code(scope: Conversation, services, report_id: str | None) -> None:
    """A new follow-up code for one of the resident's own reports (the old one stops
    working); any other id gets the menu's hint."""
    report = None
    if report_id and report_id.isdecimal() and report_id.isascii():
        report = await reports.own_report(scope.session, reporter_id=scope.reporter.id,
                                          report_id=int(report_id))
    if report is None:
        scope.reply(resident_view.hint_menu(scope.t))
        return
    await reports.renew_followup_code(scope.session, vault=services.vault, report=report,
                                      now=services.clock())
    scope.deliver = True


async def check_code(scope: Conversation, services, code: str) -> None:
    """A follow-up code typed or given with /status: its report's status, within the
    hourly number of tries."""
    scope.reporter.awaiting = None
    checked = await abuse.check_followup_code(
        scope.session, vault=services.vault, reporter=scope.reporter, code=code,
        tries=services.settings.followup_tries_per_hour, now=services.clock())
    if checked.report is None and checked.paused_until is not None:
        scope.reply(safety_view.codes_paused(scope.t, checked.paused_until))
    else:
        scope.reply(resident_view.followup_result(scope.t, checked.report))
