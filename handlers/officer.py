"""The officers' side: case cards' buttons, case lists and case work.

What an officer is about to type (a reason, a note, a message to the reporter) is kept
on their row (``Officer.pending``), so it survives a restart. Everything else is re-read
from the database on every press.
"""
from __future__ import annotations

from telegram import Update
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    filters,
)

from bot.channels.telegram.presses import answer_press
from bot.channels.telegram import messages
from bot.services import followups
from bot.engine.callbacks import Action, unpack
from bot.context import TipContext
from bot.channels.telegram.jobs import kick
from bot.services.followups import relay_chat_key
from bot.engine.domain import CLOSED_STATUSES, EventKind
from bot.render import officer as view
from bot.render.casework import reason_saved_reply as work_reply
from bot.render import safety as safety_view
from bot.services import access, casework, cases, duty, officer_input
from bot.services.cases import CaseError
from bot.services.officer_input import Meaning
from handlers import desk
from handlers.casework import CASEWORK_VERBS, typed_reason
from handlers.telegram_input import outgoing_of
from bot.render import officer_desk as desk_view
from handlers.common import (OfficerScope, drop_keyboard, officer_scope, refuse_non_officer,
                             swap_keyboard)
from bot.engine.sanitize import is_plain_number
from models import CaseEvent, Officer, Report

PRIVATE = filters.ChatType.PRIVATE


# Commands -------------------------------------------------------------------------------

async def my_cases(update: Update, context: TipContext) -> None:
    """/kasus: the officer's open cases."""
    async with officer_scope(update, context) as scope:
        if scope is None:
            return await refuse_non_officer(update, context)
        found = await cases.my_open_cases(scope.session, scope.officer.id)
        scope.reply(view.case_list(scope.t, found, queue=False,
                                                      now=context.services.clock()))


async def queue(update: Update, context: TipContext) -> None:
    """/antrian: unclaimed cases this officer may see."""
    async with officer_scope(update, context) as scope:
        if scope is None:
            return await refuse_non_officer(update, context)
        found = await access.visible(scope.session, await cases.unclaimed_cases(scope.session),
                                     scope.officer)
        scope.reply(view.case_list(scope.t, found, queue=True,
                                                      now=context.services.clock()))


# Buttons --------------------------------------------------------------------------------

async def case_pressed(update: Update, context: TipContext) -> None:
    """Any case button; the data only names the case, the database decides the rest.

    A refusal (unknown token, a case the officer may not see or touch) is audited."""
    query = update.callback_query
    decoded = unpack(query.data)
    parts = decoded[1] if decoded else []
    handler = _VERBS.get(parts[0]) if parts else None
    if handler is None or len(parts) < 2:
        await answer_press(query)
        return
    async with officer_scope(update, context) as scope:
        if scope is None:
            t = context.services.translator(None)
            await answer_press(query, view.error_text(t, "not_officer"), show_alert=True)
            return
        report = await access.case_by_token(scope.session, parts[1])
        # A rollback below expires these rows: keep the ids for the audit line.
        report_id, officer_id = report.id if report is not None else None, scope.officer.id
        try:
            toast = await handler(context, scope, report, parts[2:])
        except CaseError as error:
            toast = safety_view.refusal_text(scope.t, error.code)
            scope.replies.clear()
            await scope.session.rollback()
            access.audit(scope.session, officer_id=officer_id, action="case_refused",
                         now=context.services.clock(), verb=parts[0], reason=error.code,
                         report_id=report_id)
    await answer_press(query, toast)
    if scope.keyboard is not None:
        await swap_keyboard(query, scope.keyboard)
    elif parts[0] in PREVIEW_VERBS:      # a quick reply's Send or Cancel: pressed once
        await drop_keyboard(query)
    kick(context)


PREVIEW_VERBS = ("qrs", "qrx")


async def _visible(scope: OfficerScope, report: Report | None) -> Report:
    """The case if this officer may see it; else the press is refused (and audited)."""
    if report is None:
        raise CaseError("unknown")
    if not await access.may_see(scope.session, report, scope.officer):
        raise CaseError("no_access")
    return report


async def _claim(context, scope: OfficerScope, report, args) -> str | None:
    report = await _visible(scope, report)
    now = context.services.clock()
    if not await cases.claim_case(scope.session, report_id=report.id, officer=scope.officer,
                                  now=now):
        report = await cases.load_case(scope.session, report.id)
        holder = await scope.session.get(Officer, report.assignee_id) if report.assignee_id else None
        return view.already_taken(scope.t, holder.name if holder else None)
    report = await cases.load_case(scope.session, report.id)
    await followups.refresh_cards(scope.session, context.services, report, now=now)
    await followups.notify_reporter(scope.session, context.services, report, now=now)
    # Queued without the contact: that one is rendered only when sent (never stored in clear).
    details = await _details(context, scope, report, with_contact=False)
    await followups.queue_details(scope.session, report_id=report.id, officer=scope.officer,
                                  parts=len(details.replies), contact=details.contact, now=now)
    await followups.queue_contact(scope.session, report, officer=scope.officer, now=now)
    return view.claimed_by_you(scope.t, report)


