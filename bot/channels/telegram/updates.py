"""How updates are processed: concurrently across people, in order for each person."""
from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

log = logging.getLogger(__name__)


class DedupingQueue(asyncio.Queue):
    """The Application's update queue, taking each update_id once in the database.

    Whatever is waiting when the Application asks for the next update is recorded in one
    INSERT ... ON CONFLICT DO NOTHING RETURNING (one transaction per getUpdates batch, not
    per update); ids someone already took (a webhook retry, or updates fetched again by
    the standby that took over from a process that died before confirming them) are
    dropped here and never reach a handler.
    """

    def __init__(self, take: Callable[[list[int]], Awaitable[set[int]]]):
        super().__init__()
        self._take = take
        self._ready: deque = deque()

    async def get(self) -> object:
        while not self._ready:
            batch = [await super().get()]
            while not self.empty():
                batch.append(self.get_nowait())
            ids = [u.update_id for u in batch if isinstance(u, Update)]
            try:
                fresh = await self._take(ids)
            except Exception:  # noqa: BLE001  (the database is down: answering beats dropping)
                log.warning("could not record update ids; processing without the dedupe")
                fresh = set(ids)
            for item in batch:
                if isinstance(item, Update) and item.update_id not in fresh:
                    log.info("update delivered again; dropped")
                    self.task_done()
                else:
                    self._ready.append(item)
        return self._ready.popleft()


class PerUserUpdateProcessor(BaseUpdateProcessor):
    """A form's answers must be applied in the order sent, yet one person's slow file
    download must not hold up everyone else: serialise per user, run users in parallel."""

    def __init__(self, max_concurrent_updates: int = 64,
                 observe: Callable[[str, float], None] | None = None):
        super().__init__(max_concurrent_updates)
        self._observe = observe
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = defaultdict(int)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        started = time.perf_counter()
        try:
            await self._in_order(update, coroutine)
        finally:
            if self._observe is not None:
                self._observe(update_kind(update), started)

    async def _in_order(self, update: object, coroutine: Awaitable[Any]) -> None:
        user = update.effective_user if isinstance(update, Update) else None
        if user is None:
            await coroutine
            return
        lock = self._locks.setdefault(user.id, asyncio.Lock())
        self._waiting[user.id] += 1
        try:
            async with lock:
                await coroutine
        finally:
            self._waiting[user.id] -= 1
            if not self._waiting[user.id]:
                del self._waiting[user.id]
                self._locks.pop(user.id, None)

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass


def update_kind(update: object) -> str:
    """A label for the metrics: the kind of update, never its content."""
    if isinstance(update, Update):
        for kind in ("message", "callback_query", "edited_message"):
            if getattr(update, kind) is not None:
                return kind
    return "other"


class FloodGuard:
    """At most ``limit`` updates per user in a sliding ``window`` (seconds)."""

    def __init__(self, limit: int, window: float, clock=time.monotonic):
        self.limit = limit
        self.window = window
        self._clock = clock
        self._seen: dict[int, deque[float]] = {}
        self._warned: dict[int, float] = {}

    def allow(self, user_id: int) -> bool:
        now = self._clock()
        seen = self._seen.setdefault(user_id, deque())
        while seen and now - seen[0] > self.window:
            seen.popleft()
        if len(seen) >= self.limit:
            return False
        seen.append(now)
        return True

    def should_warn(self, user_id: int) -> bool:
        """Warn once per window, not once per dropped message."""
        now = self._clock()
        if now - self._warned.get(user_id, -1e9) > self.window:
            self._warned[user_id] = now
            return True
        return False
