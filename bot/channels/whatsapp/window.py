"""WhatsApp's 24-hour customer-service window, kept from the resident's last message.

Outside it, Meta takes only an approved template: the bot sends one neutral template
(WHATSAPP_NOTICE_TEMPLATE: "there is news, please reply", naming no case, status or
content), holds what it had to say in the outbox, and sends it when the resident writes,
which opens the window again. A send Meta refuses for the window (131047) is held the same.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.services import outbox
from models import Outbox, Reporter

WINDOW = timedelta(hours=24)
# Held rows wait for the resident's reply this long at most: then they are tried again
# (and the template with them), so a row never waits for ever.
HOLD = timedelta(days=7)
# What marks a row held for the window (Outbox.last_error), so a reply releases it.
HELD = "whatsapp: waiting for the resident's reply (24-hour window)"


def is_open(reporter: Reporter, now: datetime) -> bool:
    # A little margin: a message sent in the window's last seconds may reach Meta after it.
    last = reporter.last_message_at
    return last is not None and now - last < WINDOW - timedelta(minutes=1)


def needs_nudge(reporter: Reporter) -> bool:
    """No template since their last message: one tells them there is news."""
    return reporter.nudged_at is None or (reporter.last_message_at is not None
                                          and reporter.nudged_at < reporter.last_message_at)


async def opened(session: AsyncSession, *, reporter: Reporter, now: datetime) -> int:
    """They wrote: the window is open; what waited for it is due now. Returns how many
    rows were released."""
    reporter.last_message_at = now
    if reporter.id is None:
        return 0
    result = await session.exec(update(Outbox).where(
        Outbox.reporter_id == reporter.id, Outbox.status == outbox.PENDING,
        Outbox.last_error == HELD).values(next_attempt_at=now))
    return result.rowcount


def hold(row: Outbox, *, now: datetime) -> None:
    """Keep the row until the resident replies (not a failed attempt)."""
    row.next_attempt_at, row.locked_until, row.last_error = now + HOLD, None, HELD
