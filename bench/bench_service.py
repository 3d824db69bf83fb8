"""The bot as a service against a bare PTB echo bot, side by side in one run.

    .venv/bin/python bench/bench_service.py [--residents 50] [--database-url URL]

Both bots run as their own processes (``tipbot run``, as in production, with its rate
limiter; and bench/echo_bot.py) against the Bot API emulator in this process, so the CPU
measured (utime + stime of the bot's process, from /proc) is the bot's alone.

* The echo bot runs before, between and after the tipbot runs; each tipbot run is compared
  with the median of those echo runs (one short echo run moves by up to 2x).
* echo bot: every resident sends as many texts as the report has steps, each after the
  previous echo came back.
* tipbot: every resident files the report at once (the same number of updates); one admin
  receives every new-case card (nobody is on duty, so cards go to the admins).

Figures: CPU per update, per-answer latency (action to the bot's next message to that
resident) p50/p95, submit-to-card p50/p95 (the "Kirim laporan" press to the admin's card
naming that case), and messages sent per second.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cryptography.fernet import Fernet  # noqa: E402

from bot.storage.db import create_engine, migrate_afresh  # noqa: E402
from bot.web.emulator import BotApiEmulator  # noqa: E402

TOKEN, BOT_USERNAME = "123456:BENCH-tipbot-token", "lampung_tip_bot"
STORY = "Ada calo di desa kami yang menjanjikan kerja di Malaysia tanpa biaya apa pun."
CASE = re.compile(r"LPG-\d{4}-[A-Z0-9]{5}")
TICK = os.sysconf("SC_CLK_TCK")
# The short report, as bench_form.py files it: (kind, value) per update.
STEPS = ([("text", "/lapor")]
         + [("press", label) for label in ("Perekrut tanpa izin (calo)", "Tidak", "Bandar Lampung",
                                           "Lewati")]
         + [("text", STORY), ("press", "➕ Tambah rincian")] + [("text", t) for t in ("Pak Joko", "0812-3456-7890", "PT Maju Jaya")]
         + [("press", label) for label in ("Lewati", "3", "Malaysia", "Belum tahu", "✅ Selesai",
                                           "Tetap anonim", "📨 Kirim laporan")])


class TimedEmulator(BotApiEmulator):
    """Notes when each bot message arrives, so residents wait on events, not by polling
    (50 polling residents would eat the CPU the bots are measured on)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.arrivals: dict[int, list[tuple[float, str]]] = {}
        self.changed: dict[int, asyncio.Event] = {}

    def _store(self, chat, *, from_bot, sender, **fields):
        message = super()._store(chat, from_bot=from_bot, sender=sender, **fields)
        if from_bot:
            self._arrived(chat.id, fields.get("text") or "")
        return message

    def _apply_edit(self, msg, changes, source=None):
        # A pressed button's message edited into the next question is the bot's answer too.
        result = super()._apply_edit(msg, changes, source)
        if msg.from_bot and "text" in changes:
            self._arrived(msg.chat.id, changes["text"] or "")
        return result

    def _arrived(self, chat_id: int, text: str) -> None:
        self.arrivals.setdefault(chat_id, []).append((time.perf_counter(), text))
        self.changed.setdefault(chat_id, asyncio.Event()).set()

    async def next_message(self, chat_id: int, before: int, timeout: float = 120) -> None:
        event = self.changed.setdefault(chat_id, asyncio.Event())
        async with asyncio.timeout(timeout):
            while len(self.arrivals.get(chat_id, ())) <= before:
                event.clear()
                await event.wait()


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))] if values else float("nan")


class Run:
    def __init__(self):
        self.latencies: list[float] = []
        self.submitted: dict[str, float] = {}
        self.cards: dict[str, float] = {}
        self.receipts: list[float] = []


async def step(emu, user, run: Run, action) -> None:
    before = len(emu.arrivals.get(user.id, ()))
    started = time.perf_counter()
    action()
    await emu.next_message(user.id, before)
    run.latencies.append(emu.arrivals[user.id][before][0] - started)


def press(emu, user, label: str) -> None:
    """Press the newest button whose label starts with ``label`` (labels get reworded)."""
    for message in reversed(emu.sent(user.id)):
        for row in (message.reply_markup or {}).get("inline_keyboard", []):
            for button in row:
                if button["text"].startswith(label):
                    emu.press(user, message, callback_data=button["callback_data"])
                    return
    emu.press(user, None, label)           # fails with the buttons there are


async def echo_resident(emu, user, run: Run) -> None:
    for index in range(len(STEPS)):
        await step(emu, user, run, lambda: emu.send_text(user, f"pesan {index}"))


