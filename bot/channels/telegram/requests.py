"""The Bot API client: PTB's request interface on aiohttp, counting every failed call for
the metrics.

Why not PTB's default (HTTPXRequest): every update costs the bot two or three Bot API calls
(the long poll, answering the pressed button, editing its message into the next question),
and httpx spends about 1.4 ms of CPU on one call against a local server, aiohttp about
0.5 ms (PTB's own encoding and decoding included; bench/README.md, issue 9). aiohttp is
already a dependency (the Bot API emulator serves on it). The timeouts keep PTB's meaning;
failures become PTB's TimedOut and NetworkError, as HTTPXRequest raises them.
"""
from __future__ import annotations

import asyncio
import json
import ssl
import urllib.request
from collections.abc import Callable

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData


class AiohttpRequest(BaseRequest):
    """PTB's BaseRequest on an aiohttp session (made in ``initialize``, inside the loop)."""

    __slots__ = ("_connect", "_media_write", "_pool", "_pool_size", "_read", "_session",
                 "_timeouts", "_write")

    def __init__(self, connection_pool_size: int = 256, read_timeout: float | None = 5.0,
                 write_timeout: float | None = 5.0, connect_timeout: float | None = 5.0,
                 pool_timeout: float | None = 1.0, media_write_timeout: float | None = 20.0):
        self._pool_size = connection_pool_size
        self._read, self._write = read_timeout, write_timeout
        self._connect, self._pool = connect_timeout, pool_timeout
        self._media_write = media_write_timeout
        self._session: aiohttp.ClientSession | None = None
        # The calls' timeouts, made once for each combination a caller asks for (a few).
        self._timeouts: dict[tuple, aiohttp.ClientTimeout] = {}

    @property
    def read_timeout(self) -> float | None:
        return self._read

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size, ssl=_tls_context()),
                headers={"User-Agent": self.USER_AGENT},
                # The Bot API sets no cookies: skip the jar's work on every call.
                cookie_jar=aiohttp.DummyCookieJar(),
                # As httpx does: a proxy from HTTPS_PROXY / ALL_PROXY. aiohttp then reads the
                # environment on every call (a quarter of a millisecond), so only when set.
                trust_env=bool(urllib.request.getproxies()))

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout=BaseRequest.DEFAULT_NONE,
                         write_timeout=BaseRequest.DEFAULT_NONE,
                         connect_timeout=BaseRequest.DEFAULT_NONE,
                         pool_timeout=BaseRequest.DEFAULT_NONE) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = (request_data.multipart_data
                 if request_data is not None and request_data.contains_files else None)
        read = self._read if isinstance(read_timeout, DefaultValue) else read_timeout
        connect = self._connect if isinstance(connect_timeout, DefaultValue) else connect_timeout
        pool = self._pool if isinstance(pool_timeout, DefaultValue) else pool_timeout
        write = write_timeout
        if isinstance(write_timeout, DefaultValue):
            write = self._media_write if files else self._write
        data = None
        if files:
            data = aiohttp.FormData()
            for name, value in request_data.json_parameters.items():
                data.add_field(name, value)
            for name, (filename, content, mimetype) in files.items():
                data.add_field(name, content, filename=filename, content_type=mimetype)
        elif request_data is not None:
            # One JSON body (the Bot API takes application/json except for uploads): PTB's
            # form fields would JSON-encode each object, then percent-encode every byte of
            # the text in pure Python; aiohttp's FormData is slower still. As a payload
            # that names its content type: no headers to merge, no payload type to look up.
            data = aiohttp.BytesPayload(json.dumps(request_data.parameters).encode(),
                                        content_type="application/json")
        parts = (pool, connect, write, read)
        timeout = self._timeouts.get(parts)
        if timeout is None:
            if len(self._timeouts) > 64:
                self._timeouts.clear()
            timeout = self._timeouts[parts] = _timeout(*parts)
        try:
            async with self._session.request(method, url, data=data,
                                             timeout=timeout) as response:
                return response.status, await response.read()
        except TimeoutError as err:          # aiohttp's timeouts are TimeoutErrors too
            raise TimedOut from err
        except aiohttp.ClientError as err:
            raise NetworkError(f"aiohttp.{err.__class__.__name__}: {err}") from err


