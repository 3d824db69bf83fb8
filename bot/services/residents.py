"""Residents as the engine knows them: found by a keyed hash, addressed by an encrypted ref."""
from __future__ import annotations

from datetime import datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.crypto import Vault
from models import Reporter


async def identify_reporter(
    session: AsyncSession, *, vault: Vault, channel: str, user_id: int | str,
    chat_id: int | str, now: datetime,
) -> Reporter:
    """The reporter row of this channel user, created on first contact."""
    lookup = vault.lookup_hash(channel, user_id)
    reporter = (await session.exec(select(Reporter).where(Reporter.lookup_hash == lookup))).first()
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
    return reporter


def reporter_chat_id(vault: Vault, reporter: Reporter) -> str:
    """The reporter's chat address on their channel, for sending only."""
    return vault.decrypt(reporter.chat_ref_enc)
