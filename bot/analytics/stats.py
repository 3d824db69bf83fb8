"""Figures for /statistik and ``tipbot stats``: aggregated in SQL, never row by row.

A range is a set of WIB calendar days (see ``period.DateRange``). Range figures describe
the reports *created* in the range (their category, region, current status, and how long
they took to be claimed and closed); the backlog, the oldest unclaimed case and the
officers' load describe the state at ``now``, whatever the range.

Percentiles use the nearest-rank definition on whole seconds, the same on both
databases: of n durations sorted ascending, the p-th percentile is the value at rank
ceil(p/100 * n) (1-based). The median is the 50th percentile by that rule, so with an even
n it is the lower of the two middle values, never an average. A duration is the whole
seconds between the truncated timestamps (``period.seconds_between``), stored with the
claim and the close in ``reports.claim_seconds`` / ``close_seconds``. Each percentile is
``ORDER BY seconds LIMIT 1 OFFSET rank-1``, which walks the index ``(claim_seconds,
created_at)`` (or close) in order instead of sorting every duration of the range; only the
chosen rows reach Python. ``percentiles_by_window`` computes the same from the timestamps
in one query; the tests check that both agree.

Queries per call: 13 on either database, whatever the number of reports.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.analytics.period import (
    DateRange, day_from_number, prefer_custom_plans, range_last_days, range_today,
    wib_day_number,
)
from bot.engine.domain import OPEN_STATUSES, Status
from models import Officer, Report

PERCENTILES = (50, 90)


@dataclass(frozen=True)
class DurationFigures:
    """How many reports have the duration, and its median and 90th percentile (seconds)."""

    count: int
    median: int | None
    p90: int | None

    def to_json(self) -> dict[str, int | None]:
        return {"count": self.count, "median_seconds": self.median, "p90_seconds": self.p90}


@dataclass(frozen=True)
class OldestUnclaimed:
    case_number: str
    created_at: datetime
    age_seconds: int


@dataclass(frozen=True)
class OfficerLoad:
    officer_id: int
    name: str
    role: str
    open_cases: int


@dataclass(frozen=True)
class Stats:
    """Everything /statistik shows for one range. Dicts are ordered by count, largest first."""

    range: DateRange
    generated_at: datetime
    total: int
    urgent: int
    by_category: dict[str, int]
    by_region: dict[str, int]
    by_status: dict[str, int]
    time_to_claim: DurationFigures
    time_to_close: DurationFigures
    open_backlog: int
    backlog_by_status: dict[str, int]
    oldest_unclaimed: OldestUnclaimed | None
    officer_load: list[OfficerLoad] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (``tipbot stats --json``): ISO dates, durations in seconds."""
        oldest = self.oldest_unclaimed
        return {
            "range": self.range.as_dict(),
            "timezone": "Asia/Jakarta",
            "generated_at": self.generated_at.isoformat(),
            "total": self.total,
            "urgent": self.urgent,
            "by_category": dict(self.by_category),
            "by_region": dict(self.by_region),
            "by_status": dict(self.by_status),
            "time_to_claim": self.time_to_claim.to_json(),
            "time_to_close": self.time_to_close.to_json(),
            "open_backlog": self.open_backlog,
            "backlog_by_status": dict(self.backlog_by_status),
            "oldest_unclaimed": None if oldest is None else {
                "case_number": oldest.case_number,
                "created_at": oldest.created_at.isoformat(),
                "age_seconds": oldest.age_seconds,
            },
            "officer_load": [
                {"officer_id": o.officer_id, "name": o.name, "role": o.role,
                 "open_cases": o.open_cases}
                for o in self.officer_load
            ],
        }


