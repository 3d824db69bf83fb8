"""Time /statistik's figures, the chart data, /terlapor and the export on a filled database.

    .venv/bin/python bench/bench_stats.py --database-url sqlite+aiosqlite:////tmp/bench.sqlite3
    .venv/bin/python bench/bench_stats.py --database-url postgresql://postgres@127.0.0.1/bench

Each call runs ``--runs`` times in a fresh session (as a chat update would); the table shows
the median and the fastest run, and the ratio of the median to a baseline measured in the
same run: a plain ``SELECT count(*) FROM reports``. The export is timed writing to a sink
that only counts bytes; its peak Python memory is then measured with tracemalloc for a short
and a long range, to show it does not grow with the number of rows.
"""
from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import platform
import statistics
import sys
import time
import tracemalloc
from datetime import date, datetime, timedelta, timezone
from datetime import time as dtime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text  # noqa: E402

from bot.analytics.export import write_csv, write_xlsx  # noqa: E402
from bot.analytics.period import DateRange  # noqa: E402
from bot.analytics.stats import compute_stats, count_reports, daily_volume, headline_totals  # noqa: E402
from bot.analytics.suspects import top_reported  # noqa: E402
from bot.engine.i18n import WIB  # noqa: E402
from bot.storage.db import create_engine, create_session_factory  # noqa: E402


class CountingSink(io.RawIOBase):
    """A binary file that keeps nothing, so the export's own memory is what is measured."""

    def __init__(self) -> None:
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.size += len(data)
        return len(data)


def _normalise_url(url: str) -> str:
    if url.startswith("postgresql://"):
        return "postgresql+asyncpg://" + url[len("postgresql://"):]
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url[len("sqlite:///"):]
    return url


async def _timed(factory, runs: int, call) -> dict:
    times = []
    result = None
    for _ in range(runs):
        async with factory() as session:
            started = time.perf_counter()
            result = await call(session)
            times.append(time.perf_counter() - started)
    return {"median_s": statistics.median(times), "min_s": min(times), "max_s": max(times),
            "first_s": times[0], "result": result}


async def _export_peak(factory, date_range: DateRange, fmt: str) -> dict:
    tracemalloc.start()
    tracemalloc.reset_peak()
    sink = CountingSink()
    async with factory() as session:
        writer = write_csv if fmt == "csv" else write_xlsx
        rows = await writer(session, sink, date_range=date_range)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"rows": rows, "bytes": sink.size, "peak_mib": peak / 2**20}


async def run(url: str, *, end: date, runs: int) -> dict:
    engine = create_engine(url)
    factory = create_session_factory(engine)
    now = datetime.combine(end, dtime(17, 0), WIB).astimezone(timezone.utc)
    ranges = {days: DateRange(end - timedelta(days=days - 1), end) for days in (1, 30, 365)}
    out: dict = {"database": engine.dialect.name, "url": url.split("@")[-1], "end": end.isoformat(),
                 "runs": runs, "timings": {}, "export_memory": {}}
    try:
        async with factory() as session:
            out["reports"] = await count_reports(session)
            if engine.dialect.name == "sqlite":
                version = (await session.exec(text("select sqlite_version()"))).one()[0]
            else:
                version = (await session.exec(text("show server_version"))).one()[0]
            out["database_version"] = version
        timings = out["timings"]
        timings["baseline count(*)"] = await _timed(factory, runs, count_reports)
        timings["headline today/7/30"] = await _timed(
            factory, runs, lambda s: headline_totals(s, now=now))
        for days in (1, 30, 365):
            timings[f"stats {days}d"] = await _timed(
                factory, runs,
                lambda s, r=ranges[days]: compute_stats(s, date_range=r, now=now))
        for days in (30, 365):
            timings[f"daily volume {days}d"] = await _timed(
                factory, runs, lambda s, r=ranges[days]: daily_volume(s, date_range=r))
        timings["top reported 30d"] = await _timed(
            factory, runs, lambda s: top_reported(s, date_range=ranges[30]))
        for fmt, days in (("csv", 30), ("xlsx", 30), ("csv", 365)):
            timings[f"export {fmt} {days}d"] = await _timed(
                factory, 1, lambda s, f=fmt, r=ranges[days]: (
                    write_csv if f == "csv" else write_xlsx)(s, CountingSink(), date_range=r))
        baseline = timings["baseline count(*)"]["median_s"]
        for name, figures in timings.items():
            figures["ratio_to_baseline"] = figures["median_s"] / baseline if baseline else None
            result = figures.pop("result")
            if isinstance(result, bool) or result is None:
                pass
            elif isinstance(result, int):
                figures["rows"] = result
            elif hasattr(result, "total"):
                figures["rows"] = result.total
        for days in (30, 365):
            out["export_memory"][f"csv {days}d"] = await _export_peak(factory, ranges[days], "csv")
        out["export_memory"]["xlsx 30d"] = await _export_peak(factory, ranges[30], "xlsx")
    finally:
        await engine.dispose()
    return out


def print_table(result: dict) -> None:
    print(f"# {result['database']} {result['database_version']}: "
          f"{result['reports']:,} reports, "
          f"range ends {result['end']}, {result['runs']} runs; {platform.python_version()}, "
          f"{os.cpu_count()} CPUs")
    print(f"{'call':<22} {'median':>9} {'fastest':>9} {'first':>9} {'x count(*)':>11}")
    for name, f in result["timings"].items():
        print(f"{name:<22} {f['median_s'] * 1000:>7.0f}ms {f['min_s'] * 1000:>7.0f}ms "
              f"{f['first_s'] * 1000:>7.0f}ms {f['ratio_to_baseline']:>10.1f}x")
    print(f"{'export memory':<22} {'rows':>9} {'MiB out':>9} {'peak MiB':>9}")
    for name, m in result["export_memory"].items():
        print(f"{name:<22} {m['rows']:>9,} {m['bytes'] / 2**20:>9.1f} {m['peak_mib']:>9.1f}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--end", type=date.fromisoformat, default=date(2026, 12, 31))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("give --database-url or set DATABASE_URL")
    result = asyncio.run(run(_normalise_url(args.database_url), end=args.end, runs=args.runs))
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_table(result)


if __name__ == "__main__":
    main()
