"""The ``tipbot`` command line."""
from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from bot.cli import agencies as cli_agencies
from bot.cli import officers as cli_officers
from bot.cli import privacy as cli_privacy
from bot.cli import review as cli_review
from bot.cli import sandbox as cli_sandbox
from bot.cli.common import EXIT_CONFIG, ConfigError, UsageError, load_settings, open_vault
from bot.config import Settings
from bot.logs import configure_logging

def _event_loop() -> asyncio.Runner:
    """The service's event loop: uvloop where it is installed. Every update is a handful of
    socket round trips (Bot API calls, database statements); uvloop's transports and
    scheduling cost less CPU per round trip than asyncio's own (bench/README.md, issue 9)."""
    try:
        import uvloop
    except ImportError:
        return asyncio.Runner()
    return asyncio.Runner(loop_factory=uvloop.new_event_loop)


def cmd_run(args: argparse.Namespace) -> int:
    """Migrate the database, then serve (long polling or webhook) until stopped."""
    from bot.storage.db import ensure_sqlite_directory, in_child_process
    from bot.instance import AlreadyRunning, FileGuard, guard_for
    from bot.service import serve
    from bot.web.listen import ListenError

    from bot.services.deployment_key import OtherKey

    settings = load_settings(require_token=True)
    configure_logging(settings.log_level, settings.log_format)
    url = settings.resolved_database_url
    if url.startswith("postgresql") and not settings.encryption_key.strip():
        # A key generated into one machine's DATA_DIR would differ on every instance.
        raise ConfigError(GENERATED_KEY_ON_POSTGRESQL)
    ensure_sqlite_directory(url)
    guard = guard_for(url, webhook=bool(settings.webhook_url),
                      connect_timeout=settings.db_connect_timeout.total_seconds())
    try:
        if isinstance(guard, FileGuard):
            guard.hold()     # refuse a second run before touching the database
        # In a forked child: Alembic and Mako (11 MB) never load into the serving process.
        migrated = in_child_process(lambda: _migrate(settings))
        if migrated != 0:
            return migrated
        try:
            check_key_sync(settings)
        except ConfigError:
            if isinstance(guard, FileGuard):
                asyncio.run(guard.release())
            raise
        logging.getLogger(__name__).info("tip line starting; press Ctrl+C to stop")
        with _event_loop() as runner:
            return runner.run(serve(settings, guard=guard))
    except ListenError as exc:
        raise ConfigError(f"HTTP_LISTEN {exc}") from None
    except (AlreadyRunning, OtherKey) as exc:
        raise ConfigError(str(exc)) from None


GENERATED_KEY_ON_POSTGRESQL = (
    "ENCRYPTION_KEY must be set with PostgreSQL (every instance needs the same key; one "
    "generated into DATA_DIR/encryption.key is only for a single SQLite machine)")


def _migrate(settings: Settings) -> int:
    """`tipbot db upgrade` to the newest revision, as an exit code (for a child process)."""
    from bot.storage.db import upgrade_database_sync

    try:
        upgrade_database_sync(settings.resolved_database_url, vault=lambda: open_vault(settings),
                              evidence_dir=settings.data_dir / "evidence")
    except ConfigError as exc:
        print(f"tipbot: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    return 0


def check_key_sync(settings: Settings) -> None:
    """Refuse to start when ENCRYPTION_KEY does not open the stored data: one line, exit 2,
    instead of decryption errors in the middle of delivery."""
    from bot.storage.crypto import EncryptionKeyError, Vault, load_or_create_key
    from bot.storage.db import create_engine, create_session_factory
    from bot.services.container import system_clock
    from bot.services.deployment_key import OtherKey, check_fingerprint
    from bot.services.keys import key_problem

    try:
        vault = Vault(load_or_create_key(settings.encryption_key, settings.data_dir))
    except EncryptionKeyError as exc:
        raise ConfigError(str(exc)) from None

    async def check() -> str | None:
        engine = create_engine(settings.resolved_database_url)
        try:
            async with create_session_factory(engine)() as session:
                if problem := await key_problem(session, vault):
                    return problem
                # Only a key that opens the stored data is recorded as the deployment's.
                try:
                    await check_fingerprint(session, vault=vault, now=system_clock())
                except OtherKey as exc:
                    return str(exc)
                await session.commit()
                return None
        finally:
            await engine.dispose()

    if problem := asyncio.run(check()):
        raise ConfigError(problem)


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    """Create or migrate the database schema."""
    from bot.storage.db import ensure_sqlite_directory, upgrade_database_sync

    from alembic.util import CommandError

    settings = load_settings()
    url = settings.resolved_database_url
    ensure_sqlite_directory(url)
    try:
        upgrade_database_sync(url, args.revision, vault=lambda: open_vault(settings),
                              evidence_dir=settings.data_dir / "evidence")
    except CommandError as exc:
        raise UsageError(f"db upgrade {args.revision}: {exc}") from None
    print(f"database is at revision {args.revision}")
    return 0


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
    upgrade.add_argument("revision", nargs="?", default="head",
                         help="the revision to migrate to (default: head, the newest)")
    upgrade.set_defaults(handler=cmd_db_upgrade)
    cli_officers.register(commands)
    cli_review.register(commands)
    cli_agencies.register(commands)
    cli_sandbox.register(commands)
    cli_privacy.register(commands)
    return parser


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
