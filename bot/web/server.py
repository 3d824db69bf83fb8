"""The one HTTP server stack (Starlette on uvicorn), run inside the caller's event loop:
the bot's health, metrics and webhook, the sandbox page, and the Bot API emulator.

Routes are collected before start: health and metrics always, the webhook when
WEBHOOK_URL is set, and any page another module adds (``server.routes.append(...)``); or
a whole ASGI app is served as it is (the sandbox, the emulator).
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import socket

import uvicorn
from starlette.applications import Starlette
from starlette.routing import BaseRoute

from bot.web.listen import ListenError, bind, parse_listen, url_of

__all__ = ["ListenError", "WebServer"]

log = logging.getLogger(__name__)


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self):
        # uvicorn's own signal handlers would fight ours: the caller decides when to stop.
        yield


class WebServer:
    """``listen`` as ``HOST:PORT`` (or an already bound socket); ``app`` or ``routes``."""

    def __init__(self, listen: str | socket.socket, routes: list[BaseRoute] | None = None, *,
                 app=None, name: str = "tipbot-http"):
        if isinstance(listen, socket.socket):
            self._sock: socket.socket | None = listen
            self.host, self.port = listen.getsockname()[:2]
        else:
            self._sock = None
            self.host, self.port = parse_listen(listen)
        self.routes: list[BaseRoute] = list(routes or [])
        self._app, self._name = app, name
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task | None = None

    def app(self):
        return self._app if self._app is not None else Starlette(routes=self.routes)

    @property
    def url(self) -> str:
        return url_of(self._sock) if self._sock is not None else f"http://{self.host}:{self.port}"

    async def start(self) -> None:
        """Bind (ListenError when it cannot) and serve in a task of this event loop."""
        if self._sock is None:
            self._sock = bind(self.host, self.port)
            self.port = self._sock.getsockname()[1]
        config = uvicorn.Config(self.app(), log_config=None, access_log=False, lifespan="off",
                                server_header=False, timeout_graceful_shutdown=1)
        self._server = _Server(config)
        self._task = asyncio.create_task(self._server.serve(sockets=[self._sock]), name=self._name)
        while not self._server.started:
            if self._task.done():
                self._task.result()
                raise RuntimeError(f"HTTP server on {self.host}:{self.port} did not start")
            await asyncio.sleep(0.01)
        log.info("HTTP server listening on %s:%s", self.host, self.port)

    async def stop(self) -> None:
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            await self._task
            self._server = self._task = None
        if self._sock is not None:
            self._sock.close()
