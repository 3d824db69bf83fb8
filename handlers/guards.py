"""Updates that never reach a flow: floods, group chats, edited messages, errors."""
from __future__ import annotations

import logging
import traceback

from telegram import Update
from telegram.error import Forbidden, NetworkError, RetryAfter
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.channels.telegram.presses import answer_press
from bot.context import TipContext
from bot.render import resident as view
from bot.channels.telegram.updates import FloodGuard
from handlers.common import resident_scope, send

log = logging.getLogger(__name__)


def flood_handler(guard: FloodGuard) -> TypeHandler:
    """Drops a person's updates past the flood limit, with one warning per window."""

    async def check(update: Update, context: TipContext) -> None:
        user = update.effective_user
        if user is None or guard.allow(user.id):
            return
        if update.callback_query:
            await answer_press(update.callback_query)
        chat = update.effective_chat
        if chat is not None and chat.type == "private" and guard.should_warn(user.id):
            t = context.services.translator(None)
            await send(context, chat.id, view.too_many_messages(t))
        log.info("flood limit reached; update dropped")
        raise ApplicationHandlerStop

    return TypeHandler(Update, check)


async def group_command(update: Update, context: TipContext) -> None:
    """Commands in a group: reports are private, point to the private chat. In the task
    force's own group, officers' commands (review, cases) get a pointer too: their answers
    name cases and people, so they only go to a private chat."""
    t = context.services.translator(None)
    if update.effective_chat.id == context.services.settings.taskforce_chat_id:
        reply = view.commands_in_private(t, context.bot.username)
    else:
        reply = view.private_only(t, context.bot.username)
    await context.bot.send_message(update.effective_chat.id, reply.text, parse_mode="HTML",
                                   reply_markup=reply.keyboard,
                                   reply_parameters=None)


async def edited_message(update: Update, context: TipContext) -> None:
    """Edits are not applied: the answer was already taken as first sent."""
    async with resident_scope(update, context) as scope:
        scope.reply(view.edited_message(scope.t))


async def live_location_update(update: Update, context: TipContext) -> None:
    """A live location moving on: the first fix was taken; its updates are not answered
    (one a few seconds would flood the chat, and would track the person)."""
    raise ApplicationHandlerStop


def guard_handlers() -> list[BaseHandler]:
    groups = filters.ChatType.GROUPS
    edited = filters.UpdateType.EDITED_MESSAGE
    return [
        MessageHandler(edited & filters.LOCATION, live_location_update),
        MessageHandler(edited & filters.ChatType.PRIVATE, edited_message),
        MessageHandler(groups & filters.COMMAND, group_command),
    ]


async def error_handler(update: object, context: TipContext) -> None:
    """Log the failure without personal data and tell the person, if there is one."""
    error = context.error
    if isinstance(error, (NetworkError, RetryAfter)) and not isinstance(error, Forbidden):
        log.warning("Telegram call failed: %s", type(error).__name__)
    else:
        # Only the type and the frames: exception messages can quote personal data
        # (SQL parameters, message text).
        frames = "".join(traceback.format_tb(error.__traceback__)) if error else ""
        log.error("update failed: %s\n%s", type(error).__name__, frames)
    if isinstance(update, Update) and update.effective_chat and update.effective_chat.type == "private":
        t = context.services.translator(None)
        try:
            await send(context, update.effective_chat.id, view.something_went_wrong(t))
        except Exception:  # noqa: BLE001  (the chat may be unreachable; already logged)
            log.warning("could not tell the person about the failure")
