"""An officer's own desk: /start as an officer, quick replies, and what they send without
a pending action (kept until they choose where it goes, or answered with help)."""
from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import ApplicationHandlerStop, BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.channels.telegram.presses import answer_press
from bot.services import followups
from bot.engine.callbacks import Action, unpack
from bot.context import TipContext
from bot.engine.domain import CLOSED_STATUSES
from bot.channels.telegram.jobs import kick
from bot.engine.domain import Role
from bot.channels.telegram.menus import officer_commands, reset_to_resident_menu
from bot.render import officer as view
from bot.render import officer_desk as desk_view
from bot.render.text import Reply
from bot.services import access, cases, desk, duty, officers
from bot.services.cases import CaseError
from handlers.common import OfficerScope, officer_scope, refuse_non_officer

PRIVATE = filters.ChatType.PRIVATE


async def officer_start(update: Update, context: TipContext) -> None:
    """/start from an active officer: their desk, not the residents' welcome."""
    if context.args:
        return            # an invite link (or any deep link) is the resident's /start
    if await show_desk(update, context):
        raise ApplicationHandlerStop


async def show_desk(update: Update, context: TipContext, *, nothing_cancelled: bool = False) -> bool:
    """An active officer's desk at a glance (``nothing_cancelled``: the answer to a /batal
    with nothing to cancel); False for anyone else."""
    async with officer_scope(update, context) as scope:
        if scope is None:
            return False
        overview = await desk.overview(scope.session, officer=scope.officer,
                                       now=context.services.clock())
        scope.reply(desk_view.officer_menu(scope.t, scope.officer, overview,
                                           officer_commands(scope.officer.role),
                                           nothing_cancelled=nothing_cancelled))
    return True


async def staff(update: Update, context: TipContext) -> None:
    """/petugas (admins): every officer, with buttons to deactivate."""
    async with officer_scope(update, context) as scope:
        if scope is None:
            return await refuse_non_officer(update, context)
        if scope.officer.role != Role.ADMIN:
            return scope.reply(view.error_reply(scope.t, "admins_only"))
        now = context.services.clock()
        on_duty = {o.id for o in await duty.on_duty_officers(scope.session, now=now)}
        access.audit(scope.session, officer_id=scope.officer.id, action="officer_list", now=now)
        scope.reply(desk_view.staff_list(scope.t, await officers.list_officers(scope.session),
                                         me=scope.officer, on_duty=on_duty))


async def _staff_pressed(context: TipContext, scope: OfficerScope,
                         args: list[str]) -> tuple[str | None, int | None]:
    """Deactivate: ask, then on "yes" take the officer off the line (audited); returns the
    toast and the Telegram id of whoever was deactivated."""
    if len(args) < 2 or not args[1].isdigit():
        return None, None
    try:
        officer = await officers.may_deactivate(scope.session, admin=scope.officer,
                                                officer_id=int(args[1]))
    except (PermissionError, LookupError):
        return desk_view.staff_refused(scope.t), None
    if args[0] == "ask":
        held = await cases.my_open_cases(scope.session, officer.id)
        scope.reply(desk_view.staff_confirm(scope.t, officer, len(held)))
    elif args[0] == "ok":
        services, now = context.services, context.services.clock()
        departure = await officers.deactivate_officer(
            scope.session, telegram_user_id=officer.telegram_user_id, now=now, by=scope.officer)
        await followups.officer_left(scope.session, services, departure, now=now)
        scope.reply(desk_view.staff_deactivated(scope.t, officer.name, len(departure.released)))
        return None, officer.telegram_user_id
    else:
        scope.reply(desk_view.staff_kept(scope.t, officer.name))
    return None, None


async def desk_pressed(update: Update, context: TipContext) -> None:
    """The officer menu's buttons (their open cases, the queue) and /petugas's."""
    query = update.callback_query
    decoded = unpack(query.data)
    verb = decoded[1][0] if decoded and decoded[1] else None
    toast, gone = None, None
    async with officer_scope(update, context) as scope:
        if scope is not None and verb == "staff":
            toast, gone = await _staff_pressed(context, scope, decoded[1][1:])
        if scope is not None and verb == "cases":
            found = await cases.my_open_cases(scope.session, scope.officer.id)
            scope.reply(view.case_list(scope.t, found, queue=False, now=context.services.clock()))
        elif scope is not None and verb == "queue":
            found = await access.visible(scope.session, await cases.unclaimed_cases(scope.session),
                                         scope.officer)
            scope.reply(view.case_list(scope.t, found, queue=True, now=context.services.clock()))
    await answer_press(query, toast)
    if gone is not None:            # after the commit: their chat shows a resident's menu
        await reset_to_resident_menu(context.bot, gone)
        kick(context)


async def unplaced(context: TipContext, scope: OfficerScope, message: desk.Outgoing) -> None:
    """Something sent with no pending action and no reply to a reporter's message: with
    one open case, kept and offered for its reporter; else officer help."""
    earlier = await desk.settle_kept(scope.session, officer=scope.officer,
                                     vault=context.services.vault)
    if earlier is not None and earlier.lost:
        scope.reply(desk_view.kept_lost(scope.t, earlier))
    kept = await desk.keep_unsent(scope.session, officer=scope.officer,
                                  vault=context.services.vault, message=message)
    if kept is None:
        scope.reply(desk_view.officer_help(scope.t, officer_commands(scope.officer.role)))
    else:
        scope.reply(desk_view.offer_to_send(scope.t, kept.report, kept.count))


