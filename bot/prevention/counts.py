"""Anonymous counts of the prevention tools, one row per WIB day, tool and outcome.

Nothing that could tell who asked, or what they typed or answered, is kept: an offer
check's answers live only in the chat's buttons and are gone when the verdict is shown.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.analytics.period import DateRange, wib_date
from bot.storage.upsert import dialect_insert
from models import PreventionCount

AGENCY_CHECK, OFFER_CHECK, GUIDE_VIEW = "agency_check", "offer_check", "guide_view"
NOT_LISTED = "not_listed"
NO_REGISTER = "no_register"    # asked before any register was imported
SEVERAL = "several"           # a "Maksud Anda…?" list


async def count_use(session: AsyncSession, *, kind: str, outcome: str, now: datetime) -> None:
    """Add one to today's count; one statement, safe when two people ask at once."""
    insert = dialect_insert(session.get_bind().dialect.name)
    statement = insert(PreventionCount).values(day=wib_date(now), kind=kind, outcome=outcome,
                                               count=1)
    statement = statement.on_conflict_do_update(
        index_elements=["day", "kind", "outcome"],
        set_={"count": PreventionCount.count + 1})
    await session.exec(statement)


@dataclass(frozen=True)
class PreventionFigures:
    """What /statistik and ``tipbot stats --json`` show of the prevention tools."""

    agency_checks: int = 0
    agency_not_listed: int = 0
    agency_outcomes: dict[str, int] = field(default_factory=dict)
    offer_checks: int = 0
    offer_verdicts: dict[str, int] = field(default_factory=dict)
    guide_views: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "agency_checks": self.agency_checks,
            "agency_checks_not_listed": self.agency_not_listed,
            "agency_checks_by_outcome": dict(self.agency_outcomes),
            "offer_checks": self.offer_checks,
            "offer_checks_by_verdict": dict(self.offer_verdicts),
            "guide_views": self.guide_views,
        }


async def prevention_figures(session: AsyncSession, *, date_range: DateRange) -> PreventionFigures:
    """The counts of the WIB days in ``date_range``."""
    rows = (await session.exec(
        select(PreventionCount.kind, PreventionCount.outcome, func.sum(PreventionCount.count))
        .where(PreventionCount.day >= date_range.start, PreventionCount.day <= date_range.end)
        .group_by(PreventionCount.kind, PreventionCount.outcome)
    )).all()
    by_kind: dict[str, dict[str, int]] = {}
    for kind, outcome, total in rows:
        by_kind.setdefault(kind, {})[outcome] = int(total or 0)
    agency = by_kind.get(AGENCY_CHECK, {})
    offer = by_kind.get(OFFER_CHECK, {})
    return PreventionFigures(
        agency_checks=sum(agency.values()),
        agency_not_listed=agency.get(NOT_LISTED, 0),
        agency_outcomes=dict(sorted(agency.items())),
        offer_checks=sum(offer.values()),
        offer_verdicts={v: offer.get(v, 0) for v in ("low", "medium", "high")},
        guide_views=sum(by_kind.get(GUIDE_VIEW, {}).values()),
    )