async def _details(context, scope: OfficerScope, report, *,
                   with_contact: bool = True) -> messages.Details:
    return await messages.render_details(scope.session, context.services, report, scope.officer,
                                         with_contact=with_contact)


async def _view(context, scope: OfficerScope, report, args) -> None:
    report = await _visible(scope, report)
    access.audit(scope.session, officer_id=scope.officer.id, action="case_view",
                 now=context.services.clock(), report_id=report.id)
    details = await _details(context, scope, report)
    scope.reply(details.replies)
    scope.shows_case = details     # every part edited when the case changes


async def _reassign_menu(context, scope: OfficerScope, report, args) -> None:
    if not cases.is_supervisor(scope.officer):
        raise CaseError("supervisors_only")
    if report is None:
        raise CaseError("unknown")
    choices = [o for o in await duty.active_officers(scope.session) if o.id != report.assignee_id]
    scope.reply(view.reassign_choice(scope.t, report, choices))


async def _reassign_to(context, scope: OfficerScope, report, args) -> None:
    if report is None or not args or not is_plain_number(args[0]):
        raise CaseError("unknown")
    now = context.services.clock()
    target = await cases.reassign(scope.session, report=report, by=scope.officer,
                                  to_officer_id=int(args[0]), now=now)
    await followups.refresh_cards(scope.session, context.services, report, now=now)
    await followups.queue_info(scope.session, "assigned", officer=target, now=now,
                               report_id=report.id)
    scope.reply(view.reassigned(scope.t, report, target.name))


def _ask(kind: str):
    async def ask(context, scope: OfficerScope, report, args) -> None:
        report = cases.require_assignee(report, scope.officer, or_supervisor=kind == "note")
        if report.status in CLOSED_STATUSES and kind != "note":
            raise CaseError("closed")
        earlier = casework.offered_reason_case(scope.officer)
        scope.officer.pending = dict(kind=kind, report_id=report.id)
        if earlier is not None:    # the reasons offered there give way to this typing
            await followups.refresh_case(scope.session, context.services, earlier,
                                      now=context.services.clock())
        scope.reply(view.ask_note(scope.t, report) if kind == "note"
                    else desk.with_quick_replies(context, scope, report,
                                                 [view.ask_message(scope.t, report)]))
        scope.asks_input = kind != "note"     # the message replaces it, buttons and all

    return ask


async def _evidence(context, scope: OfficerScope, report, args) -> None:
    """The case's files, through the outbox (its rate limits, retries, no loss)."""
    report = await _visible(scope, report)
    now = context.services.clock()
    count = await followups.queue_evidence(scope.session, report, officer=scope.officer, now=now)
    scope.session.add(CaseEvent(report_id=report.id, at=now,
                                kind=EventKind.EVIDENCE_RESENT, officer_id=scope.officer.id))
    access.audit(scope.session, officer_id=scope.officer.id, action="evidence_download", now=now,
                 report_id=report.id, files=count)


_VERBS = {
    "claim": _claim, "view": _view, "rea": _reassign_menu, "to": _reassign_to,
    "note": _ask("note"), "msg": _ask(officer_input.RELAY), "ev": _evidence, **CASEWORK_VERBS,
    "offer": desk.offer_chosen, "qr": desk.quick_reply, "qrs": desk.quick_reply_send,
    "qrx": desk.quick_reply_cancel,
}


# Typed input ----------------------------------------------------------------------------

# What an officer types or sends as input: tried before the resident's flow takes a
# message, for anyone the resident's lookup finds to be an active officer
# (handlers/resident.py, message_received).
OFFICER_INPUT = PRIVATE & ~filters.COMMAND & filters.UpdateType.MESSAGE & (
    filters.TEXT | filters.PHOTO | filters.Document.ALL | filters.VOICE | filters.LOCATION)


