"""What an officer's typed text or file means: the pending action it completes (a reason,
a note, a message to a reporter), or, with none, whether it is kept and offered for their
one open case. Decided from the officer's row and the message they replied to; plain
values in and out, no Telegram. The handler then does what the placement says."""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.crypto import Vault
from bot.services import cases, casework, desk
from models import Officer, RelayMessage

RELAY = "relay"        # Officer.pending kind: the next message goes to the case's reporter


class Meaning(StrEnum):
    RESIDENT = "resident"        # the officer fills a report as a resident: the form's
    REFUSED = "refused"          # cannot go to a reporter (too big, not cleanable...)
    WRONG_INPUT = "wrong_input"  # a file or a pin where typed words are awaited
    UNPLACED = "unplaced"        # no pending action: kept for their one case, or help
    APPLY = "apply"              # completes ``action`` (kind and case on Officer.pending)


@dataclass(frozen=True)
class Placement:
    meaning: Meaning
    action: dict | None = None
    problem: str | None = None   # why REFUSED (desk.refusal)


@dataclass(frozen=True)
class Sent:
    """What the officer sent, as far as placing it goes."""

    message: desk.Outgoing
    size: int | None                    # a file's size, when the channel says it
    chat_key: str                       # the chat, as RelayMessage names it
    reply_to_message_id: int | None     # the message it answers, if any


async def place(session: AsyncSession, *, officer: Officer, vault: Vault, channel: str,
                sent: Sent, max_bytes: int) -> Placement:
    """Where this message goes. A reply to a reporter's relayed message goes to that
    reporter, even while a reason is offered; with no pending action, it is kept for an
    offer (more words join the kept ones, see desk.keep_unsent). An officer who filed a
    report of their own is its reporter too: their reply to what the bot relayed to them
    as that reporter goes to the officer on their case."""
    if sent.reply_to_message_id is not None and await _relayed_to_them_as_reporter(
            session, sent):
        return Placement(Meaning.RESIDENT)
    action = officer.pending
    if sent.reply_to_message_id is not None and (
            action is None or action.get("kind") == casework.REASON):
        report = await cases.relay_case_for_officer(
            session, officer=officer, chat_key=sent.chat_key,
            reply_to_message_id=sent.reply_to_message_id)
        if report is not None:
            action = dict(kind=RELAY, report_id=report.id)
    if action is None:
        if await desk.writing_as_resident(session, vault=vault, channel=channel,
                                          user_id=officer.telegram_user_id):
            return Placement(Meaning.RESIDENT)
        return _refused(sent, max_bytes) or Placement(Meaning.UNPLACED)
    if action["kind"] != RELAY:
        if sent.message.kind != "text":
            return Placement(Meaning.WRONG_INPUT, action)
        return Placement(Meaning.APPLY, action)
    return _refused(sent, max_bytes) or Placement(Meaning.APPLY, action)


async def _relayed_to_them_as_reporter(session: AsyncSession, sent: Sent) -> bool:
    # The chat is the officer's own, so a reporter-side message in it reached them as a
    # reporter; the resident's flow finds the case (or says it waits for an officer).
    return (await session.exec(select(RelayMessage.id).where(
        RelayMessage.side == "reporter", RelayMessage.chat_key == sent.chat_key,
        RelayMessage.message_id == sent.reply_to_message_id))).first() is not None


def _refused(sent: Sent, max_bytes: int) -> Placement | None:
    problem = desk.refusal(sent.message, size=sent.size, max_bytes=max_bytes)
    return Placement(Meaning.REFUSED, problem=problem) if problem is not None else None
