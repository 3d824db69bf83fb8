"""Shared fixtures: a migrated database per backend (SQLite always, PostgreSQL when
TEST_DATABASE_URL is set), cleaned between tests."""
from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from sqlmodel import SQLModel

from bot.storage.db import create_engine, create_session_factory, migrate_afresh

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


def _normalise_pg_url(url: str) -> str:
    if url.startswith("postgresql://"):
        return "postgresql+asyncpg://" + url[len("postgresql://"):]
    return url


@pytest.fixture(scope="session")
def database_urls(tmp_path_factory) -> dict[str, str]:
    """Each backend migrated once per test session, from an empty schema."""
    urls = {"sqlite": f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"}
    if "postgresql" in BACKENDS:
        urls["postgresql"] = _normalise_pg_url(os.environ["TEST_DATABASE_URL"])

    async def _prepare(url: str) -> None:
        engine = create_engine(url)
        try:
            await migrate_afresh(engine)
        finally:
            await engine.dispose()

    for url in urls.values():
        asyncio.run(_prepare(url))
    return urls


@pytest.fixture(params=BACKENDS)
def database_url(request, database_urls) -> str:
    return database_urls[request.param]


async def _wipe(engine) -> None:
    async with engine.begin() as conn:
        for table in reversed(SQLModel.metadata.sorted_tables):
            await conn.execute(table.delete())


@pytest.fixture
async def engine(database_url):
    engine = create_engine(database_url)
    await _wipe(engine)
    yield engine
    await engine.dispose()


@pytest.fixture
def session_factory(engine):
    return create_session_factory(engine)


@pytest.fixture
async def session(session_factory):
    async with session_factory() as session:
        yield session


@pytest.fixture
def data_dir(tmp_path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
async def emu():
    """A Bot API emulator on 127.0.0.1 for the bot under test."""
    from tests.emulator import BotApiEmulator
    from tests.harness import BOT_USERNAME, TOKEN

    emulator = BotApiEmulator(token=TOKEN, bot_username=BOT_USERNAME)
    await emulator.start()
    yield emulator
    await emulator.stop()
