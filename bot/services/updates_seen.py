"""Each Telegram update is taken once, whichever process or delivery brings it."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel.ext.asyncio.session import AsyncSession

from models import ProcessedUpdate

KEEP_FOR = timedelta(days=1)   # Telegram gives up redelivering long before that


async def take_updates(connection: AsyncConnection, *, update_ids: list[int],
                       now: datetime) -> set[int]:
    """Record a batch in one statement; returns the ids nobody had taken before.

    On a bare connection, not an ORM session: it runs for every update, so it is kept to
    the one round trip and its commit."""
    if not update_ids:
        return set()
    module = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = (module.insert(ProcessedUpdate)
                 .values([{"update_id": i, "received_at": now} for i in update_ids])
                 .on_conflict_do_nothing(index_elements=["update_id"])
                 .returning(ProcessedUpdate.update_id))
    return set((await connection.execute(statement)).scalars().all())


async def prune(session: AsyncSession, *, now: datetime) -> int:
    result = await session.exec(delete(ProcessedUpdate).where(
        ProcessedUpdate.received_at < now - KEEP_FOR))
    return result.rowcount
