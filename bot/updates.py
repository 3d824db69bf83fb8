"""How updates are processed: concurrently across people, in order for each person."""
from __future__ import annotations

import asyncio
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


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
