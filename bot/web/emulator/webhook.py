"""Webhook delivery (a mixin of BotApiEmulator): setWebhook's checks, and POSTing each
update to the bot's URL with the secret header until the bot answers 2xx, in order.

Telegram calls only HTTPS URLs on ports 443, 80, 88 or 8443. Tests run the bot's plain
HTTP server on 127.0.0.1, so ``emu.route_webhook(public, local)`` plays the TLS reverse
proxy: a webhook set to ``https://bot.example/tg`` is POSTed to ``http://127.0.0.1:PORT/tg``.
"""

from __future__ import annotations

import asyncio
import copy
import re
from urllib.parse import urlsplit

import httpx

from .errors import bad_request

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_PORTS = {443, 80, 88, 8443}
RETRY_DELAY = 0.05      # Telegram backs off much longer; tests need not wait


class WebhookDelivery:
    def _init_webhook(self) -> None:
        self.webhook_url = ""
        self.webhook_secret: str | None = None
        self.webhook_calls: list[tuple[int, int]] = []  # (update_id, HTTP status) per POST
        self._webhook_routes: dict[str, str] = {}
        self._webhook_task: asyncio.Task | None = None
        self._webhook_client: httpx.AsyncClient | None = None

    def route_webhook(self, public_origin: str, local_origin: str) -> None:
        """Deliver calls to ``https://host[:port]`` to ``http://127.0.0.1:port`` instead."""
        self._webhook_routes[public_origin.rstrip("/")] = local_origin.rstrip("/")

    # -- methods -----------------------------------------------------------------------------
    def _set_webhook(self, p: dict) -> None:
        url = p["url"]
        if url:
            parts = urlsplit(url)
            if parts.scheme != "https":
                raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
            if (parts.port or 443) not in _PORTS:
                raise bad_request("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")
        secret = p.get("secret_token")
        if secret is not None and not _SECRET_RE.match(secret):
            raise bad_request("secret token contains unallowed characters")
        self.webhook_url, self.webhook_secret = url, secret
        self._kick_webhook()

    def _kick_webhook(self) -> None:
        if self.webhook_url and (self._webhook_task is None or self._webhook_task.done()):
            self._webhook_task = asyncio.get_running_loop().create_task(self._deliver_webhook())

    def _local_url(self) -> str:
        parts = urlsplit(self.webhook_url)
        origin = f"{parts.scheme}://{parts.netloc}"
        return self._webhook_routes.get(origin, origin) + self.webhook_url[len(origin):]

    async def post_webhook(self, update: dict, *, secret: str | None = ...) -> int:
        """POST one update to the webhook as Telegram would (``secret`` overrides the
        header; None leaves it out). Returns the HTTP status, or 0 when unreachable."""
        if self._webhook_client is None or self._webhook_client.is_closed:
            self._webhook_client = httpx.AsyncClient(timeout=10)
        secret = self.webhook_secret if secret is ... else secret
        headers = {SECRET_HEADER: secret} if secret is not None else {}
        rid = next(self._request_ids)
        self._in_flight[rid] = "webhook"
        try:
            response = await self._webhook_client.post(self._local_url(), json=copy.deepcopy(update),
                                                       headers=headers)
            status = response.status_code
        except httpx.HTTPError:
            status = 0
        finally:
            self._in_flight.pop(rid, None)
            self._touch()
        self.webhook_calls.append((update["update_id"], status))
        return status

    async def _deliver_webhook(self) -> None:
        """Oldest first; an update stays pending until the bot answers 2xx."""
        while self.webhook_url and not self._closing:
            batch = self._batch(0, 1)
            if not batch:
                return
            update = batch[0]
            status = await self.post_webhook(update)
            if 200 <= status < 300:
                self._delivered_upto = max(self._delivered_upto, update["update_id"])
                self.pending_updates = [u for u in self.pending_updates if u is not update]
            else:
                self.errors.append(f"webhook: update {update['update_id']} answered {status}")
                await asyncio.sleep(RETRY_DELAY)

    async def _stop_webhook(self) -> None:
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            try:
                await self._webhook_task
            except (asyncio.CancelledError, Exception):  # noqa: BLE001
                pass
        if self._webhook_client is not None:
            await self._webhook_client.aclose()
