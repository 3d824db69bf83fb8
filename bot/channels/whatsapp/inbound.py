"""A webhook body (one or many entries) as the events this bot acts on, read with pywa's
update types: what a resident sent, and what became of a message we sent."""
from __future__ import annotations

from dataclasses import dataclass

from pywa_async import WhatsApp, types


@dataclass(frozen=True)
class Incoming:
    """One message from a WhatsApp user."""

    wamid: str
    wa_id: str
    kind: str                      # text, button, photo, document, voice, audio, video,
    text: str | None = None        # location, other; ``text`` typed, ``choice`` pressed
    choice: str | None = None
    media_id: str | None = None
    mime_type: str | None = None
    file_name: str | None = None
    caption: str | None = None
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class StatusChange:
    """sent / delivered / read / failed for a message we sent; ``error`` its code."""

    wamid: str
    status: str
    error: int | None = None


def _single_updates(body: dict):
    """Meta may batch entries, changes and messages; pywa's types read one each."""
    for entry in body.get("entry") or []:
        for change in entry.get("changes") or []:
            if change.get("field") != "messages":
                continue
            value = change.get("value") or {}
            for key in ("messages", "statuses"):
                for item in value.get(key) or []:
                    single = {**value, key: [item]}
                    single.pop("statuses" if key == "messages" else "messages", None)
                    yield key, {"object": body.get("object"),
                                "entry": [{**entry, "changes": [{**change, "value": single}]}]}


def events_of(client: WhatsApp, body: dict) -> list[Incoming | StatusChange]:
    events: list[Incoming | StatusChange] = []
    for key, update in _single_updates(body):
        if key == "statuses":
            status = types.MessageStatus.from_update(client, update)
            error = status.error.code if status.error is not None else None
            events.append(StatusChange(status.id, str(status.status.value), error))
            continue
        raw = update["entry"][0]["changes"][0]["value"]["messages"][0]
        interactive = (raw.get("interactive") or {}).get("type")
        if interactive == "button_reply":
            pressed = types.CallbackButton.from_update(client, update)
            events.append(Incoming(pressed.id, pressed.from_user.wa_id, "button",
                                   choice=pressed.data))
        elif interactive == "list_reply":
            picked = types.CallbackSelection.from_update(client, update)
            events.append(Incoming(picked.id, picked.from_user.wa_id, "button",
                                   choice=picked.data))
        else:
            events.append(_message(types.Message.from_update(client, update)))
    return events


def _message(message: types.Message) -> Incoming:
    base = dict(wamid=message.id, wa_id=message.from_user.wa_id)
    if message.text is not None:
        return Incoming(kind="text", text=message.text, **base)
    if message.location is not None:
        return Incoming(kind="location", latitude=message.location.latitude,
                        longitude=message.location.longitude, **base)
    caption = (message.caption or "").strip() or None
    for attribute, kind in (("image", "photo"), ("document", "document"), ("video", "video"),
                            ("audio", "audio")):
        media = getattr(message, attribute)
        if media is not None:
            if attribute == "audio" and getattr(media, "voice", False):
                kind = "voice"
            return Incoming(kind=kind, media_id=media.id, mime_type=media.mime_type,
                            file_name=getattr(media, "filename", None), caption=caption, **base)
    return Incoming(kind="other", **base)
