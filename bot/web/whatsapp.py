"""GET and POST /whatsapp: Meta's webhook for the WhatsApp channel.

GET answers Meta's verification (hub.mode=subscribe, hub.verify_token, hub.challenge).
POST checks X-Hub-Signature-256, the HMAC-SHA256 of the raw body with the app secret,
in constant time: a body without the right one gets 403 and is not read further. Each
message is processed once (by its wamid, in the same transaction as its effects) before
the answer, so Meta redelivers what a crash left undone and a repeat does nothing.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.channels.whatsapp import resident
from bot.channels.whatsapp.inbound import Incoming, StatusChange, events_of

log = logging.getLogger(__name__)
PATH = "/whatsapp"
SIGNATURE_HEADER = "X-Hub-Signature-256"


def signature_ok(app_secret: str, body: bytes, given: str) -> bool:
    expected = "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), given.encode())


class WhatsAppEndpoint:
    def __init__(self, *, app_secret: str, verify_token: str, channel=None):
        # Set once this process serves (a standby answers 503: Meta retries).
        self.channel = channel
        self._secret = app_secret
        self._verify_token = verify_token

    def routes(self) -> list[Route]:
        return [Route(PATH, self.verify, methods=["GET"]),
                Route(PATH, self.receive, methods=["POST"])]

    async def verify(self, request: Request) -> Response:
        """Meta's subscription check: the challenge back, only with our verify token."""
        params = request.query_params
        token = params.get("hub.verify_token", "")
        if params.get("hub.mode") == "subscribe" and hmac.compare_digest(
                token.encode(), self._verify_token.encode()):
            return PlainTextResponse(params.get("hub.challenge", ""))
        log.warning("whatsapp webhook verification with a wrong token refused")
        return Response(status_code=403)

    async def receive(self, request: Request) -> Response:
        body = await request.body()
        if not signature_ok(self._secret, body, request.headers.get(SIGNATURE_HEADER, "")):
            log.warning("whatsapp webhook call without a valid signature refused")
            return Response(status_code=403)
        if self.channel is None:
            return Response(status_code=503)
        try:
            events = events_of(self.channel.client, json.loads(body))
        except (ValueError, TypeError, KeyError, AttributeError):
            log.warning("whatsapp webhook: body is not an update")
            return Response(status_code=400)
        again = False
        for event in events:
            if isinstance(event, StatusChange):
                known = await self.channel.status_changed(event.wamid, event.status, event.error)
                again = again or not known
            elif isinstance(event, Incoming):
                await resident.handle(self.channel, event)
        # A failure of a send not recorded yet: Meta delivers the body again later (what
        # was done of it is not done twice: wamids are taken once).
        return Response(status_code=503 if again else 200)
