"""How much memory and CPU `tipbot run` takes: idle after start, and serving residents.

    .venv/bin/python bench/bench_memory.py [--residents 50] [--database-url URL] [--runs 3]
        [--bot-python PATH]

`tipbot run` runs as its own process (as in production) against the Bot API emulator in
this process. Its resident set (VmRSS in /proc/PID/status) is read:

* idle: 2 s after it first polls (start-up work done, nothing asked of it);
* serving: every 50 ms while the residents file their reports at once (bench_service.py's
  short report, one admin receiving every new-case card), the highest reading kept;
* after: once every card has arrived.

``--bot-python``: the interpreter `tipbot run` runs on, e.g. a venv with the runtime
dependencies only (as deployed: no pytest, Pygments, Playwright); by default this one.

CPU: the process's utime + stime from its start to its first poll (start-up), and per
update while serving. The issue's targets: idle under 100 MB, serving 50 residents under
120 MB.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import bench_service as service  # noqa: E402
from cryptography.fernet import Fernet  # noqa: E402

PAGE_KB = 1024


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / PAGE_KB
    raise RuntimeError("no VmRSS")


async def sample_peak(pid: int, until: asyncio.Event) -> float:
    peak = 0.0
    while not until.is_set():
        peak = max(peak, rss_mb(pid))
        try:
            await asyncio.wait_for(until.wait(), 0.05)
        except asyncio.TimeoutError:
            pass
    return max(peak, rss_mb(pid))


BOT_PYTHON = sys.executable


async def one_run(residents: int, url: str, data_dir: Path) -> dict:
    await service.prepare_database(url)
    run = service.Run()
    async with service.TimedEmulator(token=service.TOKEN, bot_username=service.BOT_USERNAME) as emu:
        admin = emu.user(first_name="Admin", started=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_"))}
        env.update(TELEGRAM_BOT_TOKEN=service.TOKEN, TELEGRAM_API_BASE_URL=emu.base_url,
                   TELEGRAM_FILE_BASE_URL=emu.base_file_url, DATA_DIR=str(data_dir),
                   DATABASE_URL=url, ENCRYPTION_KEY=Fernet.generate_key().decode(),
                   ADMIN_TELEGRAM_IDS=str(admin.id), FLOOD_MAX_UPDATES="1000",
                   ALERTS_PER_MINUTE=service.ALERTS_PER_MINUTE, LOG_LEVEL="WARNING",
                   PYTHONPATH=str(ROOT))
        env.pop("PYTHONDONTWRITEBYTECODE", None)     # as deployed: bytecode cached, not compiled
        started = time.perf_counter()
        process = await service.start_process([BOT_PYTHON, "-m", "bot.cli", "run"], env)
        try:
            await service.wait_polling(emu, 0)
            first_poll = time.perf_counter() - started
            startup_cpu = service.cpu_seconds(process.pid)
            await asyncio.sleep(2.0)
            idle = rss_mb(process.pid)
            people = [emu.user(first_name=f"Warga{i}", started=True) for i in range(residents)]
            done = asyncio.Event()
            sampler = asyncio.create_task(sample_peak(process.pid, done))
            cpu_before, updates_before = service.cpu_seconds(process.pid), len(emu.updates)
            t0 = time.perf_counter()
            await asyncio.gather(*(service.report_resident(emu, person, run) for person in people))
            for _ in range(1000):
                service.collect_cards(emu, admin, run)
                if set(run.submitted) <= set(run.cards):
                    break
                await asyncio.sleep(0.1)
            elapsed = time.perf_counter() - t0
            cpu = service.cpu_seconds(process.pid) - cpu_before
            updates = len(emu.updates) - updates_before
            done.set()
            peak = await sampler
            after = rss_mb(process.pid)
        finally:
            await service.stop(process)
        assert emu.violations == [], emu.violations[:3]
        assert len(run.cards) >= len(run.submitted) == residents, "reports or cards missing"
    return dict(idle=idle, peak=peak, after=after, first_poll=first_poll, startup_cpu=startup_cpu,
                cpu_per_update=cpu / updates * 1000, updates=updates, elapsed=elapsed)


async def main(residents: int, urls: list[str], runs: int) -> None:
    # Compiled once here, so no run pays for compiling (its memory stays in the process).
    subprocess.run([BOT_PYTHON, "-m", "compileall", "-q", "bot", "handlers", "models"],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{residents} residents, tipbot on {BOT_PYTHON}, load average {os.getloadavg()[0]:.1f}")
    for url in urls:
        results = []
        for _ in range(runs):
            data_dir = Path(tempfile.mkdtemp())
            try:
                results.append(await one_run(
                    residents, url or f"sqlite+aiosqlite:///{data_dir / 'bench.sqlite3'}", data_dir))
            finally:
                shutil.rmtree(data_dir, ignore_errors=True)
        name = (url or "sqlite").split(":")[0].split("+")[0]
        for r in results:
            print(f"tipbot ({name}): RSS idle {r['idle']:.0f} MB, serving peak {r['peak']:.0f} MB, "
                  f"after {r['after']:.0f} MB; start to first poll {r['first_poll']:.2f} s, "
                  f"start-up CPU {r['startup_cpu']:.2f} s; CPU {r['cpu_per_update']:.2f} ms/update "
                  f"({r['updates']} updates in {r['elapsed']:.1f} s)")
        print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--residents", type=int, default=50)
    parser.add_argument("--database-url", action="append", default=None,
                        help="PostgreSQL URL besides SQLite (its schema public is dropped)")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--bot-python", default=sys.executable,
                        help="the interpreter tipbot runs on (default: this one)")
    options = parser.parse_args()
    BOT_PYTHON = options.bot_python
    asyncio.run(main(options.residents, ([] if options.no_sqlite else [""])
                     + (options.database_url or []), options.runs))
