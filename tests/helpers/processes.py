"""`tipbot run` as real subprocesses against the emulator; each test cleans up its own."""
from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sys
from pathlib import Path

import httpx

from tests.helpers.harness import TOKEN

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tipbot_env(emu, data_dir: Path, database_url: str, key: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TELEGRAM_", "WEBHOOK_", "HTTP_LISTEN", "DATABASE_URL"))}
    env.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=emu.base_url,
               TELEGRAM_FILE_BASE_URL=emu.base_file_url, DATA_DIR=str(data_dir),
               DATABASE_URL=database_url, ENCRYPTION_KEY=key, PYTHONPATH=str(ROOT), **extra)
    return env


class Tipbot:
    """One `python -m bot.cli ...` process."""

    def __init__(self, env: dict[str, str], *args: str):
        self.env, self.args = env, args or ("run",)
        self.process: asyncio.subprocess.Process | None = None
        self.port = int(env["HTTP_LISTEN"].rsplit(":", 1)[1]) if env.get("HTTP_LISTEN") else None

    async def start(self) -> "Tipbot":
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", *self.args, env=self.env, cwd=ROOT,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        return self

    async def health(self) -> dict | None:
        try:
            async with httpx.AsyncClient(timeout=2) as client:
                return (await client.get(f"http://127.0.0.1:{self.port}/healthz")).json()
        except httpx.HTTPError:
            return None

    async def wait_role(self, role: str, timeout: float = 60) -> float:
        """Seconds until /healthz says ``role``."""
        loop = asyncio.get_running_loop()
        started = loop.time()
        while loop.time() - started < timeout:
            if self.process.returncode is not None:
                raise AssertionError(f"tipbot exited {self.process.returncode}: "
                                     f"{(await self.process.stderr.read()).decode()[-2000:]}")
            body = await self.health()
            if body is not None and body["role"] == role:
                return loop.time() - started
            await asyncio.sleep(0.1)
        raise AssertionError(f"tipbot did not become {role} within {timeout}s")

    async def finish(self, timeout: float = 30) -> tuple[int, str, str]:
        out, err = await asyncio.wait_for(self.process.communicate(), timeout)
        return self.process.returncode, out.decode(), err.decode()

    async def stop(self) -> tuple[int, str, str]:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        return await self.finish()

    def kill(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.kill()          # SIGKILL: no clean-up of any kind

    async def reap(self) -> None:
        """Make sure the process is gone (the test's finally)."""
        if self.process is None:
            return
        self.kill()
        try:
            await asyncio.wait_for(self.process.communicate(), 10)
        except (asyncio.TimeoutError, ProcessLookupError):
            pass


@contextlib.asynccontextmanager
async def leader_and_standby(emu, tmp_path: Path, database_url: str, key: str, **extra: str):
    """Two `tipbot run` processes on one database, each with its own DATA_DIR and port: the
    first serving, the second on standby once the block starts; both reaped when it ends."""
    pair = [Tipbot(tipbot_env(emu, tmp_path / name, database_url, key,
                              HTTP_LISTEN=f"127.0.0.1:{free_port()}", **extra))
            for name in ("a", "b")]
    try:
        for process, role in zip(pair, ("serving", "standby")):
            await process.start()
            await process.wait_role(role)
        yield pair
    finally:
        for process in pair:
            await process.reap()
