"""Residents as the engine knows them: found by a keyed hash, addressed by an encrypted ref."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import bindparam
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.crypto import Vault
from models import Draft, Reporter

SEEN_GRANULARITY = timedelta(days=1)

# Built once: every update of a resident runs one of these, and building the statement
# (and its cache key) each time was a good part of the lookup's CPU.
_LOOKUPS = bindparam("lookups", expanding=True)
_REPORTER = select(Reporter).where(Reporter.lookup_hash.in_(_LOOKUPS))
_REPORTER_AND_DRAFT = (select(Reporter, Draft).outerjoin(Draft, Draft.reporter_id == Reporter.id)
                       .where(Reporter.lookup_hash.in_(_LOOKUPS)))


async def identify_reporter(
    session: AsyncSession, *, vault: Vault, channel: str, user_id: int | str,
    chat_id: int | str, now: datetime,
) -> Reporter:
    """The reporter row of this channel user, created on first contact."""
    reporter, _ = await _identify(session, vault=vault, channel=channel, user_id=user_id,
                                  chat_id=chat_id, now=now, with_draft=False)
    return reporter


async def identify_with_draft(
    session: AsyncSession, *, vault: Vault, channel: str, user_id: int | str,
    chat_id: int | str, now: datetime,
) -> tuple[Reporter, Draft | None]:
    """The reporter (as :func:`identify_reporter`) and their unfinished report, if any, in
    one query: a resident's every update needs both, and each round trip counts."""
    return await _identify(session, vault=vault, channel=channel, user_id=user_id,
                           chat_id=chat_id, now=now, with_draft=True)


async def _identify(
    session: AsyncSession, *, vault: Vault, channel: str, user_id: int | str,
    chat_id: int | str, now: datetime, with_draft: bool,
) -> tuple[Reporter, Draft | None]:
    lookups = vault.lookup_hashes(channel, user_id)
    lookup = lookups[0]
    draft = None
    if with_draft:
        row = (await session.exec(_REPORTER_AND_DRAFT, params={"lookups": lookups})).first()
        reporter, draft = row if row is not None else (None, None)
    else:
        reporter = (await session.exec(_REPORTER, params={"lookups": lookups})).first()
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
    return reporter, draft


def reporter_chat_id(vault: Vault, reporter: Reporter) -> str:
    """The reporter's chat address on their channel, for sending only."""
    return vault.decrypt(reporter.chat_ref_enc)
