"""The fixtures every folder of tests shares, as a pytest plugin (``tests/conftest.py``
registers it): each backend migrated once per session and emptied before each test, the
Bot API emulator, an encryption key and the running bot. A folder's conftest overrides
``tipbot`` where its tests need another bot."""
from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from bot.storage.db import create_engine, create_session_factory, migrate_afresh
from bot.web.emulator import BotApiEmulator
from tests.helpers.database import BACKENDS, normalise_pg_url, on_own_engine, store_in, wipe
from tests.helpers.harness import BOT_USERNAME, TOKEN, running_bot
from tests.helpers.officers import FAST


@pytest.fixture(scope="session")
def database_urls(tmp_path_factory) -> dict[str, str]:
    """Each backend migrated once per test session, from an empty schema."""
    import os

    urls = {"sqlite": f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"}
    if "postgresql" in BACKENDS:
        urls["postgresql"] = normalise_pg_url(os.environ["TEST_DATABASE_URL"])
    for url in urls.values():
        asyncio.run(on_own_engine(url, migrate_afresh))
    return urls


@pytest.fixture(params=BACKENDS)
def database_url(request, database_urls) -> str:
    return database_urls[request.param]


@pytest.fixture
async def engine(database_url):
    engine = create_engine(database_url)
    await wipe(engine)
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
async def store_engine(database_url, data_dir):
    """The bot's store as in production: on SQLite inside DATA_DIR (see ``store_in``)."""
    engine = await store_in(database_url, data_dir)
    yield engine
    await engine.dispose()


@pytest.fixture
async def emu():
    """A Bot API emulator on 127.0.0.1 for the bot under test."""
    emulator = BotApiEmulator(token=TOKEN, bot_username=BOT_USERNAME)
    await emulator.start()
    yield emulator
    await emulator.stop()


@pytest.fixture
def key() -> str:
    return Fernet.generate_key().decode()


@pytest.fixture
async def tipbot(emu, engine, data_dir, key):
    """The bot on short reminder timers, with the sweep left to the test."""
    async with running_bot(emu, engine, data_dir, encryption_key=key, **FAST) as running:
        yield running