async def officer_text(update: Update, context: TipContext) -> bool:
    """An officer's reason, note or message; without a pending action, an offer to send
    it to their one open case's reporter, or help. Mid-report as a resident: the form's.
    What it means is decided by bot/services/officer_input.py; this only carries it out.
    False when it is not an officer's input (not an active officer, or the resident's
    form takes it)."""
    message = update.effective_message
    outgoing, size = outgoing_of(message)
    async with officer_scope(update, context) as scope:
        if scope is None:
            return False
        services = context.services
        sent = officer_input.Sent(
            outgoing, size, relay_chat_key(services, update.effective_chat.id),
            message.reply_to_message.message_id if message.reply_to_message else None)
        placement = await officer_input.place(
            scope.session, officer=scope.officer, vault=services.vault, channel="telegram",
            sent=sent, max_bytes=services.settings.max_evidence_bytes)
        if placement.meaning == Meaning.RESIDENT:
            return False          # the resident's flow takes it
        if placement.meaning == Meaning.REFUSED:
            scope.reply(desk_view.refused(scope.t, placement.problem, services.max_mb))
        elif placement.meaning == Meaning.WRONG_INPUT:
            scope.reply(desk_view.wrong_input(scope.t))    # a reason or note is typed
        elif placement.meaning == Meaning.UNPLACED:
            await desk.unplaced(context, scope, outgoing)
        else:
            await _apply_pending(services, scope, placement.action, outgoing, services.clock())
            await desk.remind_kept(context, scope)
    kick(context)
    return True


async def _apply_pending(services, scope: OfficerScope, pending: dict, message, now) -> None:
    """The typed words as the pending action says; messages kept for an offer stay kept
    (they live apart from the pending action, on ``Officer.unsent``)."""
    earlier = casework.offered_reason_case(scope.officer)
    scope.officer.pending = None
    if earlier is not None and pending.get("kind") != casework.REASON:
        await followups.refresh_case(scope.session, services, earlier, now=now)
    report = await cases.load_case(scope.session, pending["report_id"])
    try:
        if pending["kind"] == officer_input.RELAY:
            reply = await desk.relay(services, scope, report, message, now,
                                     prompt=pending.get("prompt"))
            scope.replaces = pending.get("prompt")
        else:
            reply = await _apply_input(services, scope, report, pending, message.text, now)
    except CaseError as error:
        await scope.session.rollback()
        await scope.session.refresh(scope.officer)
        scope.officer.pending = None      # the typing is spent either way
        reply = view.error_reply(scope.t, error.code)
    scope.reply(reply)


async def _apply_input(services, scope: OfficerScope, report, pending: dict, text: str, now):
    session, officer = scope.session, scope.officer
    if pending["kind"] == "note":
        await cases.add_note(session, report=report, officer=officer, text=text, now=now)
        return view.note_saved(scope.t, report)
    if pending["kind"] == officer_input.RELAY:
        cases.require_assignee(report, officer)
        await followups.relay_to_reporter(session, services, report, officer=officer, text=text, now=now)
        return view.message_queued(scope.t, report)
    if pending["kind"] == casework.REASON:
        scope.officer.pending = pending      # set_reason checks and spends it
        await typed_reason(services, scope, report, text, now)
        return work_reply(scope.t, report)
    raise CaseError("bad_status")           # input of an older version: spent


async def cancel_input(update: Update, context: TipContext) -> None:
    """/batal while an officer is typing a reason, a note or a message: forget it (words
    kept for an offer are then offered again); with only kept words, they are let go.
    Else the resident /batal."""
    async with officer_scope(update, context) as scope:
        if scope is None or (scope.officer.pending is None and not scope.officer.unsent):
            return
        if scope.officer.pending is None:
            scope.officer.unsent = None
            scope.reply(desk_view.kept_dropped(scope.t))
        else:
            earlier = casework.offered_reason_case(scope.officer)
            scope.officer.pending = None
            if earlier is not None:       # its card loses the offered reasons
                await followups.refresh_case(scope.session, context.services, earlier,
                                          now=context.services.clock())
            scope.reply(view.input_cancelled(scope.t))
            await desk.remind_kept(context, scope)
    raise ApplicationHandlerStop


def officer_input_handlers() -> list[BaseHandler]:
    """Tried before the resident flow (group 0): they stop it only when they handled.
    (Typed input, officer_text, is tried by the resident's message handler itself: the
    resident's lookup tells whether the sender is an officer, with no session of its own
    for every resident's message.)"""
    return [
        CommandHandler(["batal", "cancel"], cancel_input, filters=PRIVATE),
        *desk.desk_input_handlers(),
    ]


def officer_handlers() -> list[BaseHandler]:
    """Commands and buttons of officers; added before the resident handlers."""
    return [
        CommandHandler("kasus", my_cases, filters=PRIVATE),
        CommandHandler("antrian", queue, filters=PRIVATE),
        CallbackQueryHandler(case_pressed, pattern=f"^{Action.CASE.value}:"),
        *desk.desk_handlers(),
    ]