def nearest_rank(percentile: int, count: int) -> int:
    """1-based rank of the nearest-rank percentile among ``count`` sorted values."""
    if count < 1:
        raise ValueError("no values")
    return max(1, -(-percentile * count // 100))


def _in_range(date_range: DateRange):
    return and_(Report.created_at >= date_range.utc_start, Report.created_at < date_range.utc_end)


def _ordered(rows) -> dict[str, int]:
    return dict(sorted(((key, int(n)) for key, n in rows), key=lambda kv: (-kv[1], kv[0])))


async def _count_by(session: AsyncSession, column, date_range: DateRange) -> dict[str, int]:
    # (created_at, region_code) covers this: an index-only scan.
    query = select(column, func.count()).where(_in_range(date_range)).group_by(column)
    return _ordered((await session.exec(query)).all())


async def percentiles_by_window(
    session: AsyncSession, date_range: DateRange, duration, present
) -> DurationFigures:
    """Count, median and p90 of ``duration`` over the range's rows where ``present`` holds,
    in one query: rows numbered in duration order, only the two wanted ranks returned."""
    numbered = (
        select(
            duration.label("seconds"),
            func.row_number().over(order_by=duration).label("rank"),
            func.count().over().label("n"),
        )
        .where(_in_range(date_range), present)
        .subquery()
    )
    # ceil(p * n / 100) in integer arithmetic, identical on both databases.
    rank_50 = (numbered.c.n * 50 + 99) // 100
    rank_90 = (numbered.c.n * 90 + 99) // 100
    rows = (await session.exec(
        select(numbered.c.rank, numbered.c.seconds, numbered.c.n)
        .where((numbered.c.rank == rank_50) | (numbered.c.rank == rank_90))
    )).all()
    if not rows:
        return DurationFigures(0, None, None)
    count = int(rows[0][2])
    by_rank = {int(rank): int(seconds) for rank, seconds, _n in rows}
    return DurationFigures(count, by_rank[nearest_rank(50, count)],
                           by_rank[nearest_rank(90, count)])


async def percentiles_by_offset(
    session: AsyncSession, date_range: DateRange, duration, present, *, walk_index: bool = False
) -> DurationFigures:
    """The same figures by counting, then ``ORDER BY duration LIMIT 1 OFFSET rank-1`` for
    each rank: cheap when an index on (duration, created_at) gives the order.

    ``walk_index``: for long ranges on SQLite, hide created_at from the planner (wrapped
    in coalesce) so it walks the duration index in order, checking created_at inside the
    index, instead of collecting the whole range and sorting it (for a one-year range of
    a million-report table: 50 ms instead of 500 ms). Same result either way.
    """
    created = func.coalesce(Report.created_at, Report.created_at) if walk_index \
        else Report.created_at
    in_range = and_(created >= date_range.utc_start, created < date_range.utc_end)
    count = int((await session.exec(
        select(func.count()).select_from(Report).where(in_range, present)
    )).one()[0])
    if count == 0:
        return DurationFigures(0, None, None)
    values = {}
    for rank in sorted({nearest_rank(p, count) for p in PERCENTILES}):
        values[rank] = int((await session.exec(
            select(duration).where(in_range, present)
            .order_by(duration).offset(rank - 1).limit(1)
        )).one()[0])
    return DurationFigures(count, values[nearest_rank(50, count)], values[nearest_rank(90, count)])


# Walk the duration index when the range holds at least 1/WALK_FRACTION of all reports.
WALK_FRACTION = 20


async def compute_stats(session: AsyncSession, *, date_range: DateRange, now: datetime) -> Stats:
    """All figures for the reports created in ``date_range`` and the backlog at ``now``."""
    await prefer_custom_plans(session)
    # (created_at, category, urgent) makes this an index-only scan.
    category_rows = (await session.exec(
        select(Report.category, func.count(), func.sum(case((Report.urgent, 1), else_=0)))
        .where(_in_range(date_range)).group_by(Report.category)
    )).all()
    by_category = _ordered((category, n) for category, n, _urgent in category_rows)
    urgent = sum(int(u or 0) for _category, _n, u in category_rows)
    by_region = await _count_by(session, Report.region_code, date_range)
    # (status, created_at) makes this an index-only skip-scan.
    by_status = _ordered((await session.exec(
        select(Report.status, func.count()).where(_in_range(date_range)).group_by(Report.status)
    )).all())

    total = sum(by_category.values())
    walk = False
    if session.get_bind().dialect.name == "sqlite":
        # SQLite's planner cannot tell a one-year range from a one-day one; PostgreSQL's
        # can, and walking would only slow it down. max(id) is one index probe: a cheap
        # stand-in for the table's size.
        largest_id = (await session.exec(select(func.max(Report.id)))).one()[0] or 0
        walk = total * WALK_FRACTION >= largest_id
    claim, close = Report.claim_seconds, Report.close_seconds
    time_to_claim = await percentiles_by_offset(session, date_range, claim, claim.is_not(None),
                                                walk_index=walk)
    time_to_close = await percentiles_by_offset(session, date_range, close, close.is_not(None),
                                                walk_index=walk)

    backlog_by_status, open_by_officer = await _open_cases(session)

    oldest_row = (await session.exec(
        select(Report.case_number, Report.created_at)
        .where(Report.status == Status.NEW.value)
        .order_by(Report.created_at, Report.id)
        .limit(1)
    )).first()
    oldest = None
    if oldest_row is not None:
        age = max(0, int((now - oldest_row[1]).total_seconds()))
        oldest = OldestUnclaimed(oldest_row[0], oldest_row[1], age)

    return Stats(
        range=date_range,
        generated_at=now,
        total=total,
        urgent=urgent,
        by_category=by_category,
        by_region=by_region,
        by_status=by_status,
        time_to_claim=time_to_claim,
        time_to_close=time_to_close,
        open_backlog=sum(backlog_by_status.values()),
        backlog_by_status=backlog_by_status,
        oldest_unclaimed=oldest,
        officer_load=await _officer_rows(session, open_by_officer),
    )


async def _open_cases(session: AsyncSession) -> tuple[dict[str, int], dict[int, int]]:
    """Open cases now, by status and by assignee, from one grouped query.

    Grouping by (status, assignee_id) keeps SQLite on the (status, created_at) index; grouping
    by assignee alone makes it walk the assignee index over every report instead.
    """
    rows = (await session.exec(
        select(Report.status, Report.assignee_id, func.count())
        .where(Report.status.in_(sorted(OPEN_STATUSES)))
        .group_by(Report.status, Report.assignee_id)
    )).all()
    by_status: dict[str, int] = {}
    by_officer: dict[int, int] = {}
    for status, assignee_id, n in rows:
        by_status[status] = by_status.get(status, 0) + int(n)
        if assignee_id is not None:
            by_officer[int(assignee_id)] = by_officer.get(int(assignee_id), 0) + int(n)
    return _ordered(by_status.items()), by_officer


async def _officer_rows(session: AsyncSession,
                       open_by_officer: dict[int, int]) -> list[OfficerLoad]:
    holders = sorted(open_by_officer)
    query = select(Officer.id, Officer.name, Officer.role).where(
        or_(and_(Officer.active, ~Officer.blocked), Officer.id.in_(holders)))
    loads = [OfficerLoad(int(i), name, role, open_by_officer.get(int(i), 0))
             for i, name, role in (await session.exec(query)).all()]
    return sorted(loads, key=lambda o: (-o.open_cases, o.name, o.officer_id))


async def stats_today(session: AsyncSession, *, now: datetime) -> Stats:
    """Figures for today (WIB)."""
    return await compute_stats(session, date_range=range_today(now), now=now)


async def stats_last_days(session: AsyncSession, *, days: int, now: datetime) -> Stats:
    """Figures for the last ``days`` WIB days including today (7 or 30 in /statistik)."""
    return await compute_stats(session, date_range=range_last_days(days, now), now=now)


@dataclass(frozen=True)
class Headline:
    """Reports received today, in the last 7 and in the last 30 WIB days (today included)."""

    today: int
    last_7_days: int
    last_30_days: int

    def to_json(self) -> dict[str, int]:
        return {"today": self.today, "last_7_days": self.last_7_days,
                "last_30_days": self.last_30_days}


async def headline_totals(session: AsyncSession, *, now: datetime) -> Headline:
    """The three totals at the top of /statistik, in one index-only query."""
    await prefer_custom_plans(session)
    today, week, month = range_today(now), range_last_days(7, now), range_last_days(30, now)
    query = select(
        func.sum(case((Report.created_at >= today.utc_start, 1), else_=0)),
        func.sum(case((Report.created_at >= week.utc_start, 1), else_=0)),
        func.count(),
    ).where(Report.created_at >= month.utc_start, Report.created_at < today.utc_end)
    day_n, week_n, month_n = (await session.exec(query)).one()
    return Headline(int(day_n or 0), int(week_n or 0), int(month_n or 0))


@dataclass(frozen=True)
class DailyVolume:
    """Reports per WIB day and category over a range; every day of the range is present."""

    days: list[date]
    by_category: dict[str, list[int]]   # category -> one count per day, aligned with days

    @property
    def totals(self) -> list[int]:
        return [sum(counts) for counts in zip(*self.by_category.values())] or [0] * len(self.days)

    def to_json(self) -> dict[str, Any]:
        return {"days": [d.isoformat() for d in self.days],
                "by_category": {k: list(v) for k, v in self.by_category.items()}}


async def daily_volume(session: AsyncSession, *, date_range: DateRange) -> DailyVolume:
    """Reports per WIB calendar day and category (one grouped query), for the chart."""
    await prefer_custom_plans(session)
    day = wib_day_number(Report.created_at).label("day")
    query = (
        select(day, Report.category, func.count())
        .where(_in_range(date_range))
        .group_by(day, Report.category)
    )
    days = date_range.each_day()
    index = {d: i for i, d in enumerate(days)}
    by_category: dict[str, list[int]] = {}
    for number, category, n in (await session.exec(query)).all():
        counts = by_category.setdefault(category, [0] * len(days))
        counts[index[day_from_number(number)]] += int(n)
    ordered = dict(sorted(by_category.items(), key=lambda kv: (-sum(kv[1]), kv[0])))
    return DailyVolume(days, ordered)


async def count_reports(session: AsyncSession) -> int:
    """``SELECT count(*) FROM reports``: the benchmark's baseline."""
    return int((await session.exec(select(func.count()).select_from(Report))).one()[0])
