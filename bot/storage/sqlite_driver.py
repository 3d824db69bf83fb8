"""SQLite's writers take turns in the event loop, on SQLAlchemy's public events.

SQLite lets one connection write at a time; another one's write waits in SQLite's busy
handler, which sleeps 1, 2, 5 ... up to 100 ms between tries and loses to newcomers. With
50 residents filing at once that made statements wait up to 3 s (89 waits over 50 ms in
one benchmark run) and a sent report's alerts with them. Here a connection about to open a
write transaction first takes the engine's writer turn (an asyncio lock, first come first
served) and gives it back when the connection returns to the pool, right after its
transaction ends (a session's commit or rollback, the end of ``engine.begin()``). SQLite's
busy timeout still arbitrates other processes (``tipbot officer``, a backup), and a turn
not had within that timeout is not waited for further.

The hooks, all public API: ``before_cursor_execute`` sees the statement that opens the
write (Python's sqlite3 issues BEGIN before INSERT/UPDATE/DELETE/REPLACE, and only those)
and awaits the lock through ``AdaptedConnection.run_async``; the pool's ``checkin`` gives
it back (it runs for every connection returned, also one invalidated or terminated by a
cancelled task). The pool's ``reset`` rolls back only a connection with a transaction open
(``pool_reset_on_return=None``): a session that only read makes no trip to aiosqlite's
thread on its return.
"""
from __future__ import annotations

import asyncio
import re
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

# Python's sqlite3 opens a transaction (BEGIN) before these, and only these, statements.
_OPENS_WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
# How long a writer waits for its turn at least, whatever SQLite's own busy timeout.
MIN_TURN_WAIT = 5.0
# create_async_engine's options for an engine whose turns this module keeps.
ENGINE_OPTIONS = dict(pool_reset_on_return=None)
_HELD = "tipbot_writer_turn"          # the lock a pooled connection holds, in its record_info


class WriterTurns:
    """One engine's turn to write: an asyncio lock per event loop (tests and commands may
    run several loops over a process's life)."""

    def __init__(self, timeout: float):
        self.timeout = timeout
        self._locks: dict[asyncio.AbstractEventLoop, asyncio.Lock] = {}

    def lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        lock = self._locks.get(loop)
        if lock is None:
            self._locks = {known: held for known, held in self._locks.items() if not known.is_closed()}
            lock = self._locks[loop] = asyncio.Lock()
        return lock

    async def take(self) -> asyncio.Lock | None:
        """The lock, once had; None when SQLite's busy timeout decides instead."""
        lock = self.lock()
        try:
            await asyncio.wait_for(lock.acquire(), self.timeout)
        except asyncio.TimeoutError:
            return None
        return lock


def _in_transaction(driver_connection: Any) -> bool:
    try:
        return driver_connection.in_transaction
    except ValueError:      # aiosqlite's "no active connection": nothing to wait for or end
        return False


def take_turns(engine: AsyncEngine, busy_timeout: float) -> None:
    """Make ``engine``'s connections take turns to write (see the module's docstring)."""
    turns = WriterTurns(max(busy_timeout, MIN_TURN_WAIT))

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def _take_turn(connection, _cursor, statement, _parameters, _context, _executemany):
        pooled = connection.connection
        if (_HELD in pooled.record_info or not _OPENS_WRITE.match(statement)
                or _in_transaction(pooled.driver_connection)):
            return
        lock = pooled.dbapi_connection.run_async(lambda _driver: turns.take())
        if lock is not None:
            pooled.record_info[_HELD] = lock

    @event.listens_for(engine.sync_engine, "reset")
    def _end_open_transaction(dbapi_connection, _record, reset_state):
        if not reset_state.terminate_only and _in_transaction(dbapi_connection.driver_connection):
            dbapi_connection.rollback()

    @event.listens_for(engine.sync_engine, "checkin")
    def _give_turn_back(_dbapi_connection, record):
        lock = record.record_info.pop(_HELD, None)
        if lock is not None and lock.locked():
            lock.release()
