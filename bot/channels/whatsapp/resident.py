"""The resident on WhatsApp: the same form, status, relay and tools as on Telegram.

A WhatsApp user types words without a slash ("lapor", "status", their follow-up code,
"darurat", "cekagensi", "cektawaran", "info", "batal", "bahasa") and presses reply
buttons or list rows whose ids are the engine's callback data: both become the same
channel-neutral answers the Telegram handlers give the engine.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from bot.engine.callbacks import Action, unpack
from bot.engine.form import Answer, Pick, Pin, Typed, Unsupported, Upload
from bot.prevention import usage
from bot.render import form as form_view
from bot.render import resident as view
from bot.render.text import esc
from bot.render import safety as safety_view
from bot.services import abuse, cases, codes, drafts, reports
from bot.services.form_flow import Download, answer_form
from bot.services.residents import arrive
from bot.services.retention import DRAFT_EXPIRED
from handlers import prevention
from handlers import resident_chat
from handlers.common import ResidentScope
from models import WhatsAppSeen

from . import relay, window
from .inbound import Incoming
from .render import more_page

log = logging.getLogger(__name__)
CHANNEL = "whatsapp"

# Words a WhatsApp user types (no slash needed; a slash is forgiven), Indonesian and
# English, as the Telegram commands.
WORDS = {
    "start": "start", "mulai": "start", "menu": "start", "halo": "start", "hai": "start",
    "hi": "start", "hello": "start",
    "lapor": "report", "report": "report",
    "batal": "cancel", "cancel": "cancel",
    "status": "status", "cek": "status",
    "bahasa": "language", "language": "language",
    "darurat": "urgent", "sos": "urgent",
    "bantuan": "help", "help": "help",
    "cekagensi": "agency", "checkagency": "agency",
    "cektawaran": "offer", "checkoffer": "offer",
    "info": "guide", "guide": "guide",
}


@dataclass
class _Context:
    """What the shared prevention steps read from a handler's context: the services."""

    services: object
    args: list[str]


def command_of(text: str) -> tuple[str | None, list[str]]:
    """("report", []) for "lapor" or "/lapor"; (None, ...) for anything else."""
    words = text.strip().split()
    if not words:
        return None, []
    head = words[0].lstrip("/").lower()
    return WORDS.get(head), words[1:]


async def handle(channel, event: Incoming) -> bool:
    """One message from a resident, processed once per wamid: kept and answered. False
    when the wamid was seen before (Meta redelivered it)."""
    services = channel.services
    now = services.clock()
    async with services.sessions() as session:
        session.add(WhatsAppSeen(wamid_hash=services.vault.lookup_hash("wamid", event.wamid),
                                 received_at=now))
        try:
            await session.flush()
        except IntegrityError:
            await session.rollback()
            return False
        arrival = await arrive(session, vault=services.vault, channel=CHANNEL,
                               user_id=event.wa_id, chat_id=event.wa_id, now=now)
        reporter = arrival.reporter
        scope = ResidentScope(session, reporter, services.translator(reporter.locale),
                              draft=arrival.draft)
        released = await window.opened(session, reporter=reporter, now=now)
        if reporter.notice == DRAFT_EXPIRED:
            reporter.notice = None
            scope.reply(view.draft_expired(scope.t, max(1, services.settings.draft_expire_after.days)))
        page = await _dispatch(channel, scope, event)
        await session.commit()
    await channel.reply(event.wa_id, scope.t, scope.replies, page=page)
    if scope.deliver or released:
        await channel.kick()
    return True


async def _dispatch(channel, scope: ResidentScope, event: Incoming) -> int:
    """Act on the message; the list page to show (a "Lainnya" row asks for the next)."""
    context = _Context(channel.services, [])
    if event.kind == "button":
        return await _pressed(channel, context, scope, event.choice or "")
    if event.kind == "text":
        command, args = command_of(event.text or "")
        if command is not None:
            context.args = args
            await _command(channel, context, scope, command, args)
            return 0
    await _message(channel, context, scope, event)
    return 0


