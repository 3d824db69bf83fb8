"""The sandbox page's HTTP server (Starlette): the page, live events, and what a person does
in each pane (write, press a button, upload, send the location, reply), plus reset."""
from __future__ import annotations

import asyncio
import json
import mimetypes
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from bot.web.emulator.state import MAX_UPLOAD_SIZE
from bot.engine.i18n import get_translator
from bot.render.text import MAX_TEXT, utf16_length
from bot.web.sandbox.page import render_page
from bot.web.sandbox.view import chat_views, message_view, whatsapp_view
from bot.web.sandbox.world import BANDAR_LAMPUNG, PANES, TELEGRAM_PANES, WHATSAPP, Sandbox

STATIC = Path(__file__).parent / "static"
TICK = 0.15  # how often an open event stream looks for changes (seconds)
KEEPALIVE = 15.0
_IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp"}  # Telegram sends these as photos
_SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                               "base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


class ActionError(Exception):
    """What a person tried cannot be sent; the message is already translated."""


def create_app(sandbox: Sandbox) -> Starlette:
    settings = sandbox.base_settings

    def translator(request: Request):
        return get_translator(request.query_params.get("lang") or settings.default_locale,
                              settings.timezone)

    async def page(request: Request) -> Response:
        body = render_page(translator(request), names=sandbox.labels,
                           remind=settings.sandbox_reminder_after,
                           escalate=settings.sandbox_escalate_after)
        return HTMLResponse(body, headers=_SECURITY_HEADERS)

    async def state(request: Request) -> Response:
        return JSONResponse(snapshot(sandbox))

    async def events(request: Request) -> Response:
        return StreamingResponse(event_stream(sandbox, request), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})

    async def act(request: Request) -> Response:
        pane = request.path_params["pane"]
        action = request.path_params["action"]
        if pane not in PANES or action not in ACTIONS:
            return JSONResponse({"error": "not found"}, status_code=404)
        t = translator(request)  # the page's language, which its script passes on
        actions = WHATSAPP_ACTIONS if pane == WHATSAPP else ACTIONS
        try:
            async with sandbox.busy():
                await actions[action](sandbox, pane, request, t)
        except ActionError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        except AssertionError as exc:  # the emulator: no Telegram client could do this
            return JSONResponse({"error": t("Telegram would not let a person do this."),
                                 "detail": str(exc)}, status_code=400)
        return JSONResponse({"ok": True})

    async def reset(request: Request) -> Response:
        await sandbox.reset()
        return JSONResponse({"ok": True, "generation": sandbox.generation})

    async def file(request: Request) -> Response:
        file_id = request.path_params["file_id"]
        if file_id.startswith("wa-"):             # a file the bot sent on WhatsApp
            media = sandbox.graph.media.get(file_id[3:]) if sandbox.graph else None
            if media is None:
                return Response(status_code=404)
            data, mime_type, name = media[0], media[1], None
        else:
            stored = sandbox.emu.files.by_id.get(file_id) if sandbox.emu else None
            if stored is None or stored.url is not None:
                return Response(status_code=404)
            data, mime_type, name = stored.data, stored.mime_type, stored.file_name
        mime = _sniff_image(data) or mime_type or "application/octet-stream"
        headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"}
        if not mime.startswith("image/"):
            name = name or "file" + (mimetypes.guess_extension(mime) or ".bin")
            headers["Content-Disposition"] = _attachment(name)
        return Response(data, media_type=mime, headers=headers)

    routes = [
        Route("/", page),
        Route("/api/state", state),
        Route("/api/events", events),
        Route("/api/reset", reset, methods=["POST"]),
        Route("/api/files/{file_id}", file),
        Route("/api/{pane}/{action}", act, methods=["POST"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    return Starlette(routes=routes)


# -- what the page sees ---------------------------------------------------------------------
def snapshot(sandbox: Sandbox) -> dict:
    emu, cast = sandbox.emu, sandbox.cast
    return {
        "generation": sandbox.generation,
        "panes": {**{pane: chat_views(pane, emu.history(cast.chat(pane)))
                     for pane in TELEGRAM_PANES},
                  WHATSAPP: whatsapp_views(sandbox)},
        "problems": problems(sandbox, 0, 0),
    }


def whatsapp_views(sandbox: Sandbox) -> list[dict]:
    graph = sandbox.graph
    return [whatsapp_view(entry, sandbox.labels.get(WHATSAPP, ""))
            for entry in graph.log.get(sandbox.cast.whatsapp, [])]


def violations(sandbox: Sandbox) -> list[str]:
    """Calls Telegram or the Graph API would refuse (a correct bot never makes them)."""
    graph = [f"WhatsApp {path}: {body['error']['message']} "
             f"{body['error'].get('error_data', {}).get('details', '')}".strip()
             for path, body in sandbox.graph.refused
             if body["error"]["code"] != 131047]     # the window: a bot handles it
    return sandbox.emu.violations + graph


def problems(sandbox: Sandbox, seen_violations: int, seen_errors: int) -> list[dict]:
    """Refused calls: violations (a correct bot never makes them) and errors a bot must handle."""
    emu = sandbox.emu
    return ([{"kind": "violation", "text": text}
             for text in violations(sandbox)[seen_violations:]]
            + [{"kind": "error", "text": text} for text in emu.errors[seen_errors:]])


def _sse(event: str, data: object) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


async def event_stream(sandbox: Sandbox, request: Request | None = None) -> AsyncIterator[str]:
    """A full snapshot first (and after each reset), then what changed: new and edited
    messages, refused calls, and the bot's answers to button presses (toasts)."""
    generation, marker, idle = None, None, 0.0
    shown: dict[tuple[str, int], str] = {}
    counts = (0, 0)
    toasted: set[str] = set()
    while not sandbox.closing:
        if request is not None and await request.is_disconnected():
            return
        if sandbox.ready and sandbox.generation != generation:
            generation = sandbox.generation
            full = snapshot(sandbox)
            shown = {(m["pane"], m["id"]): json.dumps(m) for views in full["panes"].values() for m in views}
            counts = (len(violations(sandbox)), len(sandbox.emu.errors))
            # A notice is shown once, when it comes: a reload does not replay the earlier ones.
            toasted, marker, idle = _answered(sandbox), None, 0.0
            yield _sse("reset", full)
        elif sandbox.ready and (now := _marker(sandbox)) != marker:
            marker = now
            for chunk in _changes(sandbox, shown, counts, toasted):
                idle = 0.0
                yield chunk
            counts = (len(violations(sandbox)), len(sandbox.emu.errors))
        idle += TICK
        if idle >= KEEPALIVE:
            idle = 0.0
            yield ": keep-alive\n\n"
        await asyncio.sleep(TICK)


def _answered(sandbox: Sandbox) -> set[str]:
    return {query_id for query_id, query in sandbox.emu.callbacks.items() if query["answered"]}


def _marker(sandbox: Sandbox) -> tuple:
    emu = sandbox.emu
    return (emu.last_activity, sum(len(chat) for chat in emu.messages.values()),
            len(violations(sandbox)), len(emu.errors),
            sum(q["answered"] for q in emu.callbacks.values()),
            sum(len(log) for log in sandbox.graph.log.values()))


def _changes(sandbox: Sandbox, shown: dict, counts: tuple[int, int], toasted: set[str]):
    emu, cast = sandbox.emu, sandbox.cast
    pane_of = {cast.chat(pane).id: pane for pane in TELEGRAM_PANES}
    for view in whatsapp_views(sandbox):
        encoded = json.dumps(view)
        if shown.get((WHATSAPP, view["id"])) != encoded:
            shown[(WHATSAPP, view["id"])] = encoded
            yield _sse("message", view)
    for pane in TELEGRAM_PANES:
        for msg in emu.history(cast.chat(pane)):
            view = message_view(pane, msg)
            encoded = json.dumps(view)
            if shown.get((pane, msg.message_id)) != encoded:
                shown[(pane, msg.message_id)] = encoded
                yield _sse("message", view)
    for problem in problems(sandbox, *counts):
        yield _sse("problem", problem)
    for query_id, query in emu.callbacks.items():
        if query["answered"] and query.get("text") and query_id not in toasted:
            toasted.add(query_id)
            yield _sse("toast", {"pane": pane_of.get(query["chat_id"]), "text": query["text"],
                                 "alert": bool(query.get("show_alert"))})


# -- what a person does -----------------------------------------------------------------------
async def _json(request: Request) -> dict:
    try:
        data = await request.json()
    except ValueError:
        data = None
    return data if isinstance(data, dict) else {}


def _reply_to(sandbox: Sandbox, pane: str, value: object) -> int | None:
    if value in (None, ""):
        return None
    try:
        message_id = int(value)
    except (TypeError, ValueError):
        return None
    chat = sandbox.emu.messages.get(sandbox.cast.chat(pane).id, {})
    return message_id if message_id in chat and not chat[message_id].deleted else None


def _typed(data: dict, t, length=utf16_length) -> str:
    """The text a pane sends, refused when empty or longer than a message may be (Telegram
    counts UTF-16 units, WhatsApp characters)."""
    text = str(data.get("text") or "").strip()
    if not text:
        raise ActionError(t("An empty message cannot be sent."))
    if length(text) > MAX_TEXT:
        raise ActionError(t("A message can have at most {n} characters.").format(n=t.number(MAX_TEXT)))
    return text


async def send_text(sandbox: Sandbox, pane: str, request: Request, t) -> None:
    data = await _json(request)
    text = _typed(data, t)
    sandbox.emu.send_text(sandbox.cast.sender(pane), text, chat=sandbox.cast.chat(pane),
                          reply_to=_reply_to(sandbox, pane, data.get("reply_to")))


async def press(sandbox: Sandbox, pane: str, request: Request, t) -> None:
    data = await _json(request)
    chat = sandbox.cast.chat(pane)
    msg = sandbox.emu.messages.get(chat.id, {}).get(data.get("message_id"))
    rows = (msg.reply_markup or {}).get("inline_keyboard", []) if msg and not msg.deleted else []
    try:
        button = rows[int(data["row"])][int(data["column"])]
    except (KeyError, IndexError, TypeError, ValueError):
        raise ActionError(t("This button is no longer there.")) from None
    if "callback_data" not in button:
        raise ActionError(t("This button opens a link: {url}").format(url=button.get("url", "")))
    sandbox.emu.press(sandbox.cast.sender(pane), msg, callback_data=button["callback_data"], chat=chat)


async def _uploaded(request: Request, t):
    """The file a pane uploads: (its part, its bytes, its caption or None); refused when
    missing, empty or over the sandbox's size."""
    too_big = t("Files in the sandbox can be at most {mb} MB.").format(mb=t.number(MAX_UPLOAD_SIZE >> 20))
    if int(request.headers.get("content-length") or 0) > MAX_UPLOAD_SIZE + (1 << 20):
        raise ActionError(too_big)
    form = await request.form(max_files=1, max_fields=4)
    part = form.get("file")
    if part is None or isinstance(part, str):
        raise ActionError(t("Choose a photo or file first."))
    data = await part.read()
    if not data:
        raise ActionError(t("This file is empty."))
    if len(data) > MAX_UPLOAD_SIZE:
        raise ActionError(too_big)
    return part, data, str(form.get("caption") or "").strip() or None


async def upload(sandbox: Sandbox, pane: str, request: Request, t) -> None:
    part, data, caption = await _uploaded(request, t)
    user, chat = sandbox.cast.sender(pane), sandbox.cast.chat(pane)
    if (part.content_type or "") in _IMAGE_TYPES:
        sandbox.emu.send_photo(user, data, caption, chat=chat)
    else:
        name = Path(part.filename or "file").name or "file"
        sandbox.emu.send_document(user, data, name, part.content_type or None, caption=caption, chat=chat)


async def send_location(sandbox: Sandbox, pane: str, request: Request, t) -> None:
    latitude, longitude = BANDAR_LAMPUNG
    sandbox.emu.send_location(sandbox.cast.sender(pane), latitude, longitude, chat=sandbox.cast.chat(pane))


ACTIONS = {"text": send_text, "press": press, "upload": upload, "location": send_location}


# -- the WhatsApp pane: what the resident does on their phone becomes Meta's webhook -----------
async def wa_text(sandbox: Sandbox, pane: str, request: Request, t) -> None:
    text = _typed(await _json(request), t, length=len)
    await sandbox.graph.send_text(sandbox.cast.whatsapp, text)


async def wa_press(sandbox: Sandbox, pane: str, request: Request, t) -> None:
    data = await _json(request)
    wa_id = sandbox.cast.whatsapp
    entry = next((e for e in sandbox.graph.log.get(wa_id, [])
                  if e["id"] == data.get("message_id") and e["from_bot"]), None)
    try:
        index = int(data["row"])
    except (KeyError, TypeError, ValueError):
        index = -1
    if entry is None or index < 0:
        raise ActionError(t("This button is no longer there."))
    await sandbox.graph.choose(wa_id, entry["wamid"], index)


async def wa_upload(sandbox: Sandbox, pane: str, request: Request, t) -> None:
    part, data, caption = await _uploaded(request, t)
    mime = part.content_type or "application/octet-stream"
    kind = "image" if mime in _IMAGE_TYPES else "audio" if mime.startswith("audio/") else "document"
    await sandbox.graph.send_media(sandbox.cast.whatsapp, kind, data, mime,
                                   caption=caption if kind != "audio" else None)


async def wa_location(sandbox: Sandbox, pane: str, request: Request, t) -> None:
    await sandbox.graph.send_location(sandbox.cast.whatsapp, *BANDAR_LAMPUNG)


WHATSAPP_ACTIONS = {"text": wa_text, "press": wa_press, "upload": wa_upload,
                    "location": wa_location}


def _sniff_image(data: bytes) -> str | None:
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def _attachment(name: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(name)}"
