"""The resident's side of the anonymous relay on WhatsApp: their texts and files outside
the form reach the officer on their case, labelled only with the case number."""
from __future__ import annotations

from bot.services import followups
from bot.engine.form import Answer, Problem, Typed
from bot.render import officer as officer_view
from bot.render import safety as safety_view
from bot.services import abuse, cases
from bot.services.files import receive_file
from bot.services.form_flow import Download
from bot.services.reports import add_report_evidence
from handlers.common import ResidentScope


async def from_reporter(channel, scope: ResidentScope, answer: Answer,
                        download: Download | None) -> bool:
    """False when there is nothing to relay to (no case in an officer's hands)."""
    if not isinstance(answer, Typed) and download is None:
        return False
    services = channel.services
    # WhatsApp has no per-chat message ids of ours to reply to: the latest open case.
    report = await cases.relay_case_for_reporter(
        scope.session, reporter_id=scope.reporter.id, chat_key="", reply_to_message_id=None)
    if report is None:
        waiting = await cases.released_case_of(scope.session, reporter_id=scope.reporter.id)
        if waiting is not None:
            scope.reply(safety_view.case_waiting_for_officer(scope.t, waiting))
        return waiting is not None
    now = services.clock()
    if download is not None:
        settings = services.settings
        problem = None
        if await abuse.case_file_count(scope.session, report_id=report.id) >= \
                settings.max_evidence_files:
            problem = Problem.TOO_MANY_FILES
        else:
            kept = await receive_file(services.evidence, answer, download,
                                      max_bytes=settings.max_evidence_bytes)
            problem = kept if isinstance(kept, Problem) else None
        if problem is not None:
            scope.reply(safety_view.relayed_file_refused(
                scope.t, problem, settings.max_evidence_files, services.max_mb))
            return True
        await add_report_evidence(scope.session, report=report, upload=answer, kept=kept, now=now)
        await followups.evidence_to_officer(scope.session, services, report, kind=answer.kind,
                                         now=now, caption=answer.caption)
    else:
        await followups.relay_to_officer(scope.session, services, report, text=answer.text,
                                      now=now)
    scope.reply(officer_view.relay_received(scope.t, report))
    scope.deliver = True
    return True