async def report_resident(emu, user, run: Run) -> None:
    for kind, value in STEPS:
        if kind == "text":
            action = lambda value=value: emu.send_text(user, value)  # noqa: E731
        else:
            action = lambda value=value: press(emu, user, value)  # noqa: E731
        pressed = time.perf_counter()
        await step(emu, user, run, action)
        if value == "📨 Kirim laporan":
            # The receipt may come in several messages; the case number is in one of them.
            for _ in range(100):
                found = [(at, n) for at, t in emu.arrivals[user.id] for n in CASE.findall(t)]
                if found:
                    run.submitted[found[-1][1]] = pressed
                    run.receipts.append(found[-1][0] - pressed)
                    break
                await emu.next_message(user.id, len(emu.arrivals[user.id]))


def collect_cards(emu, admin, run: Run) -> None:
    """A card names its own case first; the related cases it lists after that (every
    report here names the same suspect) are not that case's card arriving."""
    for at, text in emu.arrivals.get(admin.id, ()):
        number = CASE.search(text)
        if number is not None:
            run.cards.setdefault(number.group(), at)


async def start_process(args: list[str], env: dict) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(*args, env=env, cwd=ROOT,
                                                stdout=asyncio.subprocess.DEVNULL,
                                                stderr=asyncio.subprocess.PIPE)


async def wait_polling(emu, before: int) -> None:
    for _ in range(3000):
        if sum(r.method == "getUpdates" for r in emu.requests) > before:
            return
        await asyncio.sleep(0.01)
    raise TimeoutError("the bot never polled")


PROFILE: str | None = None


