"""The resident's side: welcome, the report form, status, language, help."""
from __future__ import annotations

from telegram import Message, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.channels.telegram.presses import answer_press
from bot.engine.callbacks import Action, pack, unpack
from bot.context import TipContext
from bot.engine.form import Pick, Problem, Step, Typed, submits
from bot.channels.telegram.ratelimit import ALERT, NORMAL
from bot.render import form as form_view
from bot.render import resident as view
from bot.render import safety as safety_view
from bot.services import abuse, codes, drafts, officers, reports
from bot.services.form_flow import answer_form
from handlers import resident_chat
from handlers.common import ResidentScope, drop_keyboard, resident_scope
from handlers import prevention
from handlers.desk import show_desk
from handlers.duty import redeem_invite
from handlers.officer import OFFICER_INPUT, officer_text
from handlers.relay import case_replied_to, relay_from_reporter
from handlers.telegram_input import answer_of

PRIVATE = filters.ChatType.PRIVATE


async def start(update: Update, context: TipContext) -> None:
    """/start: what the bot is for and what happens to a report."""
    if context.args and context.args[0].startswith("inv_"):
        await redeem_invite(update, context, context.args[0][len("inv_"):])
        return
    async with resident_scope(update, context) as scope:
        scope.reporter.awaiting = None
        scope.reply(view.welcome(scope.t))


async def new_report(update: Update, context: TipContext) -> None:
    """/lapor: start a report, or offer to continue the unfinished one."""
    async with resident_scope(update, context) as scope:
        await _begin_report(update, context, scope)


async def _begin_report(update: Update, context: TipContext, scope: ResidentScope) -> None:
    scope.reporter.awaiting = None
    if scope.draft:
        scope.reply(view.resume_or_restart(scope.t))
        return
    settings = context.services.settings
    quota = await abuse.report_quota(scope.session, reporter_id=scope.reporter.id,
                                     per_day=settings.reports_per_day,
                                     now=context.services.clock())
    if not quota.allowed:
        scope.reply(safety_view.quota_reached(scope.t, quota))
        scope.reply(view.emergency(scope.t, settings.emergency_contacts, writing=False))
        return
    # No draft came with the reporter (above): nothing to replace.
    draft = await drafts.start_draft(scope.session, reporter_id=scope.reporter.id,
                                     now=context.services.clock(), replacing=False)
    await _send_prompt(update, context, scope, draft)


async def _send_prompt(update, context: TipContext, scope: ResidentScope, draft,
                       notice: str | None = None) -> None:
    services = context.services
    replies = form_view.prompt(scope.t, draft.id, drafts.state_of(draft, services.vault),
                               services.regions,
                               max_files=services.settings.max_evidence_files,
                               max_mb=services.max_mb, notice=notice)
    scope.reply(replies)


async def cancel(update: Update, context: TipContext) -> None:
    """/batal: drop the unfinished report, wherever the person is; an officer with nothing
    to cancel gets their desk, not the residents' menu."""
    async with resident_scope(update, context, checks=True) as scope:
        scope.reporter.awaiting = None
        had = await drafts.discard_draft(scope.session, reporter_id=scope.reporter.id,
                                            store=context.services.evidence)
        officer = scope.officer and not had
        if not officer:
            scope.reply(view.cancelled(scope.t, had))
    if officer:
        await show_desk(update, context, nothing_cancelled=True)


async def status(update: Update, context: TipContext) -> None:
    """/status [code]: the person's own reports, or one report by its follow-up code."""
    async with resident_scope(update, context) as scope:
        if context.args:
            await resident_chat.check_code(scope, context.services, " ".join(context.args))
            return
        own = await reports.reports_of(scope.session, scope.reporter.id)
        scope.reply(view.status_list(scope.t, own))


async def language(update: Update, context: TipContext) -> None:
    """/bahasa: choose Indonesian or English."""
    async with resident_scope(update, context) as scope:
        scope.reply(view.language_choice(scope.t))


async def urgent_help(update: Update, context: TipContext) -> None:
    """/darurat: emergency contacts; mid-form, the current question again after them."""
    async with resident_scope(update, context) as scope:
        await _emergency(update, context, scope)


async def _emergency(update, context: TipContext, scope: ResidentScope) -> None:
    draft = scope.draft
    scope.reply(view.emergency(scope.t, context.services.settings.emergency_contacts,
                               writing=draft is not None))
    if draft is not None:
        await _send_prompt(update, context, scope, draft)


async def menu_pressed(update: Update, context: TipContext) -> None:
    """A main-menu button."""
    query = update.callback_query
    _, parts = unpack(query.data)
    await answer_press(query)
    async with resident_scope(update, context) as scope:
        item = parts[0] if parts else ""
        if item == "report":
            await _begin_report(update, context, scope)
        elif item == "status":
            own = await reports.reports_of(scope.session, scope.reporter.id)
            scope.reply(view.status_list(scope.t, own))
        elif item == "code":
            scope.reporter.awaiting = "followup_code"
            scope.reply(view.ask_followup_code(scope.t))
        elif item == "newcode":
            await resident_chat.renew_code(scope, context.services,
                                           parts[1] if len(parts) > 1 else None)
        elif item == "help":
            await _emergency(update, context, scope)
        else:
            scope.reply(view.language_choice(scope.t))


