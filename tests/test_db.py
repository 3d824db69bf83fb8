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
    """The SQLite driver runs a statement in one trip (bot/sqlite_driver.py): rows,
    rowcounts, inserted keys, executemany and a rollback on return behave as before."""
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


async def test_sqlite_falls_back_to_sqlalchemys_adapter_when_aiosqlite_changes(tmp_path, monkeypatch):
    """bot/sqlite_driver.py builds on private parts of aiosqlite and SQLAlchemy: without
    them the engine uses SQLAlchemy's own adapter and still works."""
    from bot import db, sqlite_driver

    monkeypatch.setattr(sqlite_driver, "_internals_present", lambda: False)
    engine = db.create_engine(f"sqlite+aiosqlite:///{tmp_path / 'fallback.sqlite3'}")
    try:
        assert not isinstance(engine.sync_engine.dialect.loaded_dbapi, sqlite_driver.OneTripDBAPI)
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE t (x INTEGER)"))
            await connection.execute(text("INSERT INTO t VALUES (1), (2)"))
        async with engine.connect() as connection:
            assert (await connection.execute(text("SELECT sum(x) FROM t"))).scalar() == 3
    finally:
        await engine.dispose()
    monkeypatch.undo()
    engine = db.create_engine(f"sqlite+aiosqlite:///{tmp_path / 'one_trip.sqlite3'}")
    assert isinstance(engine.sync_engine.dialect.loaded_dbapi, sqlite_driver.OneTripDBAPI)
    await engine.dispose()
