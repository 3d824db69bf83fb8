"""Prometheus metrics. Counts and ages only: no personal data, no case numbers, no chat
ids in any metric or label. A bot without an HTTP listener has no /metrics to read them
from: it counts nothing (``Uncounted``) and never loads prometheus_client (about 2 MB)."""
from __future__ import annotations

import time
from datetime import datetime

from sqlalchemy import func
from sqlmodel import select

from bot.storage.db import SessionFactory
from bot.engine.domain import Status
from bot.services.outbox import DEAD, PENDING
from models import Outbox, Report


CHANNELS = ("telegram", "whatsapp")


class Metrics:
    """One registry per application, so tests can build several in one process."""

    def __init__(self) -> None:
        from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

        self.registry = CollectorRegistry()
        r = self.registry
        self.updates = Counter("tipbot_updates", "Telegram updates handled", ["kind"], registry=r)
        self.reports = Counter("tipbot_reports", "Reports submitted through this process, "
                               "by the channel they came through", ["channel"], registry=r)
        for channel in CHANNELS:
            self.reports.labels(channel=channel)    # shown from 0, not from the first
        self.telegram_errors = Counter(
            "tipbot_telegram_errors", "Failed Bot API calls, by HTTP status or 'network'/'timeout'",
            ["code"], registry=r)
        self.update_seconds = Histogram(
            "tipbot_update_handling_seconds", "Time from taking an update to finishing it",
            buckets=(.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30), registry=r)
        self.unclaimed = Gauge("tipbot_unclaimed_cases", "Cases nobody has claimed", registry=r)
        self.oldest_unclaimed = Gauge(
            "tipbot_oldest_unclaimed_case_age_seconds",
            "Age of the oldest unclaimed case (0 when none)", registry=r)
        self.outbox_pending = Gauge("tipbot_outbox_pending", "Messages waiting to be sent",
                                    registry=r)
        self.outbox_dead = Gauge("tipbot_outbox_dead",
                                 "Messages given up after repeated unknown errors", registry=r)

    def report_submitted(self, channel: str = "telegram") -> None:
        """Counted by the engine when a report is stored (bot.services.routing.Counts)."""
        self.reports.labels(channel=channel).inc()

    def observe_update(self, kind: str, started: float) -> None:
        self.updates.labels(kind=kind).inc()
        self.update_seconds.observe(time.perf_counter() - started)

    def telegram_error(self, code: str) -> None:
        self.telegram_errors.labels(code=code).inc()

    async def refresh(self, sessions: SessionFactory, *, now: datetime) -> None:
        """Read the gauges from the database, so every instance reports the same figures."""
        async with sessions() as session:
            count, oldest = (await session.exec(
                select(func.count(), func.min(Report.created_at))
                .where(Report.status == Status.NEW))).one()
            by_status = dict((await session.exec(
                select(Outbox.status, func.count()).where(Outbox.status.in_((PENDING, DEAD)))
                .group_by(Outbox.status))).all())
        self.unclaimed.set(count)
        if oldest is not None and oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=now.tzinfo)
        self.oldest_unclaimed.set(max(0.0, (now - oldest).total_seconds()) if oldest else 0)
        self.outbox_pending.set(by_status.get(PENDING, 0))
        self.outbox_dead.set(by_status.get(DEAD, 0))

    def render(self) -> bytes:
        from prometheus_client import generate_latest

        return generate_latest(self.registry)


class Uncounted:
    """The metrics of a bot nobody can ask for them (no HTTP_LISTEN): every count a no-op."""

    def report_submitted(self, channel: str = "telegram") -> None:
        pass

    def observe_update(self, kind: str, started: float) -> None:
        pass

    def telegram_error(self, code: str) -> None:
        pass