async def language_pressed(update: Update, context: TipContext) -> None:
    """A language button: remember the choice and answer in it."""
    query = update.callback_query
    _, parts = unpack(query.data)
    await answer_press(query)
    await drop_keyboard(query)
    async with resident_scope(update, context) as scope:
        if parts and parts[0] in ("id", "en"):
            scope.reporter.locale = parts[0]
            # An officer is also a resident here: their cards and notices follow the choice.
            await officers.set_locale(scope.session, telegram_user_id=update.effective_user.id,
                                      locale=parts[0])
        t = context.services.translator(scope.reporter.locale)
        scope.reply(view.language_set(t))


async def draft_pressed(update: Update, context: TipContext) -> None:
    """Continue, restart or cancel the unfinished report."""
    query = update.callback_query
    _, parts = unpack(query.data)
    await answer_press(query)
    await drop_keyboard(query)
    choice = parts[0] if parts else ""
    async with resident_scope(update, context) as scope:
        draft = scope.draft
        if choice in ("officer", "form"):
            await _officer_or_form(update, context, scope, draft, choice)
        elif choice == "cancel" and draft:
            scope.reply(view.confirm_cancel(scope.t))
        elif choice == "drop":
            had = await drafts.discard_draft(scope.session, reporter_id=scope.reporter.id,
                                            store=context.services.evidence)
            scope.reply(view.cancelled(scope.t, had))
        elif choice == "restart" or draft is None:
            draft = await drafts.start_draft(scope.session, reporter_id=scope.reporter.id,
                                             now=context.services.clock(),
                                             store=context.services.evidence)
            await _send_prompt(update, context, scope, draft)
        else:
            await _send_prompt(update, context, scope, draft)


async def form_pressed(update: Update, context: TipContext) -> None:
    """A button of the form; presses on old prompts are recognised and refused."""
    query = update.callback_query
    _, parts = unpack(query.data)
    # Sending the report queues the officers' alerts: it goes ahead of other answers.
    priority = ALERT if len(parts) >= 3 and submits(parts[1], parts[2]) else NORMAL
    async with resident_scope(update, context, priority=priority) as scope:
        if scope.reporter.awaiting is not None:
            # Back in the form: typed text is an answer again. (Only when it was set: even
            # a set that changes nothing has the ORM flush the reporter at commit.)
            scope.reporter.awaiting = None
        draft = scope.draft
        if draft is None or len(parts) < 3 or parts[0] != str(draft.id) or parts[1] != draft.step:
            await answer_press(query, view.stale_button(scope.t, shows_step=draft is not None))
            # A double tap lands here with the message already showing the current
            # question: nothing to edit (Telegram would answer "message is not modified").
            if draft is not None and not _shows_current_step(query, draft):
                await _send_prompt(update, context, scope, draft)
            return
        await answer_press(query)
        scope.edit = query            # the next question takes the pressed one's place
        await _apply_answer(update, context, scope, draft, Pick(":".join(parts[2:])), None)


def _shows_current_step(query, draft) -> bool:
    message = query.message
    markup = message.reply_markup if isinstance(message, Message) else None
    if markup is None:
        return False
    current = pack(Action.FORM, draft.id, draft.step, "")
    return any((button.callback_data or "").startswith(current)
               for row in markup.inline_keyboard for button in row)


async def message_received(update: Update, context: TipContext) -> None:
    """Anything typed or sent in the private chat: an officer's input, else a form answer,
    a code, or a hint."""
    # A file is downloaded inside the scope: it does not keep the others waiting.
    attached = update.effective_message.effective_attachment is not None
    priority = None if attached else NORMAL
    # The resident's lookup also tells whether the sender is an active officer: their
    # input (a note, a reason, a message for a reporter) is tried first, as before.
    officer_input = bool(OFFICER_INPUT.check_update(update))
    async with resident_scope(update, context, priority=priority, checks=True) as scope:
        if not (officer_input and scope.officer):
            await _resident_message(update, context, scope)
            return
        scope.abandon()
    if await officer_text(update, context):
        return
    async with resident_scope(update, context, priority=priority, checks=True) as scope:
        await _resident_message(update, context, scope)


async def _resident_message(update: Update, context: TipContext, scope: ResidentScope) -> None:
    draft = scope.draft
    message = update.effective_message
    if message.text and scope.reporter.awaiting == prevention.AWAITING_AGENCY:
        await prevention.agency_typed(context, scope, message.text)
        return
    if draft is None:
        typed = message.text or ""
        if typed and (scope.reporter.awaiting == "followup_code"
                      or codes.looks_like_followup_code(typed)):
            await resident_chat.check_code(scope, context.services, message.text)
        elif not await relay_from_reporter(update, context, scope):
            scope.reply(view.hint_menu(scope.t))
        return
    # A reply to an officer's message is for that officer, even mid-form.
    replied = await case_replied_to(update, context, scope)
    if replied is not None:
        await relay_from_reporter(update, context, scope, report=replied)
        return
    if message.text and scope.officer_wrote_lately:
        scope.reply(view.officer_or_form(scope.t, message.message_id))
        return
    answer, download = answer_of(message, context)
    await _apply_answer(update, context, scope, draft, answer, download)


