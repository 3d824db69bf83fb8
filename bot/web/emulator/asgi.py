"""Two things Telegram's server does that an ASGI app does not by itself: it stops working
on a request whose client went away, and (injected by a test) it drops a connection
without answering."""
from __future__ import annotations

import asyncio
import contextlib

from starlette.responses import Response


class DroppedConnection(Response):
    """Returned by a handler: the connection closes with no complete answer (the client
    sees a network error, as when Telegram's side of the connection breaks). A response
    started and never finished is one uvicorn can only end by closing the connection."""

    def __init__(self) -> None:
        super().__init__(status_code=200)

    async def __call__(self, scope, receive, send) -> None:
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-length", b"1")]})


class CancelOnDisconnect:
    """Reads the whole body first, then runs the app while watching the connection: if
    the client disconnects, the handler is cancelled (aiohttp's handler_cancellation)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        chunks, more = [], True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body, replayed = b"".join(chunks), False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        handler = asyncio.ensure_future(self.app(scope, replay, send))
        # After the body, the server's next message is http.disconnect: when the client
        # goes away, or once the response is complete.
        gone = asyncio.ensure_future(receive())
        try:
            await asyncio.wait({handler, gone}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            if not handler.done():
                handler.cancel()
            gone.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await handler
