"""Fill a database with N synthetic reports, officers and timeline events (deterministic).

    .venv/bin/python bench/generate.py --database-url sqlite+aiosqlite:////tmp/bench.sqlite3 \
        --reports 1000000
    .venv/bin/python bench/generate.py --database-url postgresql://postgres@127.0.0.1/bench \
        --reports 1000000 --reset

The schema is migrated first (Alembic, as the bot does). Rows go in with plain multi-row
INSERTs (SQLAlchemy executemany) in batches, so the same code fills SQLite and PostgreSQL.
The same seed always gives the same data. Reports are spread over ``--days`` WIB days
ending on ``--end`` and get ids in time order, as in a live database; older cases are
mostly closed, the last days' mostly open, and the reported phone numbers, people and
agencies repeat (a few are reported very often).
"""
from __future__ import annotations

import argparse
import asyncio
import hashlib
import itertools
import math
import os
import random
import sys
import time
from datetime import date, datetime, timedelta, timezone
from datetime import time as dtime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, text  # noqa: E402
from sqlmodel import SQLModel  # noqa: E402

from bot.analytics.period import whole_seconds_between  # noqa: E402
from bot.engine.domain import Category, EventKind, Status  # noqa: E402
from bot.engine.i18n import WIB  # noqa: E402
from bot.storage.db import create_engine, migrate_afresh, upgrade_database  # noqa: E402
from models import CaseEvent, Officer, Report  # noqa: E402

CATEGORY_WEIGHTS = {
    Category.CALO: 30, Category.FAKE_JOB: 25, Category.FORGED_DOCS: 12, Category.CONFINEMENT: 5,
    Category.TPPO: 8, Category.ABROAD: 15, Category.OTHER: 5,
}
REGION_WEIGHTS = {
    "1801": 4, "1802": 6, "1803": 10, "1804": 14, "1805": 13, "1806": 7, "1807": 5, "1808": 4,
    "1809": 5, "1810": 5, "1811": 2, "1812": 2, "1813": 2, "1871": 12, "1872": 4, "OUT": 5,
}
FIRST_NAMES = ["Budi", "Agus", "Siti", "Dewi", "Joko", "Rina", "Ahmad", "Wati", "Hendra",
               "Yanti", "Rudi", "Sri", "Eko", "Nur", "Dedi", "Lina", "Andi", "Tuti"]
LAST_NAMES = ["Santoso", "Wijaya", "Saputra", "Lestari", "Pratama", "Hidayat", "Kusuma",
              "Rahmawati", "Setiawan", "Nugroho", "Susanti", "Gunawan", "Siregar", "Harahap"]
AGENCY_WORDS = ["Maju", "Jaya", "Abadi", "Sejahtera", "Mandiri", "Karya", "Sentosa", "Bintang",
                "Mulia", "Prima", "Makmur", "Cahaya", "Nusantara", "Putra", "Sakti"]
LEGAL_FORMS = ["PT", "PT.", "CV", "CV.", "LPK", ""]


def _pool(rng: random.Random, size: int, make) -> list[str]:
    return [make(rng, i) for i in range(size)]


def _zipf_pick(rng: random.Random, pool: list[str]) -> str:
    # A few suspects are reported very often, most only once or twice.
    index = min(len(pool) - 1, int(rng.paretovariate(1.1)) - 1)
    return pool[index] if rng.random() < 0.3 else pool[rng.randrange(len(pool))]


def _weighted(rng: random.Random, weights: dict) -> Any:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys], k=1)[0]


def _status_for(rng: random.Random, age_days: float) -> Status:
    if age_days < 1:
        return rng.choice([Status.NEW, Status.NEW, Status.CLAIMED, Status.VERIFIED])
    if age_days < 14:
        return rng.choices(list(Status), weights=[3, 10, 10, 20, 10, 30, 12, 5])[0]
    return rng.choices(list(Status), weights=[0.02, 0.2, 0.3, 1.5, 6, 70, 16, 6])[0]


def day_counts(rng: random.Random, reports: int, days: int) -> list[int]:
    """How many reports each day gets: a slow upward trend, one quieter day a week, noise."""
    weights = []
    for day in range(days):
        trend = 0.7 + 0.6 * day / max(1, days - 1)
        weekday = 0.6 if day % 7 == 6 else 1.0
        weights.append(trend * weekday * rng.uniform(0.8, 1.2))
    counts = [0] * days
    for day in rng.choices(range(days), weights=weights, k=reports):
        counts[day] += 1
    return counts