def _timeout(pool, connect, write, read) -> aiohttp.ClientTimeout:
    """aiohttp has no write timeout: the whole call is bounded by the sum of the four
    instead, so a stalled upload still ends."""
    parts = (pool, connect, write, read)
    return aiohttp.ClientTimeout(
        total=None if None in parts else sum(parts),
        connect=None if pool is None or connect is None else pool + connect,
        sock_connect=connect, sock_read=read)


_TLS: ssl.SSLContext | None = None


def _tls_context() -> ssl.SSLContext:
    """certifi's authorities, as httpx verifies them (the system store may lack some)."""
    global _TLS
    if _TLS is None:
        try:
            import certifi
            _TLS = ssl.create_default_context(cafile=certifi.where())
        except ImportError:
            _TLS = ssl.create_default_context()
    return _TLS


class _Counting:
    """Counts failures by HTTP status ("429", "403", ...) or "network" / "timeout"."""

    __slots__ = ()

    def __init__(self, count: Callable[[str], None], **kwargs):
        super().__init__(**kwargs)
        self._count = count

    async def do_request(self, *args, **kwargs) -> tuple[int, bytes]:
        try:
            code, payload = await super().do_request(*args, **kwargs)
        except TimedOut:
            self._count("timeout")
            raise
        except NetworkError:
            self._count("network")
            raise
        if code >= 400:
            self._count(str(code))
        return code, payload


class _Batching:
    """The long poll's client. After a poll that brought updates, the next one waits until
    ``batch_wait`` seconds have passed since it, so that a busy bot fetches a few updates per
    poll instead of one (each poll is a call, a parse and a transaction recording its
    update_ids). An idle bot waits inside the long poll as before: the first message after
    a quiet spell is fetched at once; only one following it within ``batch_wait`` waits."""

    __slots__ = ()

    def __init__(self, count: Callable[[str], None], *, batch_wait: float, **kwargs):
        super().__init__(count, **kwargs)
        self._batch_wait, self._next_poll = batch_wait, 0.0

    async def do_request(self, *args, **kwargs) -> tuple[int, bytes]:
        loop = asyncio.get_running_loop()
        wait = self._next_poll - loop.time()
        if wait > 0:
            await asyncio.sleep(wait)
        self._next_poll = 0.0
        code, payload = await super().do_request(*args, **kwargs)
        if code == 200 and b'"update_id"' in payload:
            self._next_poll = loop.time() + self._batch_wait
        return code, payload


# No __slots__ below: the mixins keep their few attributes in the instance's dict.
class CountingRequest(_Counting, AiohttpRequest):
    """The bot's calls on aiohttp (the default, BOT_API_CLIENT=aiohttp)."""


class PollingRequest(_Batching, CountingRequest):
    """The long poll on aiohttp."""


class CountingHTTPXRequest(_Counting, HTTPXRequest):
    """The bot's calls on PTB's own client (BOT_API_CLIENT=httpx): more CPU a call, but
    PTB's reference client, for a network where aiohttp misbehaves (a proxy, TLS)."""


class PollingHTTPXRequest(_Batching, CountingHTTPXRequest):
    """The long poll on PTB's own client."""


def bot_api_requests(client: str, count: Callable[[str], None], *,
                     batch_wait: float) -> tuple[BaseRequest, BaseRequest]:
    """(the calls' client, the long poll's client) for BOT_API_CLIENT."""
    if client == "httpx":
        return (CountingHTTPXRequest(count, connection_pool_size=256),
                PollingHTTPXRequest(count, batch_wait=batch_wait, connection_pool_size=1))
    return (CountingRequest(count, connection_pool_size=256),
            PollingRequest(count, batch_wait=batch_wait, connection_pool_size=1))
