"""SQLAlchemy's aiosqlite adapter, with one trip to the connection's thread per statement.

aiosqlite runs every call on a thread of its own and hands the result back to the event
loop; SQLAlchemy's adapter makes four such calls for a query (open a cursor, execute,
fetch the rows, close the cursor) and three for a write. On this bot's statements (a few
rows by key) the handoffs cost far more CPU than SQLite itself: each wakes the thread,
contends for the interpreter lock and wakes the event loop again. Here a statement is one
function run on that thread: cursor, execute, rows, close, all at once. Transactions,
isolation and errors are aiosqlite's and SQLAlchemy's as before; server-side cursors
(``stream()``) keep SQLAlchemy's own cursor. A commit or rollback with no transaction open
(after a session that only read, and the pool's reset after every commit) makes no trip.

Writers take turns in the event loop, not in SQLite. SQLite lets one connection write at a
time; another one's write waits in SQLite's busy handler, which sleeps 1, 2, 5 ... up to
100 ms between tries and loses to newcomers. With 50 residents filing at once that made
statements wait up to 3 s (89 waits over 50 ms in one benchmark run) and a sent report's
alerts with them. Here a connection about to open a write transaction first takes the
engine's writer turn (an asyncio lock, first come first served) and gives it back when
the transaction ends; SQLite's busy timeout still arbitrates other processes (``tipbot
officer``, a backup), and a turn not had within that timeout is not waited for further.

Used through ``create_async_engine(..., module=dbapi())``; bot.storage.db does that for every
SQLite engine.
"""
from __future__ import annotations

import asyncio
import re
import sqlite3
from collections import deque
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util.concurrency import await_

# Python's sqlite3 opens a transaction (BEGIN) before these, and only these, statements.
# How long a writer waits for its turn at least, whatever SQLite's own busy timeout.
MIN_TURN_WAIT = 5.0
_OPENS_WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


class WriterTurns:
    """One engine's turn to write: an asyncio lock per event loop (tests and commands may
    run several loops over a process's life), held from a transaction's first write to
    its end."""

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


