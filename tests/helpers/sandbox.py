"""The sandbox page's API as a person uses it (write and press in a pane), its event
stream read as the browser reads it, and a wait for the bot to answer."""
from __future__ import annotations

import asyncio
import json

from bot.web.sandbox.web import event_stream
from bot.web.sandbox.world import Sandbox


class Events:
    """The page's event stream, read the way the browser's EventSource reads it."""

    def __init__(self, sandbox: Sandbox):
        self._stream = event_stream(sandbox)
        self.seen: list[tuple[str, object]] = []

    async def next(self, name: str, timeout: float = 10.0, where=lambda data: True):
        async def wait():
            while True:
                chunk = await anext(self._stream)
                if chunk.startswith(":"):
                    continue
                head, _, body = chunk.partition("\n")
                event, data = head.removeprefix("event: "), json.loads(body.removeprefix("data: "))
                self.seen.append((event, data))
                if event == name and where(data):
                    return data
        return await asyncio.wait_for(wait(), timeout)

    async def close(self):
        await self._stream.aclose()


async def settle(sandbox: Sandbox) -> None:
    """The bot has answered everything, and what it queued in the outbox went out."""
    await sandbox.emu.settle(app=sandbox.app)
    await sandbox.app.bot_data.deliverer.run(wait=True)
    await sandbox.emu.settle(app=sandbox.app)


async def say(client, sandbox, pane, text, **extra):
    answer = await client.post(f"/api/{pane}/text", json={"text": text, **extra})
    assert answer.status_code == 200, answer.text
    await settle(sandbox)


async def press(client, sandbox, pane, label):
    """Press the newest button with this label in a pane, through the page's API."""
    chat = sandbox.cast.chat(pane)
    for msg in reversed(sandbox.emu.sent(chat)):
        for r, row in enumerate((msg.reply_markup or {}).get("inline_keyboard", [])):
            for c, button in enumerate(row):
                if button["text"] == label:
                    answer = await client.post(f"/api/{pane}/press",
                                               json={"message_id": msg.message_id, "row": r, "column": c})
                    assert answer.status_code == 200, answer.text
                    await settle(sandbox)
                    return
    raise AssertionError(f"no button {label!r} in {pane}")
