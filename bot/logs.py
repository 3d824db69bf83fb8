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


def configure_logging(level: str, log_format: str = "text") -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT))
    logging.basicConfig(handlers=[handler], level=getattr(logging, level.upper(), logging.INFO))
    # These libraries log request URLs (with the bot token), message contents or SQL
    # parameters at DEBUG/INFO: never let them, whatever LOG_LEVEL says.
    for noisy in ("httpx", "httpcore", "telegram", "sqlalchemy.engine", "apscheduler",
                  "uvicorn", "uvicorn.error"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