def iter_reports(rng: random.Random, reports: int, *, first_day: date, days: int,
                 end_utc: datetime, officer_ids: list[int], pools: dict[str, list[str]],
                 with_events: bool):
    """(report row, event rows) in the order they would have arrived: ids follow time,
    as in a live database, so the table's physical order matches created_at."""
    base = datetime.combine(first_day, dtime(), WIB).astimezone(timezone.utc)
    number = 0
    for day, count in enumerate(day_counts(rng, reports, days)):
        # Mostly daytime WIB: 06:00-22:00 carries 90% of the reports.
        offsets = sorted(
            (rng.randrange(6 * 3600, 22 * 3600) if rng.random() < 0.9
             else rng.randrange(24 * 3600)) * 1_000_000 + rng.randrange(1_000_000)
            for _ in range(count))
        for offset in offsets:
            number += 1
            created = base + timedelta(days=day, microseconds=offset)
            yield _report(rng, number, created, end_utc, officer_ids, pools, with_events)


def _report(rng, number, created, end_utc, officer_ids, pools, with_events):
    age_days = (end_utc - created).total_seconds() / 86400
    status = _status_for(rng, age_days)
    claimed = closed = None
    assignee = None
    if status != Status.NEW:
        claimed = created + timedelta(seconds=int(rng.lognormvariate(math.log(900), 1.0)) + 5)
        assignee = rng.choice(officer_ids)
        if status in (Status.RESOLVED, Status.INVALID, Status.DUPLICATE):
            closed = claimed + timedelta(seconds=int(rng.lognormvariate(math.log(3 * 86400), 1.2)))
    if claimed and claimed > end_utc:
        claimed = end_utc
    if closed and closed > end_utc:
        closed = end_utc
    last = closed or claimed or created
    row = {
        "id": number,
        "case_number": f"BENCH-{number:08d}",
        "followup_hash": hashlib.sha256(b"bench%d" % number).hexdigest(),
        "reporter_id": None,
        "locale": "id",
        "category": _weighted(rng, CATEGORY_WEIGHTS).value,
        "urgent": rng.random() < 0.08,
        "region_code": _weighted(rng, REGION_WEIGHTS),
        "latitude": None, "longitude": None,
        "description": "Laporan sintetis untuk uji beban.",
        "description_is_voice": False,
        "suspect_name": _zipf_pick(rng, pools["names"]) if rng.random() < 0.5 else None,
        "suspect_phone": _zipf_pick(rng, pools["phones"]) if rng.random() < 0.6 else None,
        "suspect_company": _zipf_pick(rng, pools["agencies"]) if rng.random() < 0.35 else None,
        "suspect_social": None, "victim_count": rng.choice([None, 1, 1, 2, 3, 5]),
        "destination_country": rng.choice([None, "MY", "TW", "HK", "SA"]),
        "destination_other": None, "departure_date": None,
        "contactable": False, "status": status.value, "status_reason": None,
        "referred_to": "police" if status == Status.REFERRED else None,
        "assignee_id": assignee,
        "created_at": created, "claimed_at": claimed, "closed_at": closed,
        "claim_seconds": whole_seconds_between(created, claimed) if claimed else None,
        "close_seconds": whole_seconds_between(created, closed) if closed else None,
        "last_activity_at": last,
    }
    events = []
    if with_events:
        events.append({"report_id": number, "at": created, "kind": EventKind.CREATED.value,
                       "officer_id": None, "detail": {}})
        events.append({"report_id": number, "at": created + timedelta(seconds=2),
                       "kind": EventKind.ALERTED.value, "officer_id": None,
                       "detail": {"officers": 3}})
        if claimed:
            events.append({"report_id": number, "at": claimed, "kind": EventKind.CLAIMED.value,
                           "officer_id": assignee, "detail": {}})
        if closed:
            events.append({"report_id": number, "at": closed, "kind": EventKind.STATUS.value,
                           "officer_id": assignee,
                           "detail": {"from": "in_progress", "to": status.value}})
    return row, events


def _phone(r: random.Random, _i: int) -> str:
    return f"+628{r.randrange(11, 99)}{r.randrange(10**7, 10**8)}"


def _person(r: random.Random, i: int) -> str:
    return f"{r.choice(FIRST_NAMES)} {r.choice(LAST_NAMES)} {i}"