async def relay(services, scope: OfficerScope, report, message: desk.Outgoing, now, *,
                prompt: int | None = None) -> Reply:
    """The message the officer was asked for (✉️, or a reply to the reporter's message).
    The answer says it is on its way; once delivered, the officer is told in the prompt
    (``prompt``: where it was asked for, which the answer replaces) or in a new message."""
    await followups.send_to_reporter(scope.session, services, report, officer=scope.officer,
                                     message=message, now=now, confirm=prompt or True)
    return view.message_queued(scope.t, report)


async def remind_kept(context: TipContext, scope: OfficerScope) -> None:
    """After other work (a reason, a note, a message typed meanwhile): words still kept
    for an offer are offered again, or the officer is told they were not sent; nothing
    they typed is dropped without a word."""
    kept = await desk.settle_kept(scope.session, officer=scope.officer,
                                  vault=context.services.vault)
    if kept is not None:
        scope.reply(desk_view.kept_lost(scope.t, kept) if kept.lost
                    else desk_view.kept_again(scope.t, kept.report, kept.count))


async def offer_chosen(context, scope: OfficerScope, report, args) -> str | None:
    """Case verb ``offer``: send the kept messages to the reporter, or drop them."""
    if report is None:
        raise CaseError("unknown")
    taken = desk.take_kept(scope.officer, vault=context.services.vault, report=report)
    if taken is None:
        return desk_view.nothing_kept(scope.t)
    kept, messages = taken
    if not args or args[0] != "send":
        scope.reply(desk_view.kept_dropped(scope.t))
    elif kept.lost:                  # closed, or no longer theirs, since it was kept
        scope.reply(desk_view.kept_lost(scope.t, kept))
    else:
        now = context.services.clock()
        for message in messages:
            await followups.send_to_reporter(scope.session, context.services, report,
                                          officer=scope.officer, message=message, now=now)
        scope.reply(view.message_queued(scope.t, report))
    return None


async def quick_reply(context, scope: OfficerScope, report, args) -> None:
    """Case verb ``qr``: a quick reply's whole text as the reporter will read it, with
    Send and Cancel; nothing goes before the officer has read it."""
    report = cases.require_assignee(report, scope.officer)
    if report.status in CLOSED_STATUSES:
        raise CaseError("closed")
    if not args:
        raise CaseError("bad_status")
    text = await followups.quick_reply_text(scope.session, context.services, report, index=args[0])
    if text is None:
        raise CaseError("quick_reply_changed")
    scope.reply(desk_view.quick_reply_preview(scope.t, report, args[0], text,
                                              desk.reply_digest(text)))


async def quick_reply_send(context, scope: OfficerScope, report, args) -> str:
    """Case verb ``qrs``: Send under a quick reply's preview; only the words shown go."""
    report = cases.require_assignee(report, scope.officer)
    if report.status in CLOSED_STATUSES:
        raise CaseError("closed")
    if len(args) < 2:
        raise CaseError("bad_status")
    services = context.services
    text = await followups.quick_reply_to_reporter(scope.session, services, report,
                                                   officer=scope.officer, index=args[0],
                                                   shown=args[1], now=services.clock())
    scope.reply(desk_view.quick_reply_sent(scope.t, report))
    return desk_view.canned_sent(scope.t, report, text)


async def quick_reply_cancel(context, scope: OfficerScope, report, args) -> str:
    """Case verb ``qrx``: Cancel under a quick reply's preview; nothing is sent."""
    scope.reply(desk_view.kept_dropped(scope.t))
    return desk_view.quick_reply_cancelled(scope.t)


def quick_replies(context: TipContext, t) -> list[str]:
    """The quick replies as the officer reads them on buttons."""
    return desk.canned_replies(t, context.services.settings.canned_replies)


def with_quick_replies(context: TipContext, scope: OfficerScope, report,
                       replies: list[Reply]) -> list[Reply]:
    """The quick replies under the last message, for the assignee of an open case."""
    if (not replies or report.assignee_id != scope.officer.id
            or report.status in CLOSED_STATUSES):
        return replies
    last = replies[-1]
    rows = list(last.keyboard.inline_keyboard) if last.keyboard is not None else []
    rows += desk_view.canned_rows(scope.t, report, quick_replies(context, scope.t))
    return [*replies[:-1], Reply(last.text, InlineKeyboardMarkup(rows), last.reply_to)]


def desk_input_handlers() -> list[BaseHandler]:
    """Tried before the resident flow (group 0)."""
    return [CommandHandler("start", officer_start, filters=PRIVATE)]


def desk_handlers() -> list[BaseHandler]:
    return [CommandHandler("petugas", staff, filters=PRIVATE),
            CallbackQueryHandler(desk_pressed, pattern=f"^{Action.DESK.value}:")]