def _run(connection: sqlite3.Connection, operation: str, parameters: Any, many: bool):
    """On aiosqlite's thread: the whole statement, rows included."""
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        else:
            cursor.execute(operation, () if parameters is None else parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else ()
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class OneTripCursor:
    """A DBAPI cursor whose results are complete when ``execute`` returns."""

    server_side = False
    __slots__ = ("_adapt_connection", "_connection", "_rows", "description", "rowcount",
                 "lastrowid", "arraysize")

    def __init__(self, adapt_connection: AsyncAdapt_aiosqlite_connection):
        self._adapt_connection = adapt_connection
        self._connection: aiosqlite.Connection = adapt_connection._connection
        self._rows: deque = deque()
        self.description = None
        self.rowcount = -1
        self.lastrowid = None
        self.arraysize = 1

    def execute(self, operation: str, parameters: Any = None) -> None:
        self._call(operation, parameters, False)

    def executemany(self, operation: str, seq_of_parameters: Any) -> None:
        self._call(operation, seq_of_parameters, True)

    def _call(self, operation: str, parameters: Any, many: bool) -> None:
        try:
            await_(self._execute_async(operation, parameters, many))
        except Exception as error:  # noqa: BLE001  (mapped as SQLAlchemy's adapter maps it)
            self._adapt_connection._handle_exception(error)

    async def _execute_async(self, operation: str, parameters: Any, many: bool) -> None:
        adapt = self._adapt_connection
        if _OPENS_WRITE.match(operation) and not adapt._in_transaction():
            await adapt.take_writer_turn()
        try:
            async with adapt._execute_mutex:
                connection = self._connection
                # aiosqlite's own queue to its thread (what its public methods use), so the
                # statement runs in order with commits and rollbacks on the same connection.
                description, rows, rowcount, lastrowid = await connection._execute(
                    _run, connection._conn, operation, parameters, many)
        finally:
            if not adapt._in_transaction():      # a statement that opened none, or failed
                adapt.give_writer_turn()
        self.description, self.rowcount, self.lastrowid = description, rowcount, lastrowid
        self._rows = deque(rows)

    async def _async_soft_close(self) -> None:
        """Nothing to release: the rows were read with the statement."""

    def close(self) -> None:
        self._rows.clear()

    def fetchone(self) -> Any:
        return self._rows.popleft() if self._rows else None

    def fetchmany(self, size: int | None = None) -> list:
        size = self.arraysize if size is None else size
        return [self._rows.popleft() for _ in range(min(size, len(self._rows)))]

    def fetchall(self) -> list:
        rows = list(self._rows)
        self._rows.clear()
        return rows

    def __iter__(self):
        while self._rows:
            yield self._rows.popleft()

    def setinputsizes(self, *inputsizes: Any) -> None:
        pass

    def setoutputsize(self, size: Any, column: Any = None) -> None:
        pass

    def nextset(self) -> None:
        return None


class OneTripConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ("_turns", "_turn")

    def __init__(self, dbapi: Any, connection: aiosqlite.Connection, turns: WriterTurns):
        super().__init__(dbapi, connection)
        self._turns = turns
        self._turn: asyncio.Lock | None = None      # the writer turn this connection holds

    async def take_writer_turn(self) -> None:
        if self._turn is not None:
            return
        lock = self._turns.lock()
        try:
            await asyncio.wait_for(lock.acquire(), self._turns.timeout)
        except asyncio.TimeoutError:
            return                  # SQLite's own busy timeout decides from here
        self._turn = lock

    def give_writer_turn(self) -> None:
        lock, self._turn = self._turn, None
        if lock is not None and lock.locked():
            lock.release()

    def commit(self) -> None:
        # SQLite opens a transaction at the first write (Python's sqlite3 issues BEGIN
        # then), so a session that only read has nothing to commit and sqlite3's commit()
        # would do nothing: skip its trip to the thread. The same for the rollback with
        # which the pool resets every connection it gets back, after every commit.
        try:
            if self._in_transaction():
                super().commit()
        finally:
            if not self._in_transaction():
                self.give_writer_turn()

    def rollback(self) -> None:
        try:
            if self._in_transaction():
                super().rollback()
        finally:
            self.give_writer_turn()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.give_writer_turn()

    # A connection the pool gives up on (a cancelled task, one never returned) is
    # terminated, not closed: its turn must not stay taken.
    async def _terminate_graceful_close(self) -> None:
        try:
            await super()._terminate_graceful_close()
        finally:
            self.give_writer_turn()

    def _terminate_force_close(self) -> None:
        try:
            super()._terminate_force_close()
        finally:
            self.give_writer_turn()

    def _in_transaction(self) -> bool:
        try:
            return self._connection.in_transaction
        except ValueError:     # aiosqlite's "no active connection": let SQLAlchemy's
            return True        # own handling see it, as before

    def cursor(self, server_side: bool = False):
        return super().cursor(server_side=True) if server_side else OneTripCursor(self)


class OneTripDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """One per engine (bot.storage.db), so its connections share one writer turn."""

    def __init__(self, *args: Any):
        super().__init__(*args)
        self._turns: WriterTurns | None = None

    def connect(self, *arg: Any, **kw: Any) -> OneTripConnection:
        if self._turns is None:
            self._turns = WriterTurns(max(float(kw.get("timeout", 5.0)), MIN_TURN_WAIT))
        adapted = super().connect(*arg, **kw)
        return OneTripConnection(self, adapted._connection, self._turns)


def dbapi() -> OneTripDBAPI | None:
    """The one-trip adapter, or None (SQLAlchemy's own aiosqlite adapter is then used) when
    the aiosqlite or SQLAlchemy in use no longer has the private parts it builds on: a
    newer release costs some CPU per statement, never a bot that cannot start."""
    if not _internals_present():
        return None
    return OneTripDBAPI(aiosqlite, sqlite3)


def _internals_present() -> bool:
    return (callable(getattr(aiosqlite.Connection, "_execute", None))
            and callable(getattr(AsyncAdapt_aiosqlite_connection, "_handle_exception", None)))
