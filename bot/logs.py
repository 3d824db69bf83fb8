"""Log lines: plain text, or one JSON object a line (LOG_FORMAT=json) for log shippers.
Either way only what the code logs: no message text, names, numbers or chat ids."""
from __future__ import annotations

import json
import logging
import traceback
from datetime import datetime, timezone

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {"time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(),
                "level": record.levelname, "logger": record.name,
                "message": record.getMessage()}
        if record.exc_info and record.exc_info[0] is not None:
            # The type and the frames only: exception messages can quote personal data.
            line["error"] = record.exc_info[0].__name__
            line["frames"] = "".join(traceback.format_tb(record.exc_info[2]))
        return json.dumps(line, ensure_ascii=False)


# The project's own loggers: only these follow LOG_LEVEL.
OWN_LOGGERS = ("bot", "handlers", "models", "migrations")
# Libraries that log SQL with its parameters (Telegram ids, form answers, captions),
# every EXIF tag of a picture, request URLs with the bot token, or message contents at
# DEBUG/INFO. Held at WARNING by name, as well as through the root logger, because some
# of them set their own level when imported or configured.
THIRD_PARTY_LOGGERS = (
    "aiosqlite", "sqlalchemy", "sqlalchemy.engine", "sqlalchemy.pool", "asyncpg", "alembic",
    "PIL", "pikepdf", "mutagen", "httpx", "httpcore", "hpack", "telegram", "apscheduler",
    "asyncio", "uvicorn", "uvicorn.error", "uvicorn.access", "starlette", "multipart",
    "python_multipart", "aiohttp", "urllib3", "charset_normalizer", "openpyxl",
    "matplotlib", "playwright",
)


def configure_logging(level: str, log_format: str = "text") -> None:
    """Every library at WARNING, whatever LOG_LEVEL says; the project's loggers at it."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT))
    logging.basicConfig(handlers=[handler], level=logging.WARNING)
    logging.getLogger().setLevel(logging.WARNING)
    own = getattr(logging, level.upper(), logging.INFO)
    for name in OWN_LOGGERS:
        logging.getLogger(name).setLevel(own)
    for name in THIRD_PARTY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