async def _officer_or_form(update, context: TipContext, scope: ResidentScope, draft,
                           choice: str) -> None:
    """The resident said whether their text was for the officer or for the new report."""
    question = update.callback_query.message
    original = question.reply_to_message if isinstance(question, Message) else None
    if original is None or not original.text:
        if draft is not None:
            await _send_prompt(update, context, scope, draft)
        return
    if choice == "officer" and await relay_from_reporter(update, context, scope,
                                                         message=original):
        if draft is not None:
            await _send_prompt(update, context, scope, draft)
        return
    if draft is None:
        scope.reply(view.hint_menu(scope.t))
        return
    await _apply_answer(update, context, scope, draft, Typed(original.text), None)


async def _apply_answer(update, context: TipContext, scope: ResidentScope, draft, answer,
                        download) -> None:
    services = context.services
    now = services.clock()
    result = await answer_form(
        scope.session, draft=draft, reporter=scope.reporter, answer=answer,
        limits=services.form_limits(now.astimezone(scope.t.timezone).date()),
        store=services.evidence, vault=services.vault, download=download, now=now,
        rules=services.routing_rules, reports_per_day=services.settings.reports_per_day,
        counts=services.counts)
    t = scope.t
    if result.over_quota is not None:
        scope.edit = None             # the summary stays: the draft is kept for later
        scope.reply(safety_view.quota_reached(t, result.over_quota, draft_kept=True))
        scope.reply(view.emergency(t, services.settings.emergency_contacts, writing=True))
        return
    if result.receipt is not None:
        # The receipt and the officers' cards were queued in the outbox with the report
        # (same transaction): they arrive even if Telegram fails now or this process dies
        # right after the commit.
        scope.deliver = True
        if scope.edit is not None:
            # Sent: [Send] and [Cancel report] on the summary would only frighten.
            await drop_keyboard(scope.edit)
            scope.edit = None
        return
    if result.show_emergency:
        # A message of their own, before the next question: the form only ever edits the
        # question being answered, so the numbers stay in the chat.
        scope.reply(view.emergency(t, services.settings.emergency_contacts, writing=True))
    # Why an answer was refused heads the question asked again: one message per answer.
    notice = None
    if result.problem is not None:
        notice = form_view.problem_notice(
            t, result.problem, result.state.step, services.settings.max_evidence_files,
            services.max_mb)
    elif result.evidence_count is not None:
        scope.reply(form_view.evidence_received(
            t, draft.id, result.evidence_count, services.settings.max_evidence_files))
        return
    await _send_prompt(update, context, scope, draft, notice=notice)


async def unknown_command(update: Update, context: TipContext) -> None:
    """A command this bot does not know: mid-form, the current question again."""
    async with resident_scope(update, context) as scope:
        draft = scope.draft
        if draft is None:
            scope.reply(view.hint_menu(scope.t))
            return
        services = context.services
        notice = form_view.problem_notice(scope.t, Problem.NOT_UNDERSTOOD, Step(draft.step),
                                          services.settings.max_evidence_files, services.max_mb)
        await _send_prompt(update, context, scope, draft, notice=notice)


async def help_command(update: Update, context: TipContext) -> None:
    """/help: how to use the bot."""
    async with resident_scope(update, context) as scope:
        scope.reply(view.how_to_use(scope.t))


def resident_handlers() -> list[BaseHandler]:
    """Handlers of the resident's private chat, in the order they must be tried."""
    return [
        CommandHandler("start", start, filters=PRIVATE),
        CommandHandler(["lapor", "report"], new_report, filters=PRIVATE),
        CommandHandler(["batal", "cancel"], cancel, filters=PRIVATE),
        CommandHandler("status", status, filters=PRIVATE),
        CommandHandler(["bahasa", "language"], language, filters=PRIVATE),
        CommandHandler("darurat", urgent_help, filters=PRIVATE),
        CommandHandler(["help", "bantuan"], help_command, filters=PRIVATE),
        CallbackQueryHandler(menu_pressed, pattern=f"^{Action.MENU.value}:"),
        CallbackQueryHandler(language_pressed, pattern=f"^{Action.LANGUAGE.value}:"),
        CallbackQueryHandler(draft_pressed, pattern=f"^{Action.DRAFT.value}:"),
        CallbackQueryHandler(form_pressed, pattern=f"^{Action.FORM.value}:"),
        MessageHandler(PRIVATE & ~filters.COMMAND & filters.UpdateType.MESSAGE, message_received),
        MessageHandler(PRIVATE & filters.COMMAND & filters.UpdateType.MESSAGE, unknown_command),
    ]