async def measure(emu, process, people, resident, run: Run) -> dict:
    await asyncio.sleep(1.0)                       # start-up work (menus, outbox) is done
    spy = None
    if PROFILE and resident is report_resident:    # py-spy attached to tipbot (--profile)
        spy = await asyncio.create_subprocess_exec(
            str(Path(sys.executable).parent / "py-spy"), "record", "--pid", str(process.pid),
            "--format", "raw", "--output", PROFILE, "--rate", "250", "--nonblocking",
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
        await asyncio.sleep(1.0)
    updates_before, sent_before = len(emu.updates), _sends(emu)
    cpu_before = cpu_seconds(process.pid)
    started = time.perf_counter()
    await asyncio.gather(*(resident(emu, person, run) for person in people))
    elapsed = time.perf_counter() - started
    if spy is not None:
        spy.send_signal(2)
        await spy.wait()
    return dict(updates=len(emu.updates) - updates_before, cpu=cpu_seconds(process.pid) - cpu_before,
                elapsed=elapsed, sent=_sends(emu) - sent_before, load=os.getloadavg()[0])


def _sends(emu) -> int:
    """Calls Telegram's flood limits count: messages sent, edited, copied or forwarded."""
    return sum(r.method.startswith(("send", "edit", "copy", "forward")) and r.method != "sendChatAction"
               for r in emu.requests)


async def stop(process) -> None:
    if process.returncode is None:
        process.terminate()
        try:
            await asyncio.wait_for(process.communicate(), 30)
        except asyncio.TimeoutError:
            process.kill()
            await process.communicate()


async def prepare_database(url: str) -> None:
    engine = create_engine(url)
    try:
        await migrate_afresh(engine)
    finally:
        await engine.dispose()


async def run_echo(residents: int) -> tuple[dict, Run]:
    run = Run()
    async with TimedEmulator(token=TOKEN, bot_username=BOT_USERNAME) as emu:
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        process = await start_process([sys.executable, str(ROOT / "bench" / "echo_bot.py"), TOKEN,
                                       emu.base_url], env)
        try:
            await wait_polling(emu, 0)
            people = [emu.user(first_name=f"Warga{i}", started=True) for i in range(residents)]
            figures = await measure(emu, process, people, echo_resident, run)
        finally:
            await stop(process)
    return figures, run


ALERTS_PER_MINUTE = "1000"


async def run_tipbot(residents: int, url: str, data_dir: Path) -> tuple[dict, Run]:
    run = Run()
    await prepare_database(url)
    async with TimedEmulator(token=TOKEN, bot_username=BOT_USERNAME) as emu:
        admin = emu.user(first_name="Admin", started=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_"))}
        env.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=emu.base_url,
                   TELEGRAM_FILE_BASE_URL=emu.base_file_url, DATA_DIR=str(data_dir),
                   DATABASE_URL=url, ENCRYPTION_KEY=Fernet.generate_key().decode(),
                   ADMIN_TELEGRAM_IDS=str(admin.id), FLOOD_MAX_UPDATES="1000",
                   # The surge brake (at most ALERTS_PER_MINUTE cards a minute) is a policy
                   # choice; off by default here, so the figures show how fast a card can go.
                   ALERTS_PER_MINUTE=ALERTS_PER_MINUTE,
                   LOG_LEVEL="WARNING", PYTHONPATH=str(ROOT))
        process = await start_process([sys.executable, "-m", "bot.cli", "run"], env)
        try:
            await wait_polling(emu, 0)
            people = [emu.user(first_name=f"Warga{i}", started=True) for i in range(residents)]
            figures = await measure(emu, process, people, report_resident, run)
            for _ in range(1000):                   # the last cards may still be on their way
                                                    # (a minute later with the brake on)
                collect_cards(emu, admin, run)
                if set(run.submitted) <= set(run.cards):
                    break
                await asyncio.sleep(0.1)
        finally:
            await stop(process)
        assert emu.violations == [], emu.violations[:3]
    return figures, run


def report(name: str, figures: dict, run: Run, echo_cpu: float | None) -> None:
    per_update = figures["cpu"] / figures["updates"] * 1000
    ratio = f" ({per_update / echo_cpu:.1f}x echo)" if echo_cpu else ""
    print(f"{name}: {figures['updates']} updates in {figures['elapsed']:.2f} s; "
          f"CPU {per_update:.2f} ms/update{ratio}; "
          f"answer p50 {pct(run.latencies, .5) * 1000:.0f} ms, p95 {pct(run.latencies, .95) * 1000:.0f} ms; "
          f"{figures['sent'] / figures['elapsed']:.1f} messages/s; load average {figures['load']:.1f}")
    if run.submitted:
        waits = [run.cards[n] - t for n, t in run.submitted.items() if n in run.cards]
        print(f"    submit to card: p50 {pct(waits, .5) * 1000:.0f} ms, p95 {pct(waits, .95) * 1000:.0f} ms, "
              f"max {max(waits) * 1000:.0f} ms ({len(waits)}/{len(run.submitted)} cards); "
              f"submit to receipt: p50 {pct(run.receipts, .5) * 1000:.0f} ms, "
              f"p95 {pct(run.receipts, .95) * 1000:.0f} ms")


async def main(residents: int, database_urls: list[str]) -> None:
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{residents} residents, {len(STEPS)} updates each, ALERTS_PER_MINUTE={ALERTS_PER_MINUTE}, "
          f"load average {os.getloadavg()[0]:.1f}")
    # The echo bot's figure moves by up to 2x from one short run to the next on a shared
    # machine, so it runs before, between and after the tipbot runs: each tipbot run is
    # compared with the median of the echo runs of this same invocation.
    echo_cpus: list[float] = []

    async def echo_once() -> None:
        echo, echo_run = await run_echo(residents)
        echo_cpus.append(echo["cpu"] / echo["updates"] * 1000)
        report(f"PTB echo bot (run {len(echo_cpus)})", echo, echo_run, None)

    await echo_once()
    results = []
    for url in database_urls:
        data_dir = Path(tempfile.mkdtemp())
        try:
            url = url or f"sqlite+aiosqlite:///{data_dir / 'bench.sqlite3'}"
            figures, run = await run_tipbot(residents, url, data_dir)
            results.append((f"tipbot ({url.split(':')[0].split('+')[0]})", figures, run))
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)
        await echo_once()
    echo_cpu = sorted(echo_cpus)[len(echo_cpus) // 2]
    print(f"echo bot CPU/update over {len(echo_cpus)} runs: "
          + ", ".join(f"{c:.2f}" for c in echo_cpus) + f" ms; median {echo_cpu:.2f} ms")
    for name, figures, run in results:
        report(name, figures, run, echo_cpu)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--residents", type=int, default=50)
    parser.add_argument("--database-url", action="append", default=None,
                        help="PostgreSQL URL to measure besides SQLite (a database of its own: "
                             "its schema public is dropped)")
    parser.add_argument("--profile", help="py-spy's collapsed stacks of tipbot into this file")
    parser.add_argument("--no-sqlite", action="store_true", help="only the --database-url runs")
    parser.add_argument("--alerts-per-minute", default=ALERTS_PER_MINUTE,
                        help="the surge brake (the bot's default is 30; lifted here by default)")
    options = parser.parse_args()
    PROFILE, ALERTS_PER_MINUTE = options.profile, options.alerts_per_minute
    asyncio.run(main(options.residents, ([] if options.no_sqlite else [""])
                     + (options.database_url or [])))
