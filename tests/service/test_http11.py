"""bot/http11.py, the Bot API's JSON calls' HTTP/1.1 client, against a scripted server:
keep-alive reuse, the three ways a response can end, what ends a connection (an error, a
timeout, a cancelled call, the server closing it, an idle spell), the pool's bound, TLS."""
from __future__ import annotations

import asyncio
import datetime as dt
import ssl

import pytest

from bot import http11
from bot.http11 import Http11Client, HttpError

OK = b'{"ok":true,"result":true}'


def respond(body: bytes = OK, *, status: str = "200 OK", headers: str = "") -> bytes:
    return (f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n{headers}\r\n").encode() + body


class Server:
    """Answers each request with what ``script`` returns for it (bytes to write, a list of
    pieces to write apart, or None to stay silent); "CLOSE" closes the connection after."""

    def __init__(self, script, tls: ssl.SSLContext | None = None):
        self.script = script
        self.tls = tls
        self.connections = 0
        self.requests: list[tuple[bytes, bytes]] = []
        self.closed_by_client = 0
        self.at_once = self.most_at_once = 0

    async def __aenter__(self):
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0, ssl=self.tls)
        port = self.server.sockets[0].getsockname()[1]
        self.url = f"{'https' if self.tls else 'http'}://127.0.0.1:{port}/bot123:abc/sendMessage"
        return self

    async def __aexit__(self, *exc):
        self.server.close()
        await self.server.wait_closed()

    async def _serve(self, reader, writer):
        self.connections += 1
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except asyncio.IncompleteReadError:
                    self.closed_by_client += 1
                    return
                length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                                  if line.lower().startswith(b"content-length")))
                body = await reader.readexactly(length)
                self.requests.append((head, body))
                self.at_once += 1
                self.most_at_once = max(self.most_at_once, self.at_once)
                answer = self.script(len(self.requests), body)
                if answer is None:
                    if await reader.read(1) == b"":
                        self.closed_by_client += 1
                    return
                close = answer[-1] == "CLOSE" if isinstance(answer, list) else False
                for piece in (answer[:-1] if close else answer) if isinstance(answer, list) else [answer]:
                    await asyncio.sleep(0.01)
                    writer.write(piece)
                    await writer.drain()
                self.at_once -= 1
                if close:
                    return
        finally:
            writer.close()


def client(limit: int = 8, tls: ssl.SSLContext | None = None) -> Http11Client:
    return Http11Client(limit=limit, user_agent="tipbot-test", tls=tls)


async def post(c: Http11Client, url: str, body: bytes = b'{"chat_id":1}', *, read: float | None = 5,
               pool: float | None = 1) -> tuple[int, bytes]:
    return await c.post_json(url, body, pool_timeout=pool, connect_timeout=5, read_timeout=read)


async def test_calls_share_one_kept_alive_connection_and_send_the_json_as_is():
    async with Server(lambda n, body: respond(b'{"n":%d}' % n)) as server:
        c = client()
        results = [await post(c, server.url, b'{"text":"halo %d"}' % i) for i in range(3)]
        c.close()
    assert results == [(200, b'{"n":1}'), (200, b'{"n":2}'), (200, b'{"n":3}')]
    assert server.connections == 1
    head, body = server.requests[0]
    assert head.startswith(b"POST /bot123:abc/sendMessage HTTP/1.1\r\n")
    assert b"\r\nHost: 127.0.0.1:" in head and b"\r\nContent-Type: application/json\r\n" in head
    assert b"\r\nUser-Agent: tipbot-test\r\n" in head and body == b'{"text":"halo 0"}'


async def test_a_chunked_answer_in_pieces_then_an_error_status_are_read_whole():
    def script(n, body):
        if n == 1:
            return [b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                    b"5;ext=1\r\n{\"ok\"", b"\r\n", b"e\r\n:true,\"result\"\r\n6\r\n:true}\r\n",
                    b"0\r\nX-Trailer: 1\r\n", b"\r\n"]
        return respond(b'{"ok":false,"error_code":400}', status="400 Bad Request")

    async with Server(script) as server:
        c = client()
        assert await post(c, server.url) == (200, OK)
        assert await post(c, server.url) == (400, b'{"ok":false,"error_code":400}')
        c.close()
    assert server.connections == 1


