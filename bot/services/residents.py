"""Residents as the engine knows them: found by a keyed hash, addressed by an encrypted ref."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, bindparam
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.crypto import Vault
from bot.services.cases import RECENT_CONVERSATION, officer_wrote_lately
from models import Draft, Officer, Reporter

SEEN_GRANULARITY = timedelta(days=1)

# Built once: every update of a resident runs one of these, and building the statement
# (and its cache key) each time was a good part of the lookup's CPU. A person's row may be
# under any of their lookup hashes (Vault.lookup_hashes: one per key, and the pre-HKDF
# scheme's): `lookup_hash IN (:lookup0, :lookup1, ...)` with one bound parameter per hash,
# a statement per number of hashes (it only changes with ENCRYPTION_KEY), run as compiled;
# an expanding IN is rendered again at every execution (about 35 us of CPU a lookup).
class _ByLookup:
    def __init__(self, statement: Select):
        self._statement = statement
        self._sized: dict[int, Select] = {}

    def __call__(self, lookups: list[str]) -> tuple[Select, dict]:
        names = [f"lookup{i}" for i in range(len(lookups))]
        statement = self._sized.get(len(names))
        if statement is None:
            statement = self._sized[len(names)] = self._statement.where(
                Reporter.lookup_hash.in_([bindparam(name) for name in names]))
        return statement, dict(zip(names, lookups))


_REPORTER = _ByLookup(select(Reporter))
_REPORTER_AND_DRAFT = _ByLookup(
    select(Reporter, Draft).outerjoin(Draft, Draft.reporter_id == Reporter.id))
# What a message may also need to know, in the same statement: whether the sender is an
# active officer (their input is tried first) and whether an officer wrote to them lately.
_OFFICER = (select(Officer.id).where(Officer.telegram_user_id == bindparam("telegram_user_id"),
                                     Officer.active == True)  # noqa: E712
            .exists())
_IS_OFFICER = select(_OFFICER)
_REPORTER_DRAFT_AND_CHECKS = _ByLookup(
    select(Reporter, Draft, _OFFICER.label("officer"),
           officer_wrote_lately(bindparam("since")).label("talking"))
    .outerjoin(Draft, Draft.reporter_id == Reporter.id))


@dataclass
class Arrival:
    """Who wrote, as :func:`arrive` finds them."""

    reporter: Reporter
    draft: Draft | None
    # Asked only with ``checks``: the sender is also an active officer...
    officer: bool = False
    # ...and an officer wrote to them about an open case within RECENT_CONVERSATION.
    officer_wrote_lately: bool = False


async def identify_reporter(
    session: AsyncSession, *, vault: Vault, channel: str, user_id: int | str,
    chat_id: int | str, now: datetime,
) -> Reporter:
    """The reporter row of this channel user, created on first contact."""
    lookups = vault.lookup_hashes(channel, user_id)
    statement, params = _REPORTER(lookups)
    reporter = (await session.exec(statement, params=params)).first()
    return await _seen(session, reporter, vault=vault, channel=channel, lookup=lookups[0],
                       chat_id=chat_id, now=now)


async def arrive(
    session: AsyncSession, *, vault: Vault, channel: str, user_id: int | str,
    chat_id: int | str, now: datetime, checks: bool = False,
) -> Arrival:
    """The reporter (as :func:`identify_reporter`) and their unfinished report, if any, in
    one query: a resident's every update needs both, and each round trip counts. With
    ``checks`` (a Telegram user's message), also whether they are an active officer and
    whether an officer wrote to them lately, in the same statement."""
    lookups = vault.lookup_hashes(channel, user_id)
    if checks:
        statement, params = _REPORTER_DRAFT_AND_CHECKS(lookups)
        params.update(telegram_user_id=int(user_id), since=now - RECENT_CONVERSATION)
    else:
        statement, params = _REPORTER_AND_DRAFT(lookups)
    row = (await session.exec(statement, params=params)).first()
    reporter = await _seen(session, row[0] if row is not None else None, vault=vault,
                           channel=channel, lookup=lookups[0], chat_id=chat_id, now=now)
    if row is None:
        # First contact: no reports, so nobody wrote to them; an officer may write first.
        officer = checks and (await session.exec(
            _IS_OFFICER, params={"telegram_user_id": int(user_id)})).one()
        return Arrival(reporter, None, officer=bool(officer))
    if checks:
        return Arrival(reporter, row[1], officer=bool(row[2]), officer_wrote_lately=bool(row[3]))
    return Arrival(reporter, row[1])


async def _seen(session: AsyncSession, reporter: Reporter | None, *, vault: Vault,
                channel: str, lookup: str, chat_id: int | str, now: datetime) -> Reporter:
    """The found reporter brought up to date, or a new one (stored)."""
    if reporter is None:
        reporter = Reporter(channel=channel, lookup_hash=lookup,
                            chat_ref_enc=vault.encrypt(str(chat_id)), created_at=now,
                            last_seen_at=now)
        session.add(reporter)
        await session.flush()
        return reporter
    if reporter.blocked:
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
