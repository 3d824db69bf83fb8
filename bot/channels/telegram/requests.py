"""The Bot API client: PTB's own HTTPXRequest (httpx), tuned for this bot, counting every
failed call for the metrics; and the long poll's client, which batches a busy bot's
updates.

Tuning, against PTB's defaults (256 connections, of which httpx keeps 20 alive for 5 s;
read/write/connect 5 s, pool 1 s):
* HTTP/1.1 (PTB's default too): one request per connection at a time, no HTTP/2 extra
  to install; at Telegram's 30 messages a second a few connections carry it all.
* 64 connections, every one kept alive for 60 s: a burst of alerts reuses the connections
  of the last one instead of a TLS handshake each (the 21st onward were closed on return).
* A call waits up to 5 s for a free connection (1 s made a burst fail with a pool timeout
  while its calls were only queued), and gets 10 s to be read: a send that timed out may
  still have been delivered, so an answer that is merely slow is worth waiting for.
"""
from __future__ import annotations

import asyncio
import functools
import ssl
from collections.abc import Callable

import httpx
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest

CALLS_POOL = 64
KEEP_ALIVE = 60.0
TIMEOUTS = dict(connect_timeout=5.0, read_timeout=10.0, write_timeout=10.0, pool_timeout=5.0,
                media_write_timeout=30.0)


class CountingRequest(HTTPXRequest):
    """PTB's httpx client; failures counted by HTTP status ("429", "403", ...) or
    "network" / "timeout"."""

    def __init__(self, count: Callable[[str], None], *, connection_pool_size: int = CALLS_POOL):
        super().__init__(
            connection_pool_size=connection_pool_size, http_version="1.1", **TIMEOUTS,
            httpx_kwargs={"limits": httpx.Limits(max_connections=connection_pool_size,
                                                 max_keepalive_connections=connection_pool_size,
                                                 keepalive_expiry=KEEP_ALIVE),
                          "verify": _tls_context()})
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


class PollingRequest(CountingRequest):
    """The long poll's client. After a poll that brought updates, the next one waits until
    ``batch_wait`` seconds have passed since it, so that a busy bot fetches a few updates per
    poll instead of one (each poll is a call, a parse and a transaction recording its
    update_ids). An idle bot waits inside the long poll as before: the first message after
    a quiet spell is fetched at once; only one following it within ``batch_wait`` waits."""

    def __init__(self, count: Callable[[str], None], *, batch_wait: float):
        super().__init__(count, connection_pool_size=1)
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


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """httpx's default verification (certifi's authorities), one context for both clients:
    each would load the bundle into a context of its own (about 1 MB)."""
    return httpx.create_ssl_context()


def bot_api_requests(count: Callable[[str], None], *,
                     batch_wait: float) -> tuple[BaseRequest, BaseRequest]:
    """(the calls' client, the long poll's client)."""
    return CountingRequest(count), PollingRequest(count, batch_wait=batch_wait)
