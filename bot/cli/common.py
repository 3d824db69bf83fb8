"""What every ``tipbot`` command shares: settings read once with one-line errors, and a
database session for the commands that read or change data."""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

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
    if require_token and settings.whatsapp_enabled and not settings.http_listen:
        raise ConfigError("HTTP_LISTEN (host:port) is required with WhatsApp: Meta calls "
                          "/whatsapp on it")
    return settings


def run_with_session(work: Callable[..., Awaitable[int]], *, migrate: bool = True) -> int:
    """Open the configured database (migrated first), run ``work(session, settings)``,
    commit, close. For the sub-commands that read or change data."""
    from bot.storage.db import (
        create_engine, create_session_factory, ensure_sqlite_directory, upgrade_database,
    )

    settings = load_settings()
    url = settings.resolved_database_url
    ensure_sqlite_directory(url)

    async def main() -> int:
        engine = create_engine(url)
        try:
            if migrate:
                await upgrade_database(engine)
            async with create_session_factory(engine)() as session:
                code = await work(session, settings)
                await session.commit()
                return code
        finally:
            await engine.dispose()

    return asyncio.run(main())
