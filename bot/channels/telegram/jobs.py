"""The Telegram application's jobs around the delivery core: send what is due (after a
handler committed, or when the scheduler says), and the sweep (reminders, escalations,
the daily purge)."""
from __future__ import annotations

import logging
from datetime import datetime

from telegram.ext import ContextTypes

from bot.services.container import Services
from bot.services import followups, retention, updates_seen
from bot.storage.db import checkpoint

log = logging.getLogger(__name__)


async def delivery_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Job: send whatever is due."""
    await context.bot_data.deliverer.run()


async def sweep_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Job: queue due reminders and escalations, then send."""
    services = context.bot_data.services
    now = services.clock()
    async with services.sessions() as session:
        await followups.run_sweep(session, services, now=now)
        await updates_seen.prune(session, now=now)
        await session.commit()
    await daily_purge(services, now=now)
    context.bot_data.status.swept()
    await context.bot_data.deliverer.run()


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
        await context.bot_data.deliverer.run()
    except Exception as exc:  # noqa: BLE001  (already stored; the sweep retries)
        log.warning("immediate delivery failed (%s); the sweep will retry", type(exc).__name__)


def kick(context) -> None:
    """Deliver right after a handler committed, without waiting for the next sweep."""
    if context.job_queue is not None:
        context.job_queue.run_once(delivery_job, 0)
