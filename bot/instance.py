"""One serving instance per database: who may poll, sweep and send.

PostgreSQL: the serving process holds a session advisory lock on a connection of its own;
another `tipbot run` waits as a hot standby and takes the lock when the holder's session
ends (a crash closes the socket at once; a dead machine is noticed by TCP keepalives
within about 25 s). SQLite: an exclusive lock on a file beside the database, so a second
`tipbot run` refuses to start while the other commands keep working.
"""
from __future__ import annotations

import asyncio
import fcntl
import logging
import os
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine
from sqlalchemy.pool import NullPool

log = logging.getLogger(__name__)

# Any constant shared by every tipbot process on one database ("tipbot" in ASCII).
LOCK_KEY = 0x746970626F74
RETRY_EVERY = 2.0     # a standby tries the lock this often (takeover well within 30 s)
CHECK_EVERY = 5.0     # the holder checks its lock connection this often
# The server drops a vanished client's session (and its lock) after idle + interval*count.
KEEPALIVE = {"tcp_keepalives_idle": "10", "tcp_keepalives_interval": "5",
             "tcp_keepalives_count": "3"}


class AlreadyRunning(Exception):
    """Another `tipbot run` serves this SQLite file."""


class FileGuard:
    """SQLite: whoever holds the lock file serves; nobody waits."""

    waits = False

    def __init__(self, database_file: Path):
        self.path = database_file.with_name(database_file.name + ".run-lock")
        self._fd: int | None = None

    async def acquire(self, on_standby=None) -> None:
        if self._fd is None:
            self.hold()

    def hold(self) -> None:
        """Take the lock now (before migrating) or raise AlreadyRunning."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise AlreadyRunning(
                f"another `tipbot run` is already serving {self.path.with_suffix('').name}; "
                "SQLite allows one (use PostgreSQL for a hot standby)") from None
        self._fd = fd

    async def lost(self) -> None:
        await asyncio.Event().wait()      # a file lock is held until the process ends

    async def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


class AdvisoryLockGuard:
    """PostgreSQL: a session advisory lock, held as long as this process lives."""

    waits = True

    def __init__(self, url: str, *, connect_timeout: float = 5.0):
        self._engine = create_async_engine(
            url, poolclass=NullPool,
            connect_args={"timeout": connect_timeout, "server_settings": KEEPALIVE})
        self._connection: AsyncConnection | None = None

    async def acquire(self, on_standby=None) -> None:
        """Return once this process holds the lock; until then it is a standby."""
        announced = False
        while True:
            try:
                connection = await self._engine.connect()
                got = await connection.scalar(text("SELECT pg_try_advisory_lock(:key)"),
                                              {"key": LOCK_KEY})
                await connection.commit()
                if got:
                    self._connection = connection
                    return
                await connection.close()
            except Exception as exc:  # noqa: BLE001  (down or partitioned: try again)
                log.warning("standby: database unreachable (%s)", type(exc).__name__)
            if not announced:
                announced = True
                log.info("another instance is serving; waiting as standby")
                if on_standby is not None:
                    on_standby()
            await asyncio.sleep(RETRY_EVERY)

    async def lost(self) -> None:
        """Return when the lock's connection fails: someone else may hold it by now."""
        while True:
            await asyncio.sleep(CHECK_EVERY)
            try:
                async with asyncio.timeout(CHECK_EVERY):
                    await self._connection.scalar(text("SELECT 1"))
                    await self._connection.commit()
            except Exception as exc:  # noqa: BLE001
                log.error("lost the serving lock's database connection (%s)", type(exc).__name__)
                return

    async def release(self) -> None:
        if self._connection is not None:
            try:
                await self._connection.close()
            except Exception:  # noqa: BLE001  (closing the session releases the lock anyway)
                pass
            self._connection = None
        await self._engine.dispose()


class SharedGuard:
    """PostgreSQL with webhooks: every instance serves behind the load balancer; the
    update dedupe and the outbox's row claims keep them from doing anything twice."""

    waits = False

    async def acquire(self, on_standby=None) -> None:
        return None

    async def lost(self) -> None:
        await asyncio.Event().wait()

    async def release(self) -> None:
        return None


def guard_for(url: str, *, webhook: bool, connect_timeout: float = 5.0):
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[1]
        return FileGuard(Path(path).resolve())
    if webhook:
        return SharedGuard()
    return AdvisoryLockGuard(url, connect_timeout=connect_timeout)
