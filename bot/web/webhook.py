"""POST <path of WEBHOOK_URL>: Telegram's updates, checked and queued, answered at once.

The secret is compared in constant time; a wrong or missing one gets 403 and the body is
not even read. The update goes on the Application's queue and the answer is 200 right
away (Telegram waits for it before sending the next); the update_id dedupe happens when
the Application takes it from the queue (bot/channels/telegram/updates.py DedupingQueue), so a repeat also
gets 200 and is dropped.
"""
from __future__ import annotations

import hmac
import json
import logging

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import Application

from bot.config import Settings

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookEndpoint:
    def __init__(self, settings: Settings):
        self.path = settings.webhook_path
        self._secret = settings.webhook_secret.encode()
        self.application: Application | None = None   # set once this process serves

    def route(self) -> Route:
        return Route(self.path, self.receive, methods=["POST"])

    async def receive(self, request: Request) -> Response:
        """Check the secret, queue the update, answer."""
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            log.warning("webhook call without the right secret refused")
            return Response(status_code=403)
        if self.application is None or not self.application.running:
            return Response(status_code=503)       # starting or stopping: Telegram retries
        update = read_update(await request.body(), self.application)
        if update is None:
            log.warning("webhook: body is not an update")
            return Response(status_code=400)
        await self.application.update_queue.put(update)
        return Response(status_code=200)


def read_update(body: bytes, application: Application) -> Update | None:
    """The update in a webhook body; None for anything else: not JSON, JSON that is not an
    object (``[1,2]``, ``5``, ``null``), nesting too deep to parse, or an object PTB cannot
    read as an update. Whoever knows the secret must still not get a 500 and a traceback."""
    try:
        data = json.loads(body)
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            return None
        return Update.de_json(data, application.bot)
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError):
        return None
