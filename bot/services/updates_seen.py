"""Each Telegram update is taken once, whichever process or delivery brings it."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel.ext.asyncio.session import AsyncSession

from models import ProcessedUpdate

KEEP_FOR = timedelta(days=1)   # Telegram gives up redelivering long before that


async def take_update(session: AsyncSession, *, update_id: int, now: datetime) -> bool:
    """Record the update; False when someone already took it (a webhook retry, or updates
    fetched again after a takeover). ON CONFLICT DO NOTHING exists in both databases."""
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    module = postgresql if dialect == "postgresql" else sqlite
    statement = module.insert(ProcessedUpdate).values(
        update_id=update_id, received_at=now).on_conflict_do_nothing(index_elements=["update_id"])
    result = await session.exec(statement)
    return result.rowcount == 1


async def prune(session: AsyncSession, *, now: datetime) -> int:
    result = await session.exec(delete(ProcessedUpdate).where(
        ProcessedUpdate.received_at < now - KEEP_FOR))
    return result.rowcount
