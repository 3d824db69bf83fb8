"""``tipbot sandbox``: the real bot in a browser, with no Telegram and no token."""
from __future__ import annotations

import argparse
import asyncio
import socket

from bot.cli.common import ConfigError, load_settings
from bot.logs import configure_logging

DEFAULT_LISTEN = "127.0.0.1:8080"


def parse_listen(value: str) -> tuple[str, int]:
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, e.g. {DEFAULT_LISTEN}")
    return host.strip("[]"), int(port)


def cmd_sandbox(args: argparse.Namespace) -> int:
    """Run the bot against the built-in Bot API emulator and serve the page."""
    settings = load_settings()
    # A person trying the bot wants the page's address, not the migrations and the sweep's
    # housekeeping: the sandbox logs warnings, unless LOG_LEVEL asks for more than INFO.
    level = settings.log_level.upper()
    configure_logging("WARNING" if level == "INFO" else level, settings.log_format)
    host, port = args.listen
    try:
        sock = bind(host, port)
    except OSError as exc:
        raise ConfigError(f"--listen {host}:{port}: {exc.strerror or exc}") from None
    asyncio.run(serve(settings, sock))
    return 0


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound before anything starts, so a taken port is one clear line."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(128)
    return sock


def page_url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://{f'[{host}]' if ':' in host else host}:{port}/"


async def serve(settings, sock: socket.socket) -> None:
    """The sandbox and its page until Ctrl+C (or ``server.should_exit``)."""
    import uvicorn

    from bot.web.sandbox.web import create_app
    from bot.web.sandbox.world import Sandbox

    sandbox = Sandbox(settings)
    await sandbox.start()
    server = uvicorn.Server(uvicorn.Config(
        create_app(sandbox), log_level="warning", access_log=False,
        timeout_graceful_shutdown=1, lifespan="off"))
    print(f"tipbot sandbox: open {page_url(sock)} in a browser (Ctrl+C stops it)", flush=True)
    try:
        await server.serve(sockets=[sock])
    finally:
        sandbox.closing = True
        await sandbox.stop()


def register(commands) -> None:
    sandbox = commands.add_parser(
        "sandbox", help="try the bot in a browser: no Telegram, no token",
        description="Run the real bot against a built-in stand-in for Telegram and serve a page "
                    "with a resident's, an officer's and the task-force group's chats. Its "
                    "database lives in DATA_DIR/sandbox/ and starts afresh each time.")
    sandbox.add_argument("--listen", type=parse_listen, default=DEFAULT_LISTEN, metavar="HOST:PORT",
                         help=f"where the page is served (default {DEFAULT_LISTEN})")
    sandbox.set_defaults(handler=cmd_sandbox)
