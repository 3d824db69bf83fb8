"""Prevention before harm, the Telegram side: /cekagensi, /cektawaran, /info and their
buttons. Thin: each reads the update, calls one use case, renders, replies."""
from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.channels.telegram.presses import answer_press
from bot.engine.callbacks import Action, unpack
from bot.context import TipContext
from bot.prevention import agency_check, offer, usage
from bot.prevention.guide import load_guide
from bot.render import form as form_view
from bot.render import prevention_agency as agency_view
from bot.render import prevention_tools as tools_view
from bot.render import resident as resident_view
from bot.services import drafts
from handlers.common import ResidentScope, drop_keyboard, resident_scope

PRIVATE = filters.ChatType.PRIVATE
AWAITING_AGENCY = "agency_name"


async def check_agency_command(update: Update, context: TipContext) -> None:
    """/cekagensi [name or number]: the register's answer, or ask for the name."""
    async with resident_scope(update, context) as scope:
        if not context.args:
            scope.reporter.awaiting = AWAITING_AGENCY
            scope.reply(agency_view.ask_agency(scope.t))
            return
        await _answer_agency(context, scope, " ".join(context.args))


async def agency_typed(context: TipContext, scope: ResidentScope, text: str) -> None:
    """The name typed after "Cek perusahaan/agen" (called from the resident's chat)."""
    scope.reporter.awaiting = None
    await _answer_agency(context, scope, text)


async def _answer_agency(context: TipContext, scope: ResidentScope, text: str) -> None:
    answer = await agency_check.check_agency(scope.session, query=text,
                                             now=context.services.clock())
    scope.reply(agency_view.agency_answer(scope.t, answer,
                                          context.services.settings.agency_advice_contacts))


async def prevention_pressed(update: Update, context: TipContext) -> None:
    """A button of the prevention tools."""
    query = update.callback_query
    _, parts = unpack(query.data)
    verb, arg = (parts[0] if parts else ""), ":".join(parts[1:])
    await answer_press(query)
    await drop_keyboard(query)
    async with resident_scope(update, context) as scope:
        await prevention_choice(context, scope, verb, arg)


async def prevention_choice(context, scope: ResidentScope, verb: str, arg: str) -> None:
    """What a prevention button asks, whichever channel it was pressed on (``context``
    needs only ``services``)."""
    services = context.services
    now = services.clock()
    contacts = services.settings.agency_advice_contacts
    if verb == "ask":
        scope.reporter.awaiting = AWAITING_AGENCY
        scope.reply(agency_view.ask_agency(scope.t))
    elif verb == "a" and arg.isdigit():
        answer = await agency_check.check_chosen(scope.session, agency_id=int(arg), now=now)
        scope.reply(agency_view.agency_answer(scope.t, answer, contacts) if answer
                    else agency_view.ask_agency(scope.t))
    elif verb == "n":
        answer = await agency_check.check_none_of_these(scope.session, query=arg, now=now)
        scope.reply(agency_view.agency_answer(scope.t, answer, contacts))
    elif verb == "r":
        await _report_about(context, scope, arg)
    elif verb == "o" and offer.valid_answers(arg):
        await _offer_step(context, scope, arg)
    elif verb == "g":
        await _guide_page(context, scope, arg)
    else:
        scope.reply(resident_view.hint_menu(scope.t))


async def _report_about(context: TipContext, scope: ResidentScope, company: str) -> None:
    """A report with the company filled in (an unfinished one is offered, not replaced)."""
    scope.reporter.awaiting = None
    draft, unfinished = await agency_check.start_report_about(
        scope.session, reporter_id=scope.reporter.id, company=company,
        now=context.services.clock())
    if unfinished:
        scope.reply(resident_view.resume_or_restart(scope.t))
        return
    services = context.services
    scope.reply(form_view.prompt(scope.t, draft.id, drafts.state_of(draft, services.vault),
                                 services.regions,
                                 max_files=services.settings.max_evidence_files,
                                 max_mb=services.max_mb))


async def check_offer_command(update: Update, context: TipContext) -> None:
    """/cektawaran: the first of the job-offer questions."""
    async with resident_scope(update, context) as scope:
        scope.reply(tools_view.offer_question(scope.t, ""))


async def _offer_step(context: TipContext, scope: ResidentScope, answers: str) -> None:
    """The next question, or the verdict once every question is answered."""
    if not offer.finished(answers):
        scope.reply(tools_view.offer_question(scope.t, answers))
        return
    risk = await usage.offer_checked(scope.session, answers=answers,
                                     now=context.services.clock())
    scope.reply(tools_view.offer_verdict(scope.t, answers, risk))


async def guide_command(update: Update, context: TipContext) -> None:
    """/info: the guide's topics."""
    async with resident_scope(update, context) as scope:
        await _guide_page(context, scope, usage.GUIDE_INDEX)


async def _guide_page(context: TipContext, scope: ResidentScope, key: str) -> None:
    guide = load_guide(context.services.settings.guide_file)
    page = await usage.guide_viewed(scope.session, guide=guide, key=key,
                                    now=context.services.clock())
    scope.reply(tools_view.guide_page(scope.t, guide, page) if page
                else tools_view.guide_index(scope.t, guide))


def prevention_handlers() -> list[BaseHandler]:
    """Commands and buttons of the prevention tools (before the resident's catch-alls)."""
    return [
        CommandHandler(["cekagensi", "checkagency"], check_agency_command, filters=PRIVATE),
        CommandHandler(["cektawaran", "checkoffer"], check_offer_command, filters=PRIVATE),
        CommandHandler(["info", "guide"], guide_command, filters=PRIVATE),
        CallbackQueryHandler(prevention_pressed, pattern=f"^{Action.PREVENTION.value}:"),
    ]
