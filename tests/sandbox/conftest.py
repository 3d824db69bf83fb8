"""The sandbox on the test's database (SQLite, and PostgreSQL when configured), its page
served in-process."""
from __future__ import annotations

import httpx
import pytest

from bot.config import Settings
from bot.web.sandbox.web import create_app
from bot.web.sandbox.world import Sandbox
from tests.helpers.sandbox import Events


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


@pytest.fixture
async def events(sandbox):
    stream = Events(sandbox)
    yield stream
    await stream.close()
