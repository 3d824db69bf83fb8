"""The persistent outbox: intents queued with the change that causes them, claimed in
batches (one statement) by whichever process gets there first, and marked sent right
after each call to the channel (bot/services/delivery.py)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import case, func, insert, or_, update
from sqlalchemy.orm import aliased
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.upsert import session_insert
from models import Outbox, SurgeWindow

LOCK_FOR = timedelta(seconds=60)
MAX_BACKOFF = timedelta(hours=1)
PENDING, SENT, BLOCKED, FAILED, CANCELLED = "pending", "sent", "blocked", "failed", "cancelled"
# Given up after MAX_ATTEMPTS failures no handler knows (counted in tipbot_outbox_dead),
# so one odd row never blocks its chat for ever.
DEAD = "dead"
MAX_ATTEMPTS = 5
# What a row is for (its purpose). A row is an intent: the channel renders it when it
# sends it, from the tables and the row's few parameters (see bot/services/followups.py for
# what queues each, and the channel's message builders for what each says).
CARD = "card"                  # a case's card to an officer, or the group's notice
CARD_EDIT = "card_edit"        # bring a message that shows a case up to date
DETAILS = "details"            # one part of a case's details, to an officer
REMIND = "remind"              # a reminder or escalation (its kind: the dedupe key's head)
CONTACT = "contact"            # the contactable reporter's name and number, to the assignee
INFO = "info"                  # a notice to an officer (params["info"] names which)
NOTICE = "notice"              # the reporter told of a change to their case
RECEIPT, NEW_CODE, RECEIPT_LOST = "receipt", "new_code", "receipt_lost"
RELAY_OUT = "relay_out"        # an officer's words to the reporter (secret_enc)
RELAY_IN = "relay_in"          # the reporter's words (or a new file) to the officer
# A file or location an officer sends a reporter: which (the channel's file id or the
# coordinates, the officer's caption) is kept only encrypted, in secret_enc.
RELAY_FILE = "relay_file"
# A case's stored file the officer asked for (📎): params name the evidence row; the file
# is read from the store only when sent, so a retry after a 429 sends the same file again.
EVIDENCE = "evidence"
# Officers' alerts: ahead of everything else in the channel's rate limits, and each a
# message of its own (a chat's alerts need not wait for each other's round trips).
ALERTS = frozenset({CARD, REMIND})
TELEGRAM = "telegram"
# What protects people (a case's card or page, an escalation, the resident's receipt) is
# retried at least once a minute while the channel fails, so it goes out within a minute
# of the channel's recovery; the rest backs off up to MAX_BACKOFF.
URGENT_PURPOSES = frozenset({CARD, REMIND, RECEIPT})
URGENT_MAX_BACKOFF = timedelta(seconds=60)
FLOOD_LIMITED = "429 retry after"


def is_alert(row: Outbox) -> bool:
    return row.purpose in ALERTS and row.edit_message_id is None


def reminder_kind(row: Outbox) -> str | None:
    """The kind of a queued reminder (see bot.services.reminders), from its dedupe key."""
    return row.dedupe_key.split(":", 1)[0] if row.purpose == REMIND and row.dedupe_key else None


async def enqueue(session: AsyncSession, *, purpose: str, now: datetime,
                  channel: str = TELEGRAM, params: dict[str, Any] | None = None,
                  officer_id: int | None = None, reporter_id: int | None = None,
                  chat_id: int | None = None, report_id: int | None = None,
                  edit_message_id: int | None = None, dedupe_key: str | None = None,
                  not_before: datetime | None = None, secret_enc: str | None = None) -> bool:
    """Queue one intent; False when ``dedupe_key`` was already queued (by anyone).

    One INSERT, without an ORM object (nothing reads the row back in the transaction that
    queues it). INSERT ... ON CONFLICT DO NOTHING exists in both SQLite and PostgreSQL, so
    a reminder raced by two processes is queued once and neither transaction fails.
    """
    values = dict(purpose=purpose, channel=channel, params=params, officer_id=officer_id,
                  reporter_id=reporter_id, chat_id=chat_id, report_id=report_id,
                  edit_message_id=edit_message_id, dedupe_key=dedupe_key,
                  secret_enc=secret_enc, status=PENDING,
                  attempts=0, next_attempt_at=not_before or now, created_at=now)
    if dedupe_key is None:
        await session.exec(insert(Outbox).values(**values))
        return True
    statement = session_insert(session)(Outbox).values(**values).on_conflict_do_nothing(
        index_elements=["dedupe_key"])
    result = await session.exec(statement)
    return result.rowcount == 1


def unlocked(now: datetime):
    """Not claimed by any worker now (never, or its lease ran out)."""
    return (Outbox.locked_until == None) | (Outbox.locked_until < now)  # noqa: E711


# Built once: aliasing a mapped class copies every column, which cost about 2 % of the
# bot's CPU when it was done for every claim of the outbox.
_EARLIER = aliased(Outbox)


def _due(now: datetime, limit: int):
    """Rows due now, oldest first; a row waits while an older one to the same chat is
    backing off, so a conversation is never delivered out of order."""
    earlier = _EARLIER
    same_chat = or_(earlier.officer_id == Outbox.officer_id,
                    earlier.reporter_id == Outbox.reporter_id, earlier.chat_id == Outbox.chat_id)
    # Only a row that failed (or was flood-limited) holds the chat: one merely scheduled
    # for later (a reporter's notice waiting for the officer's reason, a card held by the
    # surge brake) does not. A 429 raises no attempt, hence last_error, not attempts.
    waiting = (select(earlier.id).where(earlier.status == PENDING, earlier.id < Outbox.id,
                                        earlier.next_attempt_at > now,
                                        earlier.last_error != None,  # noqa: E711
                                        same_chat).exists())
    return (select(Outbox.id).where(
        Outbox.status == PENDING, Outbox.next_attempt_at <= now, unlocked(now), ~waiting)
        .order_by(Outbox.id).limit(limit))


async def claim_due(session: AsyncSession, *, now: datetime, limit: int = 50) -> list[Outbox]:
    """Lock up to ``limit`` due rows for sending in one statement (committed), oldest
    first. A row another worker locked meanwhile is not taken: the UPDATE re-checks the
    lock, so across processes each row has one holder until ``LOCK_FOR`` passes."""
    statement = (update(Outbox)
                 .where(Outbox.id.in_(_due(now, limit).scalar_subquery()),
                        Outbox.status == PENDING, unlocked(now))
                 .values(locked_until=now + LOCK_FOR)
                 .returning(Outbox)
                 .execution_options(synchronize_session=False))
    rows = list((await session.exec(statement)).scalars().all())
    await session.commit()
    return sorted(rows, key=lambda row: row.id)


async def release(session: AsyncSession, *, ids: list[int]) -> None:
    """Give claimed rows back unsent (an earlier message to their chat must go first)."""
    if ids:
        await session.exec(update(Outbox).where(Outbox.id.in_(ids), Outbox.status == PENDING)
                           .values(locked_until=None))


def finish(row: Outbox, status: str, *, now: datetime, message_id: int | None = None,
           error: str | None = None) -> None:
    row.status, row.locked_until = status, None
    row.attempts += 1
    row.secret_enc = None     # done with, one way or another: the words are not kept
    if status == SENT:
        row.sent_at, row.sent_message_id = now, message_id
    if error:
        row.last_error = error[:300]


def retry_later(row: Outbox, *, now: datetime, after: timedelta | None, error: str) -> None:
    """A failed attempt: retried ``after`` when given, else backing off exponentially: from
    1 second up to a minute for URGENT_PURPOSES, from 5 seconds up to an hour for the rest."""
    row.attempts += 1
    first, cap = ((1, URGENT_MAX_BACKOFF) if row.purpose in URGENT_PURPOSES
                  else (5, MAX_BACKOFF))
    delay = after if after is not None else min(
        timedelta(seconds=first * 2 ** min(row.attempts - 1, 12)), cap)
    row.next_attempt_at, row.locked_until, row.last_error = now + delay, None, error[:300]


def flood_wait(row: Outbox, *, now: datetime, after: timedelta) -> None:
    """Telegram's 429: try again after ``retry_after``. Not a failed attempt: it neither
    counts towards MAX_ATTEMPTS nor lengthens the back-off of a later 5xx."""
    row.next_attempt_at, row.locked_until, row.last_error = now + after, None, FLOOD_LIMITED


async def next_due(session: AsyncSession, *, now: datetime) -> datetime | None:
    """When the outbox next has something to claim after ``now``: the earliest pending row
    coming due (``not_before``, a retry) or coming out of another worker's lease. A row due
    now is claimable, or waits behind one of these (an earlier row of its chat)."""
    due = (await session.exec(select(func.min(Outbox.next_attempt_at)).where(
        Outbox.status == PENDING, Outbox.next_attempt_at > now))).one()
    leased = (await session.exec(select(func.min(Outbox.locked_until)).where(
        Outbox.status == PENDING, Outbox.locked_until > now))).one()
    return min((t for t in (due, leased) if t is not None), default=None)


async def pending_for_report(session: AsyncSession, *, report_id: int,
                             purpose: str) -> list[Outbox]:
    return list((await session.exec(select(Outbox).where(
        Outbox.report_id == report_id, Outbox.purpose == purpose,
        Outbox.status == PENDING))).all())


async def cancel_for_officer(session: AsyncSession, *, officer_id: int, chat_id: int,
                             now: datetime) -> int:
    """Cancel everything still queued to an officer (they left), card edits to their chat
    included; returns how many."""
    result = await session.exec(update(Outbox).where(
        or_(Outbox.officer_id == officer_id, Outbox.chat_id == chat_id),
        Outbox.status == PENDING)
        .values(status=CANCELLED, locked_until=None, secret_enc=None,
                last_error="officer deactivated"))
    return result.rowcount


SURGE_WINDOW_MS = 60_000


def _surge_update(purpose: str, per_minute: int, now_ms: int):
    """Hand out the next send slot: in the current window while it has room, else at the
    start of the next one; a window a minute old is over (the next starts now)."""
    window = SurgeWindow.__table__.c
    over = window.starts_at_ms <= now_ms - SURGE_WINDOW_MS
    full = window.taken >= per_minute
    return (update(SurgeWindow.__table__).where(window.purpose == purpose).values(
        starts_at_ms=case((over, now_ms), (full, window.starts_at_ms + SURGE_WINDOW_MS),
                          else_=window.starts_at_ms),
        taken=case((over, 1), (full, 1), else_=window.taken + 1))
        .returning(window.starts_at_ms))


async def take_surge_slot(session: AsyncSession, *, purpose: str, per_minute: int,
                          now: datetime) -> datetime:
    """When the next message of ``purpose`` may go so that at most ``per_minute`` go in any
    minute (the surge brake): a surge is queued, never dropped. Race-free across
    transactions and processes: one UPDATE moves the count (PostgreSQL makes the next
    submit wait for this one's commit on the row; SQLite has one writer at a time)."""
    now_ms = int(now.timestamp() * 1000)
    statement = _surge_update(purpose, per_minute, now_ms)
    starts = (await session.exec(statement)).scalar_one_or_none()
    if starts is None:            # the first card ever (or a wiped table)
        await session.exec(session_insert(session)(SurgeWindow.__table__).values(
            purpose=purpose, starts_at_ms=0, taken=0).on_conflict_do_nothing(
            index_elements=["purpose"]))
        starts = (await session.exec(statement)).scalar_one()
    return max(now, datetime.fromtimestamp(starts / 1000, tz=timezone.utc))


async def pending_for_reporter(session: AsyncSession, *, report_id: int,
                               purposes: tuple[str, ...]) -> list[Outbox]:
    return list((await session.exec(select(Outbox).where(
        Outbox.report_id == report_id, Outbox.purpose.in_(purposes),
        Outbox.status == PENDING))).all())
