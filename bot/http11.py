"""A small HTTP/1.1 client for the Bot API's JSON calls: keep-alive connections, one write
per request, the response read by a protocol with no stream, task or timer objects
between the socket and the caller.

Why: every update costs the bot two or three Bot API calls, and aiohttp's general-purpose
request path (URL objects, header multidicts, a task writing each body, stream readers,
timeout contexts) took about 0.25 ms of CPU a call on top of what the call itself needs
(bench/README.md, issue 9). The Bot API needs little of HTTP: a POST with a JSON body and
a JSON answer, over HTTP/1.1 with TLS. Uploads, downloads and proxies stay on aiohttp
(bot/requests.py decides).

Responses may carry a Content-Length, be chunked, or end when the server closes the
connection; a connection is reused only after a complete response that allows it, and
never after an error, a timeout or a cancelled call. Idle connections are closed after
``KEEPALIVE`` seconds (as aiohttp does), so a server's own idle timeout rarely meets a
request on its way. A request is never retried here: a POST the server may have carried
out must not be made twice.
"""
from __future__ import annotations

import asyncio
import ssl as ssl_module
from collections import deque
from urllib.parse import urlsplit

KEEPALIVE = 15.0                     # seconds an idle connection is kept
MAX_HEAD = 64 * 1024                 # bytes of status line and headers
MAX_BODY = 64 * 1024 * 1024          # bytes of a response body


class HttpError(Exception):
    """The connection failed or the server's answer was not HTTP/1.x as expected."""


