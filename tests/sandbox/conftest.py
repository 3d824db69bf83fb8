"""The sandbox on the test's database (SQLite, and PostgreSQL when configured), its page
served in-process, and helpers to read its event stream."""
from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from bot.config import Settings
from bot.web.sandbox.web import create_app, event_stream
from bot.web.sandbox.world import Sandbox


@pytest.fixture
async def sandbox(engine, data_dir):
    settings = Settings(_env_file=None, data_dir=data_dir, flood_max_updates=10_000)
    world = Sandbox(settings, engine=engine)
    await world.start()
    yield world
    violations = list(world.emu.violations)
    await world.stop()
    assert violations == []


@pytest.fixture
async def client(sandbox):
    transport = httpx.ASGITransport(app=create_app(sandbox))
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox.test") as http:
        yield http


class Events:
    """The page's event stream, read the way the browser's EventSource reads it."""

    def __init__(self, sandbox: Sandbox):
        self._stream = event_stream(sandbox)
        self.seen: list[tuple[str, object]] = []

    async def next(self, name: str, timeout: float = 10.0, where=lambda data: True):
        async def wait():
            while True:
                chunk = await anext(self._stream)
                if chunk.startswith(":"):
                    continue
                head, _, body = chunk.partition("\n")
                event, data = head.removeprefix("event: "), json.loads(body.removeprefix("data: "))
                self.seen.append((event, data))
                if event == name and where(data):
                    return data
        return await asyncio.wait_for(wait(), timeout)

    async def close(self):
        await self._stream.aclose()


@pytest.fixture
async def events(sandbox):
    stream = Events(sandbox)
    yield stream
    await stream.close()


async def settle(sandbox: Sandbox) -> None:
    """The bot has answered everything, and what it queued in the outbox went out."""
    await sandbox.emu.settle(app=sandbox.app)
    await sandbox.app.bot_data.deliverer.run(wait=True)
    await sandbox.emu.settle(app=sandbox.app)
