"""Runs the real application against the Bot API emulator, as a person would use it."""
from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cryptography.fernet import Fernet
from telegram.ext import Application

from bot.app import build_application
from bot.channels.telegram.jobs import delivery_job
from bot.config import Settings
from bot.web.emulator import BotApiEmulator

TOKEN = "123456:TEST-tipbot-token"
BOT_USERNAME = "lampung_tip_bot"


class Clock:
    """The application's clock, moved by tests."""

    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs) -> None:
        self.now += timedelta(**kwargs)


class RunningClock(Clock):
    """A clock that runs at the wall clock's pace from ``start`` (tests of what happens
    on time: the outbox's alarm); ``advance`` still jumps it."""

    def __init__(self, start: datetime):
        super().__init__(start)
        self._started = time.monotonic()

    def __call__(self) -> datetime:
        return self.now + timedelta(seconds=time.monotonic() - self._started)


def make_settings(emu: BotApiEmulator, data_dir: Path, **overrides) -> Settings:
    values = dict(
        telegram_bot_token=TOKEN,
        telegram_api_base_url=emu.base_url,
        telegram_file_base_url=emu.base_file_url,
        data_dir=data_dir,
        encryption_key=Fernet.generate_key().decode(),
        # Tests click faster than any person; the flood guard has its own test.
        flood_max_updates=10_000,
        # The long poll's batching wait would add 50 ms to every step a test takes; it has
        # its own test (tests/service/test_bot_api_client.py).
        poll_batch_wait=0,
    )
    values.update(overrides)
    return Settings(_env_file=None, **values)


@dataclass
class RunningBot:
    app: Application
    settings: Settings
    emu: BotApiEmulator
    clock: Clock
    people: dict = field(default_factory=dict)

    @property
    def services(self):
        return self.app.bot_data.services

    def session(self):
        return self.services.sessions()

    def delivering(self) -> str | None:
        """What settle() must still wait for: a delivery kicked by a handler (a job due now)
        or the outbox pump sending. Under load these can leave a quiet gap with no request."""
        if self.app.bot_data.deliverer.busy:
            return "the outbox is delivering"
        soon = datetime.now(timezone.utc) + timedelta(seconds=0.5)
        for job in self.app.job_queue.jobs():
            if job.callback is delivery_job and job.next_t is not None and job.next_t <= soon:
                return "an outbox delivery is due"
        return None


async def start_bot(emu, engine, data_dir, clock=None, rate_limit: bool = False,
                    **overrides) -> RunningBot:
    settings = make_settings(emu, data_dir, **overrides)
    clock = clock or Clock(datetime(2026, 11, 28, 2, 0, tzinfo=timezone.utc))
    app = build_application(settings, engine=engine, clock=clock, rate_limit=rate_limit)
    await app.initialize()
    if app.post_init:                 # what run_polling does between the two
        await app.post_init(app)
    await app.start()
    await app.updater.start_polling(poll_interval=0, timeout=1,
                                    allowed_updates=["message", "edited_message", "callback_query"])
    # Tests begin once the start-up job ran, not after a guessed quiet window.
    await asyncio.wait_for(app.bot_data.services.started.wait(), timeout=30)
    running = RunningBot(app, settings, emu, clock)
    emu.wait_also_for(running.delivering)
    return running


@contextlib.asynccontextmanager
async def running_bot(emu, engine, data_dir, **settings):
    """The bot attached to the emulator until the block ends; then the emulator must have
    refused nothing it sent."""
    running = await start_bot(emu, engine, data_dir, **settings)
    emu.attach(running.app)
    await emu.settle()
    try:
        yield running
    finally:
        await stop_bot(running)
    assert emu.violations == []


async def stop_bot(bot: RunningBot) -> None:
    bot.emu.stop_waiting_for(bot.delivering)
    if bot.app.updater.running:
        await bot.app.updater.stop()
    if bot.app.running:
        await bot.app.stop()
    await bot.app.shutdown()


class Person:
    """A Telegram user in a private chat with the bot."""

    def __init__(self, emu: BotApiEmulator, **kwargs):
        self.emu = emu
        self.user = emu.user(**kwargs)
        self.chat_id = self.user["id"] if isinstance(self.user, dict) else self.user.id

    async def say(self, text: str):
        self.emu.send_text(self.user, text)
        await self.emu.settle()
        return self.last

    async def press(self, label: str, message=None):
        message = message or self.message_with_button(label)
        self.emu.press(self.user, message, label)
        await self.emu.settle()
        return self.last

    async def send(self, kind: str, **kwargs):
        getattr(self.emu, f"send_{kind}")(self.user, **kwargs)
        await self.emu.settle()
        return self.last

    def message_with_button(self, label: str):
        for message in reversed(self.emu.sent(self.chat_id)):
            if any(text == label for text, _ in message.buttons):
                return message
        raise AssertionError(f"no message offers {label!r}; last: {self.last.text!r}")

    @property
    def messages(self):
        return self.emu.sent(self.chat_id)

    @property
    def last(self):
        return self.emu.last(self.chat_id)

    def texts_since(self, count: int) -> list[str]:
        return [m.text for m in self.messages[count:]]
