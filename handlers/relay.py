"""The reporter's side of the anonymous relay: their texts and files reach the officer
handling their case, labelled only with the case number."""
from __future__ import annotations

from telegram import Message, Update

from bot.services import followups
from bot.context import TipContext
from bot.services.followups import relay_chat_key
from bot.engine.form import Problem
from bot.render import officer as view
from bot.render import resident as resident_view
from bot.render import safety as safety_view
from bot.services import abuse, cases
from bot.services.files import receive_file
from bot.services.reports import add_report_evidence
from handlers.common import ResidentScope
from handlers.telegram_input import answer_of


async def relay_from_reporter(update: Update, context: TipContext, scope: ResidentScope, *,
                              message: Message | None = None, report=None) -> bool:
    """A reporter's text or file outside the form goes to the officer on their case, if any.

    Files become evidence of the case; the officer is told and can have them sent.
    ``message`` is the one to relay when it is not the update's own (a text the reporter
    confirmed was meant for the officer)."""
    message = message or update.effective_message
    answer, download = answer_of(message, context)
    if not message.text and download is None:
        return False
    services = context.services
    if report is None:
        reply_to = message.reply_to_message.message_id if message.reply_to_message else None
        report = await cases.relay_case_for_reporter(
            scope.session, reporter_id=scope.reporter.id,
            chat_key=relay_chat_key(services, update.effective_chat.id),
            reply_to_message_id=reply_to)
    if report is None:
        waiting = await cases.released_case_of(scope.session, reporter_id=scope.reporter.id)
        if waiting is not None:
            scope.reply(safety_view.case_waiting_for_officer(scope.t, waiting))
            return True
        closed = await cases.closed_latest_case_of(scope.session, reporter_id=scope.reporter.id)
        if closed is not None:
            scope.reply(resident_view.case_closed(scope.t, closed))
        return closed is not None
    now = services.clock()
    if download is not None:
        settings = services.settings
        problem = None
        if await abuse.case_file_count(scope.session, report_id=report.id) >= \
                settings.max_evidence_files:
            problem = Problem.TOO_MANY_FILES
        elif answer.size and answer.size > settings.max_evidence_bytes:
            problem = Problem.FILE_TOO_BIG
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
        await followups.relay_to_officer(scope.session, services, report, text=message.text,
                                      now=now)
    scope.reply(view.relay_received(scope.t, report))
    scope.deliver = True
    return True


async def case_replied_to(update: Update, context: TipContext, scope: ResidentScope):
    """The case whose officer's message this one replies to (a Telegram reply), if any."""
    replied = update.effective_message.reply_to_message
    if replied is None:
        return None
    return await cases.case_replied_to(
        scope.session, reporter_id=scope.reporter.id,
        chat_key=relay_chat_key(context.services, update.effective_chat.id),
        reply_to_message_id=replied.message_id)
