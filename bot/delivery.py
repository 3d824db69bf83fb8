"""Sends the outbox: the only place where queued rows meet the Bot API.

A row is locked by a conditional UPDATE (one winner across processes), sent, and marked
sent in its own commit right after the call succeeds, so a restart never sends it again.
Failures: 429 reschedules the row after retry_after (never sleeping while holding the
row's lease, which another worker would take over); 5xx and network errors back off
exponentially; 403 (the bot was blocked) is recorded, and an unclaimed case's alert goes
to someone else; a group upgraded to a supergroup is followed; anything else is retried
and, after outbox.MAX_ATTEMPTS, dead-lettered.
"""
from __future__ import annotations

import asyncio
import logging
import warnings
from datetime import datetime, timedelta

from telegram import Bot, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter
from telegram.ext import ContextTypes
from telegram.warnings import PTBDeprecationWarning

from bot import notify
from bot.context import Services
from bot.db import checkpoint
from bot.ratelimit import ALERT
from bot.services import chat_moves, duty, outbox, reminders, retention, updates_seen
from bot.services.residents import reporter_chat_id
from models import Officer, Outbox, RelayMessage, Report, Reporter

log = logging.getLogger(__name__)
BATCH = 50
# Everything the outbox sends (officers' alerts above all, receipts, relays, notices) goes
# ahead of the form's prompts that handlers send directly: the delivery loop is serial,
# so one receipt waiting behind fifty residents' prompts would hold up the next new card.
# The limiter still keeps the total under Telegram's 30 a second.


def relay_chat_key(services: Services, chat_id: int | str) -> str:
    """How a chat is named in RelayMessage: a keyed hash, never the chat id itself."""
    return services.vault.lookup_hash("relay", chat_id)


class Deliverer:
    """One delivery loop per process; a kick while it runs makes it go round again."""

    def __init__(self, services: Services):
        self.services = services
        self._lock = asyncio.Lock()
        self._again = False

    async def run(self, bot: Bot, *, wait: bool = False) -> int:
        """Send until nothing is due; ``wait``: after a run already going (tests, shutdown)."""
        if self._lock.locked() and not wait:
            self._again = True
            return 0
        total = 0
        async with self._lock:
            while True:
                self._again = False
                sent = await deliver_due(bot, self.services)
                total += sent
                # Sending can queue more (a card edit, a re-routed alert): go round
                # until a pass finds nothing to do.
                if not self._again and sent == 0:
                    return total


async def deliver_due(bot: Bot, services: Services) -> int:
    """Send what is due now; returns how many rows were handled."""
    now = services.clock()
    async with services.sessions() as session:
        ids = await outbox.due_ids(session, now=now, limit=BATCH)
    held: set[tuple] = set()
    handled = 0
    for outbox_id in ids:
        async with services.sessions() as session:
            row = await outbox.claim(session, outbox_id=outbox_id, now=now)
            if row is None:
                continue
            target = (row.officer_id, row.reporter_id, row.chat_id)
            if target in held:
                # An earlier message to this chat must wait; keep the order.
                row.locked_until = None
                await session.commit()
                continue
            try:
                delivered = await _deliver_one(bot, services, session, row, now)
            except Exception as exc:  # noqa: BLE001  (no handler knows it: retry, then give up)
                await _unknown_failure(services, row.id, exc, now)
                delivered = False
            if not delivered:
                held.add(target)
            handled += 1
    return handled


