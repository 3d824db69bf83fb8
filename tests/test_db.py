from datetime import datetime, timezone

from sqlalchemy import insert, text, update
from sqlmodel import select

from models import Officer


async def test_datetimes_come_back_in_utc(session):
    moment = datetime(2026, 11, 28, 0, 30, tzinfo=timezone.utc)
    session.add(Officer(telegram_user_id=5_000_000_001, name="Andi", created_at=moment))
    await session.commit()
    officer = (await session.exec(select(Officer))).one()
    assert officer.created_at == moment
    assert officer.created_at.tzinfo is not None


async def test_a_connection_closed_in_the_pool_is_replaced_not_handed_out(engine):
    """PostgreSQL: the server or the network closed a pooled connection (a restart, a
    partition the timeouts ended): the next session gets a fresh one instead of an error."""
    if engine.dialect.name != "postgresql":
        return
    async with engine.connect() as connection:
        raw = await connection.get_raw_connection()
        asyncpg_connection = raw.driver_connection
    asyncpg_connection.terminate()
    async with engine.connect() as connection:
        assert (await connection.execute(text("SELECT 1"))).scalar() == 1


async def test_statements_rows_and_rollbacks_on_either_database(engine):
    """Rows, rowcounts, inserted keys, executemany, streaming, and the rollback of a
    connection returned with its transaction open (on SQLite by bot/storage/sqlite_driver.py's
    own reset, which skips the trip when there is nothing to end)."""
    moment = datetime(2026, 11, 28, tzinfo=timezone.utc)
    async with engine.begin() as connection:
        result = await connection.execute(insert(Officer).values(
            telegram_user_id=5_000_000_002, name="Budi", created_at=moment))
        assert result.inserted_primary_key[0] is not None
        await connection.execute(insert(Officer), [
            dict(telegram_user_id=5_000_000_003 + i, name=f"O{i}", created_at=moment)
            for i in range(3)])
        updated = await connection.execute(
            update(Officer).where(Officer.telegram_user_id > 5_000_000_003).values(name="X"))
        assert updated.rowcount == 2
    async with engine.connect() as connection:
        await connection.execute(update(Officer).values(name="never"))
        # closed without a commit: the pool rolls it back
    async with engine.connect() as connection:
        names = (await connection.execute(
            select(Officer.name).order_by(Officer.telegram_user_id))).scalars().all()
        assert names == ["Budi", "O0", "X", "X"]
        streamed = await connection.stream(select(Officer.name))
        assert len([row async for row in streamed]) == 4


async def test_sqlite_writers_take_turns_instead_of_meeting_a_locked_database(tmp_path):
    """SQLite lets one connection write at a time; the others used to wait in SQLite's
    busy handler (sleeps of up to 100 ms, 3 s waits under a surge). Writers now take turns
    in the event loop: with SQLite's busy timeout at zero, twelve transactions that each
    hold their write across awaits all commit, and a failed or abandoned one gives its
    turn back."""
    import asyncio

    from sqlalchemy.ext.asyncio import create_async_engine
    from sqlalchemy.pool import AsyncAdaptedQueuePool

    from bot.storage import sqlite_driver

    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'turns.sqlite3'}",
                                 connect_args={"timeout": 0}, pool_size=12, max_overflow=0,
                                 poolclass=AsyncAdaptedQueuePool, **sqlite_driver.ENGINE_OPTIONS)
    sqlite_driver.take_turns(engine, busy_timeout=0)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("PRAGMA journal_mode=WAL"))
            await connection.execute(text("CREATE TABLE t (x INTEGER PRIMARY KEY, n INTEGER)"))

        async def writer(x: int) -> None:
            async with engine.begin() as connection:
                await connection.execute(text("SELECT count(*) FROM t"))
                await connection.execute(text("INSERT INTO t VALUES (:x, 0)"), {"x": x})
                for _ in range(3):
                    await asyncio.sleep(0)
                    await connection.execute(text("UPDATE t SET n = n + 1 WHERE x = :x"), {"x": x})

        await asyncio.gather(*(writer(x) for x in range(12)))

        async def failing() -> None:
            async with engine.begin() as connection:
                await connection.execute(text("INSERT INTO t VALUES (100, 0)"))
                raise RuntimeError("the handler failed")

        try:
            await failing()
        except RuntimeError:
            pass
        async with engine.connect() as connection:
            await connection.execute(text("INSERT INTO t VALUES (101, 0)"))
            # left without a commit: the pool's rollback gives the turn back
        await asyncio.gather(*(writer(x) for x in range(200, 204)))
        async with engine.connect() as connection:
            rows = (await connection.execute(text("SELECT x, n FROM t ORDER BY x"))).all()
        assert rows == [(x, 3) for x in [*range(12), *range(200, 204)]]
    finally:
        await engine.dispose()
