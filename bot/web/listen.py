"""Where an HTTP server listens: one ``HOST:PORT`` parser (HTTP_LISTEN, ``tipbot sandbox
--listen``) and one way to bind, for every server this project runs (the bot's web side,
the sandbox page, the Bot API emulator)."""
from __future__ import annotations

import socket

EXAMPLE = "127.0.0.1:8080"


class ListenError(Exception):
    """The address cannot be bound (taken, or not an address of this machine)."""


def parse_listen(value: str) -> tuple[str, int]:
    """``host:port`` (``[::1]:8080`` for IPv6; port 0 takes any free one) -> (host, port)."""
    host, sep, port = value.strip().rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or int(port) > 65535:
        raise ValueError(f"expected HOST:PORT, e.g. {EXAMPLE}, got {value!r}")
    return host, int(port)


def bind(host: str, port: int) -> socket.socket:
    """A listening socket, bound before anything starts, so a port already taken is one
    clear line (ListenError), not a traceback from deep inside the server."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ListenError(f"{host}:{port}: {exc.strerror or exc}") from None
    sock.listen(128)
    sock.set_inheritable(False)
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://{f'[{host}]' if ':' in host else host}:{port}"
