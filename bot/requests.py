"""The Bot API client: PTB's HTTPX request, counting every failed call for the metrics."""
from __future__ import annotations

from collections.abc import Callable

from telegram.error import NetworkError, TimedOut
from telegram.request import HTTPXRequest


class CountingRequest(HTTPXRequest):
    """Counts failures by HTTP status ("429", "403", ...) or "network" / "timeout"."""

    def __init__(self, count: Callable[[str], None], **kwargs):
        super().__init__(**kwargs)
        self._count = count

    async def do_request(self, *args, **kwargs) -> tuple[int, bytes]:
        try:
            code, payload = await super().do_request(*args, **kwargs)
        except TimedOut:
            self._count("timeout")
            raise
        except NetworkError:
            self._count("network")
            raise
        if code >= 400:
            self._count(str(code))
        return code, payload
