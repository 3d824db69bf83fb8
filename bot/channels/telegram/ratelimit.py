"""Telegram's flood limits, with officers' alerts ahead of residents' prompts.

Telegram lets a bot send about 30 messages a second overall and 20 a minute to one group.
PTB's AIORateLimiter queues every call in arrival order and sleeps through a 429 inside
the call; with 50 residents filing at once a new-case card waited seconds behind their
prompts. Here each limit is a token bucket whose waiters are served by priority first
(officers' ALERTs, then the rest of the OUTBOX, then NORMAL: residents' prompts), then
in arrival order; the outbox asks for no retries, because it
reschedules the row on a 429 instead of sleeping while it holds the row's lease.
"""
from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import time
import warnings
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

log = logging.getLogger(__name__)

ALERT, OUTBOX, NORMAL = 0, 1, 2


def retry_seconds(exc: RetryAfter) -> float:
    """Telegram's retry_after in seconds, from the public attribute: an int (deprecated)
    in PTB 22, a timedelta in PTB 23 and with PTB_TIMEDELTA set."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class PriorityBucket:
    """``rate`` tokens per ``per`` seconds (at most ``rate`` at once); waiters by priority."""

    def __init__(self, rate: int, per: float, clock: Callable[[], float] = time.monotonic):
        self.capacity, self.fill_rate, self._clock = float(rate), rate / per, clock
        self.tokens, self.updated = float(rate), clock()
        self._waiters: list[tuple[int, int, asyncio.Future]] = []
        self._order = itertools.count()
        self._pump: asyncio.Task | None = None

    def _refill(self) -> None:
        now = self._clock()
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.fill_rate)
        self.updated = now

    async def acquire(self, priority: int = NORMAL) -> None:
        self._refill()
        if not self._waiters and self.tokens >= 1:
            self.tokens -= 1
            return
        future = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiters, (priority, next(self._order), future))
        if self._pump is None or self._pump.done():
            self._pump = asyncio.create_task(self._serve_waiters())
        await future

    async def _serve_waiters(self) -> None:
        while self._waiters:
            self._refill()
            while self.tokens >= 1 and self._waiters:
                *_, future = heapq.heappop(self._waiters)
                if not future.done():           # a cancelled waiter gives its turn away
                    self.tokens -= 1
                    future.set_result(None)
            if self._waiters:
                await asyncio.sleep((1 - self.tokens) / self.fill_rate)

    @property
    def idle(self) -> bool:
        self._refill()
        return not self._waiters and self.tokens >= self.capacity


class PriorityGate:
    """At most ``limit`` holders at once; waiters served by priority, then arrival.

    The residents' database work goes through one (see handlers.common.resident_scope):
    on a loaded machine fifty residents' answers at once each took their turn at every
    round trip, a submitted report's among them, and its officers' alerts waited for it."""

    def __init__(self, limit: int):
        self._free = limit
        self._waiters: list[tuple[int, int, asyncio.Future]] = []
        self._order = itertools.count()

    async def acquire(self, priority: int = NORMAL) -> None:
        if self._free > 0 and not self._waiters:
            self._free -= 1
            return
        future = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiters, (priority, next(self._order), future))
        try:
            await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():
                self.release()          # granted as it was cancelled: pass it on
            raise

    def release(self) -> None:
        while self._waiters:
            *_, future = heapq.heappop(self._waiters)
            if not future.done():
                future.set_result(None)
                return
        self._free += 1


class PriorityRateLimiter(BaseRateLimiter[dict]):
    """``rate_limit_args``: ``{"priority": ALERT|OUTBOX|NORMAL, "retries": n}``; by default NORMAL
    and ``max_retries`` sleeps through a 429 (a handler's direct reply)."""

    def __init__(self, *, overall: int = 30, per_second: float = 1.0, group: int = 20,
                 group_period: float = 60.0, max_retries: int = 2):
        self._overall = PriorityBucket(overall, per_second)
        self._group_rate, self._group_period = group, group_period
        self._groups: dict[int | str, PriorityBucket] = {}
        self._max_retries = max_retries

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    def _group(self, chat_id: int | str) -> PriorityBucket:
        if len(self._groups) > 1000:            # forget groups that are quiet again
            self._groups = {k: b for k, b in self._groups.items() if not b.idle}
        return self._groups.setdefault(chat_id,
                                       PriorityBucket(self._group_rate, self._group_period))

    async def process_request(self, callback: Callable[..., Coroutine[Any, Any, Any]],
                              args: Any, kwargs: dict[str, Any], endpoint: str,
                              data: dict[str, Any], rate_limit_args: dict | None) -> Any:
        options = rate_limit_args or {}
        priority = options.get("priority", NORMAL)
        retries = options.get("retries", self._max_retries)
        chat_id = data.get("chat_id")
        for attempt in range(retries + 1):
            if chat_id is not None:
                if _is_group(chat_id):
                    await self._group(chat_id).acquire(priority)
                await self._overall.acquire(priority)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt == retries:
                    raise
                log.info("flood limit: retrying after %.0f s", retry_seconds(exc))
                await asyncio.sleep(retry_seconds(exc) + 0.1)
        raise AssertionError("unreachable")


def _is_group(chat_id: int | str) -> bool:
    try:
        return int(chat_id) < 0
    except (TypeError, ValueError):
        return True                              # @channelusername
