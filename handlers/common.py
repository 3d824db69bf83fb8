"""Pieces every handler module uses: the resident's and the officer's scope (one session
per update, replies sent after the commit) and sending replies."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest, TelegramError

from bot.channels.telegram import messages
from bot.context import TipContext
from bot.channels.telegram.jobs import deliver_now
from bot.channels.telegram.sender import send_replies
from bot.channels.telegram.ratelimit import NORMAL, PriorityGate
from bot.engine.i18n import Translator
from bot.render import officer as officer_view
from bot.render import resident as resident_view
from bot.render.text import Reply
from bot.services import officers
from bot.services.residents import arrive
from bot.services.retention import DRAFT_EXPIRED
from bot.channels.telegram.bot import SentMessage, TipBot
from models import Draft, Officer, Reporter

log = logging.getLogger(__name__)


@dataclass
class ResidentScope:
    session: AsyncSession
    reporter: Reporter
    t: Translator
    # The unfinished report as it was when the update arrived (loaded with the reporter).
    draft: Draft | None = None
    replies: list[Reply] = field(default_factory=list)
    # Set when this update queued outbox rows: deliver them as soon as they are committed.
    deliver: bool = False
    # A pressed button's message: the first reply replaces it instead of a new message.
    edit: CallbackQuery | None = None
    # Known only when the scope was opened with ``checks`` (a message): the person is also
    # an active officer, and an officer wrote to them about an open case lately.
    officer: bool = False
    officer_wrote_lately: bool = False
    # Set by abandon(): nothing of this scope is kept or sent.
    abandoned: bool = False

    def reply(self, replies: Reply | Iterable[Reply]) -> None:
        """Queue replies; they are sent after the commit, never inside the transaction."""
        self.replies.extend([replies] if isinstance(replies, Reply) else replies)

    def abandon(self) -> None:
        """Leave without keeping anything: rolled back, no replies (the update is to be
        handled elsewhere first, e.g. as an officer's input)."""
        self.abandoned = True


# Residents' updates doing their database work at once (their replies are sent after it,
# outside this bound). Fifty at once made every round trip wait for the others: a
# submitted report's, whose officers' alerts wait for its commit, among them.
RESIDENT_WORK = 6


def resident_gate() -> PriorityGate:
    """The bound on residents' database work; one per application (bot.app)."""
    return PriorityGate(RESIDENT_WORK)


@asynccontextmanager
async def resident_scope(update: Update, context: TipContext, *,
                         priority: int | None = NORMAL,
                         checks: bool = False) -> AsyncIterator[ResidentScope]:
    """One session for this update, the reporter it comes from, and their language.

    Commits when the handler finishes without error, so an answer is kept only whole,
    then sends the queued replies: no transaction is held open across network calls.
    At most RESIDENT_WORK updates are inside at once, by ``priority`` (ALERT: sending a
    report, whose alerts wait for it); None: not bounded (a file being downloaded must
    not keep the others out). With ``checks``, the scope also knows whether the person is
    an active officer and whether an officer wrote to them lately (same statement).
    """
    services = context.services
    gate = context.bot_data.resident_gate if priority is not None else None
    if gate is not None:
        await gate.acquire(priority)
    try:
        async with services.sessions() as session:
            arrival = await arrive(
                session, vault=services.vault, channel="telegram",
                user_id=update.effective_user.id, chat_id=update.effective_chat.id,
                now=services.clock(), checks=checks)
            reporter = arrival.reporter
            scope = ResidentScope(session, reporter, services.translator(reporter.locale),
                                  draft=arrival.draft, officer=arrival.officer,
                                  officer_wrote_lately=arrival.officer_wrote_lately)
            if reporter.notice == DRAFT_EXPIRED:
                reporter.notice = None
                scope.reply(resident_view.draft_expired(
                    scope.t, max(1, services.settings.draft_expire_after.days)))
            yield scope
            if scope.abandoned:
                return                 # the session rolls back as it closes
            await session.commit()
    finally:
        if gate is not None:
            gate.release()
    await send(context, update.effective_chat.id, scope.replies, edit=scope.edit)
    if scope.deliver:
        await deliver_now(context)


async def send(context: TipContext, chat_id: int, replies: Reply | Iterable[Reply], *,
               edit: CallbackQuery | None = None,
               replacing: int | None = None) -> list[SentMessage]:
    """Send one or more rendered replies as HTML, in order; with ``edit``, the first one
    replaces the pressed message (one chat call per answer, no keyboard-stripping edit).
    Returns where each reply is (PTB's parsing of the returned messages is skipped: see
    bot.channels.telegram.bot)."""
    replies = [replies] if isinstance(replies, Reply) else list(replies)
    sent = []
    if edit is not None and replies and await _edited(context, edit, replies[0]):
        sent.append(SentMessage(edit.message.chat_id, edit.message.message_id))
        replies = replies[1:]
    elif replacing is not None and replies and await _replaced(context, chat_id, replacing,
                                                               replies[0]):
        sent.append(SentMessage(chat_id, replacing))
        replies = replies[1:]
    return sent + await send_replies(context.bot, chat_id, replies)


async def drop_keyboard(query: CallbackQuery) -> None:
    """Take the buttons off a pressed message, so it cannot be pressed again.

    In the background: under load this edit waits its turn in the rate limiter, and the
    answer's own work (a submitted report and its officers' alerts) must not wait behind
    it. A press on the old buttons meanwhile is re-checked against the database anyway.
    """
    message = query.message
    if not isinstance(message, Message) or message.reply_markup is None:
        return
    task = asyncio.create_task(_edit_keyboard_off(query))
    _keyboard_edits.add(task)          # keep a reference until it is done
    task.add_done_callback(_keyboard_edits.discard)


_keyboard_edits: set[asyncio.Task] = set()


async def swap_keyboard(query: CallbackQuery, keyboard: InlineKeyboardMarkup) -> None:
    """The pressed message's buttons replaced (its words stay): the answer to the press."""
    await _edit_keyboard_off(query, keyboard)


async def _edit_keyboard_off(query: CallbackQuery,
                             keyboard: InlineKeyboardMarkup | None = None) -> None:
    try:
        await query.edit_message_reply_markup(reply_markup=keyboard)
    except BadRequest as exc:
        if not is_harmless_edit_error(exc):
            log.warning("could not remove a pressed keyboard: %s", type(exc).__name__)
    except TelegramError as exc:
        log.warning("could not remove a pressed keyboard: %s", type(exc).__name__)


async def _edited(context: TipContext, query: CallbackQuery, reply: Reply) -> bool:
    """Put ``reply`` in place of the pressed text message; False if it cannot be."""
    message = query.message
    if not isinstance(message, Message) or message.text is None:
        return False
    bot: TipBot = context.bot
    try:
        await bot.edit_html(message.chat_id, message.message_id, reply.text,
                            reply_markup=reply.keyboard)
    except BadRequest as exc:
        return "not modified" in str(exc).lower()
    return True


async def _replaced(context: TipContext, chat_id: int, message_id: int, reply: Reply) -> bool:
    """Put ``reply`` in place of a question the bot asked; False if it cannot be (deleted,
    too old to edit): then the reply is sent as a new message."""
    bot: TipBot = context.bot
    try:
        await bot.edit_html(chat_id, message_id, reply.text, reply_markup=reply.keyboard)
    except BadRequest as exc:
        return "not modified" in str(exc).lower()
    return True


def is_harmless_edit_error(exc: BadRequest) -> bool:
    """An edit that did nothing because the message is already so, or gone."""
    text = str(exc).lower()
    return "not modified" in text or "message to edit not found" in text


@dataclass
class OfficerScope:
    session: AsyncSession
    officer: Officer
    t: Translator
    replies: list[Reply] = field(default_factory=list)
    # The last replies are these details of a case: remembered, so a change edits them.
    shows_case: messages.Details | None = None
    # The pressed message's buttons become these (a card's panel: More, quick replies).
    keyboard: InlineKeyboardMarkup | None = None
    # The last reply asks for this pending input: remembered, so the answer replaces it.
    asks_input: bool = False
    # The first reply replaces this message of the officer's chat (the question it answers).
    replaces: int | None = None

    def reply(self, replies: Reply | Iterable[Reply]) -> None:
        """Queue replies to the officer's private chat; sent after the commit."""
        self.replies.extend([replies] if isinstance(replies, Reply) else replies)


@asynccontextmanager
async def officer_scope(update: Update, context: TipContext) -> AsyncIterator[OfficerScope | None]:
    """The active officer behind this update (None for anyone else). Commits at the end,
    then sends the replies: no write transaction is held across a network call."""
    services = context.services
    async with services.sessions() as session:
        officer = await officers.officer_by_telegram(session, update.effective_user.id)
        if officer is not None and officer.blocked:
            officer.blocked = False
        scope = OfficerScope(session, officer, messages.officer_t(services, officer)) if officer else None
        yield scope
        await session.commit()
    if scope is not None and scope.replies:
        sent = await send(context, scope.officer.telegram_user_id, scope.replies,
                          replacing=scope.replaces)
        if scope.asks_input and scope.officer.pending:
            async with services.sessions() as session:
                await officers.remember_prompt(
                    session, officer_id=scope.officer.id, kind=scope.officer.pending["kind"],
                    report_id=scope.officer.pending["report_id"], message_id=sent[-1].message_id)
                await session.commit()
        shown = scope.shows_case
        if shown is not None and len(sent) >= len(shown.replies):
            await messages.remember_shown(
                services, officer_id=scope.officer.id, chat_id=sent[-1].chat_id,
                message_ids=[m.message_id for m in sent[-len(shown.replies):]], details=shown)


async def refuse_non_officer(update: Update, context: TipContext) -> None:
    """The polite answer to anyone who is not an active officer."""
    t = context.services.translator(None)
    await send(context, update.effective_chat.id, officer_view.error_reply(t, "not_officer"))
