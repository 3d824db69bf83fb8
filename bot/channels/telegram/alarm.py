"""The outbox's alarm clock: delivery runs when the next row comes due, not at the sweep.

A row may be due later than when it was queued or tried: a card the surge brake holds
(``not_before``), a retry after a 429 or a 5xx (``next_attempt_at``), a row another
worker leased and may never send (``locked_until``). Whenever the delivery pump goes
quiet, the alarm reads the earliest of these from the database and sets one JobQueue job
for that moment; the job delivers, the pump goes quiet again, and the alarm is set anew.
Rows queued by another process (the command line) are seen at the next pump or sweep.
"""
from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime

from telegram.ext import JobQueue

from bot.services.container import Services
from bot.services import outbox

log = logging.getLogger(__name__)
JOB_NAME = "outbox-alarm"
# After a failure to read the database, try again this soon (the sweep is the backstop).
RETRY_AFTER_FAILURE = 5.0
# A job set this much later than an alarm already set is not needed: that one wakes first.
SLACK = 0.05


class DeliveryAlarm:
    """One per process. ``ring`` is the job callback (it delivers)."""

    def __init__(self, services: Services, job_queue: JobQueue, ring):
        self.services, self.job_queue, self.ring = services, job_queue, ring
        self._setting: asyncio.Task | None = None
        self._again = False

    def set_soon(self) -> None:
        """Read when the next row is due and set the alarm; one reading at a time (a
        request meanwhile reads again once it is done)."""
        if self._setting is not None and not self._setting.done():
            self._again = True
            return
        self._setting = asyncio.create_task(self._set())

    async def _set(self) -> None:
        while True:
            self._again = False
            try:
                async with self.services.sessions() as session:
                    due = await outbox.next_due(session, now=self.services.clock())
            except Exception as exc:  # noqa: BLE001  (the database is away: look again soon)
                log.warning("outbox alarm: cannot read the outbox (%s)", type(exc).__name__)
                self.set_in(RETRY_AFTER_FAILURE)
                return
            if due is not None:
                self.set_at(due)
            if not self._again:
                return

    def set_at(self, due: datetime) -> None:
        self.set_in((due - self.services.clock()).total_seconds())

    def set_in(self, seconds: float) -> None:
        """Deliver in ``seconds`` unless an alarm set already rings by then."""
        seconds = max(seconds, 0.0)
        jobs = self.job_queue.get_jobs_by_name(JOB_NAME)
        target = time.time() + seconds
        if any(job.next_t is not None and job.next_t.timestamp() <= target + SLACK
               for job in jobs):
            return
        for job in jobs:
            job.schedule_removal()
        self.job_queue.run_once(self.ring, seconds, name=JOB_NAME,
                                job_kwargs={"misfire_grace_time": None})