@pytest.mark.parametrize("ending", ["until close", "Connection: close", "HTTP/1.0"])
async def test_an_answer_that_ends_the_connection_is_read_and_the_next_call_opens_another(ending):
    def script(n, body):
        if n > 1:
            return respond()
        if ending == "until close":
            return [b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n", OK[:5], OK[5:],
                    "CLOSE"]
        if ending == "HTTP/1.0":
            return respond().replace(b"HTTP/1.1", b"HTTP/1.0")
        return respond(headers="Connection: close\r\n")

    async with Server(script) as server:
        c = client()
        assert await post(c, server.url) == (200, OK)
        await asyncio.sleep(0.05)
        assert await post(c, server.url) == (200, OK)
        c.close()
    assert server.connections == 2


async def test_a_timeout_or_a_cancelled_call_closes_its_connection_and_the_client_goes_on():
    async with Server(lambda n, body: None if n in (1, 2) else respond()) as server:
        c = client()
        with pytest.raises(TimeoutError):
            await post(c, server.url, read=0.2)
        call = asyncio.ensure_future(post(c, server.url))
        await asyncio.sleep(0.2)
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call
        assert await post(c, server.url) == (200, OK)
        await asyncio.sleep(0.05)
        c.close()
    # Each silent request's connection was closed by the client, never reused.
    assert server.connections == 3 and server.closed_by_client >= 2


async def test_a_connection_the_server_closed_or_idle_too_long_is_not_reused(monkeypatch):
    async with Server(lambda n, body: [respond(), "CLOSE"] if n == 1 else respond()) as server:
        c = client()
        assert await post(c, server.url) == (200, OK)
        await asyncio.sleep(0.05)                # the server's FIN has arrived
        assert await post(c, server.url) == (200, OK)
        monkeypatch.setattr(http11, "KEEPALIVE", 0.0)
        assert await post(c, server.url) == (200, OK)
        c.close()
    assert server.connections == 3


async def test_a_dropped_or_garbled_answer_is_an_error_and_the_next_call_works():
    def script(n, body):
        return {1: [b"HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n{\"ok\"", "CLOSE"],
                2: b"SMTP ready\r\n\r\n", 3: b"HTTP/1.1 200 OK\r\nbroken header\r\n\r\n"}.get(n, respond())

    async with Server(script) as server:
        c = client()
        for expected in ("closed the connection", "not an HTTP/1.x", "malformed response header"):
            with pytest.raises(HttpError, match=expected):
                await post(c, server.url)
        assert await post(c, server.url) == (200, OK)
        c.close()
    with pytest.raises(HttpError, match="cannot connect"):
        await post(client(), server.url)        # the server is gone


async def test_at_most_limit_calls_at_once_and_a_pool_timeout_when_they_take_too_long():
    async with Server(lambda n, body: [respond()]) as server:      # each answer takes 10 ms
        c = client(limit=2)
        results = await asyncio.gather(*(post(c, server.url) for _ in range(6)))
        c.close()
    assert results == [(200, OK)] * 6
    assert server.most_at_once == 2 and server.connections == 2

    async with Server(lambda n, body: None) as server:             # never answers
        c = client(limit=1)
        stuck = asyncio.ensure_future(post(c, server.url, read=None))
        await asyncio.sleep(0.1)
        with pytest.raises(TimeoutError):
            await post(c, server.url, pool=0.2)
        stuck.cancel()
        await asyncio.gather(stuck, return_exceptions=True)
        assert c._busy == 0 and not c._slot_waiters
        c.close()


async def test_https_with_the_authorities_given(tmp_path):
    cert, key = _self_signed(tmp_path)
    served = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    served.load_cert_chain(cert, key)
    async with Server(lambda n, body: respond(), tls=served) as server:
        strict = client()                        # the system's authorities: refused
        with pytest.raises(HttpError, match="cannot connect"):
            await post(strict, server.url.replace("127.0.0.1", "localhost"))
        trusting = client(tls=ssl.create_default_context(cafile=str(cert)))
        url = server.url.replace("127.0.0.1", "localhost")
        assert await post(trusting, url) == (200, OK)
        assert await post(trusting, url) == (200, OK)
        trusting.close()
        await asyncio.sleep(0.05)
    assert server.connections == 1               # the refused one never got past TLS


def _self_signed(tmp_path):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path
