"""The ``tipbot`` command line."""
from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable

from pydantic import ValidationError

from bot.config import Settings

EXIT_CONFIG = 2


class ConfigError(Exception):
    """A setting is missing or malformed; shown as one line, exit code 2."""


def load_settings(require_token: bool = False) -> Settings:
    try:
        settings = Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]).upper() if first.get("loc") else "settings"
        raise ConfigError(f"{field}: {first['msg']}") from None
    if require_token and (problem := settings.token_problem()):
        raise ConfigError(problem)
    return settings


def cmd_run(args: argparse.Namespace) -> int:
    """Migrate the database, then long-poll Telegram until stopped."""
    from bot.app import build_application
    from bot.db import ensure_sqlite_directory, upgrade_database_sync

    settings = load_settings(require_token=True)
    _configure_logging(settings.log_level)
    url = settings.resolved_database_url
    ensure_sqlite_directory(url)
    upgrade_database_sync(url)
    application = build_application(settings)
    logging.getLogger(__name__).info("tip line running; press Ctrl+C to stop")
    application.run_polling(allowed_updates=["message", "edited_message", "callback_query"])
    return 0


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    """Create or migrate the database schema."""
    from bot.db import ensure_sqlite_directory, upgrade_database_sync

    settings = load_settings()
    url = settings.resolved_database_url
    ensure_sqlite_directory(url)
    upgrade_database_sync(url, args.revision)
    print(f"database is at revision {args.revision}")
    return 0


def _configure_logging(level: str) -> None:
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        level=getattr(logging, level.upper(), logging.INFO))
    # These libraries log request URLs (with the bot token), message contents or SQL
    # parameters at DEBUG/INFO: never let them, whatever LOG_LEVEL says.
    for noisy in ("httpx", "httpcore", "telegram", "sqlalchemy.engine", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tipbot",
        description="Telegram tip line of the Lampung migrant worker protection task force. "
                    "Settings come from the environment and .env (see .env.example).")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="migrate the database and start long polling")
    run.set_defaults(handler=cmd_run)

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    upgrade = db_commands.add_parser("upgrade", help="apply migrations (default: to the newest)")
    upgrade.add_argument("revision", nargs="?", default="head")
    upgrade.set_defaults(handler=cmd_db_upgrade)
    from bot.cli_officers import register as register_officers

    if register_officers not in EXTRA_COMMANDS:
        EXTRA_COMMANDS.append(register_officers)
    for register in EXTRA_COMMANDS:
        register(commands)
    return parser


# Other modules add their sub-commands here (officers, roster, stats, export).
EXTRA_COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = []


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except ConfigError as exc:
        print(f"tipbot: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
