"""Residents' answers while an admin's big XLSX export is being written (issue 9).

    .venv/bin/python bench/generate.py --database-url sqlite+aiosqlite:////tmp/export.sqlite3 \\
        --reports 400000 --days 365 --end YYYY-MM-DD --no-events --reset     # end: today
    .venv/bin/python bench/bench_export.py --database-url sqlite+aiosqlite:////tmp/export.sqlite3

``tipbot run`` against the Bot API emulator on an already filled database. Residents each
send /start, one after the other's answer, for the whole run; first for ``--quiet``
seconds with nothing else going on, then an admin asks for ``/ekspor 30`` as XLSX and
the residents go on until the file arrives. Prints the per-answer latency (p50, p95, max)
in each phase and how long the export took.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from bench_service import BOT_USERNAME, ROOT, TOKEN, TimedEmulator, pct, press, stop, wait_polling  # noqa: E402
from sqlalchemy import text  # noqa: E402

from bot.storage.db import create_engine  # noqa: E402

# One fixed key: the bot records which key opens a database, and runs are repeated on it.
BENCH_KEY = "YmVuY2gtZXhwb3J0LWtleS1ub3QtYS1zZWNyZXQtMDA="


async def resident(emu, user, latencies: list[tuple[float, float]], stop_at: asyncio.Event) -> None:
    while not stop_at.is_set():
        before = len(emu.arrivals.get(user.id, ()))
        started = time.perf_counter()
        emu.send_text(user, "/start")
        await emu.next_message(user.id, before, timeout=30)
        latencies.append((started, emu.arrivals[user.id][before][0] - started))
        await asyncio.sleep(0.25)          # a person reads before answering (and the
        # residents together stay under the 30 messages a second the limiter allows)


def figures(latencies: list[tuple[float, float]], start: float, end: float) -> str:
    values = [lat for at, lat in latencies if start <= at < end]
    return (f"{len(values)} answers, p50 {pct(values, .5) * 1000:.0f} ms, "
            f"p95 {pct(values, .95) * 1000:.0f} ms, max {max(values) * 1000:.0f} ms")


async def forget_earlier_runs(url: str) -> None:
    """A new emulator numbers updates from 1 again: the ids an earlier run recorded would
    be dropped as repeats. Its residents and queued messages go too."""
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            for table in ("processed_updates", "outbox", "case_cards", "drafts", "reporters"):
                await conn.execute(text(f"DELETE FROM {table}"))
    finally:
        await engine.dispose()


async def main(url: str, residents: int, quiet: float, days: int) -> None:
    await forget_earlier_runs(url)
    async with TimedEmulator(token=TOKEN, bot_username=BOT_USERNAME) as emu:
        admin = emu.user(first_name="Admin", started=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_"))}
        env.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=emu.base_url,
                   TELEGRAM_FILE_BASE_URL=emu.base_file_url, DATA_DIR=tempfile.mkdtemp(),
                   DATABASE_URL=url, ENCRYPTION_KEY=BENCH_KEY,
                   ADMIN_TELEGRAM_IDS=str(admin.id), FLOOD_MAX_UPDATES="100000",
                   # No sweep during the run: on generated data it would route every
                   # unclaimed case to the admin (thousands of cards) and remind on every
                   # untouched one; the export is what is measured here.
                   SWEEP_INTERVAL="1h", LOG_LEVEL="WARNING", PYTHONPATH=str(ROOT))
        log = open(os.environ.get("BENCH_LOG", os.devnull), "w")
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "run", env=env, cwd=ROOT,
            stdout=asyncio.subprocess.DEVNULL, stderr=log)
        try:
            await wait_polling(emu, 0)
            await asyncio.sleep(2.0)
            people = [emu.user(first_name=f"Warga{i}", started=True) for i in range(residents)]
            latencies: list[tuple[float, float]] = []
            done = asyncio.Event()
            tasks = [asyncio.create_task(resident(emu, p, latencies, done)) for p in people]
            begin = time.perf_counter()
            await asyncio.sleep(quiet)
            before = len(emu.arrivals.get(admin.id, ()))
            emu.send_text(admin, f"/ekspor {days}")
            await emu.next_message(admin.id, before)
            asked = time.perf_counter()
            documents = sum(r.method == "sendDocument" for r in emu.requests)
            press(emu, admin, "XLSX")
            while sum(r.method == "sendDocument" for r in emu.requests) == documents:
                await asyncio.sleep(0.01)
            arrived = time.perf_counter()
            done.set()
            await asyncio.gather(*tasks)
        finally:
            await stop(process)
    print(f"database: {url.split(':')[0]}; {residents} residents sending /start")
    print(f"  quiet:          {figures(latencies, begin, asked)}")
    print(f"  during export:  {figures(latencies, asked, arrived)}")
    print(f"  export: {days} days as XLSX, {arrived - asked:.1f} s from the press to the file")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True, help="a filled database (bench/generate.py)")
    parser.add_argument("--residents", type=int, default=5)
    parser.add_argument("--quiet", type=float, default=5.0, help="seconds measured before the export")
    parser.add_argument("--days", type=int, default=30)
    options = parser.parse_args()
    asyncio.run(main(options.database_url, options.residents, options.quiet, options.days))
