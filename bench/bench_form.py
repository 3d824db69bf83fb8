"""How fast residents can file reports through the real bot and the Bot API emulator.

    .venv/bin/python bench/bench_form.py [--residents 50] [--database-url URL]

Each resident completes the whole form (17 answers) concurrently with the others. The
baseline, in the same run, is the same residents each sending /start once: the ratio
says what one complete report costs in "round trips", which is stable across machines.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.storage.db import create_engine, upgrade_database  # noqa: E402
from bot.web.emulator import BotApiEmulator
from tests.helpers.harness import BOT_USERNAME, TOKEN, Person, start_bot, stop_bot

STORY = "Ada calo di desa kami yang menjanjikan kerja di Malaysia tanpa biaya apa pun."


async def file_report(person: Person) -> None:
    emu = person.emu

    def press(label):
        emu.press(person.user, None, label)

    async def step(action):
        # Wait for this resident's next bot message only: a global settle would make
        # every resident wait for all the others.
        before = len(emu.sent(person.user))
        action()
        for _ in range(60_000):
            if len(emu.sent(person.user)) > before:
                return
            await asyncio.sleep(0.001)
        raise TimeoutError("the bot did not answer")

    await step(lambda: emu.send_text(person.user, "/lapor"))
    for label in ("Perekrut tanpa izin (calo)", "Tidak", "Bandar Lampung", "Lewati"):
        await step(lambda label=label: press(label))
    await step(lambda: emu.send_text(person.user, STORY))
    await step(lambda: press("➕ Tambah rincian"))
    for text in ("Pak Joko", "0812-3456-7890", "PT Maju Jaya"):
        await step(lambda text=text: emu.send_text(person.user, text))
    for label in ("Lewati", "3", "Malaysia", "Belum tahu", "✅ Selesai",
                  "Tetap anonim (disarankan)", "📨 Kirim laporan"):
        await step(lambda label=label: press(label))


async def run(residents: int, database_url: str | None) -> None:
    data_dir = Path(tempfile.mkdtemp())
    url = database_url or f"sqlite+aiosqlite:///{data_dir / 'bench.sqlite3'}"
    engine = create_engine(url)
    await upgrade_database(engine)
    async with BotApiEmulator(token=TOKEN, bot_username=BOT_USERNAME) as emu:
        bot = await start_bot(emu, engine, data_dir)
        try:
            people = [Person(emu, first_name=f"Warga{i}") for i in range(residents)]
            started = time.perf_counter()
            for person in people:
                emu.send_text(person.user, "/start")
            await emu.settle(timeout=120)
            baseline = time.perf_counter() - started

            started = time.perf_counter()
            await asyncio.gather(*(file_report(person) for person in people))
            elapsed = time.perf_counter() - started
        finally:
            await stop_bot(bot)
        assert emu.violations == [], emu.violations[:3]
    await engine.dispose()
    print(f"machine: {platform.machine()} {platform.processor() or ''}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, database {url.split(':')[0]}")
    print(f"residents: {residents}")
    print(f"baseline (/start each): {baseline:.2f} s")
    print(f"complete reports: {elapsed:.2f} s, {residents / elapsed:.1f} reports/s, "
          f"{elapsed / residents * 1000:.0f} ms of wall time per report")
    print(f"ratio report/start: {elapsed / baseline:.1f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--residents", type=int, default=50)
    parser.add_argument("--database-url")
    options = parser.parse_args()
    asyncio.run(run(options.residents, options.database_url))
