"""What every ``tipbot`` command shares: settings read once with one-line errors, and a
database session for the commands that read or change data."""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from pydantic import ValidationError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.config import Settings

EXIT_CONFIG = 2


class ConfigError(Exception):
    """A setting is missing or malformed; shown as one line, exit code 2."""


class UsageError(ConfigError):
    """A person's mistake on the command line (a range that ends before it starts, a folder
    that is not there, a group's id for an officer): one line, exit code 2, no traceback."""


def load_settings(require_token: bool = False) -> Settings:
    try:
        settings = Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]).upper() if first.get("loc") else "settings"
        raise ConfigError(f"{field}: {first['msg']}") from None
    if require_token and (problem := settings.token_problem()):
        raise ConfigError(problem)
    if require_token and settings.whatsapp_enabled and not settings.http_listen:
        raise ConfigError("HTTP_LISTEN (host:port) is required with WhatsApp: Meta calls "
                          "/whatsapp on it")
    return settings


def open_vault(settings: Settings):
    """The Vault of ENCRYPTION_KEY (or the key file); a key that is no key is one line."""
    from bot.storage.crypto import EncryptionKeyError, Vault, load_or_create_key

    try:
        return Vault(load_or_create_key(settings.encryption_key, settings.data_dir))
    except EncryptionKeyError as exc:
        raise ConfigError(str(exc)) from None


async def _can_connect(engine) -> None:
    """A database that cannot be reached is one line, not a driver's traceback (the URL,
    which may hold a password, is not repeated)."""
    from sqlalchemy.exc import DBAPIError

    try:
        async with engine.connect():
            pass
    except (OSError, DBAPIError) as exc:
        reason = str(getattr(exc, "orig", None) or exc.strerror or exc).splitlines()[0]
        raise ConfigError(f"cannot open the database of DATABASE_URL: {reason}") from None


def run_with_session(work: Callable[..., Awaitable[int]], *, migrate: bool = True) -> int:
    """Open the configured database (migrated first), run ``work(session, settings)``,
    commit, close. For the sub-commands that read or change data."""
    from bot.storage.db import (
        create_engine, create_session_factory, ensure_sqlite_directory, upgrade_database,
    )

    settings = load_settings()
    url = settings.resolved_database_url
    try:
        make_url(url)
        ensure_sqlite_directory(url)
    except ArgumentError:
        raise ConfigError("DATABASE_URL is not a database URL (for example "
                          "postgresql+asyncpg://tipbot@localhost/tipbot)") from None
    except OSError as exc:
        raise ConfigError(f"cannot create the database's folder: {exc.strerror or exc}") from None

    async def main() -> int:
        engine = create_engine(url)
        try:
            await _can_connect(engine)
            if migrate:
                await upgrade_database(engine, vault=lambda: open_vault(settings),
                                       evidence_dir=settings.data_dir / "evidence")
            async with create_session_factory(engine)() as session:
                code = await work(session, settings)
                await session.commit()
                return code
        finally:
            await engine.dispose()

    return asyncio.run(main())