class _Connection(asyncio.Protocol):
    """One connection; at most one request on it at a time."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self.reusable = False
        self.idle_since = 0.0
        self._buffer = bytearray()
        self._waiter: asyncio.Future | None = None
        self._status = 0
        self._length: int | None = None       # Content-Length; None: chunked or until close
        self._chunked = False
        self._keep_alive = False
        self._body = bytearray()

    # -- asyncio.Protocol ----------------------------------------------------------------
    def connection_made(self, transport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        if self._waiter is None or self._waiter.done():
            self.abort()                     # bytes nobody asked for: out of step
            return
        self._buffer += data
        try:
            self._parse()
        except HttpError as exc:
            self._fail(exc)

    def eof_received(self) -> bool:
        self.closed = True
        if self._waiter is not None and not self._waiter.done():
            if self._status and self._length is None and not self._chunked:
                self._body += self._buffer          # a body that ends with the connection
                self._buffer.clear()
                self._finish(keep_alive=False)
            else:
                self._fail(HttpError("the server closed the connection"))
        return False                          # close the transport

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.reusable = False
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_exception(
                HttpError(f"connection lost: {exc!r}" if exc else "connection closed"))

    # -- use -----------------------------------------------------------------------------
    def request(self, data: bytes, loop: asyncio.AbstractEventLoop) -> asyncio.Future:
        """Send one request; the future gets (status, body) or an HttpError."""
        if self.closed:
            raise HttpError("the connection is closed")
        self.reusable = False
        self._status, self._length, self._chunked, self._keep_alive = 0, None, False, False
        self._body = bytearray()
        self._waiter = loop.create_future()
        self.transport.write(data)
        return self._waiter

    def abort(self) -> None:
        self.closed = True
        self.reusable = False
        if self.transport is not None:
            self.transport.abort()

    def _fail(self, exc: Exception) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_exception(exc)
        self.abort()

    def _finish(self, *, keep_alive: bool) -> None:
        self.reusable = keep_alive and not self._buffer and not self.closed
        self._waiter.set_result((self._status, bytes(self._body)))

    def _parse(self) -> None:
        buffer = self._buffer
        while not self._status:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(buffer) > MAX_HEAD:
                    raise HttpError("response headers too long")
                return
            self._head(bytes(buffer[:end]))
            del buffer[:end + 4]
        if self._chunked:
            self._chunks()
        elif self._length is not None:
            if len(buffer) >= self._length:
                self._body = buffer[:self._length]
                del buffer[:self._length]
                self._finish(keep_alive=self._keep_alive)
        else:                                   # until the server closes the connection
            self._body += buffer
            buffer.clear()
            if len(self._body) > MAX_BODY:
                raise HttpError("response too long")

    def _head(self, head: bytes) -> None:
        lines = head.decode("latin-1").split("\r\n")
        version, _, rest = lines[0].partition(" ")
        code = rest[:3]
        if not version.startswith("HTTP/1.") or not (code.isdigit() and code.isascii()):
            raise HttpError("not an HTTP/1.x response")
        status = int(code)
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, colon, value = line.partition(":")
            if not colon:
                raise HttpError("malformed response header")
            headers[name.strip().lower()] = value.strip()
        if 100 <= status < 200:
            return                              # an interim response: the real one follows
        connection = headers.get("connection", "").lower()
        self._keep_alive = ("close" not in connection if version == "HTTP/1.1"
                            else "keep-alive" in connection)
        if "chunked" in headers.get("transfer-encoding", "").lower():
            self._chunked = True
        elif "content-length" in headers:
            length = headers["content-length"]
            if not (length.isdigit() and length.isascii()) or int(length) > MAX_BODY:
                raise HttpError("bad Content-Length")
            self._length = int(length)
        elif status in (204, 304):
            self._length = 0
        else:
            self._keep_alive = False
        self._status = status

    def _chunks(self) -> None:
        buffer = self._buffer
        while True:
            end = buffer.find(b"\r\n")
            if end < 0:
                if len(buffer) > MAX_HEAD:
                    raise HttpError("chunk header too long")
                return
            size_field = bytes(buffer[:end]).split(b";", 1)[0].strip()
            try:
                size = int(size_field, 16)
            except ValueError:
                raise HttpError("bad chunk size") from None
            if size == 0:                       # the last chunk, then trailers up to a blank line
                if buffer[end + 2:end + 4] == b"\r\n":
                    del buffer[:end + 4]
                else:
                    trailers = buffer.find(b"\r\n\r\n", end + 2)
                    if trailers < 0:
                        return
                    del buffer[:trailers + 4]
                self._chunked = False
                self._finish(keep_alive=self._keep_alive)
                return
            if len(buffer) < end + 2 + size + 2:
                if len(self._body) + size > MAX_BODY:
                    raise HttpError("response too long")
                return
            if buffer[end + 2 + size:end + 4 + size] != b"\r\n":
                raise HttpError("malformed chunk")
            self._body += buffer[end + 2:end + 2 + size]
            del buffer[:end + 4 + size]


class _Target:
    """Where a URL goes, and the start of every request to it."""

    __slots__ = ("key", "host", "port", "tls", "head")

    def __init__(self, url: str, user_agent: str):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise HttpError(f"unsupported URL scheme {parts.scheme!r}")
        self.tls = parts.scheme == "https"
        self.host = parts.hostname
        self.port = parts.port or (443 if self.tls else 80)
        self.key = (self.tls, self.host, self.port)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        host = f"[{self.host}]" if ":" in self.host else self.host
        if parts.port is not None:
            host = f"{host}:{parts.port}"
        try:
            self.head = (f"POST {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: {user_agent}\r\n"
                         "Accept: */*\r\nContent-Type: application/json\r\nContent-Length: "
                         ).encode("ascii")
        except UnicodeEncodeError:
            raise HttpError("the URL must be ASCII") from None


class Http11Client:
    """POST JSON, get (status, body). At most ``limit`` requests at once; idle
    connections kept per host for ``KEEPALIVE`` seconds."""

    def __init__(self, *, limit: int, user_agent: str,
                 tls: ssl_module.SSLContext | None = None):
        self._limit = limit
        self._user_agent = user_agent
        self._tls = tls
        self._busy = 0
        self._idle: dict[tuple, list[_Connection]] = {}
        self._slot_waiters: deque[asyncio.Future] = deque()
        self._targets: dict[str, _Target] = {}
        self._closed = False

    def _target(self, url: str) -> _Target:
        target = self._targets.get(url)
        if target is None:
            if len(self._targets) > 256:
                self._targets.clear()
            target = self._targets[url] = _Target(url, self._user_agent)
        return target

    async def post_json(self, url: str, body: bytes, *, pool_timeout: float | None,
                        connect_timeout: float | None,
                        read_timeout: float | None) -> tuple[int, bytes]:
        """Raises HttpError for a failed connection, TimeoutError for a timeout."""
        if self._closed:
            raise RuntimeError("this client is closed")
        target = self._target(url)
        loop = asyncio.get_running_loop()
        if self._busy >= self._limit:
            await self._wait_for_slot(loop, pool_timeout)
        self._busy += 1
        connection = None
        try:
            connection = self._reuse(target.key, loop)
            if connection is None:
                connection = await self._connect(target, loop, connect_timeout)
            waiter = connection.request(
                b"".join((target.head, str(len(body)).encode(), b"\r\n\r\n", body)), loop)
            if read_timeout is None:
                result = await waiter
            else:
                timer = loop.call_later(read_timeout, _time_out, waiter)
                try:
                    result = await waiter
                finally:
                    timer.cancel()
        except BaseException:
            if connection is not None:
                connection.abort()
            raise
        finally:
            self._busy -= 1
            if connection is not None:
                self._put_back(target.key, connection, loop)
            if self._slot_waiters:
                self._wake_one()
        return result

    async def _wait_for_slot(self, loop, pool_timeout: float | None) -> None:
        while self._busy >= self._limit:
            waiter = loop.create_future()
            self._slot_waiters.append(waiter)
            try:
                if pool_timeout is None:
                    await waiter
                else:
                    await asyncio.wait_for(waiter, pool_timeout)
            except BaseException:
                if waiter.done() and not waiter.cancelled():
                    self._wake_one()            # woken as it gave up: pass the turn on
                raise

    def _wake_one(self) -> None:
        while self._slot_waiters:
            waiter = self._slot_waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return

    def _reuse(self, key: tuple, loop) -> _Connection | None:
        idle = self._idle.get(key)
        now = loop.time()
        while idle:
            connection = idle.pop()
            if not connection.closed and now - connection.idle_since < KEEPALIVE:
                return connection
            connection.abort()
        return None

    def _put_back(self, key: tuple, connection: _Connection, loop) -> None:
        if not connection.reusable or self._closed:
            if not connection.closed:
                connection.abort()
            return
        idle = self._idle.setdefault(key, [])
        if len(idle) >= self._limit:
            connection.abort()
            return
        connection.idle_since = loop.time()
        idle.append(connection)

    async def _connect(self, target: _Target, loop, timeout: float | None) -> _Connection:
        tls = None
        if target.tls:
            tls = self._tls or ssl_module.create_default_context()
        try:
            _, connection = await asyncio.wait_for(
                loop.create_connection(_Connection, target.host, target.port, ssl=tls,
                                       server_hostname=target.host if tls else None),
                timeout)
        except OSError as exc:
            raise HttpError(f"cannot connect: {exc!r}") from exc
        return connection

    def close(self) -> None:
        self._closed = True
        for idle in self._idle.values():
            for connection in idle:
                connection.abort()
        self._idle.clear()


def _time_out(waiter: asyncio.Future) -> None:
    if not waiter.done():
        waiter.set_exception(TimeoutError())
