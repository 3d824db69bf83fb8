"""Each Telegram update is taken once, whichever process or delivery brings it."""
from __future__ import annotations

import functools
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.upsert import dialect_insert
from models import ProcessedUpdate, WhatsAppSeen, WhatsAppSent

KEEP_FOR = timedelta(days=1)   # Telegram gives up redelivering long before that

# Built once per dialect and executed with one parameter set per update: SQLAlchemy sends
# it as one INSERT ... VALUES (...), (...) ON CONFLICT DO NOTHING RETURNING, and compiles
# it once instead of for every batch size.
@functools.cache
def _take(dialect_name: str):
    return (dialect_insert(dialect_name)(ProcessedUpdate)
            .on_conflict_do_nothing(index_elements=["update_id"])
            .returning(ProcessedUpdate.update_id))


async def take_updates(connection: AsyncConnection, *, update_ids: list[int],
                       now: datetime) -> set[int]:
    """Record a batch in one statement; returns the ids nobody had taken before.

    On a bare connection, not an ORM session: it runs for every update, so it is kept to
    the one round trip and its commit."""
    if not update_ids:
        return set()
    result = await connection.execute(_take(connection.dialect.name),
                                      [{"update_id": i, "received_at": now} for i in update_ids])
    return set(result.scalars().all())


async def take_updates_once(engine: AsyncEngine, *, update_ids: list[int],
                            now: datetime) -> set[int]:
    """:func:`take_updates` in a transaction of its own.

    On PostgreSQL the one INSERT is its own transaction (autocommit): no BEGIN and COMMIT
    round trips around it, and two processes taking the same id still get it once (the
    second INSERT waits for the first and skips the row). On SQLite a BEGIN costs nothing
    (bot/storage/sqlite_driver.py) and the commit is one step on the connection's thread."""
    if engine.dialect.name == "postgresql":
        async with engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            return await take_updates(connection, update_ids=update_ids, now=now)
    async with engine.begin() as connection:
        return await take_updates(connection, update_ids=update_ids, now=now)


async def prune(session: AsyncSession, *, now: datetime) -> int:
    result = await session.exec(delete(ProcessedUpdate).where(
        ProcessedUpdate.received_at < now - KEEP_FOR))
    # WhatsApp's siblings: Meta stops redelivering, and stops reporting on what was sent
    # (whose words wait there, encrypted, until delivered), well within a day.
    await session.exec(delete(WhatsAppSeen).where(WhatsAppSeen.received_at < now - KEEP_FOR))
    await session.exec(delete(WhatsAppSent).where(WhatsAppSent.created_at < now - KEEP_FOR))
    return result.rowcount