async def _command(channel, context: _Context, scope: ResidentScope, command: str,
                   args: list[str]) -> None:
    services = channel.services
    reporter = scope.reporter
    if command in ("start", "help"):
        reporter.awaiting = None
        scope.reply(view.welcome(scope.t) if command == "start" else view.how_to_use(scope.t))
    elif command == "report":
        await _begin_report(channel, scope)
    elif command == "cancel":
        reporter.awaiting = None
        had = await drafts.discard_draft(scope.session, reporter_id=reporter.id,
                                         store=services.evidence)
        scope.reply(view.cancelled(scope.t, had))
    elif command == "status":
        if args:
            await resident_chat.check_code(scope, channel.services, " ".join(args))
        else:
            scope.reply(view.status_list(scope.t, await reports.reports_of(scope.session,
                                                                          reporter.id)))
    elif command == "language":
        scope.reply(view.language_choice(scope.t))
    elif command == "urgent":
        scope.reply(view.emergency(scope.t, services.settings.emergency_contacts,
                                   writing=scope.draft is not None))
        if scope.draft is not None:          # mid-form: the question again
            _prompt(channel, scope, scope.draft)
    elif command == "agency":
        if args:
            await prevention.agency_typed(context, scope, " ".join(args))
        else:
            await prevention.prevention_choice(context, scope, "ask", "")
    elif command == "offer":
        await prevention.prevention_choice(context, scope, "o", "")
    elif command == "guide":
        await prevention.prevention_choice(context, scope, "g", usage.GUIDE_INDEX)


async def _begin_report(channel, scope: ResidentScope) -> None:
    services = channel.services
    scope.reporter.awaiting = None
    if scope.draft:
        scope.reply(view.resume_or_restart(scope.t))
        return
    quota = await abuse.report_quota(scope.session, reporter_id=scope.reporter.id,
                                     per_day=services.settings.reports_per_day,
                                     now=services.clock())
    if not quota.allowed:
        scope.reply(safety_view.quota_reached(scope.t, quota))
        scope.reply(view.emergency(scope.t, services.settings.emergency_contacts,
                                   writing=False))
        return
    draft = await drafts.start_draft(scope.session, reporter_id=scope.reporter.id,
                                     now=services.clock(), replacing=False)
    scope.draft = draft
    _prompt(channel, scope, draft)


def _prompt(channel, scope: ResidentScope, draft, notice: str | None = None) -> None:
    services = channel.services
    scope.reply(form_view.prompt(scope.t, draft.id, drafts.state_of(draft, services.vault),
                                 services.regions,
                                 max_files=services.settings.max_evidence_files,
                                 max_mb=services.max_mb, notice=notice))


async def _pressed(channel, context: _Context, scope: ResidentScope, choice: str) -> int:
    """A reply button or list row: its id is the engine's callback data."""
    page = more_page(choice)
    if page is not None:
        # "Lainnya": the current question again, its list at the next page.
        if scope.draft is not None:
            _prompt(channel, scope, scope.draft)
        else:
            scope.reply(view.hint_menu(scope.t))
        return page
    unpacked = unpack(choice)
    if unpacked is None:
        scope.reply(view.hint_menu(scope.t))
        return 0
    action, parts = unpacked
    if action is Action.FORM:
        await _form_pressed(channel, scope, parts)
    elif action is Action.MENU:
        await _menu_pressed(channel, context, scope, parts)
    elif action is Action.LANGUAGE:
        if parts and parts[0] in ("id", "en"):
            scope.reporter.locale = parts[0]
        scope.t = channel.services.translator(scope.reporter.locale)
        scope.reply(view.language_set(scope.t))
    elif action is Action.DRAFT:
        await _draft_pressed(channel, scope, parts[0] if parts else "")
    elif action is Action.PREVENTION:
        await prevention.prevention_choice(context, scope, parts[0] if parts else "",
                                           ":".join(parts[1:]))
    else:
        scope.reply(view.hint_menu(scope.t))
    return 0


async def _form_pressed(channel, scope: ResidentScope, parts: list[str]) -> None:
    scope.reporter.awaiting = None
    draft = scope.draft
    if draft is None or len(parts) < 3 or parts[0] != str(draft.id) or parts[1] != draft.step:
        # An old message's button: said so, and the current question again.
        notice = esc(view.stale_button(scope.t, shows_step=draft is not None))
        if draft is None:
            scope.reply(view.hint_menu(scope.t))
        else:
            _prompt(channel, scope, draft, notice=notice)
        return
    await _apply(channel, scope, draft, Pick(":".join(parts[2:])), None)


async def _menu_pressed(channel, context: _Context, scope: ResidentScope,
                        parts: list[str]) -> None:
    item = parts[0] if parts else ""
    if item == "report":
        await _begin_report(channel, scope)
    elif item == "status":
        scope.reply(view.status_list(scope.t, await reports.reports_of(scope.session,
                                                                      scope.reporter.id)))
    elif item == "code":
        scope.reporter.awaiting = "followup_code"
        scope.reply(view.ask_followup_code(scope.t))
    elif item == "newcode":
        await resident_chat.renew_code(scope, channel.services,
                                       parts[1] if len(parts) > 1 else None)
    elif item == "help":
        scope.reply(view.emergency(scope.t, channel.services.settings.emergency_contacts,
                                   writing=scope.draft is not None))
        if scope.draft is not None:
            _prompt(channel, scope, scope.draft)
    else:
        scope.reply(view.language_choice(scope.t))


