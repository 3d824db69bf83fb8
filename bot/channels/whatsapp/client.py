"""The Graph API client: pywa's async client on an httpx transport that sends every call
to WHATSAPP_API_BASE_URL (pywa builds Meta's own address from its api_version)."""
from __future__ import annotations

import logging
from urllib.parse import urlparse

import httpx
from pywa_async import WhatsApp

from bot.config import Settings

# pywa logs request bodies and answers (phone numbers, the residents' words) at DEBUG:
# never, whatever LOG_LEVEL says.
for _name in ("pywa", "pywa_async"):
    logging.getLogger(_name).setLevel(logging.WARNING)


class BaseUrlTransport(httpx.AsyncBaseTransport):
    """Rewrites ``https://graph.facebook.com/vX/...`` to ``base_url/...``: a test's
    stand-in, a proxy, or Meta itself with the version pinned here."""

    def __init__(self, base_url: str, inner: httpx.AsyncBaseTransport | None = None):
        parsed = urlparse(base_url)
        self._scheme, self._netloc = parsed.scheme, parsed.netloc
        self._prefix = parsed.path.rstrip("/")
        self._inner = inner or httpx.AsyncHTTPTransport(retries=0)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == "graph.facebook.com":
            path = request.url.raw_path.decode()
            # Drop pywa's own "/vNN.N" and put the configured base in its place.
            _, _, rest = path.lstrip("/").partition("/")
            request.url = httpx.URL(f"{self._scheme}://{self._netloc}{self._prefix}/{rest}")
            request.headers["host"] = self._netloc
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


def make_client(settings: Settings, *,
                timeout: float = 20.0) -> tuple[WhatsApp, httpx.AsyncClient]:
    """pywa's async client for sending and for media (the webhook is ours, bot/web), and
    its HTTP session, to close at shutdown."""
    session = httpx.AsyncClient(transport=BaseUrlTransport(settings.whatsapp_api_base_url),
                                timeout=timeout)
    client = WhatsApp(phone_id=settings.whatsapp_phone_number_id,
                      token=settings.whatsapp_access_token, session=session,
                      validate_updates=False, filter_updates=False)
    return client, session