async def _deliver_one(bot: Bot, services: Services, session, row: Outbox, now: datetime) -> bool:
    """Send one claimed row; False when it has to be retried later."""
    if not await _still_wanted(session, row, now):
        outbox.finish(row, outbox.CANCELLED, now=now)
        await session.commit()
        return True
    chat_id = await _chat_of(services, session, row)
    if chat_id is None:
        outbox.finish(row, outbox.FAILED, now=now, error="no recipient")
        await session.commit()
        return True
    content = await notify.content_of(session, services, row)
    if content is None:
        outbox.finish(row, outbox.CANCELLED, now=now)
        await session.commit()
        return True
    text, markup_data = content
    markup = InlineKeyboardMarkup.de_json(markup_data, bot) if markup_data else None
    try:
        if row.edit_message_id is not None:
            result = await bot.edit_message_text(
                text, chat_id=chat_id, message_id=row.edit_message_id,
                parse_mode=ParseMode.HTML, reply_markup=markup, **_limits(bot, row))
            message_id = row.edit_message_id if result is True else result.message_id
        else:
            message = await bot.send_message(chat_id, text, parse_mode=ParseMode.HTML,
                                             reply_markup=markup, **_limits(bot, row))
            message_id = message.message_id
    except RetryAfter as exc:
        with warnings.catch_warnings():   # int today, timedelta in PTB 23: both handled
            warnings.simplefilter("ignore", PTBDeprecationWarning)
            wait = exc.retry_after
        wait = wait if isinstance(wait, timedelta) else timedelta(seconds=float(wait))
        outbox.retry_later(row, now=now, after=wait, error="429 retry after")
        await session.commit()
        log.info("outbox %s: flood limit, retrying in %s", row.id, wait)
        return False
    except Forbidden:
        await _blocked(services, session, row, now)
        return True
    except ChatMigrated as exc:
        await chat_moves.record_move(session, old_chat_id=int(chat_id),
                                     new_chat_id=exc.new_chat_id, now=now)
        row.chat_id = exc.new_chat_id
        outbox.retry_later(row, now=now, after=timedelta(0), error="chat migrated")
        await session.commit()
        log.warning("outbox %s: the group became a supergroup; update TASKFORCE_CHAT_ID", row.id)
        return True
    except BadRequest as exc:
        if "not modified" in str(exc).lower():
            outbox.finish(row, outbox.SENT, now=now, message_id=row.edit_message_id)
        else:
            outbox.finish(row, outbox.FAILED, now=now, error="bad request")
            await notify.after_failed(session, row, now=now)
            log.warning("outbox %s (%s) refused by Telegram", row.id, row.purpose)
        await session.commit()
        return True
    except NetworkError as exc:  # includes 5xx and TimedOut
        outbox.retry_later(row, now=now, after=None, error=type(exc).__name__)
        await session.commit()
        log.info("outbox %s: %s, will retry", row.id, type(exc).__name__)
        return False
    outbox.finish(row, outbox.SENT, now=now, message_id=message_id)
    await notify.after_delivered(session, row)
    await session.commit()
    await _after_sent(services, session, row, chat_id, message_id, now)
    return True


async def _still_wanted(session, row: Outbox, now: datetime) -> bool:
    if row.officer_id is not None:
        officer = await session.get(Officer, row.officer_id, populate_existing=True)
        if officer is None or not officer.active:
            return False          # they left: nothing more about any case reaches them
    kind = notify.reminder_kind(row)
    if kind is None:
        return True
    report = await session.get(Report, row.report_id, populate_existing=True)
    if not reminders.still_due(kind, report, row.created_at):
        return False
    if kind in reminders.REMINDER_KINDS:
        return await duty.is_on_duty(session, officer_id=row.officer_id, now=now)
    return True


async def _chat_of(services: Services, session, row: Outbox) -> int | str | None:
    if row.officer_id is not None:
        officer = await session.get(Officer, row.officer_id)
        return officer.telegram_user_id if officer else None
    if row.reporter_id is not None:
        reporter = await session.get(Reporter, row.reporter_id)
        return int(reporter_chat_id(services.vault, reporter)) if reporter else None
    return await chat_moves.current_chat(session, row.chat_id)


def _limits(bot: Bot, row: Outbox) -> dict:
    """Ahead of prompts; and no retry inside the call: a 429 reschedules the row instead."""
    if getattr(bot, "rate_limiter", None) is None:
        return {}
    return {"rate_limit_args": {"priority": ALERT, "retries": 0}}


