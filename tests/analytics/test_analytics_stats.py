"""Exact figures on a small known dataset, on SQLite and PostgreSQL."""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from bot.analytics.period import (
    DateRange, range_last_days, range_today, seconds_between, whole_seconds_between, wib_date,
)
from bot.analytics.stats import (
    compute_stats, count_reports, daily_volume, headline_totals, nearest_rank,
    percentiles_by_offset, percentiles_by_window, stats_last_days, stats_today,
)
from models import Report
from tests.helpers.analytics import make_officer, make_report, utc

NOW = utc(2026, 11, 28, 3, 0)          # 10:00 WIB on 28 Nov 2026
NOV_28 = DateRange(date(2026, 11, 28), date(2026, 11, 28))


@pytest.fixture
async def dataset(session):
    """Seven reports on 28 Nov WIB (two right at its start), two before, one long ago."""
    andi = await make_officer(session, "Andi")
    budi = await make_officer(session, "Budi", role="supervisor")
    citra = await make_officer(session, "Citra", active=False)
    await make_officer(session, "Dewi", blocked=True)
    await make_officer(session, "Eka")
    # 27 Nov 17:30 UTC is 28 Nov 00:30 WIB. The fractions make the claim 59.2 s long, which
    # is 60 whole seconds between the truncated timestamps, on both databases.
    await make_report(session, created_at=utc(2026, 11, 27, 17, 30, 0, 900_000),
                      case_number="LPG-2611-AAAA1", category="calo", region_code="1804",
                      status="resolved", claim_after=59.2, close_after=86400, assignee=andi,
                      urgent=True)
    await make_report(session, created_at=utc(2026, 11, 27, 17, 0, 0), category="calo",
                      region_code="1804", status="in_progress", claim_after=120, assignee=andi)
    await make_report(session, created_at=utc(2026, 11, 28, 1, 0), category="fake_job",
                      region_code="1871", status="new")
    await make_report(session, created_at=utc(2026, 11, 28, 2, 0), category="fake_job",
                      region_code="1871", status="duplicate", claim_after=300, close_after=600,
                      assignee=budi)
    await make_report(session, created_at=utc(2026, 11, 28, 2, 30), category="tppo",
                      region_code="OUT", status="claimed", claim_after=600, assignee=citra)
    # 28 Nov 23:59:59.999999 WIB: still the 28th.
    await make_report(session, created_at=utc(2026, 11, 28, 16, 59, 59, 999_999),
                      category="calo", region_code="1803", status="new")
    await make_report(session, created_at=utc(2026, 11, 28, 2, 45), category="abroad",
                      region_code="1804", status="invalid", claim_after=3600, close_after=7200,
                      assignee=budi)
    # 27 Nov 23:59:59 WIB: the day before.
    await make_report(session, created_at=utc(2026, 11, 27, 16, 59, 59), category="calo",
                      region_code="1801", status="new")
    await make_report(session, created_at=utc(2026, 11, 20, 2, 0), case_number="LPG-2611-OLD01",
                      category="other", region_code="1802", status="new")
    await make_report(session, created_at=utc(2026, 10, 1, 2, 0), category="calo",
                      status="resolved", claim_after=60, close_after=60, assignee=andi)
    await session.commit()


def test_wib_range_bounds_are_utc_minus_seven_hours():
    assert NOV_28.utc_start == utc(2026, 11, 27, 17, 0)
    assert NOV_28.utc_end == utc(2026, 11, 28, 17, 0)
    assert wib_date(utc(2026, 11, 27, 17, 30)) == date(2026, 11, 28)
    assert range_today(NOW) == NOV_28
    assert range_last_days(7, NOW) == DateRange(date(2026, 11, 22), date(2026, 11, 28))
    with pytest.raises(ValueError):
        DateRange(date(2026, 11, 28), date(2026, 11, 27))


def test_nearest_rank_percentiles():
    assert [nearest_rank(50, n) for n in (1, 2, 3, 4, 5)] == [1, 1, 2, 2, 3]
    assert [nearest_rank(90, n) for n in (1, 5, 10, 11)] == [1, 5, 9, 10]


async def test_figures_for_one_wib_day_are_exact(session, dataset):
    stats = await compute_stats(session, date_range=NOV_28, now=NOW)
    assert stats.total == 7
    assert stats.urgent == 1
    assert stats.by_category == {"calo": 3, "fake_job": 2, "abroad": 1, "tppo": 1}
    assert list(stats.by_category) == ["calo", "fake_job", "abroad", "tppo"]
    assert stats.by_region == {"1804": 3, "1871": 2, "1803": 1, "OUT": 1}
    assert stats.by_status == {"new": 2, "claimed": 1, "duplicate": 1, "in_progress": 1,
                               "invalid": 1, "resolved": 1}
    # Claimed: 60, 120, 300, 600, 3600 s. Nearest rank: median = 3rd, p90 = 5th.
    assert (stats.time_to_claim.count, stats.time_to_claim.median,
            stats.time_to_claim.p90) == (5, 300, 3600)
    # Closed: 600, 7200, 86400 s (+ the 0.1 s fraction truncated away).
    assert (stats.time_to_close.count, stats.time_to_close.median,
            stats.time_to_close.p90) == (3, 7200, 86400)


