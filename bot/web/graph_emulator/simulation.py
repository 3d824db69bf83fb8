"""The resident's side of the Graph API stand-in: what a WhatsApp user does becomes a
webhook post to the bot, signed with the app secret (X-Hub-Signature-256) as Meta signs
it; the business's sent messages come back as status callbacks."""
from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import itertools
import json
import secrets

import httpx

from .rules import GraphError


def sign(app_secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


class Simulation:
    """Mixed into GraphApiEmulator (which holds the state this reads)."""

    def __init__(self) -> None:
        self._http: httpx.AsyncClient | None = None
        self._posting: set[asyncio.Task] = set()
        self._wamids = itertools.count(1)
        self.posted: list[bytes] = []          # every webhook body, to post again

    async def close_simulation(self) -> None:
        await self.settle()
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    def on_sent(self, to: str) -> None:
        """Called after each accepted message (the sandbox page listens)."""

    # ----- posting --------------------------------------------------------------------

    async def post_body(self, body: bytes, *, signature: str | None = None) -> int:
        """POST a webhook body to the bot; the HTTP status it answered."""
        assert self.webhook_url, "set webhook_url (the bot's /whatsapp)"
        if self._http is None:
            self._http = httpx.AsyncClient(timeout=60)
        headers = {"content-type": "application/json",
                   "x-hub-signature-256": (sign(self.app_secret, body) if signature is None
                                           else signature)}
        response = await self._http.post(self.webhook_url, content=body, headers=headers)
        return response.status_code

    async def post(self, value: dict) -> int:
        body = json.dumps({"object": "whatsapp_business_account", "entry": [{
            "id": "102290129340398", "changes": [{"field": "messages", "value": {
                "messaging_product": "whatsapp",
                "metadata": {"display_phone_number": self.display_number,
                             "phone_number_id": self.phone_number_id},
                **value}}]}]}).encode()
        self.posted.append(body)
        return await self.post_body(body)

    async def settle(self) -> None:
        """Wait for the status callbacks under way."""
        while self._posting:
            await asyncio.gather(*list(self._posting), return_exceptions=True)

    # ----- what a user does -------------------------------------------------------------

    def bsuid(self, wa_id: str) -> str:
        """The business-scoped user id Meta sends beside the number (stable per user)."""
        digest = hmac.new(b"bsuid", wa_id.encode(), hashlib.sha256).hexdigest()[:16]
        return f"ID.{int(digest, 16)}"

    def new_wamid(self, wa_id: str = "") -> str:
        """As Meta's: base64 of a record that starts with the user's number."""
        record = b"\x1c\x18\x0d" + wa_id.encode() + b"\x15\x02\x00\x12\x18\x14" + \
            f"{next(self._wamids):06d}".encode() + secrets.token_hex(8).upper().encode()
        return "wamid." + base64.b64encode(record).decode()

    async def user_message(self, wa_id: str, message: dict, *, name: str = "Warga") -> str:
        """One message from ``wa_id``; opens their 24-hour window. Returns its wamid."""
        wamid = self.new_wamid(wa_id)
        self.last_inbound[wa_id] = self.clock()
        timestamp = str(int(self.clock().timestamp()))
        status = await self.post({
            "contacts": [{"profile": {"name": name}, "wa_id": wa_id,
                          "user_id": self.bsuid(wa_id)}],
            "messages": [{"from": wa_id, "from_user_id": self.bsuid(wa_id), "id": wamid,
                          "timestamp": timestamp, **message}]})
        if status != 200:
            raise AssertionError(f"the bot answered {status} to a webhook")
        return wamid

    async def send_text(self, wa_id: str, text: str) -> str:
        return await self.user_message(wa_id, {"type": "text", "text": {"body": text}})

    def find_choice(self, wa_id: str, title: str) -> tuple[str, dict, dict]:
        """("button_reply" | "list_reply", the reply, the message) of the newest message to ``wa_id``
        offering ``title``; a title no message offers fails the test."""
        for sent in reversed(self.messages_to(wa_id)):
            payload = sent["payload"]
            if payload.get("type") != "interactive":
                continue
            action = payload["interactive"]["action"]
            for button in action.get("buttons") or []:
                if button["reply"]["title"] == title:
                    return "button_reply", {"id": button["reply"]["id"], "title": title}, sent
            for section in action.get("sections") or []:
                for row in section["rows"]:
                    # A row shows its description under the title: a label cut to 24
                    # characters is read (and found) whole there.
                    if title in (row["title"], row.get("description")):
                        return "list_reply", {"id": row["id"], "title": row["title"],
                                              "description": row.get("description", "")}, sent
        raise AssertionError(f"no button or row {title!r} offered to {wa_id}")

    def choices(self, wa_id: str) -> list[str]:
        """Titles of the buttons or rows of the newest interactive message."""
        for sent in reversed(self.messages_to(wa_id)):
            payload = sent["payload"]
            if payload.get("type") == "interactive":
                action = payload["interactive"]["action"]
                return ([b["reply"]["title"] for b in action.get("buttons") or []]
                        + [r["title"] for s in action.get("sections") or [] for r in s["rows"]])
        return []

    async def press(self, wa_id: str, title: str) -> str:
        """Tap a reply button or pick a list row by its title."""
        kind, reply, sent = self.find_choice(wa_id, title)
        return await self.user_message(wa_id, {
            "type": "interactive", "context": {"from": self.display_number, "id": sent["id"]},
            "interactive": {"type": kind, kind: reply}})

    async def send_media(self, wa_id: str, kind: str, data: bytes, mime_type: str, *,
                         caption: str | None = None, filename: str | None = None,
                         voice: bool = False) -> str:
        media_id = self.store_media(data, mime_type)
        media = {"id": media_id, "mime_type": mime_type,
                 "sha256": hashlib.sha256(data).hexdigest()}
        if caption is not None:
            media["caption"] = caption
        if filename is not None:
            media["filename"] = filename
        if voice:
            media["voice"] = True
        return await self.user_message(wa_id, {"type": kind, kind: media})

    async def send_location(self, wa_id: str, latitude: float, longitude: float) -> str:
        return await self.user_message(wa_id, {"type": "location", "location": {
            "latitude": latitude, "longitude": longitude}})

    # ----- status callbacks -------------------------------------------------------------

    def schedule_status(self, to: str, wamid: str, status: str, *,
                        error: GraphError | None = None) -> None:
        task = asyncio.create_task(self._post_status(to, wamid, status, error))
        self._posting.add(task)
        task.add_done_callback(self._posting.discard)

    async def _post_status(self, to: str, wamid: str, status: str,
                           error: GraphError | None) -> None:
        await asyncio.sleep(0)             # after the answer to the send
        entry = {"id": wamid, "status": status, "recipient_id": to,
                 "recipient_user_id": self.bsuid(to),
                 "timestamp": str(int(self.clock().timestamp()))}
        if error is not None:
            entry["errors"] = [{"code": error.code, "title": error.message,
                                "message": error.message,
                                "error_data": {"details": error.details}}]
        self.statuses.setdefault(wamid, []).append(status)
        # Since business-scoped user ids, status callbacks name the user as messages do.
        await self.post({"contacts": [{"wa_id": to, "user_id": self.bsuid(to)}],
                         "statuses": [entry]})
