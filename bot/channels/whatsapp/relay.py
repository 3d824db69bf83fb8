"""The resident's side of the anonymous relay on WhatsApp: their texts and files outside
the form reach the officer on their case, labelled only with the case number."""
from __future__ import annotations

from bot.engine.form import Answer, Typed
from bot.services import cases
from handlers import resident_chat
from bot.services.form_flow import Download
from handlers.common import ResidentScope


async def from_reporter(channel, scope: ResidentScope, answer: Answer,
                        download: Download | None) -> bool:
    """False when the resident has no case to relay to (nor one waiting or closed to tell
    them about)."""
    if not isinstance(answer, Typed) and download is None:
        return False
    # WhatsApp has no per-chat message ids of ours to reply to: the latest open case.
    report = await cases.relay_case_for_reporter(
        scope.session, reporter_id=scope.reporter.id, chat_key="", reply_to_message_id=None)
    return await resident_chat.relay_to_case(
        scope, channel.services, report, answer=answer, download=download,
        text=answer.text if isinstance(answer, Typed) else None)
