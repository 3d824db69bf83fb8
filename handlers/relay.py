"""The reporter's side of the anonymous relay: their texts and files reach the officer
handling their case, labelled only with the case number."""
from __future__ import annotations

from telegram import Message, Update

from bot.context import TipContext
from bot.services import cases
from handlers import resident_chat
from bot.services.followups import relay_chat_key
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
    return await resident_chat.relay_to_case(scope, services, report, answer=answer,
                                             download=download, text=message.text)


async def case_replied_to(update: Update, context: TipContext, scope: ResidentScope):
    """The case whose officer's message this one replies to (a Telegram reply), if any."""
    replied = update.effective_message.reply_to_message
    if replied is None:
        return None
    return await cases.case_replied_to(
        scope.session, reporter_id=scope.reporter.id,
        chat_key=relay_chat_key(context.services, update.effective_chat.id),
        reply_to_message_id=replied.message_id)
