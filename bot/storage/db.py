"""Database engine, sessions and migrations (Alembic), for SQLite and PostgreSQL."""
from __future__ import annotations

import asyncio
import os
import sys
import traceback
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import event, exc, text
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.pool import AsyncAdaptedQueuePool
from sqlmodel.ext.asyncio.session import AsyncSession

import models  # noqa: F401  (registers every table on the metadata)
from bot.storage import sqlite_driver
from bot.storage.crypto import Vault

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"

SessionFactory = async_sessionmaker[AsyncSession]

# As many connections as before at most (SQLAlchemy's default was 5 kept + 10 more), but
# all 15 are kept once opened: under a burst the 10 extra ones were closed on their return
# and opened again for the next update, a quarter of all sessions in the service benchmark,
# each paying a new connection (on PostgreSQL: authentication, codecs, and every statement
# prepared again, since prepared statements live with the connection).
POOL = dict(pool_size=15, max_overflow=0)
# SQLite: each connection is a thread of aiosqlite's with its own page cache, and writers
# take turns anyway; eight cover the residents' bound (handlers/common.py RESIDENT_WORK)
# plus officers, delivery and the sweep.
SQLITE_POOL = dict(pool_size=8, max_overflow=0)


def create_engine(url: str, *, connect_timeout: float | None = None,
                  statement_timeout: float | None = None) -> AsyncEngine:
    """An async engine; SQLite gets foreign keys, WAL and a busy timeout.

    PostgreSQL with timeouts (the running bot): a connection attempt or a statement that
    gets no answer fails after that many seconds, so a silent network partition costs an
    update a few seconds and an error, not a hang; asyncpg then closes the connection, and
    the pool replaces a closed one when it is next taken (below).
    """
    if url.startswith("sqlite"):
        busy_timeout = 30
        # The queue pool named: SQLAlchemy before 2.0.38 gave a SQLite file NullPool.
        engine = create_async_engine(url, connect_args={"timeout": busy_timeout},
                                     poolclass=AsyncAdaptedQueuePool,
                                     **sqlite_driver.ENGINE_OPTIONS, **SQLITE_POOL)
        # Writers take turns in the event loop, not in SQLite's busy handler.
        sqlite_driver.take_turns(engine, busy_timeout)

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            # Deleted rows are overwritten with zeros, not left in free pages; with a WAL
            # checkpoint after each purge, deleted means gone from the file.
            cursor.execute("PRAGMA secure_delete=ON")
            cursor.close()

        return engine
    connect_args: dict = {}
    if connect_timeout:
        connect_args["timeout"] = connect_timeout
    if statement_timeout:
        # Client side, because a partitioned server cannot cancel anything; the server
        # side one ends the statement there too.
        connect_args["command_timeout"] = statement_timeout
        connect_args["server_settings"] = {"statement_timeout": str(int(statement_timeout * 1000))}
    engine = create_async_engine(url, pool_timeout=connect_timeout or 30,
                                 connect_args=connect_args, **POOL)

    @event.listens_for(engine.sync_engine, "checkout")
    def _closed_means_reconnect(dbapi_connection, _record, _proxy):
        # What pool_pre_ping would catch (a server restart, a connection the network or
        # the server dropped: asyncpg notices a closed socket by itself), at no cost: the
        # pre-ping was BEGIN, a ping and ROLLBACK, three round trips per session. A silent
        # partition is caught by the timeouts above, as the ping would have been.
        if dbapi_connection.driver_connection.is_closed():
            raise exc.DisconnectionError("connection closed")

    return engine


def create_session_factory(engine: AsyncEngine) -> SessionFactory:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


def alembic_config():
    # Alembic (with Mako: about 11 MB) loads only where migrations run: `tipbot db
    # upgrade`, and the child process `tipbot run` migrates in (bot/cli/main.py).
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # A new migration's file is named by its revision id alone: NNNN_what_it_does.py.
    config.set_main_option("file_template", "%%(rev)s")
    return config


async def upgrade_database(engine: AsyncEngine, revision: str = "head", *,
                           vault: Vault | Callable[[], Vault] | None = None,
                           evidence_dir: Path | None = None) -> None:
    """Create or migrate the schema to ``revision`` on this engine. ``vault`` (or a
    function that opens it, called only if needed): for the migrations that encrypt or
    key data already stored; a database with such rows cannot be migrated without it,
    an empty one can."""

    from alembic import command

    def _upgrade(connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        config.attributes["vault"] = vault
        command.upgrade(config, revision)

    async with engine.begin() as connection:
        await connection.run_sync(_upgrade)
    if evidence_dir is not None and revision == "head":
        # Evidence an earlier version kept under DATA_DIR/evidence moves into the database
        # (after the migrations committed the table; each file committed before removal).
        from bot.storage.evidence import move_files_in
        await move_files_in(create_session_factory(engine), evidence_dir,
                            now=datetime.now(timezone.utc))


async def migrate_afresh(engine: AsyncEngine) -> None:
    """An empty schema at head: on PostgreSQL the ``public`` schema is dropped first. Only
    for a database of its own (tests, benchmarks), never the bot's."""
    if engine.dialect.name == "postgresql":
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    await upgrade_database(engine)


def upgrade_database_sync(url: str, revision: str = "head", *,
                          vault: Vault | Callable[[], Vault] | None = None,
                          evidence_dir: Path | None = None) -> None:
    """Blocking form for the command line, before any event loop runs."""

    async def _run() -> None:
        engine = create_engine(url)
        try:
            await upgrade_database(engine, revision, vault=vault, evidence_dir=evidence_dir)
        finally:
            await engine.dispose()

    asyncio.run(_run())


def in_child_process(work: Callable[[], int]) -> int:
    """``work()`` in a forked child; its exit code (1 for an exception, which it prints).
    For what should not stay loaded in a long-running process (``tipbot run``'s migrations)."""
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            code = work()
        except BaseException:  # noqa: BLE001  (printed as the command line would print it)
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def ensure_sqlite_directory(url: str) -> None:
    """A SQLite file's folder must exist before the first connection."""
    prefix = "sqlite+aiosqlite:///"
    if url.startswith(prefix) and ":memory:" not in url:
        Path(url[len(prefix):]).parent.mkdir(mode=0o700, parents=True, exist_ok=True)


async def checkpoint(engine: AsyncEngine) -> None:
    """SQLite: move the WAL into the database and truncate it, so the old copies of
    deleted pages that the WAL still holds are gone too. Nothing to do on PostgreSQL."""
    if engine.dialect.name != "sqlite":
        return
    async with engine.connect() as connection:
        await connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
