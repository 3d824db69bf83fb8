"""A group upgraded to a supergroup gets a new chat id: queued and later messages follow."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.upsert import session_insert
from models import ChatMove, Outbox


async def record_move(session: AsyncSession, *, old_chat_id: int, new_chat_id: int,
                      now: datetime) -> None:
    await session.exec(session_insert(session)(ChatMove).values(
        old_chat_id=old_chat_id, new_chat_id=new_chat_id, moved_at=now)
        .on_conflict_do_nothing(index_elements=["old_chat_id"]))
    await session.exec(update(Outbox).where(Outbox.chat_id == old_chat_id,
                                            Outbox.status == "pending")
                       .values(chat_id=new_chat_id))


async def current_chat(session: AsyncSession, chat_id: int | None) -> int | None:
    """Where a chat lives now (TASKFORCE_CHAT_ID may still name the old group)."""
    seen = set()
    while chat_id is not None and chat_id not in seen:
        seen.add(chat_id)
        move = await session.get(ChatMove, chat_id)
        if move is None:
            return chat_id
        chat_id = move.new_chat_id
    return chat_id