async def test_backlog_oldest_unclaimed_and_officer_load_describe_now(session, dataset):
    stats = await compute_stats(session, date_range=NOV_28, now=NOW)
    assert stats.open_backlog == 6
    assert stats.backlog_by_status == {"new": 4, "claimed": 1, "in_progress": 1}
    assert stats.oldest_unclaimed.case_number == "LPG-2611-OLD01"
    assert stats.oldest_unclaimed.age_seconds == 8 * 86400 + 3600
    # Inactive Citra still holds a case, so she is listed; blocked Dewi is not.
    assert [(o.name, o.open_cases) for o in stats.officer_load] == [
        ("Andi", 1), ("Citra", 1), ("Budi", 0), ("Eka", 0)]


async def test_seven_days_include_the_evening_before_in_wib(session, dataset):
    stats = await stats_last_days(session, days=7, now=NOW)
    assert stats.total == 8
    assert stats.by_region["1801"] == 1
    today = await stats_today(session, now=NOW)
    assert today.total == 7


async def test_daily_volume_buckets_by_wib_day(session, dataset):
    volume = await daily_volume(
        session, date_range=DateRange(date(2026, 11, 27), date(2026, 11, 29)))
    assert volume.days == [date(2026, 11, 27), date(2026, 11, 28), date(2026, 11, 29)]
    assert volume.by_category["calo"] == [1, 3, 0]
    assert volume.by_category["fake_job"] == [0, 2, 0]
    assert volume.totals == [1, 7, 0]


async def test_empty_range_has_no_durations(session, dataset):
    stats = await compute_stats(
        session, date_range=DateRange(date(2025, 1, 1), date(2025, 1, 31)), now=NOW)
    assert stats.total == 0 and stats.by_category == {}
    assert stats.time_to_claim.median is None and stats.time_to_close.p90 is None
    assert stats.open_backlog == 6


async def test_even_count_median_is_the_lower_middle_value(session):
    start = utc(2026, 11, 28, 0, 0)
    for seconds in (40, 10, 30, 20):
        await make_report(session, created_at=start + timedelta(minutes=seconds),
                          status="claimed", claim_after=seconds)
    await session.commit()
    stats = await compute_stats(session, date_range=NOV_28, now=NOW)
    assert (stats.time_to_claim.median, stats.time_to_claim.p90) == (20, 40)
    assert await count_reports(session) == 4


async def test_json_form_is_serialisable(session, dataset):
    stats = await compute_stats(session, date_range=NOV_28, now=NOW)
    data = json.loads(json.dumps(stats.to_json()))
    assert data["range"] == {"from": "2026-11-28", "to": "2026-11-28"}
    assert data["time_to_claim"] == {"count": 5, "median_seconds": 300, "p90_seconds": 3600}
    assert data["oldest_unclaimed"]["case_number"] == "LPG-2611-OLD01"
    assert data["officer_load"][0] == {"officer_id": data["officer_load"][0]["officer_id"],
                                       "name": "Andi", "role": "officer", "open_cases": 1}


@pytest.mark.parametrize("count", [1, 2, 3, 7, 10, 11, 20])
async def test_both_percentile_methods_agree(session, count):
    """The window method (used today) and the offset method (used once durations are stored)."""
    start = utc(2026, 11, 28, 0, 0)
    durations = [(i * 37) % 101 + 1 for i in range(count)]
    for i, seconds in enumerate(durations):
        await make_report(session, created_at=start + timedelta(minutes=i), status="claimed",
                          claim_after=seconds)
    await session.commit()
    duration = seconds_between(Report.created_at, Report.claimed_at)
    present = Report.claimed_at.is_not(None)
    by_window = await percentiles_by_window(session, NOV_28, duration, present)
    by_offset = await percentiles_by_offset(session, NOV_28, duration, present)
    walking = await percentiles_by_offset(session, NOV_28, duration, present, walk_index=True)
    ordered = sorted(durations)
    expected = (count, ordered[nearest_rank(50, count) - 1], ordered[nearest_rank(90, count) - 1])
    assert (by_window.count, by_window.median, by_window.p90) == expected
    assert by_offset == by_window == walking


def test_python_whole_seconds_match_the_sql_definition():
    assert whole_seconds_between(utc(2026, 11, 27, 17, 30, 0, 900_000),
                                 utc(2026, 11, 27, 17, 31, 0, 100_000)) == 60
    assert whole_seconds_between(utc(2026, 11, 27, 17, 30, 0, 100_000),
                                 utc(2026, 11, 27, 17, 30, 59, 999_999)) == 59


async def test_headline_counts_today_seven_and_thirty_days(session, dataset):
    headline = await headline_totals(session, now=NOW)
    assert (headline.today, headline.last_7_days, headline.last_30_days) == (7, 8, 9)
