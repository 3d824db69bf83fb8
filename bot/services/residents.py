"""Residents as the engine knows them: found by a keyed hash, addressed by an encrypted ref."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.crypto import Vault
from models import Reporter

SEEN_GRANULARITY = timedelta(days=1)


async def identify_reporter(
    session: AsyncSession, *, vault: Vault, channel: str, user_id: int | str,
    chat_id: int | str, now: datetime,
) -> Reporter:
    """The reporter row of this channel user, created on first contact."""
    lookups = vault.lookup_hashes(channel, user_id)
    lookup = lookups[0]
    reporter = (await session.exec(select(Reporter).where(
        Reporter.lookup_hash.in_(lookups)))).first()
    if reporter is None:
        reporter = Reporter(channel=channel, lookup_hash=lookup,
                            chat_ref_enc=vault.encrypt(str(chat_id)), created_at=now,
                            last_seen_at=now)
        session.add(reporter)
        await session.flush()
    elif reporter.blocked:
        # They wrote to us, so they unblocked the bot. (No write otherwise: on SQLite a
        # write per update would serialise everyone behind one lock.)
        reporter.blocked = False
    if reporter.lookup_hash != lookup:
        # Found under a key being rotated out: move it to the current one.
        reporter.lookup_hash = lookup
        reporter.chat_ref_enc = vault.encrypt(str(chat_id))
    if now - reporter.last_seen_at > SEEN_GRANULARITY:
        # Once a day at most: the retention of people who never report reads it.
        reporter.last_seen_at = now
    return reporter


def reporter_chat_id(vault: Vault, reporter: Reporter) -> str:
    """The reporter's chat address on their channel, for sending only."""
    return vault.decrypt(reporter.chat_ref_enc)
