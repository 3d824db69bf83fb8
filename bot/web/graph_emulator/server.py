"""GraphApiEmulator: a local stand-in for the WhatsApp Cloud API (Graph API), on Starlette.

The bot talks to it as to Meta (WHATSAPP_API_BASE_URL pointed here): messages are checked
by ``rules`` and refused as Meta refuses them, the 24-hour customer-service window is
kept per user (error 131047 outside it, in the answer or, like Meta today, in a "failed"
status callback), templates must exist and be approved, media ids must be known and media
is served for download with the token. The resident's side (``simulation``) posts signed
webhooks to the bot, as Meta does.
"""
from __future__ import annotations

import itertools
import json
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.web.server import WebServer

from . import rules
from .simulation import Simulation

WINDOW = timedelta(hours=24)
API_VERSION = "v23.0"


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


class GraphApiEmulator(Simulation):
    """A local Cloud API for tests and ``tipbot sandbox``. See the module docstring."""

    def __init__(self, *, phone_number_id: str = "109876543210", token: str = "EAAG-test-token",
                 app_secret: str = "test-app-secret", verify_token: str = "test-verify-token",
                 display_number: str = "6281100000000", host: str = "127.0.0.1",
                 clock: Callable[[], datetime] = _utcnow) -> None:
        self.phone_number_id = phone_number_id
        self.token = token
        self.app_secret = app_secret
        self.verify_token = verify_token
        self.display_number = display_number
        self.host = host
        self.clock = clock
        # name -> language, status and number of body parameters (as in WhatsApp Manager).
        self.templates: dict[str, dict] = {}
        self.media: dict[str, tuple[bytes, str]] = {}
        self.last_inbound: dict[str, datetime] = {}
        # Every message the business sent, per user, in order: {"id", "type", "payload"}.
        self.sent: dict[str, list[dict]] = {}
        self.statuses: dict[str, list[str]] = {}
        # Every refused call: (path, error body) so a test can tell what was refused.
        self.refused: list[tuple[str, dict]] = []
        # "answer": 131047 in the HTTP answer; "status": accepted, then a "failed" callback.
        self.window_refusal = "answer"
        # Post sent/delivered/read callbacks for each accepted message.
        self.status_callbacks = False
        self.read_receipts = False
        self._failures: list[tuple[int, int]] = []     # (HTTP status, times)
        self._ids = itertools.count(1)
        self._web: WebServer | None = None
        self.webhook_url: str | None = None
        super().__init__()

    # ----- the server -----------------------------------------------------------------

    @property
    def base_url(self) -> str:
        assert self._web is not None, "start() first"
        return f"http://{self.host}:{self._web.port}/{API_VERSION}"

    async def start(self) -> None:
        self._web = WebServer(f"{self.host}:0", self.routes())
        await self._web.start()

    async def stop(self) -> None:
        await self.close_simulation()
        if self._web is not None:
            await self._web.stop()
            self._web = None

    async def __aenter__(self) -> "GraphApiEmulator":
        await self.start()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.stop()

    def routes(self) -> list[Route]:
        return [
            Route(f"/{API_VERSION}/{{phone_id}}/messages", self._messages, methods=["POST"]),
            Route(f"/{API_VERSION}/{{phone_id}}/media", self._upload, methods=["POST"]),
            Route(f"/{API_VERSION}/{{media_id}}", self._media_url, methods=["GET"]),
            Route("/download/{media_id}", self._download, methods=["GET"]),
        ]

    # ----- what a test sets up ----------------------------------------------------------

    def add_template(self, name: str, *, language: str = "id", status: str = "APPROVED",
                     parameters: int = 0) -> None:
        self.templates[name] = {"language": language, "status": status,
                                "parameters": parameters}

    def fail_next(self, status: int = 503, times: int = 1) -> None:
        """The next ``times`` calls to /messages answer ``status`` (429, 5xx)."""
        self._failures.append((status, times))

    def store_media(self, data: bytes, mime_type: str) -> str:
        media_id = str(10**15 + next(self._ids))
        self.media[media_id] = (data, mime_type)
        return media_id

    def window_open(self, wa_id: str) -> bool:
        last = self.last_inbound.get(wa_id)
        return last is not None and self.clock() - last < WINDOW

    # ----- what a test reads ------------------------------------------------------------

    def messages_to(self, wa_id: str) -> list[dict]:
        return self.sent.get(wa_id, [])

    def texts_to(self, wa_id: str) -> list[str]:
        """What the user read, one string a message (a template by its name)."""
        return [readable(message["payload"]) for message in self.messages_to(wa_id)]

    def last_to(self, wa_id: str) -> dict:
        return self.messages_to(wa_id)[-1]["payload"]

    # ----- the API ----------------------------------------------------------------------

    def _authorised(self, request: Request) -> bool:
        return request.headers.get("authorization") == f"Bearer {self.token}"

    def _refuse(self, path: str, error: rules.GraphError) -> JSONResponse:
        body = error.body(secrets.token_hex(8))
        self.refused.append((path, body))
        return JSONResponse(body, status_code=error.status)

    def _unauthorised(self, path: str) -> JSONResponse:
        return self._refuse(path, rules.GraphError(
            rules.INVALID_TOKEN, "Error validating access token", status=401))

    async def _messages(self, request: Request) -> Response:
        path = request.url.path
        if not self._authorised(request):
            return self._unauthorised(path)
        if request.path_params["phone_id"] != self.phone_number_id:
            return self._refuse(path, rules.GraphError(
                rules.INVALID_PARAMETER, "Unsupported post request", status=400))
        if self._failures:
            status, times = self._failures[0]
            self._failures[0] = (status, times - 1)
            if times <= 1:
                self._failures.pop(0)
            return JSONResponse({"error": {"message": "Service temporarily unavailable",
                                           "code": 2 if status >= 500 else 80007,
                                           "type": "OAuthException"}}, status_code=status)
        try:
            payload = json.loads(await request.body())
        except ValueError:
            return self._refuse(path, rules.GraphError(rules.INVALID_PARAMETER,
                                                       "Invalid parameter", "body is not JSON"))
        error = self._check(payload)
        if error is not None:
            return self._refuse(path, error)
        to = payload["to"]
        kind = payload.get("type", "text")
        wamid = self.new_wamid(to)
        if kind != "template" and not self.window_open(to):
            if self.window_refusal == "answer":
                return self._refuse(path, rules.WINDOW_ERROR)
            self.schedule_status(to, wamid, "failed", error=rules.WINDOW_ERROR)
            return JSONResponse(_accepted(to, wamid))
        self.sent.setdefault(to, []).append({"id": wamid, "type": kind, "payload": payload})
        if self.status_callbacks:
            for status in ("sent", "delivered") + (("read",) if self.read_receipts else ()):
                self.schedule_status(to, wamid, status)
        self.on_sent(to)
        return JSONResponse(_accepted(to, wamid))

    def _check(self, payload: dict) -> rules.GraphError | None:
        if payload.get("messaging_product") != "whatsapp" or not payload.get("to"):
            return rules.GraphError(rules.INVALID_PARAMETER, "Invalid parameter",
                                    "messaging_product 'whatsapp' and 'to' are required")
        kind = payload.get("type", "text")
        if kind == "text":
            return rules.check_text(payload)
        if kind == "interactive":
            return rules.check_interactive(payload)
        if kind == "template":
            return rules.check_template(payload, self.templates)
        if kind in ("image", "document", "audio", "video"):
            return rules.check_media(payload, kind, set(self.media))
        if kind == "location":
            return rules.check_location(payload)
        return rules.GraphError(rules.INVALID_PARAMETER, "Invalid parameter",
                                f"type {kind!r} is not supported by this stand-in")

    async def _upload(self, request: Request) -> Response:
        path = request.url.path
        if not self._authorised(request):
            return self._unauthorised(path)
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str) or form.get("messaging_product") != "whatsapp":
            return self._refuse(path, rules.GraphError(rules.INVALID_PARAMETER,
                                                       "Invalid parameter", "file is required"))
        data = await upload.read()
        media_id = self.store_media(data, str(form.get("type") or upload.content_type))
        return JSONResponse({"id": media_id})

    async def _media_url(self, request: Request) -> Response:
        path, media_id = request.url.path, request.path_params["media_id"]
        if not self._authorised(request):
            return self._unauthorised(path)
        if media_id not in self.media:
            return self._refuse(path, rules.GraphError(
                rules.INVALID_PARAMETER, f"Unsupported get request. Object with ID "
                f"'{media_id}' does not exist"))
        data, mime = self.media[media_id]
        import hashlib
        return JSONResponse({
            "messaging_product": "whatsapp", "id": media_id, "mime_type": mime,
            "sha256": hashlib.sha256(data).hexdigest(), "file_size": len(data),
            "url": f"http://{self.host}:{self._web.port}/download/{media_id}"})

    async def _download(self, request: Request) -> Response:
        # Meta's media URLs need the token too, and answer 404 once the media is gone.
        if not self._authorised(request):
            return Response(status_code=401)
        item = self.media.get(request.path_params["media_id"])
        if item is None:
            return Response(status_code=404)
        return Response(item[0], media_type=item[1])


def _accepted(to: str, wamid: str) -> dict:
    return {"messaging_product": "whatsapp", "contacts": [{"input": to, "wa_id": to}],
            "messages": [{"id": wamid}]}


def readable(payload: dict) -> str:
    """A sent message as the user sees its words."""
    kind = payload.get("type", "text")
    if kind == "text":
        return payload["text"]["body"]
    if kind == "interactive":
        return payload["interactive"]["body"]["text"]
    if kind == "template":
        return f"[template {payload['template']['name']}]"
    if kind == "location":
        return "[location]"
    return (payload.get(kind) or {}).get("caption") or f"[{kind}]"
