"""The HTTP server (Starlette on uvicorn), run inside the bot's own event loop.

Routes are collected before start: health and metrics always, the webhook when
WEBHOOK_URL is set, and any page another module adds (``server.routes.append(...)``).
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import socket

import uvicorn
from starlette.applications import Starlette
from starlette.routing import BaseRoute

from bot.config import parse_listen

log = logging.getLogger(__name__)


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self):
        # uvicorn's own signal handlers would fight ours: the bot decides when to stop.
        yield


class ListenError(Exception):
    """HTTP_LISTEN cannot be bound (taken, or not an address of this machine)."""


def bind(host: str, port: int) -> socket.socket:
    """Bind here, so a port already taken is reported in one line, not a traceback."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ListenError(f"HTTP_LISTEN {host}:{port}: {exc.strerror or exc}") from None
    sock.set_inheritable(False)
    return sock


class WebServer:
    def __init__(self, listen: str, routes: list[BaseRoute] | None = None):
        self.host, self.port = parse_listen(listen)
        self.routes: list[BaseRoute] = list(routes or [])
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task | None = None

    def app(self) -> Starlette:
        return Starlette(routes=self.routes)

    async def start(self) -> None:
        config = uvicorn.Config(self.app(), host=self.host, port=self.port, log_config=None,
                                access_log=False, lifespan="off", server_header=False)
        sock = bind(self.host, self.port)
        self.port = sock.getsockname()[1]
        self._server = _Server(config)
        self._task = asyncio.create_task(self._server.serve(sockets=[sock]), name="tipbot-http")
        while not self._server.started:
            if self._task.done():
                self._task.result()
                raise RuntimeError(f"HTTP server on {self.host}:{self.port} did not start")
            await asyncio.sleep(0.02)
        log.info("HTTP server listening on %s:%s", self.host, self.port)

    async def stop(self) -> None:
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            await self._task
            self._server = self._task = None
