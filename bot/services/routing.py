"""Routing a case to the officers who should see it: who gets the card, queued in the
caller's transaction as an intent (the channel renders the card when it sends it).

Submitting a report routes it here (bot.services.reports.submit_report), whatever
channel the report came through; later rounds (a blocked officer, an officer who left,
a case that waited for the first officer) use :func:`route_case` too."""
from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import insert
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.analytics import suspects
from bot.engine.domain import EventKind
from bot.services import cases, outbox
from models import CaseEvent, Officer, Report

log = logging.getLogger(__name__)


class Counts(Protocol):
    """Where the process counts what it did (the service's metrics)."""

    def report_submitted(self, channel: str = "telegram") -> None: ...


@dataclass(frozen=True)
class RoutingRules:
    """The settings routing reads; one per process."""

    alerts_per_minute: int
    page_interval: timedelta | None = None      # an urgent reporter pages at most this often
    taskforce_chat_id: int | None = None        # the group that gets a minimal notice

    @classmethod
    def of(cls, settings) -> RoutingRules:
        return cls(alerts_per_minute=settings.alerts_per_minute,
                   page_interval=settings.urgent_page_interval,
                   taskforce_chat_id=settings.taskforce_chat_id)


async def queue_card(session: AsyncSession, report: Report, *, now: datetime,
                     alerts_per_minute: int, officer: Officer | None = None,
                     chat_id: int | None = None, round_key: str = "") -> bool:
    """A case card to one officer or the group; never twice to the same place in one
    routing round (``round_key`` names a later round, e.g. after a release). Its words
    are rendered when it is sent, so it never goes out stale."""
    target = f"o{officer.id}" if officer is not None else f"g{chat_id}"
    slot = await braked(session, report, now=now, alerts_per_minute=alerts_per_minute)
    return await outbox.enqueue(
        session, purpose=outbox.CARD, now=now,
        officer_id=officer.id if officer else None, chat_id=chat_id, report_id=report.id,
        dedupe_key=f"card:{report.id}:{target}{round_key}", not_before=slot)


async def braked(session: AsyncSession, report: Report, *, now: datetime,
                 alerts_per_minute: int) -> datetime | None:
    """When a card of this case may go: past ALERTS_PER_MINUTE, cards wait their turn in
    the outbox (the surge brake). An urgent case's cards (its pages) never wait."""
    if report.urgent:
        return None
    return await outbox.take_surge_slot(session, purpose=outbox.CARD, now=now,
                                        per_minute=alerts_per_minute)


async def route_case(session: AsyncSession, report: Report, *, now: datetime,
                     alerts_per_minute: int, exclude: set[int] = frozenset(),
                     round_key: str = "", page_interval: timedelta | None = None
                     ) -> cases.Routing:
    """Queue the card to whoever routing picks; returns the routing, with only those
    newly sent a card in ``officers``."""
    routing = await cases.choose_recipients(session, report=report, now=now, exclude=exclude,
                                            page_interval=page_interval)
    sent_to = [o for o in routing.officers
               if await queue_card(session, report, now=now, officer=o, round_key=round_key,
                                   alerts_per_minute=alerts_per_minute)]
    return replace(routing, officers=sent_to)


@dataclass(frozen=True)
class NewCasePlan:
    """What routing a new case reads, read before the case is stored (see plan_new_case)."""

    matches: list[suspects.Match]
    routing: cases.Routing


async def plan_new_case(session: AsyncSession, report: Report, *, rules: RoutingRules,
                        now: datetime) -> NewCasePlan:
    """Everything routing a new case reads, before its transaction writes anything: the
    earlier cases it matches, who gets its card, the surge brake's count. On SQLite a
    writer holds the database's one write lock from its first write to its commit, and
    every other writer (residents' answers, the outbox's claims) waits for it: the
    submit used to hold it across all these reads too. ``report`` is not stored yet.
    (The surge brake's count is not read here: it is taken with the cards, see braked.)"""
    matches = await suspects.find_matches(session, report)
    # Last: choosing the least loaded officer marks them routed (written with the case).
    routing = await cases.choose_recipients(session, report=report, now=now,
                                            page_interval=rules.page_interval)
    return NewCasePlan(matches, routing)


async def route_new_case(session: AsyncSession, report: Report, plan: NewCasePlan, *,
                         rules: RoutingRules, now: datetime) -> cases.Routing:
    """A new case, stored, as planned (plan_new_case): linked to earlier ones naming the
    same number, person or agency (so its card names them), its cards queued, the group
    told, the timeline written (created, then alerted: one INSERT)."""
    await suspects.store_links(session, report, plan.matches)
    targets = [(officer, None) for officer in plan.routing.officers]
    group = rules.taskforce_chat_id
    if group is not None:
        targets.append((None, group))
    sent_to = []
    for officer, chat_id in targets:
        target = f"o{officer.id}" if officer is not None else f"g{chat_id}"
        slot = await braked(session, report, now=now, alerts_per_minute=rules.alerts_per_minute)
        if await outbox.enqueue(session, purpose=outbox.CARD, now=now,
                                officer_id=officer.id if officer else None, chat_id=chat_id,
                                report_id=report.id, not_before=slot,
                                dedupe_key=f"card:{report.id}:{target}") and officer:
            sent_to.append(officer)
    routing = replace(plan.routing, officers=sent_to)
    officer_ids = [o.id for o in routing.officers]
    # Both in one INSERT, without ORM objects (nothing reads them back here).
    await session.exec(insert(CaseEvent), params=[
        dict(report_id=report.id, at=now, kind=EventKind.CREATED, officer_id=None,
             detail={"urgent": report.urgent}),
        dict(report_id=report.id, at=now, kind=EventKind.ALERTED, officer_id=None, detail={
            "officers": officer_ids, "group": group is not None, "paged": routing.paged,
            "collapsed": routing.collapsed})])
    log.info("case %s routed to %d officer(s)", report.id, len(officer_ids))
    return routing
