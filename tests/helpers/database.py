"""The test databases: SQLite always, PostgreSQL when TEST_DATABASE_URL is set."""
from __future__ import annotations

import os

from sqlmodel import SQLModel

from bot.storage.db import create_engine, upgrade_database

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


def normalise_pg_url(url: str) -> str:
    if url.startswith("postgresql://"):
        return "postgresql+asyncpg://" + url[len("postgresql://"):]
    return url


async def wipe(engine) -> None:
    """Every row gone, the schema kept."""
    async with engine.begin() as conn:
        for table in reversed(SQLModel.metadata.sorted_tables):
            await conn.execute(table.delete())


async def on_own_engine(database_url: str, work) -> None:
    """``await work(engine)`` through an engine of its own, disposed of afterwards."""
    engine = create_engine(database_url)
    try:
        await work(engine)
    finally:
        await engine.dispose()


async def wiped(database_url: str) -> None:
    await on_own_engine(database_url, wipe)


async def store_in(database_url: str, data_dir):
    """An engine on the bot's own store: on SQLite a fresh database file inside DATA_DIR (as
    by default, so a byte search of the folder covers it), on PostgreSQL the test database,
    emptied (``pg_dump`` covers it)."""
    if database_url.startswith("sqlite"):
        engine = create_engine(f"sqlite+aiosqlite:///{data_dir / 'tipbot.sqlite3'}")
        await upgrade_database(engine)
    else:
        engine = create_engine(database_url)
        await wipe(engine)
    return engine