async def _unknown_failure(services: Services, outbox_id: int, exc: Exception,
                           now: datetime) -> None:
    """Retry with back-off; after MAX_ATTEMPTS the row is dead (see tipbot_outbox_dead)."""
    async with services.sessions() as session:
        row = await session.get(Outbox, outbox_id, populate_existing=True)
        if row is None or row.status != outbox.PENDING:
            return
        error = f"unexpected {type(exc).__name__}"
        if row.attempts + 1 >= outbox.MAX_ATTEMPTS:
            outbox.finish(row, outbox.DEAD, now=now, error=error)
            await notify.after_failed(session, row, now=now)
            log.error("outbox %s (%s): %s, dead-lettered after %s attempts", row.id, row.purpose,
                      type(exc).__name__, row.attempts)
        else:
            outbox.retry_later(row, now=now, after=None, error=error)
            log.warning("outbox %s (%s): %s, will retry", row.id, row.purpose, type(exc).__name__)
        await session.commit()


async def _after_sent(services: Services, session, row: Outbox, chat_id, message_id: int,
                      now: datetime) -> None:
    """Remember what shows a case (cards, details, reminders) and relayed messages; a card
    that went stale while queued is edited."""
    if row.purpose in notify.VIEW_KINDS and row.report_id is not None:
        await notify.remember_view(session, services, row, chat_id=int(chat_id),
                                   message_id=message_id, now=now)
    elif row.purpose in (notify.RELAY_OUT, notify.RELAY_IN):
        side = "reporter" if row.purpose == notify.RELAY_OUT else "officer"
        session.add(RelayMessage(report_id=row.report_id, side=side,
                                 chat_key=relay_chat_key(services, chat_id),
                                 message_id=message_id, created_at=now))
    if row.officer_id is not None:
        officer = await session.get(Officer, row.officer_id)
        if officer is not None and officer.blocked:
            officer.blocked = False
    await session.commit()


async def _blocked(services: Services, session, row: Outbox, now: datetime) -> None:
    outbox.finish(row, outbox.BLOCKED, now=now, error="forbidden")
    if row.officer_id is not None:
        officer = await session.get(Officer, row.officer_id)
        officer.blocked = True
        await session.flush()
        if row.purpose == notify.CARD and row.report_id is not None:
            await notify.reroute_after_block(session, services, row.report_id, now=now)
    elif row.reporter_id is not None:
        reporter = await session.get(Reporter, row.reporter_id)
        reporter.blocked = True
        await notify.after_delivered(session, row)   # never deliverable: erase the code
    await session.commit()
    log.info("outbox %s: recipient blocked the bot", row.id)


async def delivery_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Job: send whatever is due."""
    await context.bot_data.deliverer.run(context.bot)


async def sweep_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Job: queue due reminders and escalations, then send."""
    services = context.bot_data.services
    now = services.clock()
    async with services.sessions() as session:
        await notify.run_sweep(session, services, now=now)
        await updates_seen.prune(session, now=now)
        await session.commit()
    await daily_purge(services, now=now)
    context.bot_data.status.swept()
    await context.bot_data.deliverer.run(context.bot)


async def daily_purge(services: Services, *, now: datetime) -> dict[str, int] | None:
    """Once a day, in one process only (the database elects it): the retention purge,
    then a WAL checkpoint so the deleted bytes leave the SQLite file."""
    async with services.sessions() as session:
        if not await retention.claim_daily_purge(session, now=now):
            await session.rollback()
            return None
        counts = await retention.purge(session, settings=services.settings,
                                       store=services.evidence, now=now)
        await session.commit()
        await checkpoint(session.bind)
    log.info("daily purge done: %s", counts)
    return counts


async def deliver_now(context) -> None:
    """Send what this update queued (a receipt) before the update is done. Never fails the
    update: the rows are committed, and whatever cannot go now goes with the next sweep."""
    try:
        await context.bot_data.deliverer.run(context.bot)
    except Exception as exc:  # noqa: BLE001  (already stored; the sweep retries)
        log.warning("immediate delivery failed (%s); the sweep will retry", type(exc).__name__)


def kick(context) -> None:
    """Deliver right after a handler committed, without waiting for the next sweep."""
    if context.job_queue is not None:
        context.job_queue.run_once(delivery_job, 0)