async def _draft_pressed(channel, scope: ResidentScope, choice: str) -> None:
    services = channel.services
    draft = scope.draft
    if choice in ("officer", "form"):
        await _officer_or_form(channel, scope, draft, choice)
    elif choice == "cancel" and draft:
        scope.reply(view.confirm_cancel(scope.t))
    elif choice == "drop":
        had = await drafts.discard_draft(scope.session, reporter_id=scope.reporter.id,
                                         store=services.evidence)
        scope.reply(view.cancelled(scope.t, had))
    elif choice == "restart" or draft is None:
        draft = await drafts.start_draft(scope.session, reporter_id=scope.reporter.id,
                                         now=services.clock(), store=services.evidence)
        _prompt(channel, scope, draft)
    else:
        _prompt(channel, scope, draft)


async def _officer_or_form(channel, scope: ResidentScope, draft, choice: str) -> None:
    """The resident said whether the words they typed mid-form were for the officer (sent
    on, and the form's question asked again) or an answer to the form."""
    pending = draft.pending_enc if draft is not None else None
    if pending is None:           # answered already, or the report is gone
        if draft is not None:
            _prompt(channel, scope, draft)
        return
    draft.pending_enc = None
    text = channel.services.vault.decrypt(pending)
    if choice == "officer" and await relay.from_reporter(channel, scope, Typed(text), None):
        _prompt(channel, scope, draft)
        return
    await _apply(channel, scope, draft, Typed(text), None)


async def _message(channel, context: _Context, scope: ResidentScope, event: Incoming) -> None:
    """Typed text, a file or a pin: an answer to the form, a code, the agency's name, or a
    message for the officer on their case."""
    reporter = scope.reporter
    if event.kind == "text" and reporter.awaiting == prevention.AWAITING_AGENCY:
        await prevention.agency_typed(context, scope, event.text or "")
        return
    answer, download = answer_of(channel, event)
    draft = scope.draft
    if draft is None:
        typed = event.text or ""
        if typed and (reporter.awaiting == "followup_code"
                      or codes.looks_like_followup_code(typed)):
            await resident_chat.check_code(scope, channel.services, typed)
        elif not await relay.from_reporter(channel, scope, answer, download):
            scope.reply(view.hint_menu(scope.t))
        return
    services = channel.services
    if event.text and await cases.officer_wrote_to(scope.session, reporter_id=reporter.id,
                                                   now=services.clock()):
        # As on Telegram: words typed mid-form may be meant for the officer on their case.
        # WhatsApp's buttons cannot point back at them, so they wait (encrypted) on the draft.
        draft.pending_enc = services.vault.encrypt(event.text)
        scope.reply(view.officer_or_form(scope.t, None))
        return
    await _apply(channel, scope, draft, answer, download)


def answer_of(channel, event: Incoming) -> tuple[Answer, Download | None]:
    """The engine's answer for what was sent, and how to fetch its file."""
    if event.kind == "text":
        return Typed(event.text or ""), None
    if event.kind == "location":
        return Pin(event.latitude, event.longitude), None
    if event.media_id is None:
        return Unsupported(event.kind), None

    async def download() -> bytes:
        return await channel.download(event.media_id)

    # The file name is not kept (it can name its author): the engine names files itself.
    return Upload(kind=event.kind, mime_type=(event.mime_type or "").split(";")[0] or None,
                  caption=event.caption), download


async def _apply(channel, scope: ResidentScope, draft, answer: Answer,
                 download: Download | None) -> None:
    services = channel.services
    t = scope.t
    now = services.clock()
    result = await answer_form(
        scope.session, draft=draft, reporter=scope.reporter, answer=answer,
        limits=services.form_limits(now.astimezone(t.timezone).date()),
        store=services.evidence, vault=services.vault, download=download, now=now,
        rules=services.routing_rules, reports_per_day=services.settings.reports_per_day,
        counts=services.counts)
    if result.over_quota is not None:
        scope.reply(safety_view.quota_reached(t, result.over_quota, draft_kept=True))
        scope.reply(view.emergency(t, services.settings.emergency_contacts, writing=True))
        return
    if result.receipt is not None:
        # The receipt and the officers' cards were queued with the report.
        scope.deliver = True
        return
    notices = []
    if result.problem is not None:
        notices.append(form_view.problem_notice(
            t, result.problem, result.state.step, services.settings.max_evidence_files,
            services.max_mb))
    if result.show_emergency:
        # A message of their own, as on Telegram: the numbers stay above the questions.
        scope.reply(view.emergency(t, services.settings.emergency_contacts, writing=True))
    if result.evidence_count is not None and not notices:
        scope.reply(form_view.evidence_received(
            t, draft.id, result.evidence_count, services.settings.max_evidence_files))
        return
    _prompt(channel, scope, draft, notice="\n\n".join(notices) or None)

