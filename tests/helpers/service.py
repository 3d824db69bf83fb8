"""`tipbot run`'s service (bot/service.py) run in the test's event loop, against the
emulator, with its own HTTP server on a free port; and waits for what must happen on time."""
from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime, timezone

import httpx

from bot.service import serve
from tests.helpers.harness import make_settings

START = datetime(2026, 11, 28, 2, 0, tzinfo=timezone.utc)     # Saturday, 09:00 WIB


class Served:
    def __init__(self, settings, task, stop, web):
        self.settings, self.task, self.stop, self.web = settings, task, stop, web

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.web.port}"

    async def get(self, path: str) -> httpx.Response:
        async with httpx.AsyncClient() as client:
            return await client.get(self.base + path)


async def wait_for(predicate, timeout: float = 20.0, what: str = "condition") -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


@contextlib.asynccontextmanager
async def served(emu, database_url: str, data_dir, **overrides):
    """The service running until the block ends; yields once it serves."""
    settings = make_settings(emu, data_dir, database_url=database_url,
                             http_listen="127.0.0.1:0", **overrides)
    stop = asyncio.Event()
    ready = asyncio.get_running_loop().create_future()
    task = asyncio.create_task(serve(settings, stop=stop, on_ready=ready.set_result))
    done, _ = await asyncio.wait({task, ready}, timeout=20, return_when=asyncio.FIRST_COMPLETED)
    if task in done:
        task.result()
    running = Served(settings, task, stop, ready.result())

    async def serving() -> bool:
        return (await running.get("/healthz")).json()["role"] == "serving"

    try:
        await wait_for(serving, what="the service to serve")
        yield running
    finally:
        stop.set()
        assert await asyncio.wait_for(task, 30) == 0


async def until(predicate, timeout: float, what: str) -> None:
    """Wait for ``predicate`` (a deadline of the behaviour, not a measure of speed)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await _holds(predicate):
        if loop.time() > deadline:
            raise AssertionError(f"{what}: not within {timeout:.0f} s")
        await asyncio.sleep(0.1)


async def _holds(predicate) -> bool:
    result = predicate()
    return bool(await result) if asyncio.iscoroutine(result) else bool(result)
