"""``tipbot sandbox``: the real bot in a browser, with no Telegram and no token."""
from __future__ import annotations

import argparse
import asyncio
import signal
import socket

from bot.cli.common import ConfigError, load_settings
from bot.logs import configure_logging
from bot.web.listen import EXAMPLE as DEFAULT_LISTEN, ListenError, bind, parse_listen


def listen_argument(value: str) -> tuple[str, int]:
    try:
        return parse_listen(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


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
    except ListenError as exc:
        raise ConfigError(f"--listen {exc}") from None
    asyncio.run(serve(settings, sock))
    return 0


async def serve(settings, sock: socket.socket) -> None:
    """The sandbox and its page until Ctrl+C."""
    from bot.web.sandbox.web import create_app
    from bot.web.sandbox.world import Sandbox
    from bot.web.server import WebServer

    sandbox = Sandbox(settings)
    await sandbox.start()
    server = WebServer(sock, app=create_app(sandbox), name="tipbot-sandbox")
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    try:
        await server.start()
        print(f"tipbot sandbox: open {server.url}/ in a browser (Ctrl+C stops it)", flush=True)
        await stop.wait()
    finally:
        sandbox.closing = True
        await server.stop()
        await sandbox.stop()


def register(commands) -> None:
    sandbox = commands.add_parser(
        "sandbox", help="try the bot in a browser: no Telegram, no token",
        description="Run the real bot against a built-in stand-in for Telegram and serve a page "
                    "with a resident's, an officer's and the task-force group's chats. Its "
                    "database lives in DATA_DIR/sandbox/ and starts afresh each time.")
    sandbox.add_argument("--listen", type=listen_argument, default=DEFAULT_LISTEN, metavar="HOST:PORT",
                         help=f"where the page is served (default {DEFAULT_LISTEN})")
    sandbox.set_defaults(handler=cmd_sandbox)