def _agency(r: random.Random, i: int) -> str:
    words = [r.choice(LEGAL_FORMS), r.choice(AGENCY_WORDS), r.choice(AGENCY_WORDS), str(i)]
    return " ".join(w for w in words if w)


def make_pools(rng: random.Random) -> dict[str, list[str]]:
    return {"phones": _pool(rng, 50_000, _phone), "names": _pool(rng, 30_000, _person),
            "agencies": _pool(rng, 8_000, _agency)}


def _normalise_url(url: str) -> str:
    if url.startswith("postgresql://"):
        return "postgresql+asyncpg://" + url[len("postgresql://"):]
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url[len("sqlite:///"):]
    return url


async def generate(url: str, *, reports: int, officers: int, days: int, end: date, seed: int,
                   batch: int, with_events: bool, reset: bool) -> None:
    engine = create_engine(url)
    try:
        await (migrate_afresh(engine) if reset else upgrade_database(engine))
        if reset and url.startswith("sqlite"):
            async with engine.begin() as conn:
                for table in reversed(SQLModel.metadata.sorted_tables):
                    await conn.execute(table.delete())
        rng = random.Random(seed)
        pools = make_pools(rng)
        first_day = end - timedelta(days=days - 1)
        end_utc = datetime.combine(end + timedelta(days=1), dtime(), WIB).astimezone(timezone.utc)
        officer_rows = [{
            "id": i, "telegram_user_id": 9_000_000_000 + i, "name": f"Petugas {i:02d}",
            "role": "admin" if i == 1 else ("supervisor" if i <= 4 else "officer"),
            "active": i <= officers - 3, "blocked": False, "locale": "id",
            "last_routed_at": None, "created_at": datetime(2024, 1, 1, tzinfo=timezone.utc),
        } for i in range(1, officers + 1)]
        async with engine.begin() as conn:
            await conn.execute(insert(Officer.__table__), officer_rows)
        officer_ids = [row["id"] for row in officer_rows]
        started = time.perf_counter()
        rows = iter_reports(rng, reports, first_day=first_day, days=days, end_utc=end_utc,
                            officer_ids=officer_ids, pools=pools, with_events=with_events)
        done = 0
        while done < reports:
            report_rows, event_rows = [], []
            for row, events in itertools.islice(rows, batch):
                report_rows.append(row)
                event_rows.extend(events)
            if not report_rows:
                break
            async with engine.begin() as conn:
                await conn.execute(insert(Report.__table__), report_rows)
                if event_rows:
                    await conn.execute(insert(CaseEvent.__table__), event_rows)
            done += len(report_rows)
            rate = done / (time.perf_counter() - started)
            print(f"\r{done:,} reports ({rate:,.0f}/s)", end="", file=sys.stderr, flush=True)
        print(file=sys.stderr)
        async with engine.begin() as conn:
            if url.startswith("postgresql"):
                # Sequences must continue after the explicit ids.
                for table in ("reports", "officers", "case_events"):
                    await conn.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT coalesce(max(id), 1) FROM {table}))"))
                await conn.execute(text("ANALYZE"))
            else:
                await conn.execute(text("ANALYZE"))
        if url.startswith("postgresql"):
            # VACUUM cannot run in a transaction; it sets the visibility map for index-only scans.
            async with engine.connect() as conn:
                conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
                await conn.execute(text("VACUUM ANALYZE reports"))
        print(f"done in {time.perf_counter() - started:.0f}s", file=sys.stderr)
    finally:
        await engine.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), required=False)
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--officers", type=int, default=40)
    parser.add_argument("--days", type=int, default=1095, help="spread over this many WIB days")
    parser.add_argument("--end", type=date.fromisoformat, default=date(2026, 12, 31),
                        help="last WIB day with reports (ISO date)")
    parser.add_argument("--seed", type=int, default=20261128)
    parser.add_argument("--batch", type=int, default=20_000)
    parser.add_argument("--no-events", action="store_true", help="skip case_events rows")
    parser.add_argument("--reset", action="store_true",
                        help="empty the database first (PostgreSQL: drops schema public!)")
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("give --database-url or set DATABASE_URL")
    asyncio.run(generate(
        _normalise_url(args.database_url), reports=args.reports, officers=args.officers,
        days=args.days, end=args.end, seed=args.seed, batch=args.batch,
        with_events=not args.no_events, reset=args.reset))


if __name__ == "__main__":
    main()
