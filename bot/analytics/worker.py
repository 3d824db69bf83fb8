"""Long admin work (exports) in a worker thread with its own event loop and database
engine, so seconds of CPU (a year's XLSX takes about 50 s at a million reports) never
hold up residents' answers on the bot's loop."""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.db import create_engine, create_session_factory

T = TypeVar("T")


async def run_in_worker(database_url: str, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """``await work(session)`` in another thread, on a session of its own (committed by
    ``work``); the caller's loop only waits for the result."""

    def thread_main() -> T:
        async def main() -> T:
            engine = create_engine(database_url)
            try:
                async with create_session_factory(engine)() as session:
                    return await work(session)
            finally:
                await engine.dispose()

        return asyncio.run(main())

    return await asyncio.to_thread(thread_main)
